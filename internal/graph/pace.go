package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// A family is a set of Graph requests that Microsoft limits together, with the limit it
// documents (Microsoft Learn, "Microsoft Graph service-specific throttling limits",
// https://learn.microsoft.com/graph/throttling-limits). The client paces every request of a
// family, $batch items included, so that no window of the family's length (plus paceMargin)
// holds more than its limit: Graph would answer 429 past it, and some families (Identity
// Protection and Conditional Access) send no Retry-After with that 429.
//
// The simulator models the same limits in a table of its own (internal/sim/limits.go: it models
// the service, this the client's conduct); a test in internal/collect runs every request
// posture sends through both and fails when they disagree.
type family struct {
	name   string
	limit  int           // cost allowed in any window
	window time.Duration // the documented window's length
	// cost returns the cost of a GET of path (after the version, lowercased, without the
	// query) with query, or 0 when the request is not in the family.
	cost func(path string, query url.Values) int
}

// Family names: the headings of Microsoft's page, or the resource a limit names.
const (
	directoryFamily      = "identity and access"
	reportsFamily        = "identity and access reports"
	signInActivityFamily = "signInActivity"
)

// families are the documented limits of the endpoints posture reads. Limits "per tenant for all
// apps" are shared with other apps in the tenant; posture can only keep its own share, and
// Graph's 429 with Retry-After covers the rest. Where the page gives a limit per app for all
// tenants and one per app per tenant, the smaller (per tenant) one applies.
var families = []family{
	// "Identity and access service limits": a token bucket of resource units per app and tenant,
	// per 10 seconds: S 3,500 (under 50 users), M 5,000 (50 to 500), L 8,000 (above 500). The
	// size is not known before the users are read, so S applies until Client.TenantUsers says
	// otherwise. Costs from the same page's table (directoryCost).
	{name: directoryFamily, limit: 3500, window: 10 * time.Second, cost: directoryCost},
	// "Identity and access reports service limits": any request, 5 requests per 10 seconds per
	// app per tenant (reportsCost says which).
	{name: reportsFamily, limit: 5, window: 10 * time.Second, cost: reportsCost},
	// The same section: GET signInActivity, 10 requests per minute per app per tenant, on top of
	// the 5 per 10 seconds: every users request that selects or filters on signInActivity.
	{name: signInActivityFamily, limit: 10, window: time.Minute, cost: func(p string, q url.Values) int {
		return costIf(readsSignInActivity(p, q))
	}},
	// "Identity protection and conditional access service limits": any request, 1 request per
	// second per tenant for all apps; applies to riskDetection, riskyUser, riskyUserHistoryItem,
	// namedLocation and conditionalAccessPolicy.
	{name: "identity protection and conditional access", limit: 1, window: time.Second,
		cost: prefixCost("/identityprotection", "/identity/conditionalaccess")},
	// "Intune device configuration service limits", "Intune device config v2 service limits",
	// "Intune device intent service limits": any request, 1,000 per 20 seconds per app per
	// tenant each; "Intune devices service limits": 2,000 per 20 seconds per app per tenant.
	{name: "Intune device configuration", limit: 1000, window: 20 * time.Second,
		cost: intuneCost("/devicemanagement/deviceconfigurations", "/devicemanagement/devicecompliancepolicies", "/devicemanagement")},
	{name: "Intune device config v2", limit: 1000, window: 20 * time.Second, cost: intuneCost("/devicemanagement/configurationpolicies")},
	{name: "Intune device intent", limit: 1000, window: 20 * time.Second, cost: intuneCost("/devicemanagement/intents")},
	{name: "Intune devices", limit: 2000, window: 20 * time.Second, cost: intuneCost("/devicemanagement/manageddevices")},
	// "Security detections and incidents service limits": any operation on alert,
	// securityActions and secureScore, 150 per minute per app per tenant; on secureScore and
	// secureScoreControlProfile, 10,000 per 10 minutes.
	{name: "security alerts, actions and secure score", limit: 150, window: time.Minute,
		cost: prefixCost("/security/alerts", "/security/securityactions", "/security/securescores")},
	{name: "secure score and control profiles", limit: 10000, window: 10 * time.Minute,
		cost: prefixCost("/security/securescores", "/security/securescorecontrolprofiles")},
}

// paceMargin is added to every documented window. Graph counts a request when it arrives, and
// two requests sent exactly one window apart arrive closer than that when the first one was
// slower on its way: a new TLS connection takes a round trip or two more than a warm one, and a
// busy host holds a request back (against the simulator on two busy cores, 350 ms was seen).
// Against the windows that fill (five reports per ten seconds, ten signInActivity reads per
// minute) it costs 5% and 1%; only the Conditional Access family's one second grows by half,
// and posture sends that family a handful of requests.
const paceMargin = 500 * time.Millisecond

// directoryLimit is the identity and access resource units per 10 seconds for a tenant of
// users users (S, M, L).
func directoryLimit(users int) int {
	switch {
	case users < 50:
		return 3500
	case users <= 500:
		return 5000
	}
	return 8000
}

// TenantUsers tells the client how many users the tenant has, once known: the identity and
// access limit grows with the tenant's size.
func (c *Client) TenantUsers(n int) { c.pacer.setLimit(directoryFamily, directoryLimit(n)) }

// Pace is one documented limit the client paces a request to, with the request's cost there.
type Pace struct {
	Family string
	Limit  int           // cost allowed in any window
	Window time.Duration // the documented window (the client adds a small margin)
	Cost   int
}

// Paces returns the limits the client paces a GET of target (the path after the version,
// with its query) to, in a tenant of users users, in a fixed order.
func Paces(target string, users int) []Pace {
	path, q := splitTarget(target)
	var out []Pace
	for _, f := range families {
		if c := f.cost(path, q); c > 0 {
			limit := f.limit
			if f.name == directoryFamily {
				limit = directoryLimit(users)
			}
			out = append(out, Pace{Family: f.name, Limit: limit, Window: f.window, Cost: c})
		}
	}
	return out
}

// Paced is what a client sent in one family: the cost of its requests (every attempt, $batch
// items one by one) and how long requests waited for the family's limit (summed over the
// requests, which wait side by side).
type Paced struct {
	Family string
	Limit  int           // the limit at the end (the directory's follows the tenant's size)
	Window time.Duration // the documented window
	Cost   int
	Waited time.Duration
}

// Paced returns, for each family the client sent requests in, what it sent, in a fixed order.
func (c *Client) Paced() []Paced { return c.pacer.stats() }

func costIf(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

// under reports whether path is prefix or below it (whole segments); both are lowercased.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

// prefixCost costs 1 for a path under one of prefixes (whole segments), else 0.
func prefixCost(prefixes ...string) func(string, url.Values) int {
	return func(path string, _ url.Values) int {
		for _, p := range prefixes {
			if under(path, p) {
				return 1
			}
		}
		return 0
	}
}

// intuneCost costs 1 for a path under one of collections (whole segments; "/devicemanagement"
// itself only when named exactly) that no more specific Intune family claims.
func intuneCost(collections ...string) func(string, url.Values) int {
	return func(path string, _ url.Values) int {
		for _, c := range collections {
			if c == "/devicemanagement" {
				if path == c {
					return 1
				}
				continue
			}
			if under(path, c) {
				return 1
			}
		}
		return 0
	}
}

// readsSignInActivity reports whether a users request (the collection or one user) selects or
// filters on signInActivity.
func readsSignInActivity(path string, q url.Values) bool {
	if !under(path, "/users") {
		return false
	}
	for _, name := range []string{"select", "filter"} {
		if v, ok := queryOption(q, name); ok && strings.Contains(strings.ToLower(v), "signinactivity") {
			return true
		}
	}
	return false
}

// reportsCost is 1 for a request of the identity and access reports family: the audit logs
// (auditLogRoot: signIns, directoryAudits, provisioning), the authentication methods reports,
// and users that read signInActivity (the page lists signInActivity among the family's
// resources).
//
// /reports/authenticationMethods/userRegistrationDetails is not named on the page, but the
// page names its neighbours (credentialUserRegistrationDetails, the per-user registration
// report it replaced, and azureADUserFeatureUsage, whose link is userRegistrationFeatureSummary,
// served from /reports/authenticationMethods), and it is an Entra reporting API reading the same
// data. The simulator counts it here, to be at least as strict as the service where the docs
// are unclear, so the client paces it here too.
func reportsCost(path string, q url.Values) int {
	return costIf(under(path, "/auditlogs") || under(path, "/reports/authenticationmethods") || readsSignInActivity(path, q))
}

// directoryRoots are the first path segments of the "Identity and access service limits"
// resources (application, contract, device, directoryObject, directoryRole and its template,
// domain, groupSetting and its template, group, oauth2PermissionGrant, organization,
// orgContact, policyBase, servicePrincipal, subscribedSku, user; me is the signed-in user).
// Every policy under /policies counts, as the simulator counts it, though not every one
// derives from policyBase; of roleManagement, the directory's.
var directoryRoots = map[string]bool{
	"users": true, "me": true, "groups": true, "organization": true, "domains": true, "subscribedskus": true,
	"serviceprincipals": true, "applications": true, "oauth2permissiongrants": true, "contracts": true,
	"contacts": true, "devices": true, "directoryobjects": true, "directoryroles": true,
	"directoryroletemplates": true, "groupsettings": true, "groupsettingtemplates": true, "policies": true,
}

// directoryCost is a request's resource units in the identity and access service: the base
// cost of its path from Microsoft's table (GET applications 2,
// applications/{id}/extensionProperties 2, contracts 3, domains/{id}/domainNameReferences 4,
// groups/{id}/members 3, groups/{id}/transitiveMembers 5, me/licenseDetails, memberOf,
// ownedObjects and transitiveMemberOf 2 (the same under users/{id}), oauth2PermissionGrants and
// oauth2PermissionGrants/{id} 2, servicePrincipals/{id}/appRoleAssignments 2, subscribedSkus 3,
// users 2, any other path 1), less 1 with $select, plus 1 with $expand, less 1 with $top under
// 20, never under 1. 0 for paths outside the service.
func directoryCost(path string, q url.Values) int {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if !directoryRoots[segs[0]] && !(segs[0] == "rolemanagement" && len(segs) > 1 && segs[1] == "directory") {
		return 0
	}
	if segs[0] == "me" { // me/x costs what users/{id}/x does
		segs = append([]string{"users", "me"}, segs[1:]...)
	}
	cost := 1
	switch n := len(segs); {
	case n == 1 && (segs[0] == "users" || segs[0] == "applications" || segs[0] == "oauth2permissiongrants"):
		cost = 2
	case n == 1 && (segs[0] == "subscribedskus" || segs[0] == "contracts"):
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
	if _, ok := queryOption(q, "select"); ok {
		cost--
	}
	if _, ok := queryOption(q, "expand"); ok {
		cost++
	}
	if top, ok := queryOption(q, "top"); ok {
		if n, err := strconv.Atoi(top); err == nil && n < 20 {
			cost--
		}
	}
	return max(cost, 1)
}

// queryOption returns an OData system query option, given with or without its '$'.
func queryOption(q url.Values, name string) (string, bool) {
	for _, k := range []string{"$" + name, name} {
		if v, ok := q[k]; ok && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}

// splitTarget splits a target (path after the version, with its query) into its lowercased
// path, with a leading slash, and its query.
func splitTarget(target string) (string, url.Values) {
	path, rawQuery, _ := strings.Cut(target, "?")
	q, _ := url.ParseQuery(rawQuery)
	return strings.ToLower("/" + strings.TrimPrefix(path, "/")), q
}

// targetCosts returns a target's cost in each family, by index in families.
func targetCosts(target string) []int {
	path, q := splitTarget(target)
	out := make([]int, len(families))
	for i, f := range families {
		out[i] = f.cost(path, q)
	}
	return out
}

// pacer keeps each family's requests within its limit. It keeps, per family, a calendar of
// bookings: when requests were (or will be) sent and their cost. A request goes at the earliest
// instant at which every window of (documented length + paceMargin) that holds it stays within
// the family's limit, counting the bookings already made, later ones too: a request may fill a
// gap before a booking made earlier, so a $batch that must wait for an empty window does not
// hold back the single requests that fit around it. A $batch books all its items at one
// instant, the instant Graph receives them. It is safe for concurrent use.
type pacer struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	booked map[string][]booking // by family name, in time order
	limits map[string]int       // limits that replace the family's (the tenant's size is known)
	used   map[string]*Paced    // by family name
}

type booking struct {
	at   time.Time
	cost int
}

func newPacer() *pacer {
	return &pacer{now: time.Now, sleep: sleepCtx, booked: map[string][]booking{}, limits: map[string]int{}, used: map[string]*Paced{}}
}

func (p *pacer) setLimit(family string, limit int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limits[family] = limit
}

// family returns families[i] with the limit that now applies. p.mu is held.
func (p *pacer) family(i int) family {
	f := families[i]
	if l, ok := p.limits[f.name]; ok {
		f.limit = l
	}
	return f
}

func (p *pacer) stats() []Paced {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Paced
	for i, f := range families {
		if u, ok := p.used[f.name]; ok {
			s := *u
			s.Limit = p.family(i).limit
			out = append(out, s)
		}
	}
	return out
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// reserve books targets (sent together) at the earliest instant every family they belong to
// allows, and returns it and the family that set it ("" when none waited). A set that exceeds a
// family's whole limit can never be sent and is an error.
func (p *pacer) reserve(targets []string) (time.Time, string, error) {
	need := make([]int, len(families))
	for _, t := range targets {
		for i, c := range targetCosts(t) {
			need[i] += c
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	for i, c := range need {
		if c == 0 {
			continue
		}
		f := p.family(i)
		if c > f.limit {
			return time.Time{}, "", fmt.Errorf("%d requests of %s in one $batch exceed its limit of %d per %s", c, f.name, f.limit, f.window)
		}
		// Bookings that left the window for good no longer count.
		bs := p.booked[f.name]
		k := 0
		for k < len(bs) && !bs[k].at.Add(f.window+paceMargin).After(now) {
			k++
		}
		p.booked[f.name] = bs[k:]
	}
	at, why := now, ""
	for moved := true; moved; {
		moved = false
		for i, c := range need {
			if c == 0 {
				continue
			}
			f := p.family(i)
			if t := earliest(p.booked[f.name], at, c, f.limit, f.window+paceMargin); t.After(at) {
				at, why, moved = t, f.name, true
			}
		}
	}
	for i, c := range need {
		if c == 0 {
			continue
		}
		f := families[i]
		bs := p.booked[f.name]
		j := sort.Search(len(bs), func(j int) bool { return bs[j].at.After(at) })
		p.booked[f.name] = append(bs[:j], append([]booking{{at: at, cost: c}}, bs[j:]...)...)
		u, ok := p.used[f.name]
		if !ok {
			u = &Paced{Family: f.name, Window: f.window}
			p.used[f.name] = u
		}
		u.Cost += c
	}
	return at, why, nil
}

// earliest returns the earliest instant from t at which a booking of cost c fits among bs
// (sorted by time): every window of length w that would hold it, (x-w, x] for x from the
// instant to a window later, holds at most limit. The sum of a window changes only where a
// booking enters or leaves it, so the instants to try are t and the moments bookings leave,
// and the windows to check end at the instant and at the bookings within a window after it.
func earliest(bs []booking, t time.Time, c, limit int, w time.Duration) time.Time {
	prefix := make([]int, len(bs)+1) // prefix[i]: cost of bs[:i]
	for i, b := range bs {
		prefix[i+1] = prefix[i] + b.cost
	}
	if prefix[len(bs)]+c <= limit {
		return t
	}
	upTo := func(x time.Time) int { // how many bookings are at or before x
		return sort.Search(len(bs), func(i int) bool { return bs[i].at.After(x) })
	}
	inWindow := func(x time.Time) int { return prefix[upTo(x)] - prefix[upTo(x.Add(-w))] }
	fits := func(s time.Time) bool {
		if inWindow(s)+c > limit {
			return false
		}
		for i := upTo(s); i < len(bs) && bs[i].at.Before(s.Add(w)); i++ {
			if inWindow(bs[i].at)+c > limit {
				return false
			}
		}
		return true
	}
	if fits(t) {
		return t
	}
	for _, b := range bs {
		if s := b.at.Add(w); s.After(t) && fits(s) {
			return s
		}
	}
	return bs[len(bs)-1].at.Add(w) // not reached: a window after the last booking is empty
}

// split cuts targets, in order, into runs of at most most whose cost in every family is within
// the family's limit: each run is a $batch Graph can take at one instant.
func (p *pacer) split(targets []string, most int) [][]int {
	p.mu.Lock()
	limits := make([]int, len(families))
	for i := range families {
		limits[i] = p.family(i).limit
	}
	p.mu.Unlock()
	var out [][]int
	var run []int
	sum := make([]int, len(families))
	for i, t := range targets {
		cs := targetCosts(t)
		fits := len(run) < most
		for f, c := range cs {
			fits = fits && sum[f]+c <= limits[f]
		}
		if !fits && len(run) > 0 {
			out = append(out, run)
			run = nil
			clear(sum)
		}
		run = append(run, i)
		for f, c := range cs {
			sum[f] += c
		}
	}
	if len(run) > 0 {
		out = append(out, run)
	}
	return out
}

// wait reserves targets and sleeps until their instant. It returns how long it waited and the
// family that made it wait.
func (p *pacer) wait(ctx context.Context, targets []string) (time.Duration, string, error) {
	at, why, err := p.reserve(targets)
	if err != nil {
		return 0, "", err
	}
	d := at.Sub(p.now())
	if d <= 0 {
		return 0, "", nil
	}
	if why != "" {
		p.mu.Lock()
		p.used[why].Waited += d
		p.mu.Unlock()
	}
	return d, why, p.sleep(ctx, d)
}

// batchItemsKey carries the item URLs of a $batch request to the pacing middleware.
type batchItemsKey struct{}

// pacing is the middleware that holds each Graph attempt (retries too) until its families
// allow it. It sits inside the retry handler, so a retried request is paced again.
type pacing struct{ c *Client }

func (m pacing) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	if api, _ := req.Context().Value(apiKey{}).(string); api != "" && api != "graph" {
		return p.Next(req, i)
	}
	var targets []string
	if items, ok := req.Context().Value(batchItemsKey{}).([]string); ok {
		targets = items
	} else if req.Method == http.MethodGet {
		_, rest, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/"), "/") // drop the version
		targets = []string{"/" + rest + "?" + req.URL.RawQuery}
	}
	if len(targets) == 0 {
		return p.Next(req, i)
	}
	d, why, err := m.c.pacer.wait(req.Context(), targets)
	if err != nil {
		return nil, err
	}
	if d > 0 {
		_, target := describe(req)
		m.c.log.printf("%s paced %s (%s limit)", target, d.Round(time.Millisecond), why)
	}
	return p.Next(req, i)
}
