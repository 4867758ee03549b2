package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/snapshot"
)

// Route is one Graph resource the simulator serves from a snapshot key.
type Route struct {
	// Path is the resource path after the version, e.g. "/identity/conditionalAccess/policies".
	Path string
	// Key is the snapshot source key it serves, e.g. "entra.conditionalAccessPolicies".
	Key string
	// Object marks a single object (answered as the object); otherwise a paged collection.
	Object bool
	// BetaOnly marks resources that exist only under /beta; /v1.0 answers 400 as Graph does.
	BetaOnly bool
	// Nav are the navigation properties the snapshot stores inside each element (expanded by
	// the collector). As in Graph, an element carries them only when $expand names them, and
	// each is also served as the collection /{id}/{nav}.
	Nav []string
	// Property, for an Object route, says the snapshot value is this property of the object
	// served (intune.deviceManagementSettings is the settings of /deviceManagement).
	Property string
}

// Routes returns the resources the simulator serves, in the order of the snapshot keys. Besides
// these it answers /{collection}/{id} for an element of a collection (users also by
// userPrincipalName), /{collection}/{id}/{nav} for a route's navigation properties (an
// intent's settings), /groups/{id}/transitiveMembers[/microsoft.graph.user] from
// entra.groupMembers, and POST /$batch. entra.organization is a collection of one, as in Graph.
func Routes() []Route {
	return []Route{
		{Path: "/organization", Key: "entra.organization"},
		{Path: "/subscribedSkus", Key: "entra.subscribedSkus"},
		{Path: "/domains", Key: "entra.domains"},
		{Path: "/users", Key: "entra.users"},
		{Path: "/groups", Key: "entra.groups"},
		{Path: "/roleManagement/directory/roleDefinitions", Key: "entra.roleDefinitions"},
		{Path: "/roleManagement/directory/roleAssignments", Key: "entra.roleAssignments"},
		{Path: "/roleManagement/directory/roleEligibilitySchedules", Key: "entra.roleEligibilitySchedules"},
		{Path: "/identity/conditionalAccess/policies", Key: "entra.conditionalAccessPolicies"},
		{Path: "/identity/conditionalAccess/namedLocations", Key: "entra.namedLocations"},
		{Path: "/policies/identitySecurityDefaultsEnforcementPolicy", Key: "entra.securityDefaults", Object: true},
		{Path: "/policies/authorizationPolicy", Key: "entra.authorizationPolicy", Object: true},
		{Path: "/policies/authenticationMethodsPolicy", Key: "entra.authenticationMethodsPolicy", Object: true},
		{Path: "/policies/adminConsentRequestPolicy", Key: "entra.adminConsentRequestPolicy", Object: true},
		{Path: "/reports/authenticationMethods/userRegistrationDetails", Key: "entra.userRegistrationDetails"},
		{Path: "/servicePrincipals", Key: "entra.servicePrincipals"},
		{Path: "/oauth2PermissionGrants", Key: "entra.oauth2PermissionGrants"},
		{Path: "/groupSettings", Key: "entra.directorySettings"},
		{Path: "/identityProtection/riskyUsers", Key: "entra.riskyUsers"},
		{Path: "/deviceManagement/deviceConfigurations", Key: "intune.deviceConfigurations", Nav: []string{"assignments"}},
		{Path: "/deviceManagement/deviceCompliancePolicies", Key: "intune.deviceCompliancePolicies",
			Nav: []string{"assignments", "scheduledActionsForRule"}},
		{Path: "/deviceManagement/configurationPolicies", Key: "intune.configurationPolicies", BetaOnly: true,
			Nav: []string{"settings", "assignments"}},
		{Path: "/deviceManagement/intents", Key: "intune.intents", BetaOnly: true, Nav: []string{"settings", "assignments"}},
		{Path: "/deviceManagement/managedDevices", Key: "intune.managedDevices"},
		{Path: "/deviceManagement", Key: "intune.deviceManagementSettings", Object: true, Property: "settings"},
		{Path: "/security/secureScores", Key: "secureScore.scores"},
		{Path: "/security/secureScoreControlProfiles", Key: "secureScore.controlProfiles"},
	}
}

// routeIndex maps lowercased paths to routes: Graph's path segments are case-insensitive.
var routeIndex = func() map[string]Route {
	m := map[string]Route{}
	for _, r := range Routes() {
		m[strings.ToLower(r.Path)] = r
	}
	return m
}()

// call is one Graph request: a direct HTTP request or an item of a $batch.
type call struct {
	method          string
	version         string // "v1.0" or "beta"
	path            string // after the version, as sent
	query           url.Values
	base            string // scheme://host the client used
	requestID       string
	clientRequestID string
}

func (c call) fullPath() string { return "/" + c.version + c.path }

// throttleKey identifies a request for throttling decisions: the same request retried gets the
// next decision in its own sequence, whatever else arrives in between.
func (c call) throttleKey() string {
	return c.method + " " + strings.ToLower(c.fullPath()) + "?" + c.query.Encode()
}

func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) {
	version, rest := splitVersion(r.URL.Path)
	c := call{
		method:          r.Method,
		version:         version,
		path:            rest,
		query:           r.URL.Query(),
		base:            baseURL(r),
		requestID:       newID(),
		clientRequestID: r.Header.Get("client-request-id"),
	}
	s.count(func(st *Stats) {
		st.Requests++
		st.ByPath[r.URL.Path]++
	})
	if e, ok := s.authorize(r); !ok {
		resp := s.errorResponse(e, c.requestID, c.clientRequestID)
		resp.header["WWW-Authenticate"] = `Bearer realm="", authorization_uri="` + c.base + `/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`
		s.write(w, c, resp)
		return
	}
	// Options.Latency is the whole time to an answer: the answer is worked out while it runs,
	// as a service's own work is part of its latency.
	deadline := time.Now().Add(s.opts.Latency)
	var resp response
	switch {
	case s.throttled(c.throttleKey()):
		resp = s.errorResponse(s.throttledError(), c.requestID, c.clientRequestID)
	case strings.EqualFold(rest, "/$batch"):
		if e, ok := s.injected(c.fullPath()); ok {
			resp = s.errorResponse(e, c.requestID, c.clientRequestID)
		} else {
			resp = s.batch(r, c)
		}
	default:
		resp = s.answer(c)
	}
	status, data := encodeBody(resp.status, c.requestID, resp.body)
	if !s.delayUntil(r.Context(), deadline) {
		return
	}
	if c.clientRequestID != "" {
		w.Header().Set("client-request-id", c.clientRequestID)
	}
	writeEncoded(w, status, resp.header, c.requestID, data)
}

func (s *Server) write(w http.ResponseWriter, c call, resp response) {
	if c.clientRequestID != "" {
		w.Header().Set("client-request-id", c.clientRequestID)
	}
	writeJSON(w, resp.status, resp.header, c.requestID, resp.body)
}

// splitVersion splits "/v1.0/users" into "v1.0" and "/users".
func splitVersion(path string) (version, rest string) {
	trimmed := strings.TrimPrefix(path, "/")
	version, rest, _ = strings.Cut(trimmed, "/")
	version = strings.ToLower(version)
	return version, "/" + rest
}

// authorize checks the bearer token of a Graph request: ok means it may proceed, else e is the
// 401 to give. A token for Exchange Online is not one for Graph. Error messages never repeat
// the token.
func (s *Server) authorize(r *http.Request) (e apiError, ok bool) {
	return s.authorizeFor(r, func(audience string) bool { return !exchangeAudience(audience) })
}

// authorizeFor checks the bearer token of a request against the audience it needs.
func (s *Server) authorizeFor(r *http.Request, audienceOK func(string) bool) (e apiError, ok bool) {
	if s.opts.NoAuth {
		return apiError{}, true
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return errNoToken, false
	}
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errBadToken, false
	}
	s.mu.Lock()
	is, known := s.tokens[token]
	s.mu.Unlock()
	switch {
	case !known || !audienceOK(is.audience):
		return errBadToken, false
	case time.Now().After(is.expires):
		return errExpiredToken, false
	}
	return apiError{}, true
}

// injected returns the error an Options.Fail rule sets for path, if any.
func (s *Server) injected(path string) (apiError, bool) {
	lower := strings.ToLower(path)
	_, rest := splitVersion(lower)
	for _, f := range s.fail {
		if f.cmdlet != "" {
			continue // an InvokeCommand rule
		}
		if hasSegmentPrefix(lower, f.prefix) || hasSegmentPrefix(rest, f.prefix) {
			s.count(func(st *Stats) { st.Injected++ })
			return s.statusError(f.code), true
		}
	}
	return apiError{}, false
}

// answer answers one Graph request after authentication, latency and throttling.
func (s *Server) answer(c call) response {
	fail := func(e apiError) response { return s.errorResponse(e, c.requestID, c.clientRequestID) }
	if e, ok := s.injected(c.fullPath()); ok {
		return fail(e)
	}
	if c.version != "v1.0" && c.version != "beta" {
		return fail(badRequest("Invalid version: " + c.version))
	}
	if c.method != http.MethodGet {
		return fail(apiError{status: http.StatusMethodNotAllowed, code: "Request_BadRequest",
			message: "The simulator is read-only: only GET (and POST /$batch) are served."})
	}
	q, err := parseQuery(c.query)
	if err != nil {
		return fail(badRequest(err.Error()))
	}
	segs := strings.Split(strings.Trim(c.path, "/"), "/")
	lower := strings.ToLower(c.path)
	if rt, ok := routeIndex[strings.TrimRight(lower, "/")]; ok {
		if rt.BetaOnly && c.version != "beta" {
			return fail(badRequest("Resource not found for the segment '" + segs[len(segs)-1] + "'."))
		}
		if e := s.sourceError(rt.Key); e != nil {
			return fail(*e)
		}
		if rt.Key == "entra.users" {
			if e := s.signInActivityError(q); e != nil {
				return fail(*e)
			}
		}
		q.omit = unexpanded(rt, q)
		if rt.Object {
			obj, _ := s.value(rt.Key).(map[string]any)
			if rt.Property != "" {
				obj = map[string]any{rt.Property: obj}
			}
			return s.object(c, obj, strings.TrimPrefix(c.path, "/")+"/$entity", q)
		}
		return s.collection(c, s.elements(rt.Key), strings.TrimPrefix(c.path, "/"), q)
	}
	if len(segs) >= 3 && strings.EqualFold(segs[0], "groups") && strings.EqualFold(segs[2], "transitiveMembers") &&
		(len(segs) == 3 || len(segs) == 4 && strings.EqualFold(segs[3], "microsoft.graph.user")) {
		return s.groupMembers(c, segs[1], q)
	}
	if len(segs) >= 2 {
		parent := "/" + strings.ToLower(strings.Join(segs[:len(segs)-1], "/"))
		if rt, ok := routeIndex[parent]; ok && !rt.Object && !(rt.BetaOnly && c.version != "beta") {
			if e := s.sourceError(rt.Key); e != nil {
				return fail(*e)
			}
			id := segs[len(segs)-1]
			if obj, ok := s.element(rt.Key, id); ok {
				q.omit = unexpanded(rt, q)
				if rt.Key == "entra.users" && q.selects("signInActivity") {
					if e := s.userSignInActivityError(q, obj, id); e != nil {
						return fail(*e)
					}
					if obj["signInActivity"] == nil {
						// Graph leaves the property out for a user who never signed in.
						q.omit = map[string]bool{"signinactivity": true}
					}
				}
				return s.object(c, obj, strings.TrimPrefix(parent, "/")+"/$entity", q)
			}
			return fail(notFound(id))
		}
	}
	if len(segs) >= 3 {
		if resp, ok := s.navigation(c, segs, q); ok {
			return resp
		}
	}
	return fail(badRequest("Resource not found for the segment '" + segs[len(segs)-1] + "'."))
}

// element returns the element of a collection key with id.
func (s *Server) element(key, id string) (map[string]any, bool) {
	if key == "entra.users" {
		// By id from the index: a scan of 100,000 users per request would make the
		// simulator, not the client, the slow side of a benchmark.
		if u, ok := s.userIndex()[strings.ToLower(id)]; ok {
			return u, true
		}
	}
	for _, el := range s.elements(key) {
		if obj, ok := el.(map[string]any); ok && matchesID(key, obj, id) {
			return obj, true
		}
	}
	return nil, false
}

// navigation answers /{collection}/{id}/{nav}: the navigation property nav of an element, as
// a collection (an element the snapshot holds without it has none). ok is false when the path
// names no route's navigation property.
func (s *Server) navigation(c call, segs []string, q odataQuery) (resp response, ok bool) {
	parent := "/" + strings.ToLower(strings.Join(segs[:len(segs)-2], "/"))
	rt, known := routeIndex[parent]
	nav := segs[len(segs)-1]
	if !known || rt.Object || rt.BetaOnly && c.version != "beta" || navName(rt, nav) == "" {
		return response{}, false
	}
	fail := func(e apiError) response { return s.errorResponse(e, c.requestID, c.clientRequestID) }
	if e := s.sourceError(rt.Key); e != nil {
		return fail(*e), true
	}
	id := segs[len(segs)-2]
	obj, found := s.element(rt.Key, id)
	if !found {
		return fail(notFound(id)), true
	}
	items, _ := obj[navName(rt, nav)].([]any)
	return s.collection(c, items, strings.TrimPrefix(c.path, "/"), q), true
}

// navName returns the route's navigation property called name (ignoring case), or "".
func navName(rt Route, name string) string {
	for _, n := range rt.Nav {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// unexpanded returns the route's navigation properties the query does not $expand, lowercased:
// Graph leaves them out of its answer.
func unexpanded(rt Route, q odataQuery) map[string]bool {
	var out map[string]bool
	for _, n := range rt.Nav {
		if !q.expand[strings.ToLower(n)] {
			if out == nil {
				out = map[string]bool{}
			}
			out[strings.ToLower(n)] = true
		}
	}
	return out
}

// signInActivityError answers a users request that selects signInActivity when the snapshot's
// users carry none: Graph refuses the whole request then (no licence, or no AuditLog.Read.All),
// and a collector retries without it.
func (s *Server) signInActivityError(q odataQuery) *apiError {
	if !q.selects("signInActivity") {
		return nil
	}
	for _, el := range s.elements("entra.users") {
		if obj, ok := el.(map[string]any); ok {
			if _, has := obj["signInActivity"]; has {
				return nil
			}
		}
	}
	if src, ok := s.snap.Sources["entra.userRegistrationDetails"]; ok && src.Status == snapshot.StatusUnlicensed {
		return &errPremiumUnlicensed
	}
	return &errForbidden
}

// userSignInActivityError answers GET /users/{id}?$select=...signInActivity: refused as the
// list is (signInActivityError), and 400 when the user is named by userPrincipalName: Graph
// reads signInActivity by object id only (Microsoft Q&A 1311910, "Selecting the
// 'signInActivity' resource using UPN is not supported").
func (s *Server) userSignInActivityError(q odataQuery, obj map[string]any, id string) *apiError {
	if e := s.signInActivityError(q); e != nil {
		return e
	}
	if oid, _ := obj["id"].(string); !strings.EqualFold(oid, id) {
		e := badRequest("Get By Key only supports UserId and the key has to be a valid Guid")
		return &e
	}
	return nil
}

func matchesID(key string, obj map[string]any, id string) bool {
	if v, _ := obj["id"].(string); strings.EqualFold(v, id) {
		return true
	}
	if key == "entra.users" {
		upn, _ := obj["userPrincipalName"].(string)
		return upn != "" && strings.EqualFold(upn, id)
	}
	return false
}

// value returns the snapshot value of a source key.
func (s *Server) value(key string) any {
	sec, name, _ := strings.Cut(key, ".")
	var m map[string]any
	switch sec {
	case snapshot.SectionEntra:
		m = s.snap.Entra
	case snapshot.SectionExchange:
		m = s.snap.Exchange
	case snapshot.SectionIntune:
		m = s.snap.Intune
	case snapshot.SectionSecureScore:
		m = s.snap.SecureScore
	}
	return m[name]
}

// elements returns a collection key's elements; entra.organization (an object in the
// snapshot) is Graph's collection of one.
func (s *Server) elements(key string) []any {
	switch v := s.value(key).(type) {
	case []any:
		return v
	case map[string]any:
		return []any{v}
	}
	return nil
}

func (s *Server) groupMembers(c call, groupID string, q odataQuery) response {
	fail := func(e apiError) response { return s.errorResponse(e, c.requestID, c.clientRequestID) }
	if e := s.sourceError("entra.groupMembers"); e != nil {
		return fail(*e)
	}
	members, _ := s.value("entra.groupMembers").(map[string]any)
	var ids []any
	found := false
	for gid, v := range members {
		if strings.EqualFold(gid, groupID) {
			ids, _ = v.([]any)
			found = true
			break
		}
	}
	if !found {
		// A group the snapshot lists without members: the collector did not ask for it, so
		// the simulator knows no members (an empty group). A group it does not know: 404.
		for _, el := range s.elements("entra.groups") {
			if obj, ok := el.(map[string]any); ok && matchesID("entra.groups", obj, groupID) {
				found = true
				break
			}
		}
	}
	if !found {
		return fail(notFound(groupID))
	}
	users := s.userIndex()
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		uid, _ := id.(string)
		obj := map[string]any{"@odata.type": "#microsoft.graph.user", "id": uid}
		if u, ok := users[strings.ToLower(uid)]; ok {
			for k, v := range u {
				obj[k] = v
			}
			obj["@odata.type"] = "#microsoft.graph.user"
		}
		out = append(out, obj)
	}
	return s.collection(c, out, "directoryObjects(microsoft.graph.user)", q)
}

// userIndex maps lowercased user ids to users; built on first use.
func (s *Server) userIndex() map[string]map[string]any {
	s.usersOnce.Do(func() {
		s.users = map[string]map[string]any{}
		if !s.snap.Known("entra.users") {
			return
		}
		for _, el := range s.elements("entra.users") {
			if obj, ok := el.(map[string]any); ok {
				if id, ok := obj["id"].(string); ok {
					s.users[strings.ToLower(id)] = obj
				}
			}
		}
	})
	return s.users
}

// odataQuery is the parsed OData system query options the simulator honours.
type odataQuery struct {
	selected map[string]bool // lowercased property names; nil means all
	selList  []string
	expand   map[string]bool // lowercased navigation properties named by $expand (top level)
	omit     map[string]bool // lowercased properties to leave out: navigation properties not expanded
	top      int             // 0 means no $top
	skip     int             // offset from $skiptoken
	hasSkip  bool
	count    bool
	rawSkip  string
}

func (q odataQuery) selects(name string) bool { return q.selected[strings.ToLower(name)] }

// option returns a system query option, given with or without its '$' (Graph accepts both).
func option(v url.Values, name string) (string, bool) {
	if vs, ok := v["$"+name]; ok && len(vs) > 0 {
		return vs[0], true
	}
	if vs, ok := v[name]; ok && len(vs) > 0 {
		return vs[0], true
	}
	return "", false
}

func parseQuery(v url.Values) (odataQuery, error) {
	var q odataQuery
	for _, name := range []string{"filter", "search"} {
		if _, ok := option(v, name); ok {
			return q, fmt.Errorf("the simulator does not support $%s; request the collection and filter it locally", name)
		}
	}
	if sel, ok := option(v, "select"); ok {
		q.selected = map[string]bool{}
		for _, p := range strings.Split(sel, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				return q, fmt.Errorf("invalid $select %q: empty property name", sel)
			}
			q.selected[strings.ToLower(p)] = true
			q.selList = append(q.selList, p)
		}
	}
	if top, ok := option(v, "top"); ok {
		n, err := strconv.Atoi(top)
		if err != nil || n < 1 {
			return q, fmt.Errorf("invalid value '%s' for $top query option: expected a positive integer", top)
		}
		q.top = n
	}
	if c, ok := option(v, "count"); ok {
		q.count = strings.EqualFold(c, "true")
	}
	if tok, ok := option(v, "skiptoken"); ok {
		q.rawSkip = tok
		q.hasSkip = true
	}
	if exp, ok := option(v, "expand"); ok {
		names, err := expandNames(exp)
		if err != nil {
			return q, err
		}
		q.expand = names
	}
	// $orderby is accepted: snapshot objects keep the order Graph gave them.
	return q, nil
}

// expandNames returns the top-level navigation properties of an $expand value, lowercased:
// "assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)" names
// assignments and scheduledActionsForRule. Nested options are accepted as given: snapshot
// objects hold what the collector's nested $expand returned.
func expandNames(exp string) (map[string]bool, error) {
	names := map[string]bool{}
	depth, start := 0, 0
	add := func(part string) error {
		name, _, _ := strings.Cut(part, "(")
		name = strings.TrimSpace(name)
		if name == "" {
			return fmt.Errorf("invalid $expand %q: empty navigation property", exp)
		}
		names[strings.ToLower(name)] = true
		return nil
	}
	for i, r := range exp {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return nil, fmt.Errorf("invalid $expand %q: unbalanced parentheses", exp)
			}
		case ',':
			if depth == 0 {
				if err := add(exp[start:i]); err != nil {
					return nil, err
				}
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("invalid $expand %q: unbalanced parentheses", exp)
	}
	return names, add(exp[start:])
}

// project applies $select to a Graph object: the selected top-level properties it has, plus id
// and OData annotations, without the navigation properties the query did not expand. Properties it lacks stay absent, so a snapshot round-trips unchanged.
func project(obj map[string]any, q odataQuery) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if q.omit[strings.ToLower(k)] {
			continue
		}
		if q.selected == nil || k == "id" || strings.HasPrefix(k, "@odata.") || q.selected[strings.ToLower(k)] {
			out[k] = v
		}
	}
	return out
}

func contextURL(c call, entitySet string, q odataQuery) string {
	ctx := c.base + "/" + c.version + "/$metadata#" + entitySet
	if q.selected != nil && !strings.HasSuffix(entitySet, "/$entity") {
		ctx += "(" + strings.Join(q.selList, ",") + ")"
	}
	return ctx
}

func (s *Server) object(c call, obj map[string]any, entitySet string, q odataQuery) response {
	out := project(obj, q)
	out["@odata.context"] = contextURL(c, entitySet, q)
	return response{status: http.StatusOK, header: map[string]string{}, body: out}
}

// page is a collection page; the field order is Graph's.
type page struct {
	Context  string `json:"@odata.context"`
	Count    *int   `json:"@odata.count,omitempty"`
	NextLink string `json:"@odata.nextLink,omitempty"`
	Value    []any  `json:"value"`
}

func (s *Server) collection(c call, items []any, entitySet string, q odataQuery) response {
	offset := 0
	if q.hasSkip {
		n, ok := s.parseSkipToken(c.fullPath(), q.rawSkip)
		if !ok {
			return s.errorResponse(badRequest("Invalid $skiptoken."), c.requestID, c.clientRequestID)
		}
		offset = n
	}
	size := s.pageSize
	if q.top > 0 && q.top < size {
		size = q.top
	}
	end := min(offset+size, len(items))
	offset = min(offset, end)
	p := page{Context: contextURL(c, entitySet, q), Value: make([]any, 0, end-offset)}
	for _, el := range items[offset:end] {
		if obj, ok := el.(map[string]any); ok {
			p.Value = append(p.Value, project(obj, q))
		} else {
			p.Value = append(p.Value, el)
		}
	}
	if q.count {
		n := len(items)
		p.Count = &n
	}
	if end < len(items) {
		p.NextLink = c.base + c.fullPath() + "?" + encodeQuery(c.query, "skiptoken", s.skipToken(c.fullPath(), end))
	}
	return response{status: http.StatusOK, header: map[string]string{}, body: p}
}

// skipToken returns an opaque $skiptoken for offset on path: base64url of the offset and a MAC
// binding it to the path, so a client cannot hand-craft or move one between collections.
func (s *Server) skipToken(path string, offset int) string {
	o := strconv.Itoa(offset)
	return base64.RawURLEncoding.EncodeToString(append([]byte(o+"."), s.mac(path, o)...))
}

func (s *Server) parseSkipToken(path, tok string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	o, mac, ok := strings.Cut(string(raw), ".")
	if !ok || !hmac.Equal([]byte(mac), s.mac(path, o)) {
		return 0, false
	}
	n, err := strconv.Atoi(o)
	return n, err == nil && n >= 0
}

func (s *Server) mac(path, offset string) []byte {
	m := hmac.New(sha256.New, s.tokenKey)
	m.Write([]byte(strings.ToLower(path) + "\x00" + offset))
	return m.Sum(nil)[:12]
}

// encodeQuery writes v with name (a system query option) replaced by value, keeping '$' and
// ',' readable as Graph's own nextLinks do.
func encodeQuery(v url.Values, name, value string) string {
	keys := make([]string, 0, len(v)+1)
	for k := range v {
		if k != name && k != "$"+name {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	add := func(k, val string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escapeQuery(k))
		b.WriteByte('=')
		b.WriteString(escapeQuery(val))
	}
	for _, k := range keys {
		for _, val := range v[k] {
			add(k, val)
		}
	}
	add("$"+name, value)
	return b.String()
}

func escapeQuery(s string) string {
	return strings.NewReplacer("%24", "$", "%2C", ",").Replace(url.QueryEscape(s))
}
