package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
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
		{"/users?$select=id,signInActivity&$top=999", 1}, // users 2, $select -1
		{"/users", 2},
		{"/users/0f7a?$select=id,signInActivity", 1}, // any other path 1, $select -1, never under 1
		{"/groups/g1/transitiveMembers/microsoft.graph.user?$select=id&$top=999", 4},
		{"/groups/g1/members", 3},
		{"/subscribedSkus", 3},
		{"/oauth2PermissionGrants", 2},
		{"/oauth2PermissionGrants?$top=5", 1},    // $top under 20 -1
		{"/servicePrincipals?$expand=owners", 2}, // 1 + $expand
		{"/roleManagement/directory/roleAssignments", 1},
		{"/groupSettings", 1},
		{"/policies/authorizationPolicy", 1},
		{"/identity/conditionalAccess/policies", 0}, // another service
		{"/deviceManagement/managedDevices", 0},
		{"/roleManagement/entitlementManagement/x", 0},
		{"/reports/authenticationMethods/userRegistrationDetails", 0},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			path, raw, _ := strings.Cut(tt.target, "?")
			q, _ := url.ParseQuery(raw)
			if got := directoryCost(strings.ToLower(path), q); got != tt.want {
				t.Errorf("directoryCost(%s) = %d, want %d", tt.target, got, tt.want)
			}
		})
	}
}

// TestFamilies: each request the collectors send lands in the family Microsoft documents for it.
func TestFamilies(t *testing.T) {
	tests := []struct {
		target string
		want   []string
	}{
		{"/identity/conditionalAccess/policies", []string{"identity protection and conditional access"}},
		{"/identity/conditionalAccess/namedLocations", []string{"identity protection and conditional access"}},
		{"/identityProtection/riskyUsers", []string{"identity protection and conditional access"}},
		{"/auditLogs/signIns", []string{"identity and access reports"}},
		{"/users?$select=id", []string{"identity and access"}},
		{"/deviceManagement/deviceConfigurations?$expand=assignments", []string{"Intune device configuration"}},
		{"/deviceManagement/deviceCompliancePolicies", []string{"Intune device configuration"}},
		{"/deviceManagement?$select=settings", []string{"Intune device configuration"}},
		{"/deviceManagement/configurationPolicies/p1/settings", []string{"Intune device config v2"}},
		{"/deviceManagement/intents/i1/settings", []string{"Intune device intent"}},
		{"/deviceManagement/managedDevices?$select=id", []string{"Intune devices"}},
		{"/security/secureScores?$top=90", []string{"security alerts, actions and secure score", "secure score"}},
		{"/security/secureScoreControlProfiles", []string{"secure score"}},
		{"/reports/authenticationMethods/userRegistrationDetails", nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			var got []string
			for i := range costs([]string{tt.target}) {
				got = append(got, families[i].name)
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

// TestPacerReserve: with a fake clock, each step reserves its requests (sent together, as in a
// $batch) after the clock advanced by `after`, and must be booked `want` after the start.
func TestPacerReserve(t *testing.T) {
	const m = paceMargin
	ca := "/identity/conditionalAccess/policies"
	type step struct {
		after   time.Duration // clock advance before this step
		targets []string
		want    time.Duration // booked instant, from the start
		err     string
	}
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
			{targets: []string{"/users/u2?$select=id"}, want: time.Second + m}, // after the batch: reservations stay in order
		}},
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

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestPacingOnTheWire: concurrent requests of the Conditional Access and Identity Protection
// family, directly and inside $batch, reach the server at least a second apart (the documented
// limit is one request per second per tenant), while other requests are not held back.
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
			body = `{"responses":[{"id":"0","status":200,"body":{"value":[]}}]}`
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
	// Two such items in one $batch are refused before anything is sent.
	if _, err := c.Batch(ctx, "v1.0", []BatchRequest{{URL: "/identityProtection/riskyUsers"}, {URL: "/identity/conditionalAccess/policies"}}); err == nil {
		t.Error("a $batch with two Conditional Access items was sent")
	}
	mu.Lock()
	defer mu.Unlock()
	times := append(append([]time.Time(nil), arrived["ca"]...), arrived["batch"]...)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if len(times) != 4 || len(arrived["batch"]) != 1 {
		t.Fatalf("arrivals: %d of the family, %d $batch; want 3 and 1", len(arrived["ca"]), len(arrived["batch"]))
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
