package check

import (
	"encoding/json"
	"sort"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/m365posture/posture/internal/snapshot"
)

// The startup benchmark compares posture with CISA ScubaGear's Entra ID (AAD) evaluation, which
// runs `opa eval data.aad.tests` on the provider output ScubaGear's PowerShell writes. scubaInput
// turns a posture snapshot into the part of that output its AAD Rego reads, so that both tools
// judge the same tenant. Field names follow ScubaGear's provider (ExportAADProvider.psm1): the
// Microsoft Graph PowerShell SDK's objects serialized with ConvertTo-Json, whose properties are
// Graph's names in PascalCase, and a few objects ScubaGear assembles itself (privileged_users,
// privileged_roles, authentication_method). Only what posture's snapshot holds is filled in: no
// PIM role management policies (privileged_roles[].Rules), no risky permission classification,
// and the custom app management policies' appliesTo by id only (ScubaGear adds display names).

// scubaInput returns ScubaGear's AAD provider output for snap.
func scubaInput(snap *snapshot.Snapshot) map[string]any {
	e := snap.Entra
	in := map[string]any{
		"conditional_access_policies":                pascal(list(e["conditionalAccessPolicies"])),
		"directory_settings":                         pascal(list(e["directorySettings"])),
		"domain_settings":                            pascal(list(e["domains"])),
		"service_plans":                              servicePlans(e),
		"authorization_policies":                     authorizationPolicies(e),
		"authentication_method":                      authenticationMethod(e),
		"risky_delegated_permission_classifications": []any{},
		"default_app_management_policy":              defaultAppManagementPolicy(e),
		"app_management_policies":                    pascal(list(e["appManagementPolicies"])),
		"scuba_config":                               map[string]any{"Aad": map[string]any{}, "M365Environment": "commercial"},
		"module_version":                             "1.8.0",
	}
	in["privileged_roles"], in["privileged_users"] = privileged(e)
	return in
}

// defaultAppManagementPolicy is the tenant default app management policy as ScubaGear's
// provider stores it: a list of one, none when the snapshot lacks it.
func defaultAppManagementPolicy(e map[string]any) []any {
	p, ok := e["defaultAppManagementPolicy"].(map[string]any)
	if !ok {
		return []any{}
	}
	return []any{pascal(p)}
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// pascal renames every key of a decoded JSON value from Graph's camelCase to the SDK's
// PascalCase ("@odata.type" stays).
func pascal(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, v := range x {
			out[pascalKey(k)] = pascal(v)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = pascal(v)
		}
		return out
	}
	return v
}

func pascalKey(k string) string {
	r, n := utf8.DecodeRuneInString(k)
	if r == '@' || n == 0 {
		return k
	}
	return string(unicode.ToUpper(r)) + k[n:]
}

// servicePlans lists the service plans of the tenant's subscriptions.
func servicePlans(e map[string]any) []any {
	var out []any
	for _, sku := range list(e["subscribedSkus"]) {
		for _, p := range list(object(sku)["servicePlans"]) {
			out = append(out, pascal(p))
		}
	}
	return out
}

// authorizationPolicies is Get-MgBetaPolicyAuthorizationPolicy: beta carries the default
// user role's permission grant policies at the top level.
func authorizationPolicies(e map[string]any) []any {
	p := object(e["authorizationPolicy"])
	if p == nil {
		return []any{}
	}
	out := pascal(p).(map[string]any)
	grants := object(p["defaultUserRolePermissions"])["permissionGrantPoliciesAssigned"]
	if grants == nil {
		grants = []any{}
	}
	out["PermissionGrantPolicyIdsAssignedToDefaultUserRole"] = grants
	return []any{out}
}

// authenticationMethod is ScubaGear's pair of the authentication methods policy and its method
// configurations.
func authenticationMethod(e map[string]any) []any {
	p := object(e["authenticationMethodsPolicy"])
	if p == nil {
		return []any{}
	}
	policy := map[string]any{}
	for k, v := range p {
		if k != "authenticationMethodConfigurations" {
			policy[k] = v
		}
	}
	configs := list(p["authenticationMethodConfigurations"])
	if configs == nil {
		configs = []any{}
	}
	return []any{map[string]any{
		"authentication_method_policy":           pascal(policy),
		"authentication_method_feature_settings": pascal(configs),
	}}
}

// privileged returns ScubaGear's privileged_roles (each role held by someone, with its
// assignments: active ones have no start or end date, PIM eligibilities their schedule's) and
// privileged_users (user id -> display name, role names, on-premises immutable id), expanding
// grants to groups through entra.groupMembers as ScubaGear expands group members.
func privileged(e map[string]any) ([]any, map[string]any) {
	names := map[string]string{}
	for _, d := range list(e["roleDefinitions"]) {
		d := object(d)
		id, _ := d["id"].(string)
		if tid, ok := d["templateId"].(string); ok && tid != "" {
			id = tid
		}
		names[id], _ = d["displayName"].(string)
	}
	usersByID := map[string]map[string]any{}
	for _, u := range list(e["users"]) {
		u := object(u)
		if id, ok := u["id"].(string); ok {
			usersByID[id] = u
		}
	}
	members := object(e["groupMembers"])

	type grant struct {
		principal, role string
		start, end      any
	}
	var grants []grant
	for _, a := range list(e["roleAssignments"]) {
		a := object(a)
		p, _ := a["principalId"].(string)
		r, _ := a["roleDefinitionId"].(string)
		grants = append(grants, grant{principal: p, role: r})
	}
	for _, s := range list(e["roleEligibilitySchedules"]) {
		s := object(s)
		p, _ := s["principalId"].(string)
		r, _ := s["roleDefinitionId"].(string)
		info := object(s["scheduleInfo"])
		grants = append(grants, grant{principal: p, role: r, start: info["startDateTime"], end: object(info["expiration"])["endDateTime"]})
	}

	roles := map[string][]any{}
	userRoles := map[string]map[string]bool{}
	for _, g := range grants {
		if _, ok := names[g.role]; !ok {
			continue
		}
		roles[g.role] = append(roles[g.role], map[string]any{
			"PrincipalId": g.principal, "RoleDefinitionId": g.role, "DirectoryScopeId": "/",
			"StartDateTime": g.start, "EndDateTime": g.end, "MemberType": "Direct", "AssignmentType": "Assigned",
		})
		holders := []string{g.principal}
		if ms, isGroup := members[g.principal].([]any); isGroup {
			holders = holders[:0]
			for _, m := range ms {
				if id, ok := m.(string); ok {
					holders = append(holders, id)
				}
			}
		}
		for _, h := range holders {
			if usersByID[h] == nil {
				continue
			}
			if userRoles[h] == nil {
				userRoles[h] = map[string]bool{}
			}
			userRoles[h][names[g.role]] = true
		}
	}
	var privRoles []any
	for _, id := range sortedKeys(roles) {
		privRoles = append(privRoles, map[string]any{"DisplayName": names[id], "RoleTemplateId": id, "Assignments": roles[id], "Rules": []any{}})
	}
	privUsers := map[string]any{}
	for id, rs := range userRoles {
		var rnames []any
		for _, n := range sortedKeys(rs) {
			rnames = append(rnames, n)
		}
		privUsers[id] = map[string]any{
			"DisplayName":           usersByID[id]["displayName"],
			"roles":                 rnames,
			"OnPremisesImmutableId": usersByID[id]["onPremisesImmutableId"],
		}
	}
	return privRoles, privUsers
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestScubaInput checks the converter on the demo tenant: the fields ScubaGear's AAD Rego
// reads are there, with its names.
func TestScubaInput(t *testing.T) {
	snap, err := loadSnapshot(Options{Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	in := scubaInput(snap)
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	caps := list(back["conditional_access_policies"])
	if len(caps) != len(list(snap.Entra["conditionalAccessPolicies"])) {
		t.Fatalf("%d conditional_access_policies", len(caps))
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"a policy has Conditions.Users.IncludeUsers", object(object(object(caps[0])["Conditions"])["Users"])["IncludeUsers"] != nil},
		{"a policy has GrantControls", object(caps[0])["GrantControls"] != nil || object(caps[0])["State"] != nil},
		{"authorization_policies[0].DefaultUserRolePermissions", object(list(back["authorization_policies"])[0])["DefaultUserRolePermissions"] != nil},
		{"authentication_method feature settings have Id", object(list(object(list(back["authentication_method"])[0])["authentication_method_feature_settings"])[0])["Id"] != nil},
		{"domain_settings have IsVerified", object(list(back["domain_settings"])[0])["IsVerified"] != nil},
		{"service_plans have ServicePlanName", object(list(back["service_plans"])[0])["ServicePlanName"] != nil},
		{"privileged_roles hold Global Administrator", hasRole(back, "Global Administrator")},
		{"privileged_users have roles", len(object(back["privileged_users"])) > 0},
		{"default_app_management_policy has ApplicationRestrictions.PasswordCredentials",
			object(object(list(back["default_app_management_policy"])[0])["ApplicationRestrictions"])["PasswordCredentials"] != nil},
	}
	for _, tt := range tests {
		if !tt.ok {
			t.Errorf("%s: no", tt.name)
		}
	}
}

func hasRole(in map[string]any, name string) bool {
	for _, r := range list(in["privileged_roles"]) {
		if object(r)["DisplayName"] == name && len(list(object(r)["Assignments"])) > 0 {
			return true
		}
	}
	return false
}
