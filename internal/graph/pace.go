package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// A family is a set of Graph requests that Microsoft limits together, with the limit it
// documents (Microsoft Learn, "Microsoft Graph service-specific throttling limits",
// https://learn.microsoft.com/graph/throttling-limits). The client paces every request of a
// family, $batch items included, so that no window of the family's length holds more than its
// limit: Graph would answer 429 past it, and some families (Identity Protection and Conditional
// Access) send no Retry-After with that 429.
type family struct {
	name   string
	limit  int           // cost allowed in any window
	window time.Duration // the window's length
	// cost returns the cost of a GET of path (after the version, lowercased, without the
	// query) with query, or 0 when the request is not in the family.
	cost func(path string, query url.Values) int
}

// families are the documented limits of the endpoints posture reads. Limits "per tenant for all
// apps" are shared with other apps in the tenant; posture can only keep its own share, and
// Graph's 429 with Retry-After covers the rest.
var families = []family{
	// "Identity protection and conditional access service limits": any request, 1 request per
	// second per tenant for all apps; applies to riskDetection, riskyUser, riskyUserHistoryItem,
	// namedLocation and conditionalAccessPolicy.
	{name: "identity protection and conditional access", limit: 1, window: time.Second,
		cost: prefixCost("/identityprotection/", "/identity/conditionalaccess/")},
	// "Identity and access reports service limits": any request, 5 requests per 10 seconds per
	// app per tenant; applies to auditLogRoot (sign-ins, directory audits, provisioning). The
	// resources it lists do not include /reports/authenticationMethods/userRegistrationDetails.
	{name: "identity and access reports", limit: 5, window: 10 * time.Second, cost: prefixCost("/auditlogs/")},
	// "Identity and access service limits": a token bucket of resource units per app and tenant,
	// per 10 seconds: S 3,500 (under 50 users), M 5,000 (50 to 500), L 8,000 (above 500). The
	// size is not known before the users are read, so S applies until Client.TenantUsers says
	// otherwise. Costs from the same page's table (directoryCost).
	{name: directoryFamily, limit: 3500, window: 10 * time.Second, cost: directoryCost},
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
	{name: "secure score", limit: 10000, window: 10 * time.Minute,
		cost: prefixCost("/security/securescores", "/security/securescorecontrolprofiles")},
}

// directoryFamily names the identity and access family, whose limit depends on the tenant's size.
const directoryFamily = "identity and access"

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

// prefixCost costs 1 for a path under one of prefixes (whole segments), else 0.
func prefixCost(prefixes ...string) func(string, url.Values) int {
	return func(path string, _ url.Values) int {
		for _, p := range prefixes {
			p = strings.TrimSuffix(p, "/")
			if path == p || strings.HasPrefix(path, p+"/") {
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
			if path == c || strings.HasPrefix(path, c+"/") {
				return 1
			}
		}
		return 0
	}
}

// directoryRoots are the first path segments of the identity and access (directory) service
// among those posture reads.
var directoryRoots = map[string]bool{
	"users": true, "groups": true, "organization": true, "domains": true, "subscribedskus": true,
	"serviceprincipals": true, "applications": true, "oauth2permissiongrants": true, "contracts": true,
	"directoryobjects": true, "directoryroles": true, "rolemanagement": true, "groupsettings": true,
	"policies": true, "me": true,
}

// directoryCost is a request's resource units in the identity and access service: the base
// cost of its path from Microsoft's table (GET users 2, subscribedSkus 3, oauth2PermissionGrants
// 2, groups/{id}/members 3, groups/{id}/transitiveMembers 5, applications 2, contracts 3, any
// other path 1), less 1 with $select, plus 1 with $expand, less 1 with $top under 20, never
// under 1. 0 for paths outside the service.
func directoryCost(path string, q url.Values) int {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if !directoryRoots[segs[0]] || segs[0] == "rolemanagement" && (len(segs) < 2 || segs[1] != "directory") {
		return 0
	}
	cost := 1
	switch {
	case len(segs) == 1 && (segs[0] == "users" || segs[0] == "applications" || segs[0] == "oauth2permissiongrants"):
		cost = 2
	case len(segs) == 1 && (segs[0] == "subscribedskus" || segs[0] == "contracts"):
		cost = 3
	case len(segs) == 2 && segs[0] == "oauth2permissiongrants":
		cost = 2
	case len(segs) >= 3 && segs[0] == "groups" && segs[2] == "transitivemembers":
		cost = 5
	case len(segs) >= 3 && segs[0] == "groups" && segs[2] == "members":
		cost = 3
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

// pacer keeps each family's requests within its limit. It records, per family, when requests
// were (or will be) sent and their cost; a request that does not fit waits until the oldest
// ones leave the window. A $batch reserves all its items at one instant, the instant Graph
// receives them. It is safe for concurrent use.
type pacer struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	sent   map[string][]sentCost // by family name, in time order
	limits map[string]int        // limits that replace the family's (the tenant's size is known)
}

func (p *pacer) setLimit(family string, limit int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limits[family] = limit
}

// paceMargin is added to every window: Graph counts requests when they arrive, and arrival
// times jitter by a few milliseconds.
const paceMargin = 50 * time.Millisecond

type sentCost struct {
	at   time.Time
	cost int
}

func newPacer() *pacer {
	return &pacer{now: time.Now, sleep: sleepCtx, sent: map[string][]sentCost{}, limits: map[string]int{}}
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

// costs returns the cost per family of GET requests to targets (paths after the version, with
// their query).
func costs(targets []string) map[int]int {
	out := map[int]int{}
	for _, t := range targets {
		path, rawQuery, _ := strings.Cut(t, "?")
		q, _ := url.ParseQuery(rawQuery)
		path = strings.ToLower("/" + strings.TrimPrefix(path, "/"))
		for i, f := range families {
			if c := f.cost(path, q); c > 0 {
				out[i] += c
			}
		}
	}
	return out
}

// reserve books targets (sent together) at the earliest instant every family they belong to
// allows, and returns it and the family that set it ("" when none waited). A set that exceeds a
// family's whole limit can never be sent and is an error.
func (p *pacer) reserve(targets []string) (time.Time, string, error) {
	need := costs(targets)
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	at, why := now, ""
	for i, c := range need {
		f := families[i]
		if l, ok := p.limits[f.name]; ok {
			f.limit = l
		}
		if c > f.limit {
			return time.Time{}, "", fmt.Errorf("%d requests of %s in one $batch exceed its limit of %d per %s", c, f.name, f.limit, f.window)
		}
		sent := p.sent[f.name]
		// Requests that left the window for good (before now) no longer count.
		k := 0
		window := f.window + paceMargin
		for k < len(sent) && !sent[k].at.After(now.Add(-window)) {
			k++
		}
		sent = sent[k:]
		p.sent[f.name] = sent
		t := now
		if n := len(sent); n > 0 && sent[n-1].at.After(t) {
			t = sent[n-1].at
		}
		total := 0
		for _, s := range sent {
			total += s.cost
		}
		for j := 0; total+c > f.limit; j++ {
			t = later(t, sent[j].at.Add(window))
			total -= sent[j].cost
		}
		if t.After(at) {
			at, why = t, f.name
		}
	}
	for i, c := range need {
		name := families[i].name
		p.sent[name] = append(p.sent[name], sentCost{at: at, cost: c})
	}
	return at, why, nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
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
