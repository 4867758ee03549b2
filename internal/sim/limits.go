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
// checked but never reached. The simulator's own tests that are not about the limits use it
// (the limits' tests move a clock by hand); tests of a paced client run the real clock, where
// the client must keep within the limits.
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
// of its last window, a sliding form of the token bucket the page describes, and counts a
// request when it arrives.
//
// The client paces itself to the same limits (internal/graph/pace.go, a table of its own: the
// simulator models the service, the client its own conduct); a test in internal/collect runs
// every request posture sends through both tables and fails when they disagree.
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

// Limit is one documented limit a request counts against, as the simulator models it
// (before Options.LimitScale), with what the request costs there.
type Limit struct {
	Name   string
	Budget float64       // cost allowed in any window
	Window time.Duration // the window's length
	Cost   float64       // what the request costs against Budget
}

// Limits returns the documented limits a GET of path (after the version, e.g.
// "/users/{id}") with query counts against in a tenant of users users, in a fixed order.
func Limits(users int, path string, query url.Values) []Limit {
	var out []Limit
	for _, l := range serviceLimits(users, "", "") {
		if c := l.cost(path, query); c > 0 {
			out = append(out, Limit{Name: l.name, Budget: l.budget, Window: l.window, Cost: c})
		}
	}
	return out
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

// segments returns the lowercased segments of a path after the version.
func segments(path string) []string {
	return strings.Split(strings.Trim(strings.ToLower(path), "/"), "/")
}

// under reports whether path (after the version) is prefix or below it, ignoring case.
func under(path, prefix string) bool { return hasSegmentPrefix(strings.ToLower(path), prefix) }

func costIf(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// readsSignInActivity reports whether a users request (the collection or one user) selects or
// filters on signInActivity.
func readsSignInActivity(path string, q url.Values) bool {
	if segments(path)[0] != "users" {
		return false
	}
	for _, name := range []string{"select", "filter"} {
		if v, ok := option(q, name); ok && strings.Contains(strings.ToLower(v), "signinactivity") {
			return true
		}
	}
	return false
}

// directoryRoots are the first path segments of the "Identity and access service limits"
// resources (application, contract, device, directoryObject, directoryRole and its template,
// domain, groupSetting and its template, group, oauth2PermissionGrant, organization,
// orgContact, policyBase, servicePrincipal, subscribedSku, user; me stands for the signed-in
// user). Every policy under /policies counts, though not every one derives from policyBase:
// where the page is unclear the simulator is the stricter.
var directoryRoots = map[string]bool{
	"users": true, "me": true, "groups": true, "organization": true, "domains": true, "subscribedskus": true,
	"serviceprincipals": true, "applications": true, "oauth2permissiongrants": true, "contracts": true,
	"contacts": true, "devices": true, "directoryobjects": true, "directoryroles": true,
	"directoryroletemplates": true, "groupsettings": true, "groupsettingtemplates": true, "policies": true,
}

// directoryCost is the resource-unit cost of a directory GET: the page's base cost
// (applications 2, applications/{id}/extensionProperties 2, contracts 3,
// domains/{id}/domainNameReferences 4, groups/{id}/members 3, groups/{id}/transitiveMembers 5,
// me/licenseDetails, memberOf, ownedObjects and transitiveMemberOf 2 (and the same under
// users/{id}), oauth2PermissionGrants and oauth2PermissionGrants/{id} 2,
// servicePrincipals/{id}/appRoleAssignments 2, subscribedSkus 3, users 2, any other 1), less 1
// with $select, plus 1 with $expand, less 1 with a $top under 20; never under 1. 0 outside the
// directory; of roleManagement only the directory's (roleManagement/directory) counts.
func directoryCost(path string, q url.Values) float64 {
	segs := segments(path)
	if !directoryRoots[segs[0]] && !(segs[0] == "rolemanagement" && len(segs) > 1 && segs[1] == "directory") {
		return 0
	}
	cost := 1
	if segs[0] == "me" { // me/x costs what users/{id}/x does
		segs = append([]string{"users", "me"}, segs[1:]...)
	}
	switch n := len(segs); {
	case n == 1 && (segs[0] == "users" || segs[0] == "applications" || segs[0] == "oauth2permissiongrants"):
		cost = 2
	case n == 1 && (segs[0] == "contracts" || segs[0] == "subscribedskus"):
		cost = 3
	case n == 2 && segs[0] == "oauth2permissiongrants":
		cost = 2
	case n >= 3 && segs[0] == "groups" && segs[2] == "transitivemembers":
		cost = 5
	case n >= 3 && segs[0] == "groups" && segs[2] == "members":
		cost = 3
	case n >= 3 && segs[0] == "domains" && segs[2] == "domainnamereferences":
		cost = 4
	case n >= 3 && segs[0] == "applications" && segs[2] == "extensionproperties",
		n >= 3 && segs[0] == "serviceprincipals" && segs[2] == "approleassignments",
		n >= 3 && segs[0] == "users" && (segs[2] == "licensedetails" || segs[2] == "memberof" ||
			segs[2] == "ownedobjects" || segs[2] == "transitivememberof"):
		cost = 2
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

// reportsCost is 1 for a request of the "Identity and access reports service limits": the audit
// logs (auditLogRoot: signIns, directoryAudits, provisioning), the authentication methods
// reports, and users that read signInActivity (the page lists signInActivity, and says
// $select=signInActivity on List users "may cause stricter throttling").
//
// /reports/authenticationMethods/userRegistrationDetails is not named on the page. It counts
// here: the page lists the neighbours it replaced or summarizes (credentialUserRegistrationDetails,
// the older per-user registration report, and azureADUserFeatureUsage, which links to
// userRegistrationFeatureSummary, served from /reports/authenticationMethods), and it is an Entra
// reporting API reading the same registration data. Where the docs are unclear the simulator is
// at least as strict as the service, and the client paces to it too.
func reportsCost(p string, q url.Values) float64 {
	return costIf(under(p, "/auditlogs") || under(p, "/reports/authenticationmethods") || readsSignInActivity(p, q))
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
		{name: "identity and access", budget: ru, window: 10 * time.Second, retryAfter: true,
			header: map[string]string{
				// "Throttled responses requests": the scope and reason of the throttling.
				"x-ms-throttle-scope":       "Tenant_Application/Read/" + clientID + "/" + tenantID,
				"x-ms-throttle-information": "ResourceUnitLimitExceeded",
			},
			cost: directoryCost},
		// "Identity and access reports service limits": any request, 5 requests per 10 seconds
		// per app per tenant (122 per app for all tenants: the simulator is one tenant).
		{name: "identity and access reports", budget: 5, window: 10 * time.Second, retryAfter: true, cost: reportsCost},
		// The same section: GET signInActivity, 10 requests per minute per app per tenant, on
		// top of the 5 per 10 seconds; every users request that selects or filters on it.
		{name: "signInActivity", budget: 10, window: time.Minute, retryAfter: true,
			cost: func(p string, q url.Values) float64 { return costIf(readsSignInActivity(p, q)) }},
		// "Identity protection and Conditional Access service limits": any request, 1 request
		// per second per tenant for all apps, on riskDetection, riskyUser, riskyUserHistoryItem,
		// namedLocation (country, IP), conditionalAccessPolicy; no Retry-After.
		{name: "identity protection and conditional access", budget: 1, window: time.Second,
			cost: func(p string, _ url.Values) float64 {
				return costIf(under(p, "/identity/conditionalaccess") || under(p, "/identityprotection"))
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
		// "Security detections and incidents service limits": any operation on alert,
		// securityActions and secureScore, 150 requests per minute per app per tenant; on
		// secureScore or secureScoreControlProfile, 10,000 requests per 10 minutes.
		{name: "security alerts, actions and secure score", budget: 150, window: time.Minute, retryAfter: true,
			cost: func(p string, _ url.Values) float64 {
				return costIf(under(p, "/security/alerts") || under(p, "/security/securityactions") || under(p, "/security/securescores"))
			}},
		{name: "secure score and control profiles", budget: 10000, window: 10 * time.Minute, retryAfter: true,
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
