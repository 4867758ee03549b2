package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

// TestDerivedMatchesRego proves that the indexes derive builds in Go are what the Rego library
// computes without them, so precomputing changes speed and nothing else.
func TestDerivedMatchesRego(t *testing.T) {
	eng, err := compiledInOne(t, Options{})
	if err != nil {
		t.Fatal(err)
	}
	load := func(path string) *snapshot.Snapshot {
		s, err := snapshot.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	gen, err := snapshot.Parse("synth", synth.Generate(synth.Options{Users: 3000, Groups: 200, Policies: 30, Devices: 2000, Services: demo.Snapshot, Seed: 7}))
	if err != nil {
		t.Fatal(err)
	}
	// Users whose accountEnabled or userType is missing or null: the engine refuses them before
	// any rule runs, but the two indexes must still agree on them (counted, not dropped).
	unknown := load("../../testdata/snapshots/weak.json")
	for i, u := range unknown.Entra["users"].([]any) {
		u := u.(map[string]any)
		switch i % 4 {
		case 0:
			delete(u, "accountEnabled")
		case 1:
			u["accountEnabled"] = nil
		case 2:
			delete(u, "userType")
		case 3:
			u["userType"] = nil
		}
	}
	// Every kind of guest or external user: members invited from another tenant (#EXT# in the
	// UPN), local guests (no #EXT#, no externalUserState), internal users converted to external
	// (externalUserState without #EXT#) and guests created by invitation (creationType).
	external := load("../../testdata/snapshots/weak.json")
	for i, u := range external.Entra["users"].([]any) {
		u := u.(map[string]any)
		upn := u["userPrincipalName"].(string)
		switch i % 5 {
		case 0:
			u["userType"] = "Member"
			u["userPrincipalName"] = strings.ReplaceAll(upn, "@", "_partner.example#EXT#@")
		case 1:
			u["userType"] = "Guest"
			u["userPrincipalName"] = strings.ReplaceAll(upn, "#EXT#", "")
			u["externalUserState"] = nil
			delete(u, "creationType")
		case 2:
			u["userType"] = "Member"
			u["userPrincipalName"] = strings.ReplaceAll(upn, "#EXT#", "")
			u["externalUserState"] = "Accepted"
		case 3:
			u["userType"] = "Guest"
			u["userPrincipalName"] = strings.ReplaceAll(upn, "#EXT#", "")
			u["externalUserState"] = nil
			u["creationType"] = "Invitation"
		case 4:
			// From a collection that did not select externalUserState or creationType: the
			// type cannot be told (kind_unknown_ids), but for an #EXT# user.
			delete(u, "externalUserState")
			delete(u, "creationType")
		}
	}
	// Devices named alike in other cases, without a name, with an empty one, with the same name
	// and id, and with operating systems spelt in other cases.
	devices := load("../../internal/demo/contoso.json")
	list := devices.Intune["managedDevices"].([]any)
	for i, d := range list {
		d := d.(map[string]any)
		switch i % 6 {
		case 0:
			d["deviceName"] = strings.ToUpper(d["deviceName"].(string))
		case 1:
			delete(d, "deviceName")
		case 2:
			d["deviceName"] = ""
		case 3:
			d["operatingSystem"] = "WINDOWS"
		case 4:
			d["deviceName"], d["id"] = "same", "same-id"
		}
	}
	devices.Intune["managedDevices"] = append(list, map[string]any{"id": "x", "operatingSystem": "Windows", "deviceName": "same"},
		map[string]any{"operatingSystem": "windows"}, map[string]any{"operatingSystem": 10, "deviceName": "odd"},
		map[string]any{"id": "twin", "operatingSystem": "Windows", "deviceName": "Twin", "complianceState": "unknown"},
		map[string]any{"id": "twin", "operatingSystem": "Windows", "deviceName": "twin", "complianceState": "error"},
		map[string]any{"id": "twin", "operatingSystem": "Windows", "deviceName": "TWIN", "complianceState": "conflict"})
	tests := []struct {
		name string
		snap *snapshot.Snapshot
	}{
		{"contoso, devices named every way", devices},
		{"weak", load("../../testdata/snapshots/weak.json")},
		{"weak, unknown accountEnabled and userType", unknown},
		{"weak, guests and external members", external},
		{"hardened", load("../../testdata/snapshots/hardened.json")},
		{"e3-no-p2", load("../../testdata/snapshots/e3-no-p2.json")},
		{"contoso", load("../../internal/demo/contoso.json")},
		{"synthetic", gen},
	}
	const query = `x := [data.posture.lib.users.by_id, data.posture.lib.users.enabled_member_ids,
		data.posture.lib.users.guest_ids, data.posture.lib.users.external_kind_ids,
		data.posture.lib.users.kind_unknown_ids,
		{g: data.posture.lib.groups.member_ids(g) | some g, _ in input.entra.groupMembers},
		[c | c := data.posture.rules.entra.mfa_registration.coverage],
		data.posture.rules.entra.mfa_registration.deny,
		[c | c := data.posture.rules.entra.sspr_enabled.coverage],
		data.posture.rules.entra.sspr_enabled.deny,
		data.posture.lib.groups.by_id,
		data.posture.lib.intune_compliance.windows_devices,
		[c | c := data.posture.rules.intune.windows_devices_compliant.coverage],
		data.posture.rules.intune.windows_devices_compliant.deny,
		data.posture.rules.intune.windows_devices_encrypted.deny,
		data.posture.lib.intune_compliance.noncompliant_windows_devices,
		data.posture.lib.intune_compliance.unencrypted_windows_devices]`
	// The rules' parameter defaults, with few devices listed so that listing cuts the lists.
	defaults, err := eng.ParameterDefaults()
	if err != nil {
		t.Fatal(err)
	}
	store := inmem.NewFromObject(map[string]any{"posture": map[string]any{"defaults": defaults, "config": map[string]any{"maxListedDevices": 3}}})
	eval := func(input ast.Value) ast.Value {
		t.Helper()
		rs, err := rego.New(rego.Query(query), rego.Compiler(eng.shards[0].compiler), rego.ParsedInput(input), rego.Store(store)).Eval(context.Background())
		if err != nil || len(rs) != 1 {
			t.Fatalf("eval: %v (%d results)", err, len(rs))
		}
		v, err := ast.InterfaceToValue(rs[0].Bindings["x"])
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, err := toValue(tt.snap.Document(), false)
			if err != nil {
				t.Fatal(err)
			}
			derived, err := toValue(tt.snap.Document(), false)
			if err != nil {
				t.Fatal(err)
			}
			derive(derived)
			d, ok := derived.Get(ast.StringTerm("derived")).Value.(ast.Object)
			if !ok || d.Len() == 0 {
				t.Fatal("derive added no index")
			}
			if strings.Contains(tt.name, "devices") && d.Get(ast.StringTerm("windowsDevices")) == nil {
				t.Fatal("derive added no windowsDevices")
			}
			want, got := eval(plain), eval(derived)
			if got.Compare(want) != 0 {
				t.Errorf("library results differ with input.derived:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// TestDeriveWithoutEntra covers snapshots that hold no entra section, or an entra section
// without the keys derive indexes: derive adds what it can and never fails.
func TestDeriveWithoutEntra(t *testing.T) {
	tests := []struct {
		name string
		doc  map[string]any
		want string
	}{
		{"no entra section", map[string]any{"schemaVersion": 1}, "{}"},
		{"entra without users", map[string]any{"entra": map[string]any{"domains": []any{}}}, "{}"},
		{"users only", map[string]any{"entra": map[string]any{"users": []any{
			map[string]any{"id": "u1", "accountEnabled": true, "userType": "Member"},
		}}}, `{"enabledMemberIds": {"u1"}, "externalKindIds": {"b2bCollaborationGuest": set(), "b2bCollaborationMember": set(), "internalGuest": set()}, "externalKindUnknownIds": {"u1"}, "guestIds": set(), "usersById": {"u1": {"accountEnabled": true, "id": "u1", "userType": "Member"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input, err := toValue(tt.doc, false)
			if err != nil {
				t.Fatal(err)
			}
			derive(input)
			got := input.Get(ast.StringTerm("derived"))
			if got == nil {
				t.Fatal("derive added no derived object")
			}
			if want := ast.MustParseTerm(tt.want); !got.Equal(want) {
				t.Errorf("derived = %v, want %v", got, want)
			}
		})
	}
}

// TestIndex holds index to Rego's object comprehension by id: an index only when every id is a
// string and no two elements share one; elements without an id are left out.
func TestIndex(t *testing.T) {
	tests := []struct {
		name string
		list string
		want string // "" for no index
	}{
		{"ids", `[{"id": "a"}, {"id": "b", "x": 1}]`, `{"a": {"id": "a"}, "b": {"id": "b", "x": 1}}`},
		{"an element without an id", `[{"id": "a"}, {"x": 1}, 3]`, `{"a": {"id": "a"}}`},
		{"a shared id", `[{"id": "a"}, {"id": "b"}, {"id": "a", "x": 1}]`, ""},
		{"an id that is not a string", `[{"id": "a"}, {"id": 1}]`, ""},
		{"empty", `[]`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := index(ast.MustParseTerm(tt.list).Value.(*ast.Array))
			switch {
			case tt.want == "" && ok:
				t.Errorf("index = %v, want none", got)
			case tt.want != "" && !ok:
				t.Errorf("no index, want %s", tt.want)
			case tt.want != "" && got.Compare(ast.MustParseTerm(tt.want).Value) != 0:
				t.Errorf("index = %v, want %s", got, tt.want)
			}
		})
	}
}

// TestKindUnknown: a user's guest or external type is unknown without #EXT# in the UPN and
// without both externalUserState and creationType, as posture.lib.users.kind_unknown_ids says.
func TestKindUnknown(t *testing.T) {
	for _, tt := range []struct {
		user string
		want bool
	}{
		{`{"id": "a", "userPrincipalName": "a@contoso.com"}`, true},
		{`{"id": "a"}`, true},
		{`{"id": "a", "userPrincipalName": 7}`, true},
		{`{"id": "a", "userPrincipalName": "a_f.com#EXT#@contoso.onmicrosoft.com"}`, false},
		{`{"id": "a", "userPrincipalName": "a@contoso.com", "externalUserState": null}`, false},
		{`{"id": "a", "userPrincipalName": "a@contoso.com", "creationType": null}`, false},
		{`{"id": "a", "userPrincipalName": "a@contoso.com", "externalUserState": "Accepted", "creationType": null}`, false},
	} {
		if got := kindUnknown(ast.MustParseTerm(tt.user).Value.(ast.Object)); got != tt.want {
			t.Errorf("kindUnknown(%s) = %v, want %v", tt.user, got, tt.want)
		}
	}
}
