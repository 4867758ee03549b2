package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/snapshot"
)

// load reads a test tenant from testdata/snapshots.
func load(t testing.TB, name string) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// collectedVersion is the Graph version posture's collector reads a key from, which is the
// version the snapshot's objects were written in, and the $expand it reads them with (from
// collect.Sources, not a second table).
func collectedVersion(t testing.TB, key string) (version, expand string) {
	t.Helper()
	for _, s := range collect.Sources() {
		if s.Key == key && s.Path != "" {
			u, err := url.Parse(s.Path)
			if err != nil {
				t.Fatal(err)
			}
			v, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
			return v, u.Query().Get("$expand")
		}
	}
	t.Fatalf("no collector reads %s", key)
	return "", ""
}

func tenants(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test tenants: %v", err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	return names
}

// newServer returns a server for snap; without a clock of their own, its service limits run
// on a SteppingClock.
func newServer(t testing.TB, snap *snapshot.Snapshot, opts Options) *Server {
	t.Helper()
	if opts.Now == nil {
		opts.Now = SteppingClock()
	}
	s, err := New(snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// answer is a decoded Graph answer.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends one request to h as if from http://127.0.0.1 (httptest) or the given absolute URL.
func do(t testing.TB, h http.Handler, method, target, token string, body io.Reader) answer {
	t.Helper()
	if strings.HasPrefix(target, "/") {
		target = "http://127.0.0.1" + target
	}
	req := httptest.NewRequest(method, target, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if method == http.MethodPost && body != nil && strings.Contains(target, "/token") {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return serve(t, h, req)
}

// serve sends req to h and decodes the JSON answer.
func serve(t testing.TB, h http.Handler, req *http.Request) answer {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answer{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	dec := json.NewDecoder(rec.Body)
	dec.UseNumber()
	if err := dec.Decode(&a.body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v: %q", req.Method, req.URL, err, a.raw)
	}
	return a
}

func get(t testing.TB, h http.Handler, target string) answer {
	t.Helper()
	return do(t, h, http.MethodGet, target, "", nil)
}

func errorCode(a answer) string {
	e, _ := a.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// all follows @odata.nextLink from target and returns every element and the number of pages.
func all(t testing.TB, h http.Handler, target string) ([]any, int) {
	t.Helper()
	out := []any{}
	pages := 0
	for target != "" {
		a := get(t, h, target)
		if a.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", target, a.status, a.raw)
		}
		pages++
		vals, ok := a.body["value"].([]any)
		if !ok {
			t.Fatalf("GET %s: no value array: %s", target, a.raw)
		}
		out = append(out, vals...)
		target, _ = a.body["@odata.nextLink"].(string)
		if pages > 1000 {
			t.Fatal("more than 1000 pages: nextLink loop")
		}
	}
	return out, pages
}

func jsonEqual(t testing.TB, got, want any) bool {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var gv, wv any
	_ = json.Unmarshal(g, &gv)
	_ = json.Unmarshal(w, &wv)
	return reflect.DeepEqual(gv, wv)
}

func TestPagingReturnsEveryElementOnce(t *testing.T) {
	for _, name := range tenants(t) {
		snap := load(t, name)
		for _, size := range []int{1, 3, 100} {
			h := newServer(t, snap, Options{PageSize: size, NoAuth: true}).Handler()
			for _, rt := range Routes() {
				if rt.Object || !snap.Known(rt.Key) {
					continue
				}
				t.Run(fmt.Sprintf("%s/size%d%s", name, size, rt.Path), func(t *testing.T) {
					// The collector's $expand, and the navigation properties it reads per object.
					version, expand := collectedVersion(t, rt.Key)
					parts := []string{}
					if expand != "" {
						parts = append(parts, expand)
					}
					for _, n := range rt.Nav {
						if !strings.Contains(expand, n) {
							parts = append(parts, n)
						}
					}
					q := url.Values{}
					if len(parts) > 0 {
						q.Set("$expand", strings.Join(parts, ","))
					}
					if rt.Filter != "" {
						q.Set("$filter", rt.Filter)
					}
					target := "/" + version + rt.Path
					if len(q) > 0 {
						target += "?" + q.Encode()
					}
					got, pages := all(t, h, target)
					s := newServer(t, snap, Options{})
					want := s.elements(rt.Key)
					if !jsonEqual(t, got, want) {
						t.Errorf("paged elements differ from the snapshot's %s:\n got %d elements\nwant %d", rt.Key, len(got), len(want))
					}
					wantPages := max(1, (len(want)+size-1)/size)
					if pages != wantPages {
						t.Errorf("%d elements in %d pages of %d; want %d pages", len(want), pages, size, wantPages)
					}
				})
			}
		}
	}
}

func TestTopSetsThePageSizeAndNextLinkKeepsTheQuery(t *testing.T) {
	snap := load(t, "e3-no-p2.json") // 16 users
	h := newServer(t, snap, Options{PageSize: 5, NoAuth: true}).Handler()
	tests := []struct {
		query     string
		firstPage int
		pages     int
	}{
		{"", 5, 4},
		{"?$top=2", 2, 8},
		{"?$top=50", 5, 4},
		{"?top=4", 4, 4}, // Graph accepts system query options without '$'
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			a := get(t, h, "/v1.0/users"+tt.query)
			if n := len(a.body["value"].([]any)); n != tt.firstPage {
				t.Errorf("first page has %d users; want %d", n, tt.firstPage)
			}
			next, _ := a.body["@odata.nextLink"].(string)
			u, err := url.Parse(next)
			if err != nil || u.Scheme != "http" || u.Host != "127.0.0.1" || u.Path != "/v1.0/users" {
				t.Fatalf("nextLink %q is not an absolute link to the same collection", next)
			}
			if tt.query != "" && !strings.Contains(next, strings.TrimPrefix(tt.query, "?")) {
				t.Errorf("nextLink %q lost the query %q", next, tt.query)
			}
			if tok := u.Query().Get("$skiptoken"); tok == "" || strings.Contains(tok, "5") && len(tok) < 4 {
				t.Errorf("nextLink %q has no opaque $skiptoken", next)
			}
			_, pages := all(t, h, "/v1.0/users"+tt.query)
			if pages != tt.pages {
				t.Errorf("%d pages; want %d", pages, tt.pages)
			}
		})
	}
}

// TestBadQueryOptions: what Graph refuses, the simulator refuses, with Graph's code and
// message.
func TestBadQueryOptions(t *testing.T) {
	snap := load(t, "weak.json")
	h := newServer(t, snap, Options{PageSize: 2, NoAuth: true}).Handler()
	next := get(t, h, "/v1.0/users").body["@odata.nextLink"].(string)
	u, _ := url.Parse(next)
	tok := u.Query().Get("$skiptoken")
	const unsupported = "Request_UnsupportedQuery"
	tests := []struct {
		name, target, code, message string
	}{
		{"tampered skiptoken", "/v1.0/users?$skiptoken=" + url.QueryEscape(tok[:len(tok)-2]+"AA"), "BadRequest", "Invalid $skiptoken."},
		{"skiptoken moved to another collection", "/v1.0/groups?$skiptoken=" + url.QueryEscape(tok), "BadRequest", "Invalid $skiptoken."},
		{"not a skiptoken", "/v1.0/users?$skiptoken=MTA", "BadRequest", "Invalid $skiptoken."},
		{"top zero", "/v1.0/users?$top=0", "BadRequest", "Invalid value '0' for $top query option"},
		{"top text", "/v1.0/users?$top=ten", "BadRequest", "Invalid value 'ten' for $top query option"},
		{"top over the directory maximum", "/v1.0/users?$top=5000", unsupported,
			"Invalid page size specified: '5000'. Must be between 1 and 999 inclusive."},
		{"top over the maximum with signInActivity", "/v1.0/users?$select=id,signInActivity&$top=999", unsupported,
			"Invalid page size specified: '999'. Must be between 1 and 500 inclusive."},
		{"top over the maximum of group members", "/v1.0/groups/b2000000-0001-4000-8000-000000000001/transitiveMembers/microsoft.graph.user?$top=1000", unsupported,
			"Must be between 1 and 999 inclusive."},
		{"top on a single object", "/v1.0/policies/authorizationPolicy?$top=1", "BadRequest", "The requested resource is not a collection."},
		{"empty select item", "/v1.0/users?$select=id,,displayName", "BadRequest", "Term '' is not valid in a $select or $expand expression."},
		{"unknown select", "/v1.0/servicePrincipals?$select=id,noSuchProperty", "BadRequest",
			"Parsing OData Select and Expand failed: Could not find a property named 'noSuchProperty' on type 'microsoft.graph.servicePrincipal'."},
		{"beta-only select under v1.0", "/v1.0/servicePrincipals?$select=publisherName", "BadRequest",
			"Could not find a property named 'publisherName' on type 'microsoft.graph.servicePrincipal'."},
		{"unknown expand", "/v1.0/groups?$expand=noSuchNavigation", "BadRequest",
			"Could not find a property named 'noSuchNavigation' on type 'microsoft.graph.group'."},
		{"expand of a structural property", "/v1.0/groups?$expand=displayName", "BadRequest",
			"Property 'displayName' on type 'microsoft.graph.group' is not a navigation property or complex property."},
		{"unknown nested expand", "/beta/deviceManagement/deviceCompliancePolicies?$expand=scheduledActionsForRule($expand=nope)", "BadRequest",
			"Could not find a property named 'nope' on type 'microsoft.graph.deviceComplianceScheduledActionForRule'."},
		{"expand the snapshot does not hold", "/v1.0/users?$select=id&$expand=manager", "BadRequest",
			"The simulator does not serve $expand=manager"},
		{"filter", "/v1.0/users?$filter=accountEnabled%20eq%20true", unsupported,
			"Unsupported or invalid query filter clause specified for property 'accountEnabled' of resource 'User'."},
		{"filter on an unknown property", "/v1.0/users?$filter=noSuch%20eq%201", "BadRequest",
			"Could not find a property named 'noSuch' on type 'microsoft.graph.user'."},
		{"search", "/v1.0/users?$search=%22displayName:a%22", unsupported, "only works through MSGraph with a special request header"},
		{"unknown segment", "/v1.0/nothingHere", "BadRequest", "Resource not found for the segment 'nothingHere'."},
		{"beta-only under v1.0", "/v1.0/deviceManagement/configurationPolicies", "BadRequest", "Resource not found for the segment 'configurationPolicies'."},
		{"cast to a type not derived", "/v1.0/groups/b2000000-0001-4000-8000-000000000001/transitiveMembers/microsoft.graph.domain", "BadRequest",
			"Resource not found for the segment 'microsoft.graph.domain'."},
		{"cast the simulator does not serve", "/v1.0/groups/b2000000-0001-4000-8000-000000000001/transitiveMembers/microsoft.graph.group", "BadRequest",
			"Resource not found for the segment 'microsoft.graph.group'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := get(t, h, tt.target)
			msg, _ := a.body["error"].(map[string]any)["message"].(string)
			if a.status != http.StatusBadRequest || errorCode(a) != tt.code || !strings.Contains(msg, tt.message) {
				t.Errorf("GET %s: %d %s; want 400 %s %q", tt.target, a.status, a.raw, tt.code, tt.message)
			}
		})
	}
	if a := get(t, h, "/v2.0/users"); a.status != http.StatusNotFound {
		t.Errorf("GET /v2.0/users: %d; want 404 (not a Graph version)", a.status)
	}
}

// TestServesOnlyWhatTheVersionDefines: a snapshot property the version does not define for
// the object's type (derived types by @odata.type) is never served, and navigation properties
// come only when expanded.
func TestServesOnlyWhatTheVersionDefines(t *testing.T) {
	snap := load(t, "hardened.json")
	snap.Entra["servicePrincipals"].([]any)[0].(map[string]any)["publisherName"] = "Microsoft Services" // beta only
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	tests := []struct {
		target, property string
		served           bool
	}{
		{"/v1.0/servicePrincipals", "publisherName", false},
		{"/beta/servicePrincipals", "publisherName", true},
		{"/v1.0/deviceManagement/deviceCompliancePolicies?$expand=assignments", "activeFirewallRequired", false},
		{"/beta/deviceManagement/deviceCompliancePolicies?$expand=assignments", "activeFirewallRequired", true},
		{"/beta/deviceManagement/deviceCompliancePolicies?$expand=assignments", "assignments", true},
		{"/beta/deviceManagement/deviceCompliancePolicies", "assignments", false},
		{"/beta/deviceManagement/deviceCompliancePolicies", "scheduledActionsForRule", false},
	}
	for _, tt := range tests {
		t.Run(tt.target+" "+tt.property, func(t *testing.T) {
			a := get(t, h, tt.target)
			if a.status != http.StatusOK {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			first := a.body["value"].([]any)[0].(map[string]any)
			if _, has := first[tt.property]; has != tt.served {
				t.Errorf("%s served: %v; want %v", tt.property, has, tt.served)
			}
		})
	}
	// Nested: a v1.0 assignment target does not carry the beta-only filter fields.
	a := get(t, h, "/v1.0/deviceManagement/deviceCompliancePolicies?$expand=assignments")
	for _, p := range a.body["value"].([]any) {
		for _, as := range p.(map[string]any)["assignments"].([]any) {
			if _, has := as.(map[string]any)["target"].(map[string]any)["deviceAndAppManagementAssignmentFilterType"]; has {
				t.Errorf("v1.0 served the beta-only deviceAndAppManagementAssignmentFilterType: %v", as)
			}
		}
	}
}

func TestSelectProjectsTopLevelProperties(t *testing.T) {
	snap := load(t, "hardened.json")
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	tests := []struct {
		target string
		want   []string // keys of the first element (or the object), @odata.context left out
	}{
		{"/v1.0/users?$select=displayName,accountEnabled", []string{"accountEnabled", "displayName", "id"}},
		{"/v1.0/users?$select=DISPLAYNAME", []string{"displayName", "id"}},                                // case-insensitive
		{"/v1.0/users?$select=displayName,onPremisesImmutableId", []string{"displayName", "id"}},          // absent stays absent
		{"/v1.0/users?$select=signInActivity", []string{"id", "signInActivity"}},                          // readable here
		{"/v1.0/policies/authorizationPolicy?$select=guestUserRoleId", []string{"guestUserRoleId", "id"}}, // objects too
		{"/v1.0/domains?select=isDefault", []string{"id", "isDefault"}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			a := get(t, h, tt.target)
			if a.status != http.StatusOK {
				t.Fatalf("%d %s", a.status, a.raw)
			}
			obj := a.body
			if vals, ok := a.body["value"].([]any); ok {
				obj = vals[0].(map[string]any)
			}
			var keys []string
			for k := range obj {
				if k != "@odata.context" {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			if !reflect.DeepEqual(keys, tt.want) {
				t.Errorf("keys %v; want %v", keys, tt.want)
			}
		})
	}
}

func TestObjectsAndCollectionsOfOne(t *testing.T) {
	snap := load(t, "weak.json")
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	for _, rt := range Routes() {
		if !rt.Object || !snap.Known(rt.Key) {
			continue
		}
		a := get(t, h, "/v1.0"+rt.Path)
		ctx, _ := a.body["@odata.context"].(string)
		delete(a.body, "@odata.context")
		var body any = a.body
		if rt.Property != "" {
			body = a.body[rt.Property]
		}
		if a.status != http.StatusOK || !jsonEqual(t, body, newServer(t, snap, Options{}).value(rt.Key)) {
			t.Errorf("GET %s: %d, body differs from %s", rt.Path, a.status, rt.Key)
		}
		if !strings.HasSuffix(ctx, "/v1.0/$metadata#"+strings.TrimPrefix(rt.Path, "/")+"/$entity") {
			t.Errorf("GET %s: @odata.context %q", rt.Path, ctx)
		}
	}
	org := get(t, h, "/v1.0/organization")
	vals, _ := org.body["value"].([]any)
	if len(vals) != 1 || !jsonEqual(t, vals[0], snap.Entra["organization"]) {
		t.Errorf("/organization: %s; want a collection of the one organization", org.raw)
	}
	user := get(t, h, "/v1.0/users/"+url.PathEscape("Carol.Diaz@northwindtraders.com")+"?$select=userPrincipalName")
	if user.status != http.StatusOK || user.body["id"] != "a1000000-0001-4000-8000-000000000003" {
		t.Errorf("/users/{upn}: %d %s", user.status, user.raw)
	}
	if a := get(t, h, "/v1.0/users/a1000000-0001-4000-8000-000000000999"); a.status != http.StatusNotFound || errorCode(a) != "Request_ResourceNotFound" {
		t.Errorf("unknown user: %d %s; want 404 Request_ResourceNotFound", a.status, a.raw)
	}
}

func TestGroupMembers(t *testing.T) {
	snap := load(t, "e3-no-p2.json")
	h := newServer(t, snap, Options{PageSize: 3, NoAuth: true}).Handler()
	members := snap.Entra["groupMembers"].(map[string]any)
	for gid, ids := range members {
		for _, suffix := range []string{"/transitiveMembers/microsoft.graph.user?$select=id", "/transitiveMembers?$select=id"} {
			got, _ := all(t, h, "/v1.0/groups/"+gid+suffix)
			var gotIDs []any
			for _, m := range got {
				obj := m.(map[string]any)
				if obj["@odata.type"] != "#microsoft.graph.user" || len(obj) != 2 {
					t.Errorf("group %s member %v; want only @odata.type user and id", gid, obj)
				}
				gotIDs = append(gotIDs, obj["id"])
			}
			if !reflect.DeepEqual(gotIDs, ids) {
				t.Errorf("group %s%s: members %v; want %v", gid, suffix, gotIDs, ids)
			}
		}
	}
	full := get(t, h, "/v1.0/groups/b2000000-0003-4000-8000-000000000001/transitiveMembers/microsoft.graph.user?$select=id,userPrincipalName")
	first := full.body["value"].([]any)[0].(map[string]any)
	if first["userPrincipalName"] == nil {
		t.Errorf("members are not resolved to users: %v", first)
	}
	// b2000000-0003-4000-8000-000000000004 is in entra.groups but not in groupMembers.
	var unlisted string
	for _, g := range snap.Entra["groups"].([]any) {
		id := g.(map[string]any)["id"].(string)
		if _, ok := members[id]; !ok {
			unlisted = id
		}
	}
	if unlisted == "" {
		t.Fatal("e3-no-p2 has no group outside groupMembers; pick another tenant")
	}
	if got, _ := all(t, h, "/v1.0/groups/"+unlisted+"/transitiveMembers/microsoft.graph.user"); len(got) != 0 {
		t.Errorf("group outside groupMembers: %d members; want none", len(got))
	}
	if a := get(t, h, "/v1.0/groups/b2000000-0003-4000-8000-0000000000ff/transitiveMembers/microsoft.graph.user"); a.status != http.StatusNotFound {
		t.Errorf("unknown group: %d %s; want 404", a.status, a.raw)
	}
}

// withSources returns a copy of snap whose sources are changed as given (and whose data for a
// non-ok key is dropped, as a collector would store it).
func withSources(snap *snapshot.Snapshot, changes map[string]snapshot.Status) *snapshot.Snapshot {
	c := *snap
	c.Sources = map[string]snapshot.Source{}
	for k, v := range snap.Sources {
		c.Sources[k] = v
	}
	c.Entra = map[string]any{}
	for k, v := range snap.Entra {
		c.Entra[k] = v
	}
	c.Intune = map[string]any{}
	for k, st := range changes {
		c.Sources[k] = snapshot.Source{Status: st}
		sec, name, _ := strings.Cut(k, ".")
		if st == snapshot.StatusOK {
			if sec == snapshot.SectionIntune {
				c.Intune[name] = []any{map[string]any{"id": "p1", "displayName": "Baseline"}}
			}
			continue
		}
		delete(c.Entra, name)
	}
	return &c
}

func TestSourceStatusAnswers(t *testing.T) {
	base := load(t, "e3-no-p2.json")
	snap := withSources(base, map[string]snapshot.Status{
		"entra.namedLocations":            snapshot.StatusError,
		"entra.directorySettings":         snapshot.StatusSkipped,
		"entra.securityDefaults":          snapshot.StatusUnlicensed,
		"intune.managedDevices":           snapshot.StatusUnlicensed,
		"intune.configurationPolicies":    snapshot.StatusOK,
		"intune.deviceConfigurations":     snapshot.StatusForbidden,
		"entra.conditionalAccessPolicies": snapshot.StatusUnlicensed,
	})
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	tests := []struct {
		target string
		status int
		code   string
	}{
		// the test tenant as written: forbidden and unlicensed sources
		{"/v1.0/oauth2PermissionGrants", 403, "Authorization_RequestDenied"},
		{"/v1.0/reports/authenticationMethods/userRegistrationDetails", 403, "Authorization_RequestDenied"},
		{"/v1.0/roleManagement/directory/roleEligibilitySchedules", 400, "AadPremiumLicenseRequired"},
		{"/beta/roleManagement/directory/roleEligibilitySchedules", 400, "AadPremiumLicenseRequired"},
		{"/v1.0/roleManagement/directory/roleAssignmentScheduleInstances", 400, "AadPremiumLicenseRequired"},
		{"/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId%20eq%20'%2F'%20and%20scopeType%20eq%20'DirectoryRole'", 400, "AadPremiumLicenseRequired"},
		{"/v1.0/identityProtection/riskyUsers", 403, "Forbidden"},
		// changed statuses
		{"/v1.0/identity/conditionalAccess/namedLocations", 500, "generalException"},
		{"/v1.0/groupSettings", 403, "Authorization_RequestDenied"},
		{"/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", 403, "AccessDenied"},
		{"/v1.0/identity/conditionalAccess/policies", 403, "AccessDenied"},
		{"/v1.0/deviceManagement/managedDevices", 400, "BadRequest"},
		{"/v1.0/deviceManagement/deviceConfigurations", 403, "Authorization_RequestDenied"},
		{"/beta/deviceManagement/configurationPolicies", 200, ""},
		// keys the snapshot does not have
		{"/v1.0/deviceManagement/deviceCompliancePolicies", 403, "Authorization_RequestDenied"},
		{"/v1.0/security/secureScores?$top=90", 403, "Authorization_RequestDenied"},
		// signInActivity no user has, AuditLog.Read.All missing (userRegistrationDetails forbidden)
		{"/v1.0/users?$select=id,signInActivity", 403, "Authorization_RequestDenied"},
		{"/v1.0/users?$select=id", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			a := get(t, h, tt.target)
			if a.status != tt.status || errorCode(a) != tt.code {
				t.Errorf("%d %q; want %d %q (%s)", a.status, errorCode(a), tt.status, tt.code, a.raw)
			}
			if tt.code != "" {
				e := a.body["error"].(map[string]any)
				inner, _ := e["innerError"].(map[string]any)
				if e["message"] == "" || inner["request-id"] == "" || inner["date"] == "" {
					t.Errorf("error body lacks message, innerError.request-id or date: %s", a.raw)
				}
				if a.header.Get("request-id") != inner["request-id"] {
					t.Errorf("request-id header %q differs from the body's %v", a.header.Get("request-id"), inner["request-id"])
				}
			}
		})
	}
	unlicensedSignIns := withSources(base, map[string]snapshot.Status{"entra.userRegistrationDetails": snapshot.StatusUnlicensed})
	a := get(t, newServer(t, unlicensedSignIns, Options{NoAuth: true}).Handler(), "/v1.0/users?$select=signInActivity")
	if a.status != 403 || errorCode(a) != "Authentication_RequestFromNonPremiumTenantOrB2CTenant" {
		t.Errorf("signInActivity without P1: %d %s", a.status, a.raw)
	}
	for _, code := range []string{"AadPremiumLicenseRequired", "Forbidden", "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "AccessDenied", "BadRequest"} {
		found := false
		for _, c := range UnlicensedCodes() {
			found = found || c == code
		}
		if !found {
			t.Errorf("UnlicensedCodes() lacks %s", code)
		}
	}
}

func TestFailInjection(t *testing.T) {
	snap := load(t, "hardened.json")
	h := newServer(t, snap, Options{NoAuth: true, RetryAfter: 2 * time.Second, Fail: map[string]int{
		"/v1.0/identity/conditionalAccess/policies": 403,
		"/users":                       500, // both versions
		"/v1.0/users/a1000000-0002":    404, // not a whole segment: never matches
		"/beta/domains":                503,
		"/v1.0/groups":                 429,
		"/v1.0/groups/b2000000-0002-4": 401, // not a whole segment
		"/v1.0/roleManagement":         400,
		"/v1.0/roleManagement/directory/roleDefinitions": 404, // longer prefix wins
	}}).Handler()
	tests := []struct {
		target     string
		status     int
		code       string
		retryAfter string
	}{
		{"/v1.0/identity/conditionalAccess/policies?$select=id", 403, "Authorization_RequestDenied", ""},
		{"/v1.0/identity/conditionalAccess/namedLocations", 200, "", ""},
		{"/v1.0/users", 500, "generalException", ""},
		{"/beta/users/a1000000-0002-4000-8000-000000000001", 500, "generalException", ""},
		{"/v1.0/domains", 200, "", ""},
		{"/beta/domains", 503, "serviceNotAvailable", "2"},
		{"/v1.0/groups", 429, "TooManyRequests", "2"},
		{"/v1.0/roleManagement/directory/roleAssignments", 400, "BadRequest", ""},
		{"/v1.0/roleManagement/directory/roleDefinitions", 404, "Request_ResourceNotFound", ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			a := get(t, h, tt.target)
			if a.status != tt.status || errorCode(a) != tt.code || a.header.Get("Retry-After") != tt.retryAfter {
				t.Errorf("%d %q Retry-After %q; want %d %q %q", a.status, errorCode(a), a.header.Get("Retry-After"), tt.status, tt.code, tt.retryAfter)
			}
		})
	}
	for _, bad := range []map[string]int{{"users": 403}, {"/users": 200}, {"/users": 600}} {
		if _, err := New(snap, Options{Fail: bad}); err == nil {
			t.Errorf("New with Fail %v: no error", bad)
		}
	}
}

// TestRequiredFilter checks a resource Graph lists only with a $filter (PIM role settings,
// Microsoft Learn "List roleManagementPolicyAssignments"): none is Graph's 400 UnknownError
// MissingProvider, another one is unsupported, the one the route names serves the snapshot with
// the nested expansion, and an element's single-valued navigation property is an object.
func TestRequiredFilter(t *testing.T) {
	snap := load(t, "hardened.json")
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	const list = "/v1.0/policies/roleManagementPolicyAssignments"
	scope := "?$filter=" + url.QueryEscape("scopeId eq '/' and scopeType eq 'DirectoryRole'")
	if a := get(t, h, list+"?$expand=policy($expand=rules)"); a.status != http.StatusBadRequest || errorCode(a) != "UnknownError" ||
		!strings.Contains(a.raw, "MissingProvider") {
		t.Errorf("no $filter: %d %s; want 400 UnknownError MissingProvider", a.status, a.raw)
	}
	other := "?$filter=" + url.QueryEscape("scopeId eq '/' and scopeType eq 'Directory'")
	if a := get(t, h, list+other); a.status != http.StatusBadRequest || errorCode(a) != "Request_UnsupportedQuery" {
		t.Errorf("another $filter: %d %s; want 400 Request_UnsupportedQuery", a.status, a.raw)
	}
	a := get(t, h, list+scope+"&$expand=policy($expand=rules)")
	vals, _ := a.body["value"].([]any)
	if a.status != http.StatusOK || !jsonEqual(t, vals, snap.Entra["roleManagementPolicyAssignments"]) {
		t.Errorf("with the scope filter and $expand: %d, value differs from the snapshot: %s", a.status, a.raw)
	}
	bare := get(t, h, list+scope)
	first, _ := bare.body["value"].([]any)
	if len(first) == 0 || first[0].(map[string]any)["policy"] != nil {
		t.Errorf("without $expand the policy must not be served: %s", bare.raw)
	}
	id := vals[0].(map[string]any)["id"].(string)
	one := get(t, h, list+"/"+url.PathEscape(id)+"/policy")
	if one.status != http.StatusOK || one.body["id"] != vals[0].(map[string]any)["policy"].(map[string]any)["id"] || one.body["rules"] != nil {
		t.Errorf("/{id}/policy: %d %s; want the policy object without its rules", one.status, one.raw)
	}
}

// TestAppManagementPolicyAppliesTo: a custom app management policy's appliesTo is not in the
// policy as listed (a navigation property, as in Graph), and is served at
// /policies/appManagementPolicies/{id}/appliesTo, projected by $select with each object's type.
func TestAppManagementPolicyAppliesTo(t *testing.T) {
	h := newServer(t, load(t, "lockout.json"), Options{NoAuth: true}).Handler()
	list := get(t, h, "/v1.0/policies/appManagementPolicies")
	vals, _ := list.body["value"].([]any)
	if list.status != http.StatusOK || len(vals) != 1 {
		t.Fatalf("list: %d %s", list.status, list.raw)
	}
	if _, has := vals[0].(map[string]any)["appliesTo"]; has {
		t.Errorf("list: appliesTo served without being asked for: %s", list.raw)
	}
	a := get(t, h, "/v1.0/policies/appManagementPolicies/ac000000-0005-4000-8000-000000000001/appliesTo?$select=id")
	vals, _ = a.body["value"].([]any)
	want := map[string]any{"@odata.type": "#microsoft.graph.application", "id": "aa000000-0005-4000-8000-000000000001"}
	if a.status != http.StatusOK || len(vals) != 1 || !reflect.DeepEqual(vals[0], want) {
		t.Errorf("appliesTo: %d %s; want the one application, by id", a.status, a.raw)
	}
	if a := get(t, h, "/v1.0/policies/appManagementPolicies/ac000000-0005-4000-8000-000000000999/appliesTo"); a.status != http.StatusNotFound {
		t.Errorf("appliesTo of an unknown policy: %d %s; want 404", a.status, a.raw)
	}
}
