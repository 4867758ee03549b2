package synth

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/demo"
	snap "github.com/m365posture/posture/internal/snapshot"
)

// entraKeys are the snapshot keys the rules read, plus the context objects a tenant always has.
var entraKeys = []string{
	"organization", "subscribedSkus", "domains", "users", "groups", "groupMembers", "roleDefinitions",
	"roleAssignments", "roleEligibilitySchedules", "roleAssignmentScheduleInstances", "roleManagementPolicyAssignments",
	"conditionalAccessPolicies", "namedLocations",
	"securityDefaults", "authorizationPolicy", "authenticationMethodsPolicy", "adminConsentRequestPolicy",
	"defaultAppManagementPolicy", "appManagementPolicies",
	"userRegistrationDetails", "servicePrincipals", "riskyUsers", "directorySettings", "oauth2PermissionGrants",
}

type snapshot struct {
	SchemaVersion int `json:"schemaVersion"`
	Sources       map[string]struct {
		Status string `json:"status"`
		Count  *int   `json:"count"`
	} `json:"sources"`
	Entra map[string]json.RawMessage `json:"entra"`
}

type users []struct {
	ID             string `json:"id"`
	UPN            string `json:"userPrincipalName"`
	AccountEnabled bool   `json:"accountEnabled"`
	UserType       string `json:"userType"`
}

type policies []struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	State       string `json:"state"`
	Conditions  struct {
		Users struct {
			IncludeGroups []string `json:"includeGroups"`
			ExcludeGroups []string `json:"excludeGroups"`
			ExcludeUsers  []string `json:"excludeUsers"`
		} `json:"users"`
	} `json:"conditions"`
}

type assignments []struct {
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
}

// decoded is a generated tenant, parsed for the assertions.
type decoded struct {
	snap          snapshot
	users         users
	groups        []struct{ ID, DisplayName string }
	members       map[string][]string
	policies      policies
	active        assignments
	eligible      assignments
	registrations []struct {
		ID           string `json:"id"`
		IsMfaCapable bool   `json:"isMfaCapable"`
	}
}

func decode(t *testing.T, b []byte) decoded {
	t.Helper()
	var d decoded
	if err := json.Unmarshal(b, &d.snap); err != nil {
		t.Fatalf("output is not valid JSON: %v", err)
	}
	for key, into := range map[string]any{
		"users": &d.users, "groups": &d.groups, "groupMembers": &d.members,
		"conditionalAccessPolicies": &d.policies, "roleAssignments": &d.active,
		"roleEligibilitySchedules": &d.eligible, "userRegistrationDetails": &d.registrations,
	} {
		if err := json.Unmarshal(d.snap.Entra[key], into); err != nil {
			t.Fatalf("decode entra.%s: %v", key, err)
		}
	}
	return d
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name string
		o    Options
	}{
		{"small", Options{Users: 100, Groups: 10, Policies: 5, Seed: 7}},
		{"tiny, fewer groups than the fixed ones", Options{Users: 3, Groups: 1, Policies: 1, Seed: 2}},
		{"medium", Options{Users: 1000, Groups: 40, Policies: 12, Seed: 1}},
		{"large", Options{Users: 5000, Groups: 1000, Policies: 300, Seed: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decode(t, Generate(tt.o))
			if d.snap.SchemaVersion != 1 {
				t.Errorf("schemaVersion = %d, want 1", d.snap.SchemaVersion)
			}
			if len(d.users) != tt.o.Users || len(d.groups) != tt.o.Groups || len(d.policies) != tt.o.Policies {
				t.Errorf("got %d users, %d groups, %d policies; want %d, %d, %d",
					len(d.users), len(d.groups), len(d.policies), tt.o.Users, tt.o.Groups, tt.o.Policies)
			}
			checkSources(t, d)
			checkReferences(t, d)
		})
	}
}

// checkSources: every key is present, its source is "ok", and a source's count matches.
func checkSources(t *testing.T, d decoded) {
	t.Helper()
	for _, key := range entraKeys {
		raw, ok := d.snap.Entra[key]
		if !ok {
			t.Errorf("entra.%s is missing", key)
			continue
		}
		src, ok := d.snap.Sources["entra."+key]
		if !ok || src.Status != "ok" {
			t.Errorf("sources[entra.%s] = %+v, want status ok", key, src)
			continue
		}
		if src.Count == nil {
			continue
		}
		var n int
		switch raw[0] {
		case '[':
			var xs []json.RawMessage
			if err := json.Unmarshal(raw, &xs); err != nil {
				t.Fatalf("decode entra.%s: %v", key, err)
			}
			n = len(xs)
		case '{':
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("decode entra.%s: %v", key, err)
			}
			n = len(m)
		}
		if n != *src.Count {
			t.Errorf("sources[entra.%s].count = %d, but entra.%s holds %d", key, *src.Count, key, n)
		}
	}
	if len(d.snap.Sources) != len(entraKeys) {
		t.Errorf("%d sources, want %d", len(d.snap.Sources), len(entraKeys))
	}
}

// checkReferences: ids are unique, and every group a policy or role assignment names has its
// members listed, with user ids that exist.
func checkReferences(t *testing.T, d decoded) {
	t.Helper()
	userIDs := map[string]bool{}
	upns := map[string]bool{}
	for _, u := range d.users {
		if userIDs[u.ID] || upns[u.UPN] {
			t.Fatalf("duplicate user %s %s", u.ID, u.UPN)
		}
		userIDs[u.ID], upns[u.UPN] = true, true
	}
	groupIDs := map[string]string{}
	for _, g := range d.groups {
		if _, dup := groupIDs[g.ID]; dup {
			t.Fatalf("duplicate group id %s", g.ID)
		}
		groupIDs[g.ID] = g.DisplayName
	}
	for gid, ms := range d.members {
		if _, ok := groupIDs[gid]; !ok {
			t.Errorf("groupMembers has %s, which is not a group", gid)
		}
		for _, m := range ms {
			if !userIDs[m] {
				t.Errorf("group %s lists member %s, which is not a user", gid, m)
			}
		}
	}
	referenced := map[string]string{}
	for _, p := range d.policies {
		for _, g := range append(p.Conditions.Users.IncludeGroups, p.Conditions.Users.ExcludeGroups...) {
			referenced[g] = "policy " + p.DisplayName
		}
	}
	for _, a := range append(d.active, d.eligible...) {
		if _, isGroup := groupIDs[a.PrincipalID]; isGroup {
			referenced[a.PrincipalID] = "role assignment"
		}
	}
	for g, by := range referenced {
		if _, ok := d.members[g]; !ok {
			t.Errorf("%s references group %s, which has no groupMembers entry", by, g)
		}
	}
	for _, r := range d.registrations {
		if !userIDs[r.ID] {
			t.Errorf("registration details for %s, which is not a user", r.ID)
		}
	}
	if len(d.registrations) != len(d.users) {
		t.Errorf("%d registration details for %d users", len(d.registrations), len(d.users))
	}
}

func TestGenerateShape(t *testing.T) {
	d := decode(t, Generate(Options{Users: 10000, Groups: 500, Policies: 40, Seed: 11}))

	var enabledMembers, disabledMembers, guests, capable int
	for _, u := range d.users {
		switch {
		case u.UserType == "Guest":
			guests++
		case u.AccountEnabled:
			enabledMembers++
		default:
			disabledMembers++
		}
	}
	for _, r := range d.registrations {
		if r.IsMfaCapable {
			capable++
		}
	}
	n := float64(len(d.users))
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"enabled members", float64(enabledMembers) / n, 0.90},
		{"disabled members", float64(disabledMembers) / n, 0.05},
		{"guests", float64(guests) / n, 0.05},
		{"MFA-capable", float64(capable) / n, 0.70},
	} {
		if math.Abs(c.got-c.want) > 0.02 {
			t.Errorf("%s: %.3f of users, want about %.2f", c.what, c.got, c.want)
		}
	}

	byName := map[string]string{}
	for _, g := range d.groups {
		byName[g.DisplayName] = g.ID
	}
	emergency := d.members[byName["Emergency access"]]
	if len(emergency) != 2 || emergency[0] != d.users[0].ID || emergency[1] != d.users[1].ID {
		t.Errorf("Emergency access members = %v, want the two break-glass accounts", emergency)
	}
	if staff := len(d.members[byName["All staff"]]); staff < enabledMembers-2 {
		t.Errorf("All staff has %d members, want the %d enabled members", staff, enabledMembers-2)
	}

	states := map[string]int{}
	for _, p := range d.policies {
		states[p.State]++
	}
	for _, s := range []string{"enabled", "enabledForReportingButNotEnforced", "disabled"} {
		if states[s] == 0 {
			t.Errorf("no %s policy among %d: %v", s, len(d.policies), states)
		}
	}

	admins := map[string]bool{}
	for _, a := range append(d.active, d.eligible...) {
		if members, isGroup := d.members[a.PrincipalID]; isGroup {
			for _, m := range members {
				admins[m] = true
			}
		} else {
			admins[a.PrincipalID] = true
		}
	}
	// 50 admins, 2 break-glass accounts and 1 service principal.
	if len(admins) != 53 {
		t.Errorf("%d principals hold a role, want 53", len(admins))
	}
	if len(d.eligible) == 0 {
		t.Error("no PIM-eligible assignments")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	o := Options{Users: 500, Groups: 30, Policies: 20, Seed: 42}
	a, b := Generate(o), Generate(o)
	if !bytes.Equal(a, b) {
		t.Error("two runs with the same options differ")
	}
	o.Seed = 43
	if bytes.Equal(a, Generate(o)) {
		t.Error("seeds 42 and 43 give the same tenant")
	}
}

func TestOptionDefaults(t *testing.T) {
	want := Options{Users: DefaultUsers, Groups: DefaultGroups, Policies: DefaultPolicies, Seed: 5}
	for _, o := range []Options{{Seed: 5}, {Users: -1, Groups: -1, Policies: -1, Seed: 5}} {
		if got := o.withDefaults(); !reflect.DeepEqual(got, want) {
			t.Errorf("%+v.withDefaults() = %+v, want %+v", o, got, want)
		}
	}
	kept := Options{Users: 7, Groups: 8, Policies: 9}
	if got := kept.withDefaults(); !reflect.DeepEqual(got, kept) {
		t.Errorf("%+v.withDefaults() = %+v, want it unchanged", kept, got)
	}
}

func BenchmarkGenerate(b *testing.B) {
	var size int
	for b.Loop() {
		size = len(Generate(Options{Seed: 1}))
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// TestGenerateAdmins counts the principals that hold a privileged role when Options.Admins
// asks for more than the default 50.
func TestGenerateAdmins(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want int // users holding a role, break-glass accounts included
	}{
		{"default: one in ten, at most 50", Options{Users: 300, Groups: 20, Policies: 5, Seed: 1}, 2 + 29},
		{"5000 admins", Options{Users: 8000, Groups: 50, Policies: 10, Admins: 5000, Seed: 1}, 2 + 5000},
		{"capped at the users there are", Options{Users: 20, Groups: 10, Policies: 3, Admins: 100, Seed: 1}, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decode(t, Generate(tt.o))
			holders := map[string]bool{}
			for _, a := range append(d.active, d.eligible...) {
				if members, isGroup := d.members[a.PrincipalID]; isGroup {
					for _, m := range members {
						holders[m] = true
					}
				} else if strings.HasPrefix(a.PrincipalID, userPrefix) {
					holders[a.PrincipalID] = true
				}
			}
			if len(holders) != tt.want {
				t.Errorf("%d users hold a role, want %d", len(holders), tt.want)
			}
			checkReferences(t, d)
		})
	}
}

// TestGenerateServices copies the demo tenant's Exchange, Intune and Secure Score data and
// grows its managed devices.
func TestGenerateServices(t *testing.T) {
	var demoDoc struct {
		Sources map[string]json.RawMessage `json:"sources"`
		Intune  struct {
			ManagedDevices []map[string]any `json:"managedDevices"`
		} `json:"intune"`
	}
	if err := json.Unmarshal(demo.Snapshot, &demoDoc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		devices int
		want    int
	}{
		{"the demo's own devices", 0, len(demoDoc.Intune.ManagedDevices)},
		{"2500 devices", 2500, 2500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Generate(Options{Users: 200, Groups: 20, Policies: 10, Services: demo.Snapshot, Devices: tt.devices, Seed: 3})
			tenant, err := snap.Parse("generated", out)
			if err != nil {
				t.Fatalf("the generated tenant is not a valid snapshot: %v", err)
			}
			for key := range demoDoc.Sources {
				if strings.HasPrefix(key, "entra.") {
					continue
				}
				if !tenant.Known(key) {
					t.Errorf("%s is not known in the generated tenant", key)
				}
			}
			devices, _ := tenant.Intune["managedDevices"].([]any)
			if len(devices) != tt.want || tenant.Sources["intune.managedDevices"].Count == nil || *tenant.Sources["intune.managedDevices"].Count != tt.want {
				t.Fatalf("%d devices (source count %v), want %d", len(devices), tenant.Sources["intune.managedDevices"].Count, tt.want)
			}
			ids := map[any]bool{}
			for _, d := range devices {
				ids[d.(map[string]any)["id"]] = true
			}
			if len(ids) != tt.want {
				t.Errorf("%d distinct device ids among %d devices", len(ids), tt.want)
			}
			if u := tenant.Unusable(); len(u) > 0 {
				t.Errorf("unusable sources: %v", u)
			}
		})
	}
	if !bytes.Equal(Generate(Options{Users: 50, Services: demo.Snapshot, Devices: 30, Seed: 1}), Generate(Options{Users: 50, Services: demo.Snapshot, Devices: 30, Seed: 1})) {
		t.Error("two runs with the same services differ")
	}
}
