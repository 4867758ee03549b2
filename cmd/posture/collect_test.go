package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// runIn runs posture in-process with the environment vars and returns stdout, stderr and the
// exit code.
func runIn(t *testing.T, vars map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, env{stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return vars[k] }})
	return stdout.String(), stderr.String(), code
}

func testdataPath(kind, name string) string {
	return filepath.Join("..", "..", "testdata", kind, name)
}

func loadTestSnapshot(t *testing.T, name string) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Load(testdataPath("snapshots", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCollectUsage(t *testing.T) {
	tests := []struct {
		args []string
		vars map[string]string
		want string
	}{
		{[]string{"collect"}, nil, "--output FILE is required"},
		{[]string{"collect", "-o", "s.json", "extra"}, nil, `unexpected argument "extra"`},
		{[]string{"collect", "-o", "s.json", "--auth", "none"}, nil, "--auth none needs --endpoint on a loopback address"},
		{[]string{"collect", "-o", "s.json", "--auth", "password"}, nil, `--auth: unknown method "password"`},
		{[]string{"collect", "-o", "s.json", "--cloud", "germany"}, nil, `--cloud: unknown cloud "germany"`},
		{[]string{"collect", "-o", "s.json", "--endpoint", "http://graph.example.com"}, nil, "plain http is allowed only on a loopback address"},
		{[]string{"collect", "-o", "s.json", "--auth", "secret", "--tenant", "t", "--client-id", "c"}, nil, "AZURE_CLIENT_SECRET, which is not set"},
		{[]string{"collect", "-o", "s.json", "--client-id", "c"}, nil, "--client-id needs --auth secret"},
		{[]string{"collect", "-o", "s.json", "--secret", "x"}, nil, "unknown flag: --secret"},
		{[]string{"collect", "-o", "s.json", "--timeout", "0s"}, nil, "--timeout 0s: expected a positive duration"},
		{[]string{"collect", "-o", "s.json", "--timeout", "soon"}, nil, `invalid argument "soon" for "--timeout"`},
		{[]string{"check", "--demo", "--timeout", "0s"}, nil, "--timeout 0s: expected a positive duration"},
		{[]string{"check", "--demo", "--cloud", "usgov"}, nil, "--cloud is for live collection, without --snapshot or --demo"},
		{[]string{"check", "--snapshot", "x.json", "--auth", "none"}, nil, "--auth is for live collection"},
		{[]string{"check", "--auth", "none"}, nil, "--auth none needs --endpoint"},
		// The config is read before collecting (nothing listens on port 9).
		{[]string{"check", "--auth", "none", "--endpoint", "http://127.0.0.1:9", "--config", "nope.yaml"}, nil, "nope.yaml"},
		{[]string{"collect", "-o", "s.json", "--auth", "none", "--endpoint", "http://127.0.0.1:9", "--config", "nope.yaml"}, nil, "nope.yaml"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, code := runIn(t, tt.vars, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and one line containing %q", code, stderr, stdout, tt.want)
			}
		})
	}
}

// findingStatuses reads rule id -> status from a JSON result.
func findingStatuses(t *testing.T, data string) map[string]string {
	t.Helper()
	var res checkResult
	if err := json.Unmarshal([]byte(data), &res); err != nil {
		t.Fatalf("result JSON: %v", err)
	}
	out := map[string]string{}
	for _, f := range res.Findings {
		out[f.RuleID] = f.Status
	}
	return out
}

// startSimHTTP serves snap over plain HTTP; its service limits run on a sim.SteppingClock
// (checked, never reached), unless opts brings a clock.
func startSimHTTP(t *testing.T, snap *snapshot.Snapshot, opts sim.Options) string {
	t.Helper()
	opts.NoAuth = true
	if opts.Now == nil {
		opts.Now = sim.SteppingClock()
	}
	r, err := sim.StartHTTP(snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r.URL
}

func TestCollectThenCheck(t *testing.T) {
	snap := loadTestSnapshot(t, "weak")
	url := startSimHTTP(t, snap, sim.Options{PageSize: 4})
	out := filepath.Join(t.TempDir(), "weak.json")
	if _, stderr, code := runIn(t, nil, "collect", "--auth", "none", "--endpoint", url, "--output", out); code != 0 {
		t.Fatalf("collect: exit %d: %s", code, stderr)
	}
	got, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("snapshot mode %v, want 0600", info.Mode().Perm())
	}
	if got.Tenant.ID != snap.Tenant.ID || got.Generator.Name != "posture" || got.CollectedAt.IsZero() {
		t.Errorf("envelope %+v %+v %v", got.Tenant, got.Generator, got.CollectedAt)
	}

	cfg := testdataPath("configs", "weak.yaml")
	fileOut, _, fileCode := runIn(t, nil, "check", "--snapshot", testdataPath("snapshots", "weak.json"), "--config", cfg, "--format", "json")
	for _, args := range [][]string{
		{"check", "--snapshot", out, "--config", cfg, "--format", "json"},
		{"check", "--auth", "none", "--endpoint", url, "--config", cfg, "--format", "json"},
	} {
		stdout, stderr, code := runIn(t, nil, args...)
		if code != fileCode {
			t.Errorf("%v: exit %d, want %d as for the file (stderr: %s)", args, code, fileCode, stderr)
		}
		want, have := findingStatuses(t, fileOut), findingStatuses(t, stdout)
		if len(want) == 0 || len(want) != len(have) {
			t.Fatalf("%v: %d findings, want %d", args, len(have), len(want))
		}
		for id, w := range want {
			if have[id] != w {
				t.Errorf("%v: %s is %s, want %s", args, id, have[id], w)
			}
		}
	}
}

// TestCollectOutputKinds writes the snapshot to stdout with --output -, and through a symbolic
// link to the file it points at, the link kept.
func TestCollectOutputKinds(t *testing.T) {
	snap := loadTestSnapshot(t, "weak")
	url := startSimHTTP(t, snap, sim.Options{PageSize: 50})
	stdout, stderr, code := runIn(t, nil, "collect", "--auth", "none", "--endpoint", url, "--output", "-")
	if code != 0 {
		t.Fatalf("collect --output -: exit %d: %s", code, stderr)
	}
	got, err := snapshot.Parse("stdout", []byte(stdout))
	if err != nil || got.Tenant.ID != snap.Tenant.ID {
		t.Fatalf("stdout is not the tenant's snapshot: %v", err)
	}

	dir := t.TempDir()
	target := filepath.Join(dir, "snapshots", "weak.json")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink(target, link); err != nil { // dangling: collect creates the file
		t.Fatal(err)
	}
	if _, stderr, code := runIn(t, nil, "collect", "--auth", "none", "--endpoint", url, "--output", link); code != 0 {
		t.Fatalf("collect --output link: exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link (%v)", link, err)
	}
	if fi, err := os.Stat(target); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, want a new file with mode 0600", target, err)
	}
	if got, err := snapshot.Load(target); err != nil || got.Tenant.ID != snap.Tenant.ID {
		t.Errorf("%s is not the tenant's snapshot: %v", target, err)
	}
}

// TestInjectedForbidden: a missing permission on one endpoint, or on one Exchange cmdlet, makes
// its source forbidden (the message names the permission), the rules that require it error,
// and check exits 2.
func TestInjectedForbidden(t *testing.T) {
	snap := loadTestSnapshot(t, "hardened")
	cfg := testdataPath("configs", "hardened.yaml")
	if _, stderr, code := runIn(t, nil, "check", "--snapshot", testdataPath("snapshots", "hardened.json"), "--config", cfg); code != 0 {
		t.Fatalf("the hardened tenant must pass as a file (exit %d: %s)", code, stderr)
	}
	eng, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, fail, key, want string
	}{
		{"Graph", "/v1.0/identity/conditionalAccess/policies", "entra.conditionalAccessPolicies",
			"posture check: warning: entra.conditionalAccessPolicies forbidden: needs Policy.Read.All (403 Authorization_RequestDenied"},
		{"InvokeCommand", sim.FailCmdletPrefix + "Get-OrganizationConfig", "exchange.organizationConfig",
			"posture check: warning: exchange.organizationConfig forbidden: needs the Office 365 Exchange Online application permission Exchange.ManageAsApp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := startSimHTTP(t, snap, sim.Options{Fail: map[string]int{tt.fail: 403}})
			stdout, stderr, code := runIn(t, nil, "check", "--auth", "none", "--endpoint", url, "--config", cfg, "--format", "json")
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr: %s", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
			if tt.name == "InvokeCommand" && !strings.Contains(stderr, "Global Reader role") {
				t.Errorf("stderr does not name the Global Reader role:\n%s", stderr)
			}
			st := findingStatuses(t, stdout)
			n := 0
			for _, r := range eng.Rules() {
				for _, k := range r.Requires {
					if k == tt.key {
						n++
						if st[r.ID] != "error" {
							t.Errorf("%s requires %s: %s, want error", r.ID, k, st[r.ID])
						}
					}
				}
			}
			if n == 0 {
				t.Errorf("no rule requires %s; the test tests nothing", tt.key)
			}
		})
	}
}

// TestNoSecretOrTokenLeaks runs collect and check live with --verbose against the simulator
// behind a TLS front that records every bearer token, and searches every output for the
// client secret and the tokens.
func TestNoSecretOrTokenLeaks(t *testing.T) {
	const secret = "posture-cli-secret-c0ffee-5e7a-never-print"
	const clientID = "22222222-3333-4444-8555-666666666666"
	snap := loadTestSnapshot(t, "hardened")
	s, err := sim.New(snap, sim.Options{ClientID: clientID, ClientSecret: secret, ThrottleRate: 0.2, RetryAfter: -1, Seed: 9, Now: sim.SteppingClock()})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu        sync.Mutex
		tokens    = map[string]bool{}
		exoTokens = map[string]bool{}
	)
	front := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			mu.Lock()
			tokens[strings.TrimPrefix(a, "Bearer ")] = true
			if strings.HasPrefix(r.URL.Path, "/adminapi/") {
				exoTokens[strings.TrimPrefix(a, "Bearer ")] = true
			}
			mu.Unlock()
		}
		s.Handler().ServeHTTP(w, r)
	}))
	defer front.Close()
	// The simulator's DNS on a port of its own, named with --dns (the front's port has none).
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = s.ServeDNS(ctx, pc) }()
	dir := t.TempDir()
	ca := filepath.Join(dir, "sim.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: front.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"AZURE_CLIENT_SECRET": secret}
	live := []string{"--auth", "secret", "--tenant", snap.Tenant.ID, "--client-id", clientID, "--endpoint", front.URL, "--ca-file", ca, "--verbose",
		"--dns", pc.LocalAddr().String()}
	snapOut, reportOut := filepath.Join(dir, "s.json"), filepath.Join(dir, "r.json")

	var outputs []string
	stdout, stderr, code := runIn(t, vars, append([]string{"collect", "--output", snapOut}, live...)...)
	if code != 0 {
		t.Fatalf("collect: exit %d: %s", code, stderr)
	}
	outputs = append(outputs, stdout, stderr)
	if !strings.Contains(stderr, "graph: GET /v1.0/users?") || !strings.Contains(stderr, " 429 ") ||
		!strings.Contains(stderr, "exo: POST /adminapi/beta/"+snap.Tenant.ID+"/InvokeCommand Get-OrganizationConfig ") {
		t.Errorf("--verbose logged no requests or retries:\n%s", stderr)
	}
	for _, format := range []string{"json", "text"} {
		stdout, stderr, code = runIn(t, vars, append([]string{"check", "--format", format, "--output", reportOut, "--config", testdataPath("configs", "hardened.yaml")}, live...)...)
		if code != 0 {
			t.Fatalf("check: exit %d: %s", code, stderr)
		}
		report, err := os.ReadFile(reportOut)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, stdout, stderr, string(report))
	}
	data, err := os.ReadFile(snapOut)
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(data))

	mu.Lock()
	defer mu.Unlock()
	if len(tokens) == 0 || len(exoTokens) == 0 {
		t.Fatal("no Graph or Exchange request carried a token; the test tests nothing")
	}
	for tok := range exoTokens {
		if len(tokens) == len(exoTokens) || tok == "" {
			t.Fatalf("Graph and Exchange Online got the same tokens; want one per audience")
		}
	}
	needles := []string{secret, "Bearer ", "Authorization:"}
	for tok := range tokens {
		needles = append(needles, tok)
	}
	for i, out := range outputs {
		for _, n := range needles {
			if strings.Contains(out, n) {
				t.Errorf("output %d contains %q", i, n)
			}
		}
	}
}

// TestFailedSources: sources that failed alike share one warning line, in key order; sources
// that got no answer share one by why, whatever their request; ok, unlicensed and skipped
// sources are not warned about.
func TestFailedSources(t *testing.T) {
	const refused = "needs Exchange.ManageAsApp"
	const gone = "dial tcp 127.0.0.1:9: connect: connection refused"
	tests := []struct {
		name    string
		sources []collect.SourceReport // in key order, as a report has them
		want    []string
	}{
		{"none failed", []collect.SourceReport{
			{Key: "entra.users", Status: snapshot.StatusOK},
			{Key: "entra.riskyUsers", Status: snapshot.StatusUnlicensed, Message: "needs Entra ID P2"},
			{Key: "exchange.dns", Status: snapshot.StatusSkipped, Message: "--dns off"},
		}, nil},
		{"same failure grouped", []collect.SourceReport{
			{Key: "entra.users", Status: snapshot.StatusError, Message: "503 after 5 retries"},
			{Key: "exchange.organizationConfig", Status: snapshot.StatusForbidden, Message: refused},
			{Key: "exchange.transportConfig", Status: snapshot.StatusForbidden, Message: refused},
		}, []string{
			"entra.users error: 503 after 5 retries",
			"exchange.organizationConfig, exchange.transportConfig forbidden: " + refused,
		}},
		{"same message, other status", []collect.SourceReport{
			{Key: "entra.users", Status: snapshot.StatusError, Message: "x"},
			{Key: "entra.groups", Status: snapshot.StatusForbidden, Message: "x"},
		}, []string{"entra.users error: x", "entra.groups forbidden: x"}},
		{"no answer grouped by why", []collect.SourceReport{
			{Key: "entra.users", Status: snapshot.StatusOK},
			{Key: "entra.riskyUsers", Status: snapshot.StatusError, Message: "GET /v1.0/identityProtection/riskyUsers: " + gone, NoAnswer: gone},
			{Key: "exchange.transportConfig", Status: snapshot.StatusError, Message: "InvokeCommand Get-TransportConfig: " + gone, NoAnswer: gone},
			{Key: "secureScore.scores", Status: snapshot.StatusError, Message: "GET /v1.0/security/secureScores: no answer within 1m40s", NoAnswer: "no answer within 1m40s"},
		}, []string{
			"entra.riskyUsers, exchange.transportConfig error: " + gone,
			"secureScore.scores error: no answer within 1m40s",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failedSources(&collect.Report{Sources: tt.sources})
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("failedSources =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
