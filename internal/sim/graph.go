package sim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/graphschema"
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
	// MaxTop is the largest $top the resource accepts (0: no maximum is known); a larger one is
	// answered 400 (see topError).
	MaxTop int
	// Filter is the $filter the resource requires: Graph refuses a list of it without one (see
	// errMissingProvider). The snapshot holds what that filter selects, so the simulator serves
	// the list for exactly this filter (whitespace aside) and refuses any other as unsupported.
	Filter string
}

// Page size maxima. Directory collections: "The default and maximum page sizes are 100 and
// 999" (Microsoft Learn, "List users", "List groups", "List servicePrincipals", "List group
// transitive members"); users that select signInActivity: 500 ("List users": "When
// signInActivity is selected or filtered on, the maximum page size is 500"). Learn documents no
// maximum for userRegistrationDetails and Intune's collections; the simulator refuses $top over
// the largest page they are seen to serve (999 for userRegistrationDetails, as peers page it;
// 1000 for Intune, whose pages hold at most 1000 objects, microsoftgraph/powershell-intune-samples#2).
// Secure Score documents none and none is applied.
const (
	maxTopDirectory      = 999
	maxTopSignInActivity = 500
	maxTopReports        = 999
	maxTopIntune         = 1000
)

// Routes returns the resources the simulator serves, in the order of the snapshot keys. Besides
// these it answers /{collection}/{id} for an element of a collection (users also by
// userPrincipalName), /{collection}/{id}/{nav} for a route's navigation properties (an
// intent's settings), /groups/{id}/transitiveMembers[/microsoft.graph.user] from
// entra.groupMembers, and POST /$batch. entra.organization is a collection of one, as in Graph.
//
// Every request is held to Microsoft's schema of its version (internal/graphschema): a path
// that does not resolve, a $select or $expand name the type does not define, is answered 400
// as Graph answers it; an object is served with only the properties that version defines for
// its type (a beta-only property of a snapshot is not served from /v1.0), navigation
// properties only where expanded.
func Routes() []Route {
	return []Route{
		{Path: "/organization", Key: "entra.organization"},
		{Path: "/subscribedSkus", Key: "entra.subscribedSkus"},
		{Path: "/domains", Key: "entra.domains"},
		{Path: "/users", Key: "entra.users", MaxTop: maxTopDirectory},
		{Path: "/groups", Key: "entra.groups", MaxTop: maxTopDirectory},
		{Path: "/roleManagement/directory/roleDefinitions", Key: "entra.roleDefinitions"},
		{Path: "/roleManagement/directory/roleAssignments", Key: "entra.roleAssignments"},
		{Path: "/roleManagement/directory/roleEligibilitySchedules", Key: "entra.roleEligibilitySchedules"},
		{Path: "/roleManagement/directory/roleAssignmentScheduleInstances", Key: "entra.roleAssignmentScheduleInstances"},
		{Path: "/policies/roleManagementPolicyAssignments", Key: "entra.roleManagementPolicyAssignments", Nav: []string{"policy"},
			Filter: "scopeId eq '/' and scopeType eq 'DirectoryRole'"},
		{Path: "/identity/conditionalAccess/policies", Key: "entra.conditionalAccessPolicies"},
		{Path: "/identity/conditionalAccess/namedLocations", Key: "entra.namedLocations"},
		{Path: "/policies/identitySecurityDefaultsEnforcementPolicy", Key: "entra.securityDefaults", Object: true},
		{Path: "/policies/authorizationPolicy", Key: "entra.authorizationPolicy", Object: true},
		{Path: "/policies/authenticationMethodsPolicy", Key: "entra.authenticationMethodsPolicy", Object: true},
		{Path: "/policies/adminConsentRequestPolicy", Key: "entra.adminConsentRequestPolicy", Object: true},
		{Path: "/policies/defaultAppManagementPolicy", Key: "entra.defaultAppManagementPolicy", Object: true},
		{Path: "/policies/appManagementPolicies", Key: "entra.appManagementPolicies", Nav: []string{"appliesTo"}},
		{Path: "/reports/authenticationMethods/userRegistrationDetails", Key: "entra.userRegistrationDetails", MaxTop: maxTopReports},
		{Path: "/servicePrincipals", Key: "entra.servicePrincipals", MaxTop: maxTopDirectory},
		{Path: "/oauth2PermissionGrants", Key: "entra.oauth2PermissionGrants"},
		{Path: "/groupSettings", Key: "entra.directorySettings"},
		{Path: "/identityProtection/riskyUsers", Key: "entra.riskyUsers"},
		{Path: "/deviceManagement/deviceConfigurations", Key: "intune.deviceConfigurations", Nav: []string{"assignments"}, MaxTop: maxTopIntune},
		{Path: "/deviceManagement/deviceCompliancePolicies", Key: "intune.deviceCompliancePolicies",
			Nav: []string{"assignments", "scheduledActionsForRule"}, MaxTop: maxTopIntune},
		{Path: "/deviceManagement/configurationPolicies", Key: "intune.configurationPolicies", BetaOnly: true,
			Nav: []string{"settings", "assignments"}, MaxTop: maxTopIntune},
		{Path: "/deviceManagement/intents", Key: "intune.intents", BetaOnly: true, Nav: []string{"settings", "assignments"}, MaxTop: maxTopIntune},
		{Path: "/deviceManagement/managedDevices", Key: "intune.managedDevices", MaxTop: maxTopIntune},
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
	case strings.EqualFold(rest, "/$batch"): // the items of a $batch count, each on its own
		if e, ok := s.injected(c.fullPath()); ok {
			resp = s.errorResponse(e, c.requestID, c.clientRequestID)
		} else {
			resp = s.batch(r, c)
		}
	default:
		if e, over := s.limited(rest, c.query); over {
			resp = s.errorResponse(e, c.requestID, c.clientRequestID)
		} else {
			resp = s.answer(c)
		}
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
	schema := s.schemas[c.version]
	tgt, err := schema.Resolve(c.path)
	if err != nil {
		return fail(badRequest(err.Error()))
	}
	query := c.query
	lower := strings.ToLower(c.path)
	if rt, ok := routeIndex[strings.TrimRight(lower, "/")]; ok && rt.Filter != "" {
		f, has := option(query, "filter")
		switch {
		case !has:
			return fail(errMissingProvider)
		case strings.Join(strings.Fields(f), " ") != rt.Filter:
			return fail(filterError(schema, tgt.Type, f))
		}
		query = withoutOption(query, "filter")
	}
	q, e := parseQuery(query, schema, tgt)
	if e != nil {
		return fail(*e)
	}
	segs := strings.Split(strings.Trim(c.path, "/"), "/")
	if rt, ok := routeIndex[strings.TrimRight(lower, "/")]; ok {
		if rt.BetaOnly && c.version != "beta" {
			return fail(badRequest("Resource not found for the segment '" + segs[len(segs)-1] + "'."))
		}
		if e := servedExpand(rt.Nav, q, c.path); e != nil {
			return fail(*e)
		}
		if e := topError(rt.MaxTop, rt.Key, q); e != nil {
			return fail(*e)
		}
		if e := s.sourceError(rt.Key); e != nil {
			return fail(*e)
		}
		if rt.Key == "entra.users" {
			if e := s.signInActivityError(q); e != nil {
				return fail(*e)
			}
		}
		if rt.Object {
			obj, _ := s.value(rt.Key).(map[string]any)
			if rt.Property != "" {
				obj = map[string]any{rt.Property: obj}
			}
			return s.object(c, tgt, obj, strings.TrimPrefix(c.path, "/")+"/$entity", q)
		}
		return s.collection(c, tgt, s.elements(rt.Key), strings.TrimPrefix(c.path, "/"), q)
	}
	if len(segs) >= 3 && strings.EqualFold(segs[0], "groups") && strings.EqualFold(segs[2], "transitiveMembers") &&
		(len(segs) == 3 || len(segs) == 4 && strings.EqualFold(segs[3], "microsoft.graph.user")) {
		if e := servedExpand(nil, q, c.path); e != nil {
			return fail(*e)
		}
		if e := topError(maxTopDirectory, "entra.groupMembers", q); e != nil {
			return fail(*e)
		}
		return s.groupMembers(c, tgt, segs[1], q)
	}
	if len(segs) >= 2 {
		parent := "/" + strings.ToLower(strings.Join(segs[:len(segs)-1], "/"))
		if rt, ok := routeIndex[parent]; ok && !rt.Object && !(rt.BetaOnly && c.version != "beta") {
			if e := servedExpand(rt.Nav, q, c.path); e != nil {
				return fail(*e)
			}
			if e := s.sourceError(rt.Key); e != nil {
				return fail(*e)
			}
			id := segs[len(segs)-1]
			if obj, ok := s.element(rt.Key, id); ok {
				if rt.Key == "entra.users" && q.selects("signInActivity") {
					if e := s.userSignInActivityError(q, obj, id); e != nil {
						return fail(*e)
					}
					if obj["signInActivity"] == nil {
						// Graph leaves the property out for a user who never signed in.
						obj = without(obj, "signInActivity")
					}
				}
				return s.object(c, tgt, obj, strings.TrimPrefix(parent, "/")+"/$entity", q)
			}
			return fail(notFound(id))
		}
	}
	if len(segs) >= 3 {
		if resp, ok := s.navigation(c, tgt, segs, q); ok {
			return resp
		}
	}
	// A path Graph's schema knows but the simulator does not serve (another navigation
	// property, a type cast it does not implement): Graph's answer for a segment it cannot
	// serve.
	return fail(badRequest("Resource not found for the segment '" + segs[len(segs)-1] + "'."))
}

// servedExpand refuses an $expand of a navigation property the snapshot does not hold for
// the resource (nav): the schema allows it, but the simulator has no data to expand and
// must not pretend there is none.
func servedExpand(nav []string, q odataQuery, path string) *apiError {
	for _, it := range q.expandItems {
		if it.Name == "*" || navName(nav, it.Name) != "" {
			continue
		}
		e := badRequest(fmt.Sprintf("The simulator does not serve $expand=%s on %s: the snapshot does not hold it.", it.Name, path))
		return &e
	}
	return nil
}

// topError is Graph's answer to a $top over a resource's maximum: 400 Request_UnsupportedQuery,
// "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive." (the message as
// the directory sends it, recorded in turbot/steampipe-plugin-azuread's group and user
// tables). Users that select signInActivity have a smaller maximum.
func topError(maxTop int, key string, q odataQuery) *apiError {
	if key == "entra.users" && q.selects("signInActivity") {
		maxTop = maxTopSignInActivity
	}
	if maxTop == 0 || q.top <= maxTop {
		return nil
	}
	return &apiError{status: http.StatusBadRequest, code: "Request_UnsupportedQuery",
		message: fmt.Sprintf("Invalid page size specified: '%d'. Must be between 1 and %d inclusive.", q.top, maxTop)}
}

// without returns a shallow copy of obj without the property name.
func without(obj map[string]any, name string) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if k != name {
			out[k] = v
		}
	}
	return out
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
func (s *Server) navigation(c call, tgt graphschema.Target, segs []string, q odataQuery) (resp response, ok bool) {
	parent := "/" + strings.ToLower(strings.Join(segs[:len(segs)-2], "/"))
	rt, known := routeIndex[parent]
	nav := segs[len(segs)-1]
	if !known || rt.Object || rt.BetaOnly && c.version != "beta" || navName(rt.Nav, nav) == "" {
		return response{}, false
	}
	fail := func(e apiError) response { return s.errorResponse(e, c.requestID, c.clientRequestID) }
	if e := servedExpand(nil, q, c.path); e != nil {
		return fail(*e), true
	}
	if e := topError(rt.MaxTop, rt.Key, q); e != nil {
		return fail(*e), true
	}
	if e := s.sourceError(rt.Key); e != nil {
		return fail(*e), true
	}
	id := segs[len(segs)-2]
	obj, found := s.element(rt.Key, id)
	if !found {
		return fail(notFound(id)), true
	}
	if one, single := obj[navName(rt.Nav, nav)].(map[string]any); single {
		// A single-valued navigation property (a policy assignment's policy) is an object.
		return s.object(c, tgt, one, strings.TrimPrefix(c.path, "/")+"/$entity", q), true
	}
	items, _ := obj[navName(rt.Nav, nav)].([]any)
	return s.collection(c, tgt, items, strings.TrimPrefix(c.path, "/"), q), true
}

// navName returns the navigation property of nav called name (ignoring case), or "".
func navName(nav []string, name string) string {
	for _, n := range nav {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
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

func (s *Server) groupMembers(c call, tgt graphschema.Target, groupID string, q odataQuery) response {
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
	return s.collection(c, tgt, out, "directoryObjects(microsoft.graph.user)", q)
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
	selected    map[string]bool // lowercased property names; nil means all
	selList     []string
	expandItems []graphschema.ExpandItem // $expand, nested options parsed
	top         int                      // 0 means no $top
	skip        int                      // offset from $skiptoken
	hasSkip     bool
	count       bool
	rawSkip     string
}

func (q odataQuery) selects(name string) bool { return q.selected[strings.ToLower(name)] }

// withoutOption returns a copy of v without the system query option name (with or without its
// '$').
func withoutOption(v url.Values, name string) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if k != name && k != "$"+name {
			out[k] = vs
		}
	}
	return out
}

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

// errNotCollection is Graph's answer to a collection-only option on a single resource
// (recorded in microsoftgraph/msgraph-sdk-powershell#2466).
var errNotCollection = badRequest("The query specified in the URI is not valid. The requested resource is not a collection. " +
	"Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections.")

// errSearchHeader is the directory's answer to $search without ConsistencyLevel: eventual,
// which the simulator does not implement (Microsoft Learn, "Advanced query capabilities on
// Microsoft Entra ID objects").
var errSearchHeader = apiError{status: http.StatusBadRequest, code: "Request_UnsupportedQuery",
	message: "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"}

// parseQuery parses the system query options of a request on tgt and checks them as Graph
// does: $select and $expand names against the version's schema, $top a positive integer, the
// collection-only options on a collection. The simulator evaluates no $filter: a $filter on a
// property the type lacks is refused as Graph refuses it, any other as an unsupported clause
// (Graph's directory answer, Request_UnsupportedQuery "Unsupported or invalid query filter
// clause specified for property 'appId' of resource 'ServicePrincipal'.",
// Microsoft365DSC/Microsoft365DSC#6382). The one filter posture sends, the scope a route
// requires (Route.Filter), is checked and taken out before this.
func parseQuery(v url.Values, schema *graphschema.Schema, tgt graphschema.Target) (odataQuery, *apiError) {
	var q odataQuery
	fail := func(e apiError) (odataQuery, *apiError) { return q, &e }
	if !tgt.Collection {
		for _, name := range []string{"filter", "orderby", "count", "skip", "top"} {
			if _, ok := option(v, name); ok {
				return fail(errNotCollection)
			}
		}
	}
	if _, ok := option(v, "search"); ok {
		return fail(errSearchHeader)
	}
	if f, ok := option(v, "filter"); ok {
		return fail(filterError(schema, tgt.Type, f))
	}
	if sel, ok := option(v, "select"); ok {
		items, err := graphschema.ParseSelect(sel)
		if err == nil {
			err = schema.CheckSelect(tgt.Type, items)
		}
		if err != nil {
			return fail(queryError(err))
		}
		q.selected = map[string]bool{}
		for _, p := range items {
			q.selected[strings.ToLower(p)] = true
			q.selList = append(q.selList, p)
		}
	}
	if exp, ok := option(v, "expand"); ok {
		items, err := graphschema.ParseExpand(exp)
		if err == nil {
			err = schema.CheckExpand(tgt.Type, items)
		}
		if err != nil {
			return fail(queryError(err))
		}
		q.expandItems = items
	}
	if top, ok := option(v, "top"); ok {
		n, err := strconv.Atoi(top)
		if err != nil || n < 1 {
			return fail(badRequest(fmt.Sprintf("Invalid value '%s' for $top query option found. The $top query option requires a non-negative integer value.", top)))
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
	// $orderby is accepted: snapshot objects keep the order Graph gave them.
	return q, nil
}

// queryError turns a schema error into Graph's answer.
func queryError(err error) apiError {
	var qe *graphschema.QueryError
	if errors.As(err, &qe) {
		return apiError{status: http.StatusBadRequest, code: qe.Code, message: qe.Message}
	}
	return apiError{status: http.StatusInternalServerError, code: "generalException", message: err.Error()}
}

// filterError is the answer to a $filter on t: Graph's message for a property t lacks, else
// the directory's message for an unsupported clause.
func filterError(schema *graphschema.Schema, t *graphschema.Type, filter string) apiError {
	prop := strings.TrimLeft(filter, " (")
	if i := strings.IndexAny(prop, " /()"); i >= 0 {
		prop = prop[:i]
	}
	if _, ok := t.Property(prop); !ok {
		if err := schema.CheckSelect(t, []string{prop}); err != nil {
			return queryError(err)
		}
	}
	short := t.Name[strings.LastIndex(t.Name, ".")+1:]
	return apiError{status: http.StatusBadRequest, code: "Request_UnsupportedQuery",
		message: fmt.Sprintf("Unsupported or invalid query filter clause specified for property '%s' of resource '%s'.",
			prop, strings.ToUpper(short[:1])+short[1:])}
}

// project applies $select to a Graph object: the selected top-level properties it has, plus id
// and OData annotations. Properties it lacks stay absent, so a snapshot round-trips unchanged.
func project(obj map[string]any, q odataQuery) map[string]any {
	if q.selected == nil {
		return obj
	}
	out := make(map[string]any, len(q.selected)+2)
	for k, v := range obj {
		if k == "id" || strings.HasPrefix(k, "@odata.") || q.selected[strings.ToLower(k)] {
			out[k] = v
		}
	}
	return out
}

// serve is what Graph returns of obj, an instance of t, in the request's version: $select
// applied, then only the properties the version defines (navigation properties where
// expanded).
func (s *Server) serve(c call, t *graphschema.Type, obj map[string]any, q odataQuery) map[string]any {
	return s.schemas[c.version].Strip(t, project(obj, q), q.expandItems)
}

func contextURL(c call, entitySet string, q odataQuery) string {
	ctx := c.base + "/" + c.version + "/$metadata#" + entitySet
	if q.selected != nil && !strings.HasSuffix(entitySet, "/$entity") {
		ctx += "(" + strings.Join(q.selList, ",") + ")"
	}
	return ctx
}

func (s *Server) object(c call, tgt graphschema.Target, obj map[string]any, entitySet string, q odataQuery) response {
	out := s.serve(c, tgt.Type, obj, q)
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

func (s *Server) collection(c call, tgt graphschema.Target, items []any, entitySet string, q odataQuery) response {
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
			p.Value = append(p.Value, s.serve(c, tgt.Type, obj, q))
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
