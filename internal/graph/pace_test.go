package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDirectoryCost(t *testing.T) {
	tests := []struct {
		target string
		want   int
	}{
		{"/users?$select=id,signInActivity&$top=500", 1}, // users 2, $select -1
		{"/users", 2},
		{"/users/0f7a?$select=id,signInActivity", 1}, // any other path 1, $select -1, never under 1
		{"/users/0f7a/memberOf", 2},
		{"/me/transitiveMemberOf", 2}, // as users/{id}/transitiveMemberOf
		{"/me", 1},
		{"/groups/g1/transitiveMembers/microsoft.graph.user?$select=id&$top=999", 4},
		{"/groups/g1/members", 3},
		{"/subscribedSkus", 3},
		{"/contracts", 3},
		{"/applications", 2},
		{"/applications/a1/extensionProperties", 2},
		{"/domains/contoso.com/domainNameReferences", 4},
		{"/servicePrincipals/s1/appRoleAssignments", 2},
		{"/oauth2PermissionGrants", 2},
		{"/oauth2PermissionGrants/g1", 2},
		{"/oauth2PermissionGrants?$top=5", 1},    // $top under 20 -1
		{"/servicePrincipals?$expand=owners", 2}, // 1 + $expand
		{"/roleManagement/directory/roleAssignments", 1},
		{"/groupSettings", 1},
		{"/devices", 1},
		{"/policies/authorizationPolicy", 1},
		{"/identity/conditionalAccess/policies", 0}, // another service
		{"/deviceManagement/managedDevices", 0},
		{"/roleManagement/entitlementManagement/x", 0},
		{"/reports/authenticationMethods/userRegistrationDetails", 0},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			path, q := splitTarget(tt.target)
			if got := directoryCost(path, q); got != tt.want {
				t.Errorf("directoryCost(%s) = %d, want %d", tt.target, got, tt.want)
			}
		})
	}
}

// TestPaces: each request the collectors send lands in the families Microsoft documents for it.
func TestPaces(t *testing.T) {
	const (
		dir     = "identity and access"
		reports = "identity and access reports"
		signIn  = "signInActivity"
		ca      = "identity protection and conditional access"
	)
	tests := []struct {
		target string
		want   []string
	}{
		{"/identity/conditionalAccess/policies", []string{ca}},
		{"/identity/conditionalAccess/namedLocations", []string{ca}},
		{"/identityProtection/riskyUsers", []string{ca}},
		{"/auditLogs/signIns", []string{reports}},
		{"/reports/authenticationMethods/userRegistrationDetails?$top=999", []string{reports}},
		{"/users?$select=id", []string{dir}},
		{"/users?$select=id,signInActivity&$top=500", []string{dir, reports, signIn}},
		{"/users/u1?$select=id,signInActivity", []string{dir, reports, signIn}},
		{"/users?$filter=signInActivity/lastSignInDateTime le 2026-01-01T00:00:00Z", []string{dir, reports, signIn}},
		{"/groups?$select=signInActivity", []string{dir}}, // only users carry it
		{"/deviceManagement/deviceConfigurations?$expand=assignments", []string{"Intune device configuration"}},
		{"/deviceManagement/deviceCompliancePolicies", []string{"Intune device configuration"}},
		{"/deviceManagement?$select=settings", []string{"Intune device configuration"}},
		{"/deviceManagement/configurationPolicies/p1/settings", []string{"Intune device config v2"}},
		{"/deviceManagement/intents/i1/settings", []string{"Intune device intent"}},
		{"/deviceManagement/managedDevices?$select=id", []string{"Intune devices"}},
		{"/security/secureScores?$top=90", []string{"security alerts, actions and secure score", "secure score and control profiles"}},
		{"/security/secureScoreControlProfiles", []string{"secure score and control profiles"}},
		{"/organization", []string{dir}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			var got []string
			for _, p := range Paces(tt.target, 10) {
				got = append(got, p.Family)
			}
			sort.Strings(got)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("families of %s = %v, want %v", tt.target, got, want)
			}
		})
	}
}

// fakeClock is a pacer clock that moves only when told to.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// step is one reservation of TestPacerReserve.
type step struct {
	after   time.Duration // clock advance before this step
	targets []string
	want    time.Duration // booked instant, from the start
	err     string
}

// TestPacerReserve: with a fake clock, each step reserves its requests (sent together, as in a
// $batch) after the clock advanced by `after`, and must be booked `want` after the start.
func TestPacerReserve(t *testing.T) {
	const m = paceMargin
	ca := "/identity/conditionalAccess/policies"
	reports := func(n int) []step {
		var s []step
		for range n {
			s = append(s, step{targets: []string{"/auditLogs/signIns"}})
		}
		return s
	}
	sixReports := reports(6)
	sixReports[5].want = 10*time.Second + m
	tests := []struct {
		name  string
		steps []step
	}{
		{"conditional access, named locations and risky users a second apart", []step{
			{targets: []string{ca}},
			{targets: []string{"/identity/conditionalAccess/namedLocations"}, want: time.Second + m},
			{targets: []string{"/identityProtection/riskyUsers"}, want: 2 * (time.Second + m)},
		}},
		{"other families do not wait", []step{
			{targets: []string{ca}},
			{targets: []string{"/users?$select=id"}},
			{targets: []string{"/deviceManagement/managedDevices"}},
		}},
		{"a request after the window goes at once", []step{
			{targets: []string{ca}},
			{after: 2 * time.Second, targets: []string{ca}, want: 2 * time.Second},
		}},
		{"a request inside the window waits for the rest of it", []step{
			{targets: []string{ca}},
			{after: 300 * time.Millisecond, targets: []string{ca}, want: time.Second + m},
		}},
		{"five reports per ten seconds, the sixth waits", sixReports},
		{"two conditional access items in one $batch can never be sent", []step{
			{targets: []string{ca, "/identity/conditionalAccess/namedLocations"}, err: "2 requests of identity protection and conditional access in one $batch exceed its limit of 1 per 1s"},
		}},
		{"a $batch waits for the family of any of its items", []step{
			{targets: []string{ca}},
			{targets: []string{"/users/u1?$select=id", "/identityProtection/riskyUsers"}, want: time.Second + m},
			{targets: []string{"/users/u2?$select=id"}}, // the directory has room now: it does not queue behind the $batch
		}},
		{"a request fills the gap before a $batch booked for later", []step{
			{targets: repeat("/auditLogs/signIns", 3)},
			{targets: repeat("/auditLogs/directoryAudits", 5), want: 10*time.Second + m}, // needs a window of its own
			{targets: []string{"/auditLogs/signIns"}},                                    // 4 in the first window
			{targets: []string{"/auditLogs/signIns"}},                                    // 5
			{targets: []string{"/auditLogs/signIns"}, want: 2 * (10*time.Second + m)},    // after the $batch's window
		}},
		{"signInActivity: ten per minute on top of five reports per ten seconds", append(
			repeatStep(step{targets: []string{"/users/u?$select=id,signInActivity"}}, 5),
			append(repeatStep(step{targets: []string{"/users/u?$select=id,signInActivity"}, want: 10*time.Second + m}, 5),
				step{targets: []string{"/users?$select=id,signInActivity&$top=500"}, want: time.Minute + m},
				step{targets: []string{"/auditLogs/signIns"}, want: 2 * (10*time.Second + m)}, // a report still fits before it
			)...)},
		{"directory resource units: a full bucket waits", []step{
			{targets: repeat("/groups/g/transitiveMembers?$select=id", 20)}, // 20 x 4 = 80
			{targets: repeat("/subscribedSkus", 1100)},                      // 3,300: 3,380 in all
			{targets: repeat("/groups/g/members", 40)},                      // 120 more: 3,500 exactly, still fits
			// 80 more do not: they wait until the first 80 leave the window
			{targets: repeat("/users/u?$select=id", 80), want: 10*time.Second + m},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
			start := clock.t
			p := newPacer()
			p.now = clock.now
			for i, s := range tt.steps {
				clock.t = clock.t.Add(s.after)
				at, _, err := p.reserve(s.targets)
				switch {
				case s.err != "":
					if err == nil || err.Error() != s.err {
						t.Fatalf("step %d: error %v, want %q", i, err, s.err)
					}
				case err != nil:
					t.Fatalf("step %d: %v", i, err)
				case at.Sub(start) != s.want:
					t.Errorf("step %d: booked at +%s, want +%s", i, at.Sub(start), s.want)
				}
			}
		})
	}
}

// TestTenantUsers: the identity and access budget follows the tenant's size (S, M, L).
func TestTenantUsers(t *testing.T) {
	tests := []struct {
		users, fits int // fits: how many cost-1 requests go at once
	}{{10, 3500}, {50, 5000}, {500, 5000}, {501, 8000}, {100000, 8000}}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.users), func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
			c := &Client{pacer: newPacer()}
			c.pacer.now = clock.now
			c.TenantUsers(tt.users)
			at, _, err := c.pacer.reserve(repeat("/users/u?$select=id", tt.fits))
			if err != nil || !at.Equal(clock.t) {
				t.Fatalf("%d requests: at %s, %v; want at once", tt.fits, at, err)
			}
			if at, _, _ := c.pacer.reserve([]string{"/users/u?$select=id"}); !at.After(clock.t) {
				t.Errorf("request %d went at once, want it to wait", tt.fits+1)
			}
		})
	}
}

func repeatStep(s step, n int) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestPacingOnTheWire: concurrent requests of the Conditional Access and Identity Protection
// family, directly and inside $batch, reach the server at least a second apart (the documented
// limit is one request per second per tenant), while other requests are not held back; a
// Batch call with two of them sends two $batch requests.
func TestPacingOnTheWire(t *testing.T) {
	var (
		mu      sync.Mutex
		arrived = map[string][]time.Time{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		family := "other"
		if strings.Contains(r.URL.Path, "conditionalAccess") || strings.Contains(r.URL.Path, "identityProtection") {
			family = "ca"
		}
		body := `{"value":[]}`
		if strings.HasSuffix(r.URL.Path, "$batch") {
			family = "batch"
			var req struct{ Requests []struct{ ID string } }
			_ = json.NewDecoder(r.Body).Decode(&req)
			var answers []string
			for _, it := range req.Requests {
				answers = append(answers, `{"id":"`+it.ID+`","status":200,"body":{"value":[]}}`)
			}
			body = `{"responses":[` + strings.Join(answers, ",") + `]}`
		}
		mu.Lock()
		arrived[family] = append(arrived[family], time.Now())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	c, err := New(Options{Auth: AuthNone, Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	var wg sync.WaitGroup
	for _, p := range []string{"/v1.0/identity/conditionalAccess/policies", "/v1.0/identity/conditionalAccess/namedLocations", "/v1.0/identityProtection/riskyUsers"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := c.List(ctx, p); err != nil {
				t.Error(err)
			}
		}()
	}
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := c.List(ctx, "/v1.0/users?$select=id"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// A $batch carrying one item of the family is paced with it.
	if _, err := c.Batch(ctx, "v1.0", []BatchRequest{{URL: "/identityProtection/riskyUsers?$top=1"}}); err != nil {
		t.Fatal(err)
	}
	// Two such items in one call go in two $batch requests, a second apart.
	if _, err := c.Batch(ctx, "v1.0", []BatchRequest{{URL: "/identityProtection/riskyUsers"}, {URL: "/identity/conditionalAccess/policies"}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	times := append(append([]time.Time(nil), arrived["ca"]...), arrived["batch"]...)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if len(times) != 6 || len(arrived["batch"]) != 3 {
		t.Fatalf("arrivals: %d of the family, %d $batch; want 3 and 3", len(arrived["ca"]), len(arrived["batch"]))
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < time.Second {
			t.Errorf("requests %d and %d of the family arrived %s apart, want at least 1s", i-1, i, gap)
		}
	}
	for _, at := range arrived["other"] {
		if at.Sub(start) > 500*time.Millisecond {
			t.Errorf("a users request waited %s", at.Sub(start))
		}
	}
}

// TestSplit: a Batch call's items go in $batch requests of at most MaxBatch, and of no more of
// a family than its limit lets Graph take at once.
func TestSplit(t *testing.T) {
	signIn := "/users/u?$select=id,signInActivity"
	ca := "/identity/conditionalAccess/policies"
	tests := []struct {
		name    string
		targets []string
		want    []int // run lengths
	}{
		{"directory reads: MaxBatch each", repeat("/groups/g/transitiveMembers?$select=id", 45), []int{20, 20, 5}},
		{"signInActivity: five reports each", repeat(signIn, 12), []int{5, 5, 2}},
		{"Conditional Access: one each", []string{ca, "/users/u?$select=id", ca}, []int{2, 1}},
		{"none", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			next := 0
			for _, run := range newPacer().split(tt.targets, MaxBatch) {
				for _, i := range run {
					if i != next {
						t.Fatalf("runs %v do not keep the order", run)
					}
					next++
				}
				got = append(got, len(run))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("runs of %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPaced: the client reports what it sent per family and how long requests waited there.
func TestPaced(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	p := newPacer()
	p.now = clock.now
	p.sleep = func(_ context.Context, d time.Duration) error { clock.t = clock.t.Add(d); return nil }
	for _, targets := range [][]string{
		{"/identity/conditionalAccess/policies"},
		{"/identity/conditionalAccess/namedLocations"},
		{"/users?$select=id", "/users/u?$select=id"},
	} {
		if _, _, err := p.wait(context.Background(), targets); err != nil {
			t.Fatal(err)
		}
	}
	got := fmt.Sprint(p.stats())
	want := fmt.Sprint([]Paced{
		{Family: "identity and access", Limit: 3500, Window: 10 * time.Second, Cost: 2},
		{Family: "identity protection and conditional access", Limit: 1, Window: time.Second, Cost: 2, Waited: time.Second + paceMargin},
	})
	if got != want {
		t.Errorf("stats %s, want %s", got, want)
	}
}
