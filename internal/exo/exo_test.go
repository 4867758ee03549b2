package exo_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/m365posture/posture/internal/exo"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

const (
	tenantID = "7e000000-0009-4000-8000-000000000000"
	clientID = "11111111-2222-4333-8444-555555555555"
	secret   = "exo-test-secret-do-not-log"
)

// tenant is a snapshot with seven transport rules, an organization config, and Safe Links
// recorded as unlicensed.
func tenant(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	var rules []string
	for i := range 7 {
		rules = append(rules, fmt.Sprintf(`{"Identity":"Rule %d","Priority":%d,"State":"Enabled","SentToScope":null}`, i, i))
	}
	doc := `{"schemaVersion":1,"tenant":{"id":"` + tenantID + `","displayName":"Exo Test","defaultDomain":"exotest.com"},
	"sources":{"exchange.transportRules":{"status":"ok","count":7},"exchange.organizationConfig":{"status":"ok"},
	  "exchange.safeLinksPolicies":{"status":"unlicensed","message":"needs Microsoft Defender for Office 365 Plan 1"}},
	"exchange":{"transportRules":[` + strings.Join(rules, ",") + `],"organizationConfig":{"Identity":"exotest.onmicrosoft.com","AuditDisabled":false}}}`
	s, err := snapshot.Parse("exo test tenant", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// client signs in with azidentity's client secret credential at the simulator (or at front,
// a server in front of it) and returns an Exchange Online client and the Graph client under it.
func client(t *testing.T, run *sim.Running, front *httptest.Server) (*exo.Client, *graph.Client) {
	t.Helper()
	endpoint, transport := run.URL, run.Client().Transport
	if front != nil {
		endpoint, transport = front.URL, front.Client().Transport
	}
	gc, err := graph.New(graph.Options{Auth: graph.AuthSecret, TenantID: tenantID, ClientID: clientID,
		Getenv:   func(k string) string { return map[string]string{graph.EnvClientSecret: secret}[k] },
		Endpoint: endpoint, Transport: transport})
	if err != nil {
		t.Fatal(err)
	}
	c, err := exo.New(gc, exo.Options{TenantID: tenantID, InitialDomain: "exotest.onmicrosoft.com"})
	if err != nil {
		t.Fatal(err)
	}
	return c, gc
}

func start(t *testing.T, opts sim.Options) *sim.Running {
	t.Helper()
	opts.ClientID, opts.ClientSecret = clientID, secret
	run, err := sim.Start(tenant(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	return run
}

// TestInvokePages: every page arrives, whatever the page size and throttling, and rows keep the
// cmdlet's property names without OData annotations.
func TestInvokePages(t *testing.T) {
	want := tenant(t).Exchange["transportRules"]
	tests := []struct {
		name      string
		opts      sim.Options
		wantPages int
	}{
		{"one page", sim.Options{PageSize: 1000}, 1},
		{"page size 3", sim.Options{PageSize: 3}, 3},
		{"page size 3, throttled 0.1", sim.Options{PageSize: 3, ThrottleRate: 0.1, RetryAfter: -1, Seed: 7}, 3},
		{"every first attempt throttled", sim.Options{PageSize: 2, ThrottleRate: 0.999, RetryAfter: -1}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := start(t, tt.opts)
			c, gc := client(t, run, nil)
			rows, pages, err := c.Invoke(context.Background(), "Get-TransportRule", nil)
			if err != nil {
				t.Fatal(err)
			}
			if pages != tt.wantPages {
				t.Errorf("%d pages, want %d", pages, tt.wantPages)
			}
			got := make([]any, len(rows))
			for i, r := range rows {
				got[i] = r
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("rows differ:\n got %v\nwant %v", got, want)
			}
			st := run.Server.Stats()
			if tt.opts.ThrottleRate > 0 && (st.Throttled == 0 || gc.Stats().Throttled == 0) {
				t.Errorf("nothing was throttled (server %d, client %d)", st.Throttled, gc.Stats().Throttled)
			}
		})
	}
}

// TestInvokeFailsWhole: a page that fails fails the whole cmdlet; no short list comes back.
func TestInvokeFailsWhole(t *testing.T) {
	run := start(t, sim.Options{PageSize: 3})
	front := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "skiptoken") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error":{"code":"InternalServerError","message":"An internal server error occurred."}}`)
			return
		}
		run.Server.Handler().ServeHTTP(w, r)
	}))
	front.StartTLS()
	t.Cleanup(front.Close)
	c, _ := client(t, run, front)
	rows, pages, err := c.Invoke(context.Background(), "Get-TransportRule", nil)
	if err == nil || rows != nil || pages != 1 {
		t.Fatalf("Invoke() = %d rows, %d pages, %v; want no rows and the second page's error", len(rows), pages, err)
	}
	if msg := exo.Message(err); !strings.Contains(msg, "500 InternalServerError: An internal server error occurred.") {
		t.Errorf("Message() = %q", msg)
	}
}

// TestInvokeErrors: the simulator's answers for an unlicensed cmdlet, an injected 403 and an
// unknown cmdlet, as the client sees them.
func TestInvokeErrors(t *testing.T) {
	tests := []struct {
		name, cmdlet string
		fail         map[string]int
		notAvailable bool
		status       int
	}{
		{"unlicensed", "Get-SafeLinksPolicy", nil, true, 400},
		{"unknown cmdlet", "Get-Mailbox", nil, true, 400},
		{"injected 403 on one cmdlet", "Get-OrganizationConfig", map[string]int{sim.FailCmdletPrefix + "Get-OrganizationConfig": 403}, false, 403},
		{"injected 401 on the API", "Get-TransportRule", map[string]int{"/adminapi": 401}, false, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := client(t, start(t, sim.Options{Fail: tt.fail}), nil)
			_, _, err := c.Invoke(context.Background(), tt.cmdlet, nil)
			var ge *graph.Error
			if !asError(err, &ge) || ge.Status != tt.status || exo.NotAvailable(err) != tt.notAvailable {
				t.Fatalf("Invoke(%s) error %v; want status %d, not available %v", tt.cmdlet, err, tt.status, tt.notAvailable)
			}
			if tt.notAvailable && !strings.Contains(exo.Message(err), "The term '"+tt.cmdlet+"' is not recognized") {
				t.Errorf("Message() = %q", exo.Message(err))
			}
		})
	}
	// The other cmdlets of a tenant with a failed one still answer.
	c, _ := client(t, start(t, sim.Options{Fail: map[string]int{sim.FailCmdletPrefix + "Get-TransportRule": 403}}), nil)
	if rows, _, err := c.Invoke(context.Background(), "Get-OrganizationConfig", nil); err != nil || len(rows) != 1 || rows[0]["AuditDisabled"] != false {
		t.Errorf("Get-OrganizationConfig = %v, %v", rows, err)
	}
}

// TestGraphTokenIsNotExchanges: the simulator takes only tokens issued for Exchange Online's
// audience on InvokeCommand.
func TestGraphTokenIsNotExchanges(t *testing.T) {
	run := start(t, sim.Options{})
	_, gc := client(t, run, nil)
	// A Graph client whose "Exchange" service asks for Graph's scope.
	svc, err := gc.Service("exo", "https://outlook.office365.com", gc.Cloud().Scope())
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Post(context.Background(), "/adminapi/beta/"+tenantID+"/InvokeCommand", nil,
		[]byte(`{"CmdletInput":{"CmdletName":"Get-OrganizationConfig","Parameters":{}}}`))
	var ge *graph.Error
	if !asError(err, &ge) || ge.Status != 401 {
		t.Fatalf("a Graph token on InvokeCommand: %v; want 401", err)
	}
}

// TestTenantSpecificHost: a tenant Exchange Online serves from a tenant-specific host (the
// simulator answers 302 to its own listener under the name localhost) is read there, with the
// token: whether SignIn's EXOModuleFile lookup found the host first or InvokeCommand itself
// answered with the redirect.
func TestTenantSpecificHost(t *testing.T) {
	want := tenant(t).Exchange["transportRules"]
	for _, signIn := range []bool{true, false} {
		t.Run(fmt.Sprintf("sign in first %v", signIn), func(t *testing.T) {
			var log strings.Builder
			run := start(t, sim.Options{ExchangeTenantHost: "localhost", PageSize: 3, Log: &syncWriter{w: &log}})
			c, _ := client(t, run, nil)
			if signIn {
				if err := c.SignIn(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			rows, pages, err := c.Invoke(context.Background(), "Get-TransportRule", nil)
			if err != nil {
				t.Fatalf("Invoke() = %v", err)
			}
			if len(rows) != len(want.([]any)) || pages != 3 {
				t.Errorf("%d rows in %d pages, want %d in 3", len(rows), pages, len(want.([]any)))
			}
			// Every InvokeCommand the tenant host answered was authorized (the simulator
			// answers 401 without an Exchange Online token), and at most one went to the
			// front door.
			redirects := strings.Count(log.String(), "/InvokeCommand 302") + strings.Count(log.String(), "EXOModuleFile 302")
			if redirects != 1 || strings.Contains(log.String(), " 401 ") {
				t.Errorf("want exactly one redirect and no 401:\n%s", log.String())
			}
		})
	}
}

// TestRedirectToForeignHostGetsNoToken: when the admin API redirects to a host that is not
// Exchange Online's (here another server on loopback), posture does not follow: the foreign
// host receives nothing, so never a token, and the cmdlet fails with an error that says why.
func TestRedirectToForeignHostGetsNoToken(t *testing.T) {
	var hits, withToken int
	var mu sync.Mutex
	foreign := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		if r.Header.Get("Authorization") != "" {
			withToken++
		}
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(foreign.Close)
	run := start(t, sim.Options{ExchangeTenantHost: strings.TrimPrefix(foreign.URL, "https://")})
	c, _ := client(t, run, nil)
	if err := c.SignIn(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Invoke(context.Background(), "Get-OrganizationConfig", nil)
	if err == nil || !strings.Contains(err.Error(), "is not a host of") {
		t.Fatalf("Invoke() = %v; want a redirect that is not followed", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits != 0 || withToken != 0 {
		t.Errorf("the foreign host got %d requests, %d with a token", hits, withToken)
	}
}

// TestTenantBase: the tenant-specific host a front door's redirect names. In a cloud only the
// first label of the Location is used, on the front door's domain, so the token stays with
// Exchange Online whatever the Location says.
func TestTenantBase(t *testing.T) {
	front, _ := url.Parse("https://outlook.office365.com")
	dod, _ := url.Parse("https://outlook-dod.office365.us")
	sim, _ := url.Parse("https://127.0.0.1:8443")
	tests := []struct {
		name     string
		front    *url.URL
		loc      string
		endpoint bool
		want     string
	}{
		{"regional host on port 446", front, "https://nam12b.outlook.office365.com:446/adminapi/beta/t/InvokeCommand", false, "https://nam12b.outlook.office365.com"},
		{"regional host elsewhere", front, "https://nam12b.prod.outlook.com/AdminApi/v1.0/t/EXOModuleFile", false, "https://nam12b.outlook.office365.com"},
		{"foreign host stays on Exchange Online's domain", front, "https://evil.example/steal", false, "https://evil.outlook.office365.com"},
		{"the front door itself", front, "https://outlook.office365.com/adminapi/beta/t/InvokeCommand", false, "https://outlook.office365.com"},
		{"DoD", dod, "https://usdod01.outlook-dod.office365.us:446/x", false, "https://usdod01.outlook-dod.office365.us"},
		{"endpoint: as given", sim, "https://localhost:8443/adminapi/beta/t/InvokeCommand", true, "https://localhost:8443"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := tt.front.Parse(tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			if got := exo.TenantBase(tt.front, loc, tt.endpoint); got != tt.want {
				t.Errorf("TenantBase(%s) = %s, want %s", tt.loc, got, tt.want)
			}
		})
	}
}

// syncWriter serializes writes: the simulator logs from concurrent handlers.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
