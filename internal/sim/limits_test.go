package sim

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// step is one request of a limits scenario: after moving the clock by advance, GET target
// and expect status, and the Retry-After header ("" for none).
type step struct {
	advance    time.Duration
	target     string
	status     int
	retryAfter string
}

func runSteps(t *testing.T, h http.Handler, clock *fakeClock, steps []step) {
	t.Helper()
	for i, st := range steps {
		clock.Add(st.advance)
		a := get(t, h, st.target)
		if a.status != st.status {
			t.Fatalf("step %d: GET %s: %d %s; want %d", i, st.target, a.status, a.raw, st.status)
		}
		if got := a.header.Get("Retry-After"); got != st.retryAfter {
			t.Errorf("step %d: GET %s: Retry-After %q; want %q", i, st.target, got, st.retryAfter)
		}
		if st.status == http.StatusTooManyRequests && (errorCode(a) != "TooManyRequests" || !strings.Contains(a.raw, "Please retry again later.")) {
			t.Errorf("step %d: 429 body %s; want Graph's TooManyRequests body", i, a.raw)
		}
	}
}

func TestServiceLimits(t *testing.T) {
	const (
		ok      = http.StatusOK
		limited = http.StatusTooManyRequests
	)
	ca := "/v1.0/identity/conditionalAccess/policies"
	nl := "/v1.0/identity/conditionalAccess/namedLocations"
	risky := "/v1.0/identityProtection/riskyUsers"
	reg := "/v1.0/reports/authenticationMethods/userRegistrationDetails"
	tests := []struct {
		name  string
		scale float64
		steps []step
	}{
		{"Conditional Access and Identity Protection: one request per second per tenant, no Retry-After", 0, []step{
			{0, ca, ok, ""},
			{0, nl, limited, ""}, // the same tenant limit, without Retry-After
			{500 * time.Millisecond, risky, limited, ""},
			{500 * time.Millisecond, risky, ok, ""},
			{time.Second, ca, ok, ""},
		}},
		{"a scaled window", 0.01, []step{
			{0, ca, ok, ""},
			{5 * time.Millisecond, nl, limited, ""},
			{5 * time.Millisecond, nl, ok, ""},
		}},
		{"reports: five requests per ten seconds, with Retry-After", 0, []step{
			{0, reg, ok, ""},
			{time.Second, reg, ok, ""},
			{time.Second, reg, ok, ""},
			{time.Second, reg, ok, ""},
			{time.Second, "/v1.0/users?$select=id,signInActivity&$top=500", ok, ""}, // signInActivity counts as a report
			{time.Second, reg, limited, "5"},                                        // the first frees at 10 s
			{500 * time.Millisecond, "/v1.0/users?$select=id,signInActivity", limited, "5"},
			{4500 * time.Millisecond, reg, ok, ""},
			{0, "/v1.0/users?$select=id", ok, ""}, // users without signInActivity are not a report
		}},
		{"signInActivity: ten requests per minute on top of the reports' five per ten seconds", 0, append(append(
			repeatStep(step{0, "/v1.0/users/" + hardenedUser + "?$select=id,signInActivity", ok, ""}, 5),
			step{0, "/v1.0/users?$select=id,signInActivity&$top=500", limited, "10"}, // the reports' five
			step{10 * time.Second, "/v1.0/users?$select=id,signInActivity&$top=500", ok, ""}),
			append(repeatStep(step{0, "/v1.0/users/" + hardenedUser + "?$select=id,signInActivity", ok, ""}, 4),
				step{10 * time.Second, "/v1.0/users?$select=id,signInActivity&$top=500", limited, "40"}, // the minute's ten
				step{0, reg, ok, ""}, // a report that is not signInActivity still goes
				step{40 * time.Second, "/v1.0/users?$select=id,signInActivity&$top=500", ok, ""})...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			h := newServer(t, load(t, "hardened.json"), Options{NoAuth: true, Now: clock.Now, LimitScale: tt.scale}).Handler()
			runSteps(t, h, clock, tt.steps)
		})
	}
}

// hardenedUser is a user of hardened.json.
const hardenedUser = "a1000000-0002-4000-8000-000000000001"

func repeatStep(s step, n int) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestServiceLimitsCountTheDirectorysResourceUnits(t *testing.T) {
	clock := newFakeClock()
	s := newServer(t, load(t, "hardened.json"), Options{NoAuth: true, Now: clock.Now, ClientID: "11111111-2222-4333-8444-555555555555"})
	h := s.Handler()
	// hardened has under 50 users: 3500 resource units per 10 seconds. GET /users costs 2,
	// less 1 with $select: 3500 requests with $select fit, the next does not.
	for i := 0; i < 3500; i++ {
		if a := get(t, h, "/v1.0/users?$select=id"); a.status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, a.status, a.raw)
		}
	}
	a := get(t, h, "/v1.0/domains")
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "10" {
		t.Fatalf("request 3501: %d, Retry-After %q; want 429 after 10 s", a.status, a.header.Get("Retry-After"))
	}
	scope := a.header.Get("x-ms-throttle-scope")
	if !strings.HasPrefix(scope, "Tenant_Application/Read/11111111-2222-4333-8444-555555555555/") || a.header.Get("x-ms-throttle-information") != "ResourceUnitLimitExceeded" {
		t.Errorf("throttle headers %q, %q; want the directory's scope and reason", scope, a.header.Get("x-ms-throttle-information"))
	}
	if got := get(t, h, "/v1.0/identity/conditionalAccess/policies"); got.status != http.StatusOK {
		t.Errorf("Conditional Access is not the directory's limit: %d", got.status)
	}
	if st := s.Stats(); st.Limited != 1 {
		t.Errorf("Stats.Limited %d; want 1", st.Limited)
	}
	clock.Add(10 * time.Second)
	if a := get(t, h, "/v1.0/domains"); a.status != http.StatusOK {
		t.Errorf("after the window: %d", a.status)
	}
}

func TestDirectoryCost(t *testing.T) {
	tests := []struct {
		path, query string
		want        float64
	}{
		{"/users", "", 2},
		{"/users", "$select=id", 1},
		{"/users", "$select=id&$top=5", 1}, // never under 1
		{"/Users/abc", "", 1},
		{"/groups/g1/transitiveMembers/microsoft.graph.user", "$select=id&$top=999", 4},
		{"/groups", "$expand=members", 2},
		{"/subscribedSkus", "", 3},
		{"/oauth2PermissionGrants", "", 2},
		{"/policies/authorizationPolicy", "", 1},
		{"/groups/g1/members", "", 3},
		{"/contracts", "", 3},
		{"/applications", "", 2},
		{"/applications/a1/extensionProperties", "", 2},
		{"/domains/contoso.com/domainNameReferences", "", 4},
		{"/servicePrincipals/s1/appRoleAssignments", "", 2},
		{"/oauth2PermissionGrants/g1", "", 2},
		{"/users/u1/memberOf", "", 2},
		{"/me/transitiveMemberOf", "", 2}, // as users/{id}/transitiveMemberOf
		{"/devices", "", 1},
		{"/roleManagement/directory/roleAssignments", "", 1},
		{"/roleManagement/entitlementManagement/accessPackages", "", 0}, // not the directory's roles
		{"/identity/conditionalAccess/policies", "", 0},                 // not the directory
		{"/deviceManagement/managedDevices", "", 0},
		{"/reports/authenticationMethods/userRegistrationDetails", "", 0},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		if got := directoryCost(tt.path, q); got != tt.want {
			t.Errorf("directoryCost(%s?%s) = %v; want %v", tt.path, tt.query, got, tt.want)
		}
	}
}

func TestServiceLimitsForIntuneAndSecureScore(t *testing.T) {
	tests := []struct {
		target string
		budget int
		window time.Duration
	}{
		{"/beta/deviceManagement/deviceCompliancePolicies", 1000, 20 * time.Second},
		{"/v1.0/deviceManagement/managedDevices", 2000, 20 * time.Second},
		{"/v1.0/security/secureScores", 150, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			clock := newFakeClock()
			h := newServer(t, load(t, "hardened.json"), Options{NoAuth: true, Now: clock.Now}).Handler()
			for i := 0; i < tt.budget; i++ {
				if a := get(t, h, tt.target); a.status != http.StatusOK {
					t.Fatalf("request %d of %d: %d", i+1, tt.budget, a.status)
				}
			}
			a := get(t, h, tt.target)
			if want := fmt.Sprint(int(tt.window.Seconds())); a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != want {
				t.Errorf("request %d: %d, Retry-After %q; want 429, %s", tt.budget+1, a.status, a.header.Get("Retry-After"), want)
			}
		})
	}
}

func TestServiceLimitsInBatchAndOff(t *testing.T) {
	body := `{"requests":[{"id":"1","method":"GET","url":"/identity/conditionalAccess/policies"},` +
		`{"id":"2","method":"GET","url":"/identity/conditionalAccess/namedLocations"}]}`
	tests := []struct {
		name      string
		off       bool
		secondGot int
	}{
		{"on: the items count one by one", false, http.StatusTooManyRequests},
		{"off", true, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			h := newServer(t, load(t, "hardened.json"), Options{NoAuth: true, Now: clock.Now, NoServiceLimits: tt.off}).Handler()
			a := do(t, h, http.MethodPost, "/v1.0/$batch", "", strings.NewReader(body))
			if a.status != http.StatusOK {
				t.Fatalf("$batch: %d %s", a.status, a.raw)
			}
			resps := a.body["responses"].([]any)
			second := resps[1].(map[string]any)
			if got := fmt.Sprint(second["status"]); got != fmt.Sprint(tt.secondGot) {
				t.Errorf("second item %s; want %d", got, tt.secondGot)
			}
			if h, _ := second["headers"].(map[string]any); h["Retry-After"] != nil {
				t.Errorf("a Conditional Access 429 carries Retry-After %v; Graph sends none", h["Retry-After"])
			}
		})
	}
}

func TestLimitScaleIsChecked(t *testing.T) {
	for _, scale := range []float64{-1} {
		if _, err := New(load(t, "weak.json"), Options{LimitScale: scale}); err == nil || !strings.Contains(err.Error(), "limit scale") {
			t.Errorf("LimitScale %v: %v; want an error naming the option", scale, err)
		}
	}
}

// TestLimits: the documented limits each kind of request counts against, as Limits tells them.
func TestLimits(t *testing.T) {
	tests := []struct {
		users  int
		target string
		want   string
	}{
		{10, "/users?$select=id,signInActivity&$top=500",
			"[{identity and access 3500 10s 1} {identity and access reports 5 10s 1} {signInActivity 10 1m0s 1}]"},
		{600, "/users?$select=id", "[{identity and access 8000 10s 1}]"},
		{100, "/reports/authenticationMethods/userRegistrationDetails?$top=999", "[{identity and access reports 5 10s 1}]"},
		{10, "/identityProtection/riskyUsers", "[{identity protection and conditional access 1 1s 1}]"},
		{10, "/security/secureScores?$top=90", "[{security alerts, actions and secure score 150 1m0s 1} {secure score and control profiles 10000 10m0s 1}]"},
		{10, "/groups?$select=signInActivity", "[{identity and access 3500 10s 1}]"}, // only users carry it
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			path, raw, _ := strings.Cut(tt.target, "?")
			q, _ := url.ParseQuery(raw)
			if got := fmt.Sprint(Limits(tt.users, path, q)); got != tt.want {
				t.Errorf("Limits(%d, %s) = %s; want %s", tt.users, tt.target, got, tt.want)
			}
		})
	}
}
