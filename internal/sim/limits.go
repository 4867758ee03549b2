package sim

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LongestLimitWindow is the longest window of the service limits (Secure Score's 10 minutes).
const LongestLimitWindow = 10 * time.Minute

// SteppingClock returns a clock for Options.Now that moves on by LongestLimitWindow at every
// reading, from a fixed start: no two requests share a window, so the service limits are
// checked but never reached. Tests that are not about the limits use it; the limits' own tests
// move a clock by hand.
func SteppingClock() func() time.Time {
	var mu sync.Mutex
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(LongestLimitWindow)
		return now
	}
}

// The per-tenant request limits Microsoft documents for the endpoints posture reads
// (Microsoft Learn, "Microsoft Graph service-specific throttling limits",
// https://learn.microsoft.com/graph/throttling-limits; the markdown is
// concepts/throttling-limits.md and its includes in microsoftgraph/microsoft-graph-docs-contrib).
// The simulator is one tenant and its clients one app, so a "per app per tenant" and a "per
// tenant for all apps" limit both apply to everything it sees; where the page gives both, the
// smaller one is modelled. A request over a limit is answered 429 and not counted; the others
// are counted in every limit that applies to them. Each limit keeps the requests (their costs)
// of its last window, a sliding form of the token bucket the page describes.
type serviceLimit struct {
	name   string
	budget float64       // resource units (requests, for most limits) per window
	window time.Duration // before Options.LimitScale
	// retryAfter: Graph's 429 for this limit carries Retry-After. The page says the identity
	// protection and Conditional Access resources "do not return a Retry-After header".
	retryAfter bool
	// header holds extra 429 headers (the directory's x-ms-throttle-* headers).
	header map[string]string
	// cost is what a request costs against the limit; 0 when the limit does not apply.
	cost func(path string, q url.Values) float64
}

// limitState is one limit with what it has counted.
type limitState struct {
	serviceLimit
	window time.Duration // scaled
	spent  []spend       // oldest first
}

type spend struct {
	at   time.Time
	cost float64
}

// firstSegment returns the lowercased first segment of a path after the version.
func firstSegment(path string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(strings.ToLower(path), "/"), "/")
	return seg
}

// under reports whether path (after the version) is prefix or below it, ignoring case.
func under(path, prefix string) bool { return hasSegmentPrefix(strings.ToLower(path), prefix) }

func costIf(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// selectsSignInActivity reports whether a users request selects or filters on signInActivity.
func selectsSignInActivity(q url.Values) bool {
	for _, name := range []string{"select", "filter"} {
		if v, ok := option(q, name); ok && strings.Contains(strings.ToLower(v), "signinactivity") {
			return true
		}
	}
	return false
}

// directorySegments are the first path segments of the identity and access (directory)
// service among the resources the simulator serves.
var directorySegments = map[string]bool{
	"users": true, "groups": true, "serviceprincipals": true, "organization": true, "domains": true,
	"subscribedskus": true, "oauth2permissiongrants": true, "groupsettings": true, "rolemanagement": true,
	"policies": true, "directoryobjects": true, "applications": true, "devices": true,
}

// directoryCost is the resource-unit cost of a directory request: the page's base cost (GET
// users 2, groups/{id}/transitiveMembers 5, oauth2PermissionGrants 2, subscribedSkus 3,
// others 1), less 1 with $select, plus 1 with $expand, less 1 with a $top under 20; never
// under 1.
func directoryCost(path string, q url.Values) float64 {
	if !directorySegments[firstSegment(path)] {
		return 0
	}
	segs := strings.Split(strings.Trim(strings.ToLower(path), "/"), "/")
	cost := 1
	switch {
	case len(segs) == 1 && segs[0] == "users":
		cost = 2
	case len(segs) >= 3 && segs[0] == "groups" && segs[2] == "transitivemembers":
		cost = 5
	case segs[0] == "oauth2permissiongrants":
		cost = 2
	case segs[0] == "subscribedskus":
		cost = 3
	}
	if _, ok := option(q, "select"); ok {
		cost--
	}
	if _, ok := option(q, "expand"); ok {
		cost++
	}
	if top, ok := option(q, "top"); ok {
		if n, err := strconv.Atoi(top); err == nil && n < 20 {
			cost--
		}
	}
	return float64(max(cost, 1))
}

// serviceLimits returns the limits for a tenant of users users and the app clientID.
func serviceLimits(users int, tenantID, clientID string) []serviceLimit {
	// "Identity and access service limits": resource units per 10 seconds per
	// application+tenant pair, by tenant size (S under 50 users, M 50 to 500, L above 500).
	ru := 3500.0
	switch {
	case users > 500:
		ru = 8000
	case users >= 50:
		ru = 5000
	}
	if clientID == "" {
		clientID = "00000000-0000-0000-0000-000000000000"
	}
	if tenantID == "" {
		tenantID = "00000000-0000-0000-0000-000000000000"
	}
	return []serviceLimit{
		{name: "identity and access (directory)", budget: ru, window: 10 * time.Second, retryAfter: true,
			header: map[string]string{
				// "Throttled responses requests": the scope and reason of the throttling.
				"x-ms-throttle-scope":       "Tenant_Application/Read/" + clientID + "/" + tenantID,
				"x-ms-throttle-information": "ResourceUnitLimitExceeded",
			},
			cost: directoryCost},
		// "Identity protection and Conditional Access service limits": any request, 1 request
		// per second per tenant for all apps, on riskDetection, riskyUser, riskyUserHistoryItem,
		// namedLocation (country, IP), conditionalAccessPolicy; no Retry-After.
		{name: "identity protection and Conditional Access", budget: 1, window: time.Second,
			cost: func(p string, _ url.Values) float64 {
				return costIf(under(p, "/identity/conditionalaccess") || under(p, "/identityprotection"))
			}},
		// "Identity and access reports service limits": any request, 5 requests per 10 seconds
		// per app per tenant, on the Entra reports (signIn, directoryAudit, auditLogRoot, the
		// authentication methods reports: userRegistrationDetails). Listing users with
		// signInActivity hits the same reporting limit (microsoftgraph/microsoft-graph-docs-contrib#8653).
		{name: "identity and access reports", budget: 5, window: 10 * time.Second, retryAfter: true,
			cost: func(p string, q url.Values) float64 {
				return costIf(under(p, "/reports/authenticationmethods") || under(p, "/auditlogs") ||
					firstSegment(p) == "users" && selectsSignInActivity(q))
			}},
		// "Intune service limits", GET ("Any") per app per tenant: device configuration
		// (deviceConfigurations, deviceCompliancePolicies, deviceManagement) 1000 requests per
		// 20 seconds; device config v2 (configurationPolicies) 1000; device intent (intents)
		// 1000; devices (managedDevices) 2000.
		{name: "Intune device configuration", budget: 1000, window: 20 * time.Second, retryAfter: true,
			cost: func(p string, _ url.Values) float64 {
				return costIf(under(p, "/devicemanagement/deviceconfigurations") || under(p, "/devicemanagement/devicecompliancepolicies") ||
					strings.EqualFold(strings.Trim(p, "/"), "deviceManagement"))
			}},
		{name: "Intune device config v2", budget: 1000, window: 20 * time.Second, retryAfter: true,
			cost: func(p string, _ url.Values) float64 {
				return costIf(under(p, "/devicemanagement/configurationpolicies"))
			}},
		{name: "Intune device intent", budget: 1000, window: 20 * time.Second, retryAfter: true,
			cost: func(p string, _ url.Values) float64 { return costIf(under(p, "/devicemanagement/intents")) }},
		{name: "Intune devices", budget: 2000, window: 20 * time.Second, retryAfter: true,
			cost: func(p string, _ url.Values) float64 { return costIf(under(p, "/devicemanagement/manageddevices")) }},
		// "Security detections and incidents service limits": any operation on secureScore, 150
		// requests per minute per app per tenant; on secureScore or secureScoreControlProfile,
		// 10,000 requests per 10 minutes.
		{name: "security (secureScore)", budget: 150, window: time.Minute, retryAfter: true,
			cost: func(p string, _ url.Values) float64 { return costIf(under(p, "/security/securescores")) }},
		{name: "security (secureScore and control profiles)", budget: 10000, window: 10 * time.Minute, retryAfter: true,
			cost: func(p string, _ url.Values) float64 {
				return costIf(under(p, "/security/securescores") || under(p, "/security/securescorecontrolprofiles"))
			}},
	}
}

// newLimits returns the limits' state, windows scaled.
func newLimits(ls []serviceLimit, scale float64) []*limitState {
	out := make([]*limitState, len(ls))
	for i, l := range ls {
		out[i] = &limitState{serviceLimit: l, window: time.Duration(float64(l.window) * scale)}
	}
	return out
}

// limited decides whether a request (path after the version, query) is over a documented
// limit; if so it returns the 429 to answer, else it counts the request in every limit that
// applies.
func (s *Server) limited(path string, q url.Values) (apiError, bool) {
	if s.limits == nil {
		return apiError{}, false
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	costs := make([]float64, len(s.limits))
	for i, l := range s.limits {
		c := l.cost(path, q)
		if c == 0 {
			continue
		}
		costs[i] = c
		l.expire(now)
		if wait, over := l.over(now, c); over {
			s.stats.Limited++
			e := apiError{status: http.StatusTooManyRequests, code: "TooManyRequests", message: "Please retry again later.",
				header: map[string]string{}}
			for k, v := range l.header {
				e.header[k] = v
			}
			if l.retryAfter {
				e.header["Retry-After"] = s.limitRetryAfter(wait)
			}
			return e, true
		}
	}
	for i, l := range s.limits {
		if costs[i] > 0 {
			l.spent = append(l.spent, spend{at: now, cost: costs[i]})
		}
	}
	return apiError{}, false
}

// expire forgets what fell out of the window.
func (l *limitState) expire(now time.Time) {
	n := 0
	for n < len(l.spent) && !l.spent[n].at.Add(l.window).After(now) {
		n++
	}
	l.spent = l.spent[n:]
}

// over reports whether a request of cost c exceeds the limit now, and how long until it
// would not.
func (l *limitState) over(now time.Time, c float64) (time.Duration, bool) {
	used := 0.0
	for _, sp := range l.spent {
		used += sp.cost
	}
	if used+c <= l.budget {
		return 0, false
	}
	for _, sp := range l.spent {
		used -= sp.cost
		if used+c <= l.budget {
			return sp.at.Add(l.window).Sub(now), true
		}
	}
	return l.window, true
}

// limitRetryAfter is the Retry-After of a limit's 429: the wait in whole seconds, rounded up
// and at least 1. Graph's own values may be fractional ("2.128"), but the Graph SDK's retry
// handler sleeps whole seconds (it truncates), so a fraction under 1 would make it retry at once
// and be throttled again; Options.RetryAfter does not shorten it for the same reason.
func (s *Server) limitRetryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}
