package collect_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// fakeSecret is distinctive, so a test can search every output for it.
const fakeSecret = "posture-test-secret-7f3a9c1e-do-not-log"

const testClientID = "11111111-2222-4333-8444-555555555555"

// tenant is a snapshot file with the config it is checked with.
type tenant struct{ name, snapshot, config string }

func tenants() []tenant {
	root := filepath.Join("..", "..")
	var ts []tenant
	for _, n := range []string{"weak", "hardened", "e3-no-p2", "lockout"} {
		ts = append(ts, tenant{n, filepath.Join(root, "testdata", "snapshots", n+".json"), filepath.Join(root, "testdata", "configs", n+".yaml")})
	}
	return append(ts, tenant{"contoso", filepath.Join(root, "internal", "demo", "contoso.json"), filepath.Join(root, "examples", "demo", "posture.yaml")})
}

// startSim serves snap over TLS and returns a client for it that signs in with azidentity's
// real ClientSecretCredential against the simulator's token endpoint. The simulator's service
// limits are Microsoft's documented ones on the real clock, unless opts says otherwise: a
// client that paces itself right is never limited.
func startSim(t testing.TB, snap *snapshot.Snapshot, opts sim.Options) (*sim.Running, *graph.Client) {
	t.Helper()
	opts.ClientID, opts.ClientSecret = testClientID, fakeSecret
	run, err := sim.Start(snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	return clientFor(t, run, snap)
}

// clientFor returns a new client for a running simulator.
func clientFor(t testing.TB, run *sim.Running, snap *snapshot.Snapshot) (*sim.Running, *graph.Client) {
	t.Helper()
	return clientThrough(t, run, snap, run.Client().Transport)
}

// clientThrough returns a new client for a running simulator that sends through transport.
func clientThrough(t testing.TB, run *sim.Running, snap *snapshot.Snapshot, transport http.RoundTripper) (*sim.Running, *graph.Client) {
	t.Helper()
	tenantID := snap.Tenant.ID
	if tenantID == "" {
		tenantID = "organizations"
	}
	c, err := graph.New(graph.Options{
		Auth: graph.AuthSecret, TenantID: tenantID, ClientID: testClientID,
		Getenv: func(k string) string {
			if k == graph.EnvClientSecret {
				return fakeSecret
			}
			return ""
		},
		Endpoint:  run.URL,
		Transport: transport,
	})
	if err != nil {
		t.Fatal(err)
	}
	return run, c
}

// statuses checks a snapshot file and returns rule id -> status.
func statuses(t *testing.T, snapPath, configPath string) map[string]string {
	t.Helper()
	res, _, err := check.Run(context.Background(), check.Options{SnapshotPath: snapPath, ConfigPath: configPath,
		Now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("check %s: %v", snapPath, err)
	}
	out := map[string]string{}
	for _, f := range res.Findings {
		out[f.RuleID] = string(f.Status)
	}
	return out
}

// TestRoundTripGivesSameFindings collects every test tenant from the simulator and checks the
// snapshot against the file. The simulator enforces Microsoft's documented limits on the real
// clock: in every mode but the last, the client's pacing must keep every request within them.
// Every request sent is also run through both readings of those limits, the simulator's and
// the client's, which must agree.
func TestRoundTripGivesSameFindings(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	modes := []struct {
		name string
		opts sim.Options
		only []string // the tenants the mode runs on, or nil for all
	}{
		{"plain", sim.Options{}, nil},
		{"throttled-small-pages", sim.Options{ThrottleRate: 0.1, PageSize: 3, RetryAfter: -1, Seed: 42}, nil},
		// Windows twice as long as documented, as when other apps use the tenant's share of a
		// "per tenant for all apps" limit: the client's pacing is not enough, Graph answers 429
		// (Conditional Access without Retry-After, the reports with it), and the client must
		// still get everything. Two small tenants: the retries take seconds.
		{"shared-budget", sim.Options{PageSize: 3, LimitScale: 2}, []string{"weak", "lockout"}},
	}
	for _, tn := range tenants() {
		want := statuses(t, tn.snapshot, tn.config)
		for _, m := range modes {
			if m.only != nil && !slices.Contains(m.only, tn.name) {
				continue
			}
			t.Run(tn.name+"/"+m.name, func(t *testing.T) {
				t.Parallel() // each collection waits out Graph's paced limits: run them side by side
				snap, err := snapshot.Load(tn.snapshot)
				if err != nil {
					t.Fatal(err)
				}
				run, _ := startSim(t, snap, m.opts)
				rec := &recorder{next: run.Client().Transport}
				_, c := clientThrough(t, run, snap, rec)
				got, rep, err := collect.Run(context.Background(), c, collect.Options{})
				if err != nil {
					t.Fatalf("collect: %v", err)
				}
				out := filepath.Join(t.TempDir(), "collected.json")
				if err := got.Save(out); err != nil {
					t.Fatal(err)
				}
				compareSources(t, snap, got)
				have := statuses(t, out, tn.config)
				if len(want) == 0 {
					t.Fatal("checking the file gave no findings")
				}
				var diffs []string
				for id, w := range want {
					if have[id] != w {
						diffs = append(diffs, id+": file "+w+", collected "+have[id])
					}
				}
				sort.Strings(diffs)
				if len(diffs) > 0 {
					t.Errorf("%d rules differ:\n%s", len(diffs), strings.Join(diffs, "\n"))
					for _, s := range rep.Sources {
						if s.Status != snapshot.StatusOK {
							t.Logf("%s %s %s", s.Key, s.Status, s.Message)
						}
					}
				}
				st := run.Server.Stats()
				if m.opts.ThrottleRate > 0 && st.Throttled == 0 {
					t.Errorf("the simulator throttled nothing; the test does not test retries")
				}
				switch {
				case m.opts.LimitScale > 1 && st.Limited == 0:
					t.Errorf("no service limit was reached; the test does not test them")
				case m.opts.LimitScale <= 1 && st.Limited > 0:
					t.Errorf("%d requests over Microsoft's documented limits; the client's pacing must keep within them", st.Limited)
				}
				users := len(asList(snap.Entra["users"]))
				targets := rec.sent()
				for _, target := range targets {
					checkLimitsAgree(t, users, target)
				}
				t.Logf("%d requests, %d throttled, %d limited, %d graph requests by the client, %d targets; %s",
					st.Requests, st.Throttled, st.Limited, rep.Graph.Requests, len(targets), usersMessage(rep))
			})
		}
	}
}

// usersMessage is the entra.users source's message: how signInActivity was read.
func usersMessage(rep *collect.Report) string {
	for _, s := range rep.Sources {
		if s.Key == "entra.users" {
			return s.Message
		}
	}
	return ""
}

// recorder is a transport that notes every Graph GET it carries, $batch items one by one, as
// the path after the version with its query.
type recorder struct {
	next    http.RoundTripper
	mu      sync.Mutex
	targets map[string]bool
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	version, rest, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/"), "/")
	var targets []string
	switch {
	case version != "v1.0" && version != "beta":
	case rest == "$batch" && req.Body != nil:
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		var b struct{ Requests []struct{ URL string } }
		if err := json.Unmarshal(body, &b); err != nil {
			return nil, fmt.Errorf("recorder: $batch body: %w", err)
		}
		for _, it := range b.Requests {
			targets = append(targets, it.URL)
		}
	case req.Method == http.MethodGet:
		targets = append(targets, "/"+rest+"?"+req.URL.RawQuery)
	}
	r.mu.Lock()
	if r.targets == nil {
		r.targets = map[string]bool{}
	}
	for _, t := range targets {
		r.targets[t] = true
	}
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// sent returns the targets recorded, sorted.
func (r *recorder) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.targets))
	for t := range r.targets {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// checkLimitsAgree fails when the simulator (the service's documented limits) and the client
// (its pacing) read a GET of target (path after the version, with its query) differently in a
// tenant of users users: another set of limits, budgets, windows or costs.
func checkLimitsAgree(t *testing.T, users int, target string) {
	t.Helper()
	path, raw, _ := strings.Cut(target, "?")
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	var service, client []string
	for _, l := range sim.Limits(users, path, q) {
		service = append(service, fmt.Sprintf("%s: %v per %s, costs %v", l.Name, l.Budget, l.Window, l.Cost))
	}
	for _, p := range graph.Paces(target, users) {
		client = append(client, fmt.Sprintf("%s: %v per %s, costs %v", p.Family, p.Limit, p.Window, p.Cost))
	}
	if !slices.Equal(service, client) {
		t.Errorf("GET %s: the simulator counts it against %q, the client paces it to %q", target, service, client)
	}
}

// TestLimitsAgreeOnEveryRequest runs every request posture's collectors send (Source.Requests,
// with an id for {id}), in tenants of each size, through the simulator's and the client's
// reading of Microsoft's documented limits: they must agree.
func TestLimitsAgreeOnEveryRequest(t *testing.T) {
	n := 0
	for _, s := range collect.Sources() {
		for _, req := range s.Requests() {
			_, target, _ := strings.Cut(strings.TrimPrefix(req, "/"), "/") // drop the version
			target = "/" + strings.ReplaceAll(target, "{id}", "a1000000-0000-4000-8000-000000000001")
			if !strings.Contains(target, "?") {
				target += "?"
			}
			for _, users := range []int{10, 100, 100000} {
				checkLimitsAgree(t, users, target)
			}
			if len(graph.Paces(target, 10)) == 0 {
				t.Errorf("%s: in no family of Microsoft's documented limits", req)
			}
			n++
		}
	}
	if n < 30 {
		t.Errorf("only %d requests; expected every Graph source's", n)
	}
}

// compareSources checks each source's status and count against the file's: what the file holds
// comes back the same, and what it lacks comes back unknown. Values must come back equal,
// element by element (with the objects the collector expands per element: intents' settings and
// assignments, configuration policies' settings); a collection read with $select is compared
// with the file's elements limited to the selected properties.
func compareSources(t *testing.T, file, got *snapshot.Snapshot) {
	t.Helper()
	selects := map[string][]string{}
	for _, s := range collect.Sources() {
		selects[s.Key] = selected(s.Path)
	}
	for _, k := range snapshot.Keys() {
		key := k.String()
		fs, inFile := file.Sources[key]
		gs := got.Sources[key]
		switch {
		case key == "exchange.dns" && (!inFile || fs.Status != snapshot.StatusOK):
			// Lookups that were off or not made cannot be served as such: the simulator's DNS
			// answers SERVFAIL, and the rules' statuses are compared instead.
		case key == "exchange.dns" && fs.Status == gs.Status:
			if !reflect.DeepEqual(dnsRecords(value(file, k)), dnsRecords(value(got, k))) {
				t.Errorf("%s: collected %v, want the file's %v", key, dnsRecords(value(got, k)), dnsRecords(value(file, k)))
			}
		case !inFile || fs.Status == snapshot.StatusSkipped:
			if gs.Status == snapshot.StatusOK {
				t.Errorf("%s: absent from the file but collected ok", key)
			}
		case fs.Status != gs.Status:
			t.Errorf("%s: status %s (%s), want the file's %s", key, gs.Status, gs.Message, fs.Status)
		case fs.Status == snapshot.StatusOK && fmt.Sprint(deref(fs.Count)) != fmt.Sprint(deref(gs.Count)):
			t.Errorf("%s: count %v, want %v", key, deref(gs.Count), deref(fs.Count))
		case fs.Status == snapshot.StatusOK:
			want, have := value(file, k), value(got, k)
			if key == "entra.users" {
				have = compareSignInActivity(t, want, have)
			}
			if k.Kind == snapshot.KindArray && selects[key] != nil {
				want = projected(want, selects[key])
			}
			if !reflect.DeepEqual(want, have) {
				t.Errorf("%s: collected value differs from the file's:\n got %v\nwant %v", key, have, want)
			}
		}
	}
}

// compareSignInActivity checks the signInActivity of the collected users that carry it against
// the file's (a user the file holds with null or without it comes back null: Graph omits it for
// a user who never signed in), and returns the collected users without it.
func compareSignInActivity(t *testing.T, file, got any) any {
	t.Helper()
	want := map[string]any{}
	for _, u := range asList(file) {
		m := u.(map[string]any)
		want[m["id"].(string)] = m["signInActivity"]
	}
	var out []any
	for _, u := range asList(got) {
		m := u.(map[string]any)
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		if v, ok := c["signInActivity"]; ok {
			if !reflect.DeepEqual(v, want[m["id"].(string)]) {
				t.Errorf("user %s: signInActivity %v, want the file's %v", m["id"], v, want[m["id"].(string)])
			}
			delete(c, "signInActivity")
		}
		out = append(out, c)
	}
	if out == nil {
		return got
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// selected returns the properties a Graph path's $select names, or nil.
func selected(path string) []string {
	_, query, _ := strings.Cut(path, "?")
	for _, opt := range strings.Split(query, "&") {
		if v, ok := strings.CutPrefix(opt, "$select="); ok {
			return strings.Split(v, ",")
		}
	}
	return nil
}

// projected limits each object of list to the properties props (ignoring case), its id and its
// OData annotations, as Graph answers a $select.
func projected(list any, props []string) any {
	var out []any
	for _, el := range list.([]any) {
		obj, ok := el.(map[string]any)
		if !ok {
			out = append(out, el)
			continue
		}
		p := map[string]any{}
		for k, v := range obj {
			keep := k == "id" || strings.HasPrefix(k, "@odata.")
			for _, s := range props {
				keep = keep || strings.EqualFold(k, s)
			}
			if keep {
				p[k] = v
			}
		}
		out = append(out, p)
	}
	if out == nil {
		out = []any{}
	}
	return out
}

// dnsRecords is exchange.dns without the failures' messages (they name the server asked):
// domain -> kind -> records, "failed" for a failed lookup.
func dnsRecords(v any) map[string]map[string]any {
	out := map[string]map[string]any{}
	m, _ := v.(map[string]any)
	for d, e := range m {
		entry, _ := e.(map[string]any)
		errs, _ := entry["errors"].(map[string]any)
		out[d] = map[string]any{}
		for _, kind := range []string{"spf", "dmarc"} {
			switch {
			case errs[kind] != nil:
				out[d][kind] = "failed"
			case entry[kind] != nil:
				out[d][kind] = fmt.Sprint(entry[kind])
			}
		}
	}
	return out
}

func deref(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

func value(s *snapshot.Snapshot, k snapshot.Key) any {
	return s.Document()[k.Section].(map[string]any)[k.Name]
}

func TestSourceFailures(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	tests := []struct {
		name   string
		fail   map[string]int
		edit   func(*snapshot.Snapshot)
		key    string
		status snapshot.Status
		msg    string
		also   map[string]snapshot.Status // other sources' expected statuses
		rules  []string                   // rules that must turn to error
	}{
		{name: "403 on Conditional Access", fail: map[string]int{"/v1.0/identity/conditionalAccess/policies": 403},
			key: "entra.conditionalAccessPolicies", status: snapshot.StatusForbidden, msg: "needs Policy.Read.All",
			also:  map[string]snapshot.Status{"entra.groupMembers": snapshot.StatusSkipped, "entra.users": snapshot.StatusOK},
			rules: []string{"entra.legacy_auth_blocked", "conditionalaccess.mfa_all_users", "entra.admin_mfa"}},
		{name: "500 on the second page of users", fail: nil, key: "entra.users", status: snapshot.StatusError, msg: "500"},
		{name: "users without signInActivity", edit: func(s *snapshot.Snapshot) {
			for _, u := range s.Entra["users"].([]any) {
				delete(u.(map[string]any), "signInActivity")
			}
		}, key: "entra.users", status: snapshot.StatusOK, msg: "signInActivity not collected: needs AuditLog.Read.All and Microsoft Entra ID P1 (403 Authorization_RequestDenied"},
		{name: "groupMembers forbidden", fail: map[string]int{"/v1.0/groups/b2000000-0002-4000-8000-000000000002/transitiveMembers": 403},
			key: "entra.groupMembers", status: snapshot.StatusForbidden, msg: "needs GroupMember.Read.All"},
		{name: "503 after retries", fail: map[string]int{"/v1.0/domains": 503},
			key: "entra.domains", status: snapshot.StatusError, msg: "503 serviceNotAvailable"},
		{name: "403 on one cmdlet", fail: map[string]int{sim.FailCmdletPrefix + "Get-TransportConfig": 403},
			key: "exchange.transportConfig", status: snapshot.StatusForbidden, msg: "needs the Office 365 Exchange Online application permission Exchange.ManageAsApp",
			also: map[string]snapshot.Status{"exchange.organizationConfig": snapshot.StatusOK, "exchange.dns": snapshot.StatusOK}},
		{name: "403 on InvokeCommand", fail: map[string]int{"/adminapi": 403},
			key: "exchange.acceptedDomains", status: snapshot.StatusForbidden, msg: "Global Reader role",
			also: map[string]snapshot.Status{"exchange.dns": snapshot.StatusSkipped, "entra.users": snapshot.StatusOK}},
		{name: "Defender for Office 365 not licensed", edit: func(s *snapshot.Snapshot) {
			delete(s.Exchange, "safeLinksPolicies")
			s.Sources["exchange.safeLinksPolicies"] = snapshot.Source{Status: snapshot.StatusUnlicensed, Message: "needs Microsoft Defender for Office 365 Plan 1"}
		}, key: "exchange.safeLinksPolicies", status: snapshot.StatusUnlicensed, msg: "needs Microsoft Defender for Office 365 Plan 1 (400 BadRequest: The term 'Get-SafeLinksPolicy' is not recognized"},
		{name: "500 on one cmdlet after retries", fail: map[string]int{sim.FailCmdletPrefix + "Get-RemoteDomain": 503},
			key: "exchange.remoteDomains", status: snapshot.StatusError, msg: "InvokeCommand Get-RemoteDomain: 503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join("..", "..", "testdata", "snapshots", "hardened.json")
			snap, err := snapshot.Load(file)
			if err != nil {
				t.Fatal(err)
			}
			if tt.edit != nil {
				tt.edit(snap)
			}
			// Pages of 7: users come in two pages, and the reports (two pages of registration
			// details, two of users with signInActivity) fit in one window of five.
			opts := sim.Options{Fail: tt.fail, RetryAfter: -1, PageSize: 7}
			run, c := startSim(t, snap, opts)
			if tt.name == "500 on the second page of users" {
				c = failSecondPage(t, run, snap)
			}
			got, _, err := collect.Run(context.Background(), c, collect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			src := got.Sources[tt.key]
			if src.Status != tt.status || !strings.Contains(src.Message, tt.msg) {
				t.Errorf("%s: %s %q, want %s containing %q", tt.key, src.Status, src.Message, tt.status, tt.msg)
			}
			sec, name, _ := strings.Cut(tt.key, ".")
			data, _ := got.Document()[sec].(map[string]any)
			if _, present := data[name]; present != (tt.status == snapshot.StatusOK) {
				t.Errorf("%s present in the snapshot: %v, want only when ok", tt.key, present)
			}
			for k, want := range tt.also {
				if got.Sources[k].Status != want {
					t.Errorf("%s: %s %q, want %s", k, got.Sources[k].Status, got.Sources[k].Message, want)
				}
			}
			if len(tt.rules) > 0 {
				out := filepath.Join(t.TempDir(), "s.json")
				if err := got.Save(out); err != nil {
					t.Fatal(err)
				}
				st := statuses(t, out, filepath.Join("..", "..", "testdata", "configs", "hardened.yaml"))
				for _, id := range tt.rules {
					if st[id] != "error" {
						t.Errorf("rule %s: %s, want error", id, st[id])
					}
				}
			}
		})
	}
}

// failSecondPage puts a server in front of run that answers 500 to the second page of users
// (every users request with a $skiptoken), and returns a client for it.
func failSecondPage(t *testing.T, run *sim.Running, snap *snapshot.Snapshot) *graph.Client {
	t.Helper()
	return frontClient(t, run, snap, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1.0/users" || r.URL.Query().Get("$skiptoken") == "" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		fmt.Fprint(w, `{"error":{"code":"generalException","message":"General exception while processing."}}`)
		return true
	})
}

// frontClient returns a client signing in with the simulator's secret through a TLS front that
// lets intercept answer a request first (true: answered) and passes the rest to the simulator.
func frontClient(t *testing.T, run *sim.Running, snap *snapshot.Snapshot, intercept func(http.ResponseWriter, *http.Request) bool) *graph.Client {
	t.Helper()
	front := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !intercept(w, r) {
			run.Server.Handler().ServeHTTP(w, r)
		}
	}))
	front.StartTLS()
	t.Cleanup(front.Close)
	c, err := graph.New(graph.Options{Auth: graph.AuthSecret, TenantID: snap.Tenant.ID, ClientID: testClientID,
		Getenv:   func(k string) string { return map[string]string{graph.EnvClientSecret: fakeSecret}[k] },
		Endpoint: front.URL, Transport: front.Client().Transport})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignInFailureStopsTheRun(t *testing.T) {
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "weak.json"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := sim.Start(snap, sim.Options{ClientID: testClientID, ClientSecret: "the-right-one"})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	_, c := clientFor(t, run, snap) // signs in with fakeSecret, which the simulator refuses
	got, rep, err := collect.Run(context.Background(), c, collect.Options{})
	var ae *graph.AuthError
	if !errors.As(err, &ae) || got != nil || rep != nil {
		t.Fatalf("Run() = %v, %v, %v; want only an *graph.AuthError", got, rep, err)
	}
	if st := run.Server.Stats(); st.Requests != 0 {
		t.Errorf("%d Graph requests after a failed sign-in, want 0", st.Requests)
	}
}

func TestProgress(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "e3-no-p2.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, c := startSim(t, snap, sim.Options{})
	var buf strings.Builder
	got, rep, err := collect.Run(context.Background(), c, collect.Options{Progress: collect.Lines(&buf), Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != len(collect.Sources()) {
		t.Fatalf("%d progress lines, want one per source:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{
		"entra.users ", "entra.riskyUsers ", "unlicensed", "needs Microsoft Entra ID P2",
		"entra.oauth2PermissionGrants", "forbidden", "needs Directory.Read.All", "exchange.transportConfig ",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, buf.String())
		}
	}
	// The summary counts every status of the snapshot, zeros included.
	counts := map[snapshot.Status]int{}
	for _, src := range got.Sources {
		counts[src.Status]++
	}
	want := fmt.Sprintf("%d ok, %d forbidden, %d unlicensed, %d error, %d skipped in ",
		counts[snapshot.StatusOK], counts[snapshot.StatusForbidden], counts[snapshot.StatusUnlicensed], counts[snapshot.StatusError], counts[snapshot.StatusSkipped])
	if sum := rep.Summary(); !strings.HasPrefix(sum, want) || counts[snapshot.StatusForbidden] == 0 || counts[snapshot.StatusUnlicensed] == 0 ||
		!strings.Contains(sum, fmt.Sprintf("(%d requests, ", rep.Graph.Requests)) {
		t.Errorf("Summary() = %q, want it to start %q and count the requests", sum, want)
	}
	if failed := rep.Failed(); len(failed) != counts[snapshot.StatusForbidden]+counts[snapshot.StatusError] {
		t.Errorf("Failed() = %d sources, want the %d forbidden and error ones", len(failed), counts[snapshot.StatusForbidden]+counts[snapshot.StatusError])
	}
	if got.Tenant.ID != snap.Tenant.ID || got.Tenant.DefaultDomain != snap.Tenant.DefaultDomain || got.Tenant.DisplayName != snap.Tenant.DisplayName {
		t.Errorf("tenant %+v, want %+v", got.Tenant, snap.Tenant)
	}
	if got.Generator != (snapshot.Generator{}) || rep.Graph.Requests == 0 {
		t.Errorf("generator %+v, requests %d", got.Generator, rep.Graph.Requests)
	}
}

// TestSignInActivity: signInActivity is kept only for privileged accounts, break-glass
// candidates and declared break-glass accounts, read one GET /users/{id} each or from a list of
// all users with it, whichever takes fewer requests (both ways are run: the simulator's page
// size decides); those Graph returns without it (never signed in) get null, every other user
// carries none (not collected), and when Graph refuses it no user carries it and the message
// says what is missing.
func TestSignInActivity(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	const (
		bg1   = "a1000000-0002-4000-8000-000000000001" // break-glass, Global Administrator
		guest = "a1000000-0002-4000-8000-000000000013" // holds no role
		plain = "a1000000-0002-4000-8000-000000000008" // holds no role
	)
	tests := []signInCase{
		{"privileged accounts only", func(string) bool { return false }, collect.Accounts{},
			[]string{bg1}, nil, []string{guest, plain}, "signInActivity read for ", false},
		{"a privileged account that never signed in", func(id string) bool { return id == bg1 }, collect.Accounts{},
			[]string{bg1}, []string{bg1}, []string{guest}, "signInActivity read for ", true},
		{"a declared break-glass account that holds no role", func(string) bool { return false },
			collect.Accounts{Users: []string{"SAM.WRIGHT@tailspintoys.com"}}, []string{bg1, plain}, nil, []string{guest}, "signInActivity read for ", false},
		{"not readable", func(string) bool { return true }, collect.Accounts{},
			nil, nil, []string{bg1, guest, plain}, "signInActivity not collected: needs AuditLog.Read.All and Microsoft Entra ID P1", true},
	}
	ways := []struct {
		name     string
		pageSize int    // hardened's 13 users: one page of 100, or seven of two (more than its accounts)
		msg      string // how the message says it was read
	}{
		{"listed", 0, "from a list of all 13 users with it (requests: 1 listing, against"},
		{"per account", 2, "accounts, one request each"},
	}
	for _, tt := range tests {
		for _, way := range ways {
			if way.pageSize != 0 && !tt.bothWays {
				continue // which accounts are read does not depend on the way
			}
			t.Run(tt.name+"/"+way.name, func(t *testing.T) {
				t.Parallel()
				testSignInActivity(t, tt, way.pageSize, way.msg)
			})
		}
	}
	// Graph reads signInActivity by object id only, and leaves it out for a user who never signed in.
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "hardened.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, c := startSim(t, snap, sim.Options{})
	var ge *graph.Error
	if _, err := c.Get(context.Background(), "/v1.0/users/sam.wright@tailspintoys.com?$select=id,signInActivity"); !errors.As(err, &ge) || ge.Status != 400 {
		t.Errorf("signInActivity by userPrincipalName: %v, want 400", err)
	}
	if obj, err := c.Object(context.Background(), "/v1.0/users/"+bg1+"?$select=id,signInActivity"); err != nil || obj["signInActivity"] == nil {
		t.Errorf("signInActivity by id: %v, %v", obj, err)
	}
}

// signInCase is a case of TestSignInActivity.
type signInCase struct {
	name     string
	strip    func(id string) bool // whose signInActivity the served snapshot loses
	accounts collect.Accounts
	present  []string // must carry the property
	null     []string // must carry null
	absent   []string // must not carry it
	wantMsg  string
	bothWays bool // also read one account at a time (null and refusal differ by the way)
}

// testSignInActivity runs tt with the simulator's pages of pageSize; a message that says
// signInActivity was read must say how with way.
func testSignInActivity(t *testing.T, tt signInCase, pageSize int, way string) {
	notReadable := tt.wantMsg != "signInActivity read for "
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "hardened.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range snap.Entra["users"].([]any) {
		m := u.(map[string]any)
		if tt.strip(m["id"].(string)) {
			if notReadable {
				delete(m, "signInActivity")
			} else {
				m["signInActivity"] = nil
			}
		}
	}
	run, c := startSim(t, snap, sim.Options{PageSize: pageSize})
	got, _, err := collect.Run(context.Background(), c, collect.Options{Accounts: tt.accounts, DNS: collect.DNSOff})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]map[string]any{}
	for _, u := range got.Entra["users"].([]any) {
		m := u.(map[string]any)
		users[m["id"].(string)] = m
	}
	for _, id := range tt.present {
		if _, ok := users[id]["signInActivity"]; !ok {
			t.Errorf("%s: no signInActivity, want it read", id)
		}
	}
	for _, id := range tt.null {
		if v, ok := users[id]["signInActivity"]; !ok || v != nil {
			t.Errorf("%s: signInActivity %v (present %v), want null", id, v, ok)
		}
	}
	for _, id := range tt.absent {
		if v, ok := users[id]["signInActivity"]; ok {
			t.Errorf("%s: signInActivity %v, want none (not collected)", id, v)
		}
	}
	src := got.Sources["entra.users"]
	if src.Status != snapshot.StatusOK || !strings.Contains(src.Message, tt.wantMsg) {
		t.Errorf("entra.users %s %q, want ok with message %q", src.Status, src.Message, tt.wantMsg)
	}
	if !notReadable && !strings.Contains(src.Message, way) {
		t.Errorf("entra.users message %q, want it to say %q", src.Message, way)
	}
	if st := run.Server.Stats(); st.Limited > 0 {
		t.Errorf("%d requests over Microsoft's documented limits", st.Limited)
	}
}

// TestDNS: exchange.dns follows the simulator's records (a failed lookup is null with an
// errors entry, NXDOMAIN is []), and --dns off records the source as skipped.
func TestDNS(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	tests := []struct {
		name, mode string
		status     snapshot.Status
	}{
		{"simulator's DNS", collect.DNSAuto, snapshot.StatusOK},
		{"off", collect.DNSOff, snapshot.StatusSkipped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "hardened.json"))
			if err != nil {
				t.Fatal(err)
			}
			recs, _ := snap.Exchange["dns"].(map[string]any)
			var failed, missing string
			for d := range recs {
				if failed == "" {
					failed = d
					recs[d] = map[string]any{"dmarc": []any{}, "errors": map[string]any{"spf": "SERVFAIL"}}
				} else if missing == "" {
					missing = d
					delete(recs, d)
				}
			}
			if missing == "" {
				t.Fatal("the hardened tenant needs two domains in exchange.dns")
			}
			_, c := startSim(t, snap, sim.Options{})
			got, _, err := collect.Run(context.Background(), c, collect.Options{DNS: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			if src := got.Sources["exchange.dns"]; src.Status != tt.status {
				t.Fatalf("exchange.dns %s %q, want %s", src.Status, src.Message, tt.status)
			}
			if tt.status != snapshot.StatusOK {
				return
			}
			out := got.Exchange["dns"].(map[string]any)
			f := out[failed].(map[string]any)
			if spf, has := f["spf"]; !has || spf != nil || f["errors"].(map[string]any)["spf"] == nil || fmt.Sprint(f["dmarc"]) != "[]" {
				t.Errorf("%s: %v; want spf null with an errors entry, dmarc []", failed, f)
			}
			m := out[missing].(map[string]any)
			if fmt.Sprint(m["spf"]) != "[]" || fmt.Sprint(m["dmarc"]) != "[]" || m["errors"] != nil {
				t.Errorf("%s (NXDOMAIN): %v; want spf [] and dmarc []", missing, m)
			}
		})
	}
}

// TestExchangeTenantSpecificHost: a tenant whose Exchange Online admin API answers from a
// tenant-specific host is collected whole: every cmdlet source has the status it has in the
// file (the token went to the tenant host), none is "forbidden: needs Exchange.ManageAsApp".
func TestExchangeTenantSpecificHost(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "weak.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, c := startSim(t, snap, sim.Options{ExchangeTenantHost: "localhost"})
	got, _, err := collect.Run(context.Background(), c, collect.Options{DNS: collect.DNSOff})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for key, src := range got.Sources {
		if !strings.HasPrefix(key, "exchange.") || key == "exchange.dns" {
			continue
		}
		n++
		if want := snap.Sources[key].Status; src.Status != want && !(want == "" && src.Status == snapshot.StatusForbidden) {
			t.Errorf("%s: %s %q, want %s", key, src.Status, src.Message, want)
		}
		if strings.Contains(src.Message, "Exchange.ManageAsApp") && snap.Sources[key].Status == snapshot.StatusOK {
			t.Errorf("%s: %s", key, src.Message)
		}
	}
	if n < 20 {
		t.Fatalf("%d Exchange sources, want every cmdlet's", n)
	}
}

// TestOneWorker: with a single worker the collection still ends: entra.users waits for the role
// assignments and group members outside the worker pool.
func TestOneWorker(t *testing.T) {
	t.Parallel() // collections wait out Graph's paced limits: run them side by side
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "weak.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, c := startSim(t, snap, sim.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	got, _, err := collect.Run(ctx, c, collect.Options{Concurrency: 1, DNS: collect.DNSOff})
	if err != nil {
		t.Fatalf("Run() = %v", err)
	}
	if src := got.Sources["entra.users"]; src.Status != snapshot.StatusOK || !strings.Contains(src.Message, "signInActivity read for") {
		t.Errorf("entra.users %s %q", src.Status, src.Message)
	}
}
