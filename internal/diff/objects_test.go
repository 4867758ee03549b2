package diff

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/m365posture/posture/internal/snapshot"
)

// snap builds a snapshot whose every section key is collected ok.
func snap(entra, exchange, intune map[string]any) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Tenant:  snapshot.Tenant{ID: "t1", DefaultDomain: "contoso.com"},
		Sources: map[string]snapshot.Source{},
		Entra:   entra, Exchange: exchange, Intune: intune,
		SecureScore: map[string]any{"scores": []any{map[string]any{"id": "s1", "currentScore": json.Number("10")}}},
	}
	for sec, m := range map[string]map[string]any{"entra": entra, "exchange": exchange, "intune": intune, "secureScore": s.SecureScore} {
		for k := range m {
			s.Sources[sec+"."+k] = snapshot.Source{Status: snapshot.StatusOK}
		}
	}
	return s
}

// obj builds a JSON object from alternating keys and values.
func obj(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func arr(xs ...any) []any { return xs }

func TestCompareObjects(t *testing.T) {
	ca := func(state, modified string) map[string]any {
		return obj("id", "p1", "displayName", "CA001 MFA", "state", state, "modifiedDateTime", modified,
			"conditions", obj("users", obj("includeUsers", arr("All")), "@odata.type", "#x"))
	}
	alice := func(name string, lastSignIn string) map[string]any {
		return obj("id", "u1", "displayName", name, "userPrincipalName", "alice@contoso.com", "accountEnabled", true,
			"signInActivity", obj("lastSignInDateTime", lastSignIn), "onPremisesLastSyncDateTime", lastSignIn)
	}
	bob := obj("id", "u2", "displayName", "Bob", "userPrincipalName", "bob@contoso.com")
	tests := []struct {
		name     string
		old, new *snapshot.Snapshot
		want     []ObjectChange
	}{
		{
			name: "volatile properties and change timestamps alone are no change",
			old: snap(obj("users", arr(alice("Alice", "2026-01-01T00:00:00Z")), "conditionalAccessPolicies", arr(ca("enabled", "2026-01-01T00:00:00Z"))),
				obj("transportRules", arr(obj("Guid", "g1", "Name", "r1", "State", "Enabled", "WhenChanged", "2026-01-01"))),
				obj("managedDevices", arr(obj("id", "d1", "deviceName", "PC1", "lastSyncDateTime", "2026-01-01T00:00:00Z", "@odata.etag", "1")))),
			new: snap(obj("users", arr(alice("Alice", "2026-02-01T00:00:00Z")), "conditionalAccessPolicies", arr(ca("enabled", "2026-02-01T00:00:00Z"))),
				obj("transportRules", arr(obj("Guid", "g1", "Name", "r1", "State", "Enabled", "WhenChanged", "2026-02-01"))),
				obj("managedDevices", arr(obj("id", "d1", "deviceName", "PC1", "lastSyncDateTime", "2026-02-01T00:00:00Z", "@odata.etag", "2")))),
			want: []ObjectChange{},
		},
		{
			name: "Graph objects matched by id: added, removed, changed with sorted properties",
			old:  snap(obj("users", arr(bob, alice("Alice", "x")), "conditionalAccessPolicies", arr(ca("enabled", "a"))), nil, nil),
			new: snap(obj("users", arr(obj("id", "u3", "userPrincipalName", "carol@contoso.com"), func() map[string]any {
				a := alice("Alice Smith", "y")
				a["accountEnabled"] = false
				return a
			}()), "conditionalAccessPolicies", arr(ca("disabled", "b"))), nil, nil),
			want: []ObjectChange{
				{Key: "entra.users", ID: "u1", Name: "Alice Smith", Change: ObjectChanged, Properties: []string{"accountEnabled", "displayName"},
					Changes: []PropertyChange{{"accountEnabled", true, false}, {"displayName", "Alice", "Alice Smith"}}},
				{Key: "entra.users", ID: "u2", Name: "Bob", Change: ObjectRemoved},
				{Key: "entra.users", ID: "u3", Name: "carol@contoso.com", Change: ObjectAdded},
				{Key: "entra.conditionalAccessPolicies", ID: "p1", Name: "CA001 MFA", Change: ObjectChanged, Properties: []string{"state"},
					Changes: []PropertyChange{{"state", "enabled", "disabled"}}},
			},
		},
		{
			name: "a nested change names its top-level property; numbers compare by value",
			old:  snap(obj("namedLocations", arr(obj("id", "l1", "displayName", "HQ", "isTrusted", true, "ranges", arr(obj("cidr", "10.0.0.0/8")), "order", json.Number("1")))), nil, nil),
			new:  snap(obj("namedLocations", arr(obj("id", "l1", "displayName", "HQ", "isTrusted", true, "ranges", arr(obj("cidr", "10.0.0.0/16")), "order", 1.0))), nil, nil),
			want: []ObjectChange{{Key: "entra.namedLocations", ID: "l1", Name: "HQ", Change: ObjectChanged, Properties: []string{"ranges"},
				Changes: []PropertyChange{{"ranges", arr(obj("cidr", "10.0.0.0/8")), arr(obj("cidr", "10.0.0.0/16"))}}}},
		},
		{
			name: "a missing property equals null",
			old:  snap(obj("groups", arr(obj("id", "g1", "displayName", "Admins", "membershipRule", nil))), nil, nil),
			new:  snap(obj("groups", arr(obj("id", "g1", "displayName", "Admins"))), nil, nil),
			want: []ObjectChange{},
		},
		{
			name: "Exchange objects matched by Guid, then Identity, then Name",
			old: snap(nil, obj(
				"transportRules", arr(obj("Guid", "g1", "Identity", "Rule A", "Name", "Rule A", "State", "Enabled")),
				"remoteDomains", arr(obj("Identity", "Default", "Name", "Default", "AutoForwardEnabled", false)),
				"sharingPolicies", arr(obj("Name", "Default Sharing Policy", "Enabled", true))), nil),
			new: snap(nil, obj(
				// renamed but the same rule: matched by Guid
				"transportRules", arr(obj("Guid", "g1", "Identity", "Rule B", "Name", "Rule B", "State", "Disabled")),
				"remoteDomains", arr(obj("Identity", "Default", "Name", "Default", "AutoForwardEnabled", true)),
				"sharingPolicies", arr(obj("Name", "Default Sharing Policy", "Enabled", false))), nil),
			want: []ObjectChange{
				{Key: "exchange.remoteDomains", ID: "Default", Name: "Default", Change: ObjectChanged, Properties: []string{"AutoForwardEnabled"},
					Changes: []PropertyChange{{"AutoForwardEnabled", false, true}}},
				{Key: "exchange.transportRules", ID: "g1", Name: "Rule B", Change: ObjectChanged, Properties: []string{"Identity", "Name", "State"},
					Changes: []PropertyChange{{"Identity", "Rule A", "Rule B"}, {"Name", "Rule A", "Rule B"}, {"State", "Enabled", "Disabled"}}},
				{Key: "exchange.sharingPolicies", ID: "Default Sharing Policy", Name: "Default Sharing Policy", Change: ObjectChanged, Properties: []string{"Enabled"},
					Changes: []PropertyChange{{"Enabled", true, false}}},
			},
		},
		{
			name: "object-valued keys compare property by property",
			old: snap(obj("authorizationPolicy", obj("id", "authorizationPolicy", "displayName", "Authorization Policy", "allowInvitesFrom", "everyone", "guestUserRoleId", "a")),
				obj("organizationConfig", obj("Name", "contoso", "AuditDisabled", false, "WhenChanged", "1")), nil),
			new: snap(obj("authorizationPolicy", obj("id", "authorizationPolicy", "displayName", "Authorization Policy", "allowInvitesFrom", "adminsAndGuestInviters", "guestUserRoleId", "b")),
				obj("organizationConfig", obj("Name", "contoso", "AuditDisabled", true, "WhenChanged", "2")), nil),
			want: []ObjectChange{
				{Key: "entra.authorizationPolicy", ID: "authorizationPolicy", Name: "Authorization Policy", Change: ObjectChanged, Properties: []string{"allowInvitesFrom", "guestUserRoleId"},
					Changes: []PropertyChange{{"allowInvitesFrom", "everyone", "adminsAndGuestInviters"}, {"guestUserRoleId", "a", "b"}}},
				{Key: "exchange.organizationConfig", ID: "contoso", Name: "contoso", Change: ObjectChanged, Properties: []string{"AuditDisabled"},
					Changes: []PropertyChange{{"AuditDisabled", false, true}}},
			},
		},
		{
			name: "groupMembers per group, members named from the users",
			old: snap(obj("users", arr(bob), "groups", arr(obj("id", "g1", "displayName", "Emergency access")),
				"groupMembers", obj("g1", arr("u1"), "g2", arr("u1"))), nil, nil),
			new: snap(obj("users", arr(bob), "groups", arr(obj("id", "g1", "displayName", "Emergency access")),
				"groupMembers", obj("g1", arr("u2"), "g3", arr())), nil, nil),
			want: []ObjectChange{
				{Key: "entra.groupMembers", ID: "g1", Name: "Emergency access", Change: ObjectChanged, Properties: []string{"members"},
					MembersAdded: []Ref{{ID: "u2", Name: "bob@contoso.com"}}, MembersRemoved: []Ref{{ID: "u1"}}},
				{Key: "entra.groupMembers", ID: "g2", Change: ObjectRemoved},
				{Key: "entra.groupMembers", ID: "g3", Change: ObjectAdded},
			},
		},
		{
			name: "dns per domain",
			old:  snap(nil, obj("dns", obj("contoso.com", obj("spf", arr("v=spf1 -all"), "dmarc", arr("v=DMARC1; p=reject")), "old.com", obj("spf", arr()))), nil),
			new:  snap(nil, obj("dns", obj("contoso.com", obj("spf", arr("v=spf1 -all"), "dmarc", arr("v=DMARC1; p=none")), "new.com", obj("spf", arr()))), nil),
			want: []ObjectChange{
				{Key: "exchange.dns", ID: "contoso.com", Change: ObjectChanged, Properties: []string{"dmarc"},
					Changes: []PropertyChange{{"dmarc", arr("v=DMARC1; p=reject"), arr("v=DMARC1; p=none")}}},
				{Key: "exchange.dns", ID: "new.com", Change: ObjectAdded},
				{Key: "exchange.dns", ID: "old.com", Change: ObjectRemoved},
			},
		},
		{
			name: "objects without an id are matched by position, repeated ids kept apart",
			old:  snap(nil, obj("customThings", arr(obj("Setting", "a"), obj("Setting", "b"))), obj("intents", arr(obj("id", "i1", "v", 1), obj("id", "i1", "v", 2)))),
			new:  snap(nil, obj("customThings", arr(obj("Setting", "a"), obj("Setting", "c"))), obj("intents", arr(obj("id", "i1", "v", 1), obj("id", "i1", "v", 3)))),
			want: []ObjectChange{
				{Key: "exchange.customThings", ID: "#2", Change: ObjectChanged, Properties: []string{"Setting"},
					Changes: []PropertyChange{{"Setting", "b", "c"}}},
				{Key: "intune.intents", ID: "i1#2", Change: ObjectChanged, Properties: []string{"v"},
					Changes: []PropertyChange{{"v", 2, 3}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := uncollected{}
			got := compareObjects(tt.old, tt.new, u)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
			if len(u) > 0 {
				t.Errorf("uncollected %+v; want none", u.list())
			}
		})
	}
}

// TestCompareObjectsValues checks the values a change shows, by path into nested objects, and
// that a property one snapshot never collected is left out and recorded, not shown as changed.
func TestCompareObjectsValues(t *testing.T) {
	ca := func(state string, exclude []any, extra ...any) map[string]any {
		return obj(append([]any{"id", "p1", "displayName", "CA001", "state", state,
			"conditions", obj("users", obj("includeUsers", arr("All"), "excludeGroups", exclude), "clientAppTypes", arr("all")),
			"grantControls", nil}, extra...)...)
	}
	tests := []struct {
		name     string
		old, new *snapshot.Snapshot
		want     []ObjectChange
		wantU    []Uncollected
	}{
		{
			name: "nested values by path, a null that became an object as a whole",
			old:  snap(obj("conditionalAccessPolicies", arr(ca("enabled", arr("g1")))), nil, nil),
			new: snap(obj("conditionalAccessPolicies", arr(func() map[string]any {
				p := ca("enabledForReportingButNotEnforced", arr("g1", "g2"))
				p["grantControls"] = obj("operator", "OR", "builtInControls", arr("mfa"))
				return p
			}())), nil, nil),
			want: []ObjectChange{{Key: "entra.conditionalAccessPolicies", ID: "p1", Name: "CA001", Change: ObjectChanged,
				Properties: []string{"conditions", "grantControls", "state"},
				Changes: []PropertyChange{
					{"conditions.users.excludeGroups", arr("g1"), arr("g1", "g2")},
					{"grantControls", nil, obj("operator", "OR", "builtInControls", arr("mfa"))},
					{"state", "enabled", "enabledForReportingButNotEnforced"},
				}}},
			wantU: []Uncollected{},
		},
		{
			name: "a property only NEW holds is not compared; a change beside it still shows",
			old: snap(obj("groups", arr(obj("id", "g1", "displayName", "Office PCs"), obj("id", "g2", "displayName", "Staff"))),
				obj("transportConfig", obj("Guid", "t1", "SmtpClientAuthenticationDisabled", true)), nil),
			new: snap(obj("groups", arr(obj("id", "g1", "displayName", "Office PCs", "createdDateTime", "2024-09-10T08:00:00Z", "visibility", nil),
				obj("id", "g2", "displayName", "All Staff", "createdDateTime", "2024-05-02T10:00:00Z"))),
				obj("transportConfig", obj("Guid", "t1", "SmtpClientAuthenticationDisabled", false, "MaxSendSize", "35 MB")), nil),
			want: []ObjectChange{
				{Key: "entra.groups", ID: "g2", Name: "All Staff", Change: ObjectChanged, Properties: []string{"displayName"},
					Changes: []PropertyChange{{"displayName", "Staff", "All Staff"}}},
				{Key: "exchange.transportConfig", ID: "t1", Change: ObjectChanged, Properties: []string{"SmtpClientAuthenticationDisabled"},
					Changes: []PropertyChange{{"SmtpClientAuthenticationDisabled", true, false}}},
			},
			wantU: []Uncollected{
				{Key: "entra.groups", Property: "createdDateTime", MissingFrom: "old", Objects: 2},
				{Key: "exchange.transportConfig", Property: "MaxSendSize", MissingFrom: "old", Objects: 1},
			},
		},
		{
			name: "a nested property only OLD holds",
			old:  snap(obj("conditionalAccessPolicies", arr(ca("enabled", arr("g1")))), nil, nil),
			new: snap(obj("conditionalAccessPolicies", arr(func() map[string]any {
				p := ca("enabled", arr("g1"))
				delete(p["conditions"].(map[string]any), "clientAppTypes")
				return p
			}())), nil, nil),
			want:  []ObjectChange{},
			wantU: []Uncollected{{Key: "entra.conditionalAccessPolicies", Property: "conditions.clientAppTypes", MissingFrom: "new", Objects: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := uncollected{}
			got := compareObjects(tt.old, tt.new, u)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
			if gotU := u.list(); !reflect.DeepEqual(gotU, tt.wantU) {
				t.Errorf("uncollected %+v; want %+v", gotU, tt.wantU)
			}
		})
	}
}

// An unknown key is not an empty one: data only one side knows is a source change, never
// a list of removed objects; and the Secure Score section, which changes daily, is ignored.
func TestCompareObjectsUnknownData(t *testing.T) {
	old := snap(obj("users", arr(obj("id", "u1"), obj("id", "u2"))), nil, nil)
	new := snap(obj("users", nil), nil, nil)
	delete(new.Entra, "users")
	new.Sources["entra.users"] = snapshot.Source{Status: snapshot.StatusForbidden, Message: "needs User.Read.All"}
	new.SecureScore["scores"] = arr(obj("id", "s2", "currentScore", json.Number("11")))

	if got := compareObjects(old, new, uncollected{}); len(got) != 0 {
		t.Errorf("objects: got %+v; want none", got)
	}
	want := []SourceChange{{Key: "entra.users", Old: "ok", New: "forbidden", Class: Regression, Message: "needs User.Read.All"}}
	if got := compareSources(old, new); !reflect.DeepEqual(got, want) {
		t.Errorf("sources: got %+v; want %+v", got, want)
	}
	back := []SourceChange{{Key: "entra.users", Old: "forbidden", New: "ok", Class: Improvement}}
	if got := compareSources(new, old); !reflect.DeepEqual(got, back) {
		t.Errorf("sources back: got %+v; want %+v", got, back)
	}
}

func TestCompareSources(t *testing.T) {
	tests := []struct {
		name     string
		old, new snapshot.Source
		present  bool // whether NEW has the entry at all
		want     []SourceChange
	}{
		{"unchanged", snapshot.Source{Status: "ok"}, snapshot.Source{Status: "ok"}, true, []SourceChange{}},
		{"still unknown, another reason", snapshot.Source{Status: "forbidden"}, snapshot.Source{Status: "unlicensed", Message: "needs P2"}, true,
			[]SourceChange{{Key: "entra.riskyUsers", Old: "forbidden", New: "unlicensed", Class: Neutral, Message: "needs P2"}}},
		{"entry gone", snapshot.Source{Status: "ok"}, snapshot.Source{}, false,
			[]SourceChange{{Key: "entra.riskyUsers", Old: "ok", New: "missing", Class: Regression}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := snap(obj("riskyUsers", arr()), nil, nil)
			new := snap(obj("riskyUsers", arr()), nil, nil)
			old.Sources["entra.riskyUsers"] = tt.old
			new.Sources["entra.riskyUsers"] = tt.new
			if !tt.present {
				delete(new.Sources, "entra.riskyUsers")
			}
			if got := compareSources(old, new); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b any
		want bool
	}{
		{json.Number("1"), 1, true},
		{json.Number("1.0"), json.Number("1"), true},
		{json.Number("1.5"), 1.5, true},
		{json.Number("9007199254740993"), json.Number("9007199254740992"), false},
		{"1", json.Number("1"), false},
		{nil, obj(), false},
		{arr("a", "b"), arr("b", "a"), false},
		{obj("x", 1, "@odata.etag", "a"), obj("x", 1, "@odata.etag", "b"), true},
		{obj("x", nil), obj(), true},
		{true, "true", false},
	}
	for _, tt := range tests {
		if got := equal(tt.a, tt.b); got != tt.want {
			t.Errorf("equal(%#v, %#v) = %v; want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
