package graphschema

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func schema(t *testing.T, version string) *Schema {
	t.Helper()
	s, err := For(version)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func typ(t *testing.T, s *Schema, name string) *Type {
	t.Helper()
	ty, ok := s.Type(name)
	if !ok {
		t.Fatalf("%s: no type %s", s.Version, name)
	}
	return ty
}

func TestForAndProvenance(t *testing.T) {
	tests := []struct {
		version, want, repo, revision string
		wantErr                       bool
	}{
		{"v1.0", "v1.0", "github.com/microsoftgraph/msgraph-metadata", "f54f11b60956ea7b185ca0447b2b80805836ec7b", false},
		{"V1.0", "v1.0", "github.com/microsoftgraph/msgraph-metadata", "f54f11b60956ea7b185ca0447b2b80805836ec7b", false},
		{"beta", "beta", "github.com/microsoftgraph/msgraph-beta-sdk-go", "v0.165.0", false},
		{"v2.0", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			s, err := For(tt.version)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "v1.0 or beta") {
					t.Fatalf("For(%q) = %v; want an error naming the versions", tt.version, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Version != tt.want {
				t.Errorf("Version %q; want %q", s.Version, tt.want)
			}
			if len(s.Sources) == 0 || s.Sources[0].Repository != tt.repo || s.Sources[0].Revision != tt.revision {
				t.Fatalf("first source %+v; want %s at %s", s.Sources, tt.repo, tt.revision)
			}
			for _, src := range s.Sources {
				if src.Path == "" || src.Date == "" || src.Role == "" {
					t.Errorf("source %+v lacks a path, date or role", src)
				}
			}
		})
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		version, path string
		typ           string
		collection    bool
		badSegment    string
	}{
		{"v1.0", "/users", "microsoft.graph.user", true, ""},
		{"v1.0", "/Users/{id}", "microsoft.graph.user", false, ""},
		{"v1.0", "/users/alice@contoso.com", "microsoft.graph.user", false, ""}, // a key with dots
		{"v1.0", "/groups/{id}/transitiveMembers", "microsoft.graph.directoryObject", true, ""},
		{"v1.0", "/groups/{id}/transitiveMembers/microsoft.graph.user", "microsoft.graph.user", true, ""},
		{"v1.0", "/groups/{id}/transitiveMembers/graph.user?$select=id", "microsoft.graph.user", true, ""},
		{"v1.0", "/groups/{id}/transitiveMembers/microsoft.graph.domain", "", false, "microsoft.graph.domain"}, // not a directoryObject
		{"v1.0", "/groups/{id}/transitiveMembers/microsoft.graph.noSuchType", "", false, "microsoft.graph.noSuchType"},
		{"v1.0", "/identity/conditionalAccess/policies", "microsoft.graph.conditionalAccessPolicy", true, ""},
		{"v1.0", "/identity/conditionalAccess/namedLocations/{id}/microsoft.graph.ipNamedLocation", "microsoft.graph.ipNamedLocation", false, ""},
		{"v1.0", "/deviceManagement", "microsoft.graph.deviceManagement", false, ""},
		{"v1.0", "/deviceManagement/settings", "microsoft.graph.deviceManagementSettings", false, ""},
		{"v1.0", "/deviceManagement/deviceCompliancePolicies", "microsoft.graph.deviceCompliancePolicy", true, ""},
		{"v1.0", "/deviceManagement/configurationPolicies", "", false, "configurationPolicies"}, // beta only
		{"beta", "/deviceManagement/configurationPolicies/{id}/settings", "microsoft.graph.deviceManagementConfigurationSetting", true, ""},
		{"beta", "/deviceManagement/intents/{id}/assignments", "microsoft.graph.deviceManagementIntentAssignment", true, ""},
		{"v1.0", "/reports/authenticationMethods/userRegistrationDetails", "microsoft.graph.userRegistrationDetails", true, ""},
		{"v1.0", "/noSuchSet", "", false, "noSuchSet"},
		{"v1.0", "/users/{id}/noSuchProperty", "", false, "noSuchProperty"},
		{"beta", "/groupSettings", "", false, "groupSettings"}, // beta names it /settings, a type v1.0 lacks
	}
	for _, tt := range tests {
		t.Run(tt.version+tt.path, func(t *testing.T) {
			got, err := schema(t, tt.version).Resolve(tt.path)
			if tt.badSegment != "" {
				var pe *PathError
				if !errors.As(err, &pe) || pe.Segment != tt.badSegment {
					t.Fatalf("Resolve = %+v, %v; want an error at segment %q", got, err, tt.badSegment)
				}
				if want := "Resource not found for the segment '" + tt.badSegment + "'."; err.Error() != want {
					t.Errorf("message %q; want Graph's %q", err.Error(), want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Type.Name != tt.typ || got.Collection != tt.collection {
				t.Errorf("Resolve = %s (collection %v); want %s (collection %v)", got.Type.Name, got.Collection, tt.typ, tt.collection)
			}
		})
	}
}

func TestPropertyLookup(t *testing.T) {
	tests := []struct {
		version, typ, prop string
		found              bool
		spelled            string
		nav                bool
	}{
		{"v1.0", "microsoft.graph.user", "accountEnabled", true, "accountEnabled", false},
		{"v1.0", "microsoft.graph.user", "ACCOUNTENABLED", true, "accountEnabled", false},   // query options ignore case
		{"v1.0", "microsoft.graph.user", "deletedDateTime", true, "deletedDateTime", false}, // from directoryObject
		{"v1.0", "microsoft.graph.user", "id", true, "id", false},                           // from entity
		{"v1.0", "microsoft.graph.user", "manager", true, "manager", true},
		{"v1.0", "microsoft.graph.servicePrincipal", "publisherName", false, "", false}, // beta only
		{"beta", "microsoft.graph.servicePrincipal", "publisherName", true, "publisherName", false},
		{"v1.0", "microsoft.graph.unifiedRoleDefinition", "isPrivileged", false, "", false},
		{"beta", "microsoft.graph.unifiedRoleDefinition", "isPrivileged", true, "isPrivileged", false},
		{"v1.0", "microsoft.graph.windows10CompliancePolicy", "activeFirewallRequired", false, "", false},
		{"beta", "microsoft.graph.windows10CompliancePolicy", "activeFirewallRequired", true, "activeFirewallRequired", false},
		{"beta", "microsoft.graph.windows10CompliancePolicy", "assignments", true, "assignments", true}, // from deviceCompliancePolicy
		{"v1.0", "microsoft.graph.authenticationMethodsRegistrationCampaign", "enforceRegistrationAfterAllowedSnoozes", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.version+" "+tt.typ+"."+tt.prop, func(t *testing.T) {
			p, ok := typ(t, schema(t, tt.version), tt.typ).Property(tt.prop)
			if ok != tt.found || p.Name != tt.spelled || p.Navigation != tt.nav {
				t.Errorf("Property = %+v, %v; want found %v, spelled %q, navigation %v", p, ok, tt.found, tt.spelled, tt.nav)
			}
		})
	}
}

func TestDerivedTypes(t *testing.T) {
	tests := []struct {
		version, base string
		derived       []string
	}{
		{"v1.0", "microsoft.graph.deviceCompliancePolicy", []string{"microsoft.graph.windows10CompliancePolicy", "microsoft.graph.iosCompliancePolicy"}},
		{"v1.0", "microsoft.graph.namedLocation", []string{"microsoft.graph.ipNamedLocation", "microsoft.graph.countryNamedLocation"}},
		{"beta", "microsoft.graph.deviceManagementConfigurationSettingInstance", []string{
			"microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
			"microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
			"microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance"}},
		{"beta", "microsoft.graph.deviceManagementSettingInstance", []string{"microsoft.graph.deviceManagementBooleanSettingInstance"}},
	}
	for _, tt := range tests {
		t.Run(tt.version+" "+tt.base, func(t *testing.T) {
			s := schema(t, tt.version)
			base := typ(t, s, tt.base)
			names := map[string]bool{}
			for _, d := range base.Derived {
				names[d.Name] = true
			}
			for _, d := range tt.derived {
				if !names[d] {
					t.Errorf("%s is not among the types derived from %s: %v", d, tt.base, names)
				}
				if !typ(t, s, d).IsA(base) {
					t.Errorf("%s.IsA(%s) = false", d, tt.base)
				}
			}
			if base.IsA(typ(t, s, tt.derived[0])) {
				t.Errorf("%s.IsA(%s) = true; a base is not its derived type", tt.base, tt.derived[0])
			}
		})
	}
}

func TestParseExpand(t *testing.T) {
	tests := []struct {
		in      string
		want    []ExpandItem
		wantErr bool
	}{
		{"assignments", []ExpandItem{{Name: "assignments"}}, false},
		{"assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)", []ExpandItem{
			{Name: "assignments"},
			{Name: "scheduledActionsForRule", Expand: []ExpandItem{{Name: "scheduledActionConfigurations"}}},
		}, false},
		{"members($select=id,displayName;$top=5)", []ExpandItem{
			{Name: "members", Select: []string{"id", "displayName"}, Options: map[string]string{"$top": "5"}},
		}, false},
		{"microsoft.graph.x/nav(select=a)", []ExpandItem{{Name: "nav", Cast: "microsoft.graph.x", Select: []string{"a"}}}, false},
		{"a($expand=b($expand=c($select=d)))", []ExpandItem{{Name: "a", Expand: []ExpandItem{{Name: "b", Expand: []ExpandItem{{Name: "c", Select: []string{"d"}}}}}}}, false},
		{"a(", nil, true},
		{"a)", nil, true},
		{"a,,b", nil, true},
		{"a($select)", nil, true},
		{"bad name", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseExpand(tt.in)
			if tt.wantErr {
				var qe *QueryError
				if !errors.As(err, &qe) || !strings.Contains(qe.Message, "is not valid in a $select or $expand expression") {
					t.Fatalf("ParseExpand(%q) = %+v, %v; want Graph's term error", tt.in, got, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseExpand(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCheckQuery(t *testing.T) {
	notFound := func(name, typ string) string {
		return fmt.Sprintf("Parsing OData Select and Expand failed: Could not find a property named '%s' on type '%s'.", name, typ)
	}
	tests := []struct {
		version, typ, sel, exp string
		want                   string // "" for ok, else Graph's message
	}{
		{"v1.0", "microsoft.graph.servicePrincipal", "id,appId,displayName,verifiedPublisher,tags", "", ""},
		{"v1.0", "microsoft.graph.servicePrincipal", "id,noSuchProperty", "", notFound("noSuchProperty", "microsoft.graph.servicePrincipal")},
		{"v1.0", "microsoft.graph.servicePrincipal", "publisherName", "", notFound("publisherName", "microsoft.graph.servicePrincipal")},
		{"beta", "microsoft.graph.servicePrincipal", "publisherName", "", ""},
		{"v1.0", "microsoft.graph.user", "ID,AccountEnabled", "", ""},                                     // names ignore case
		{"v1.0", "microsoft.graph.user", "extension_0123456789abcdef0123456789abcdef_costCenter", "", ""}, // directory extension on an open type
		{"v1.0", "microsoft.graph.user", "*", "", ""},
		{"v1.0", "microsoft.graph.user", "signInActivity/lastSignInDateTime", "", ""},
		{"v1.0", "microsoft.graph.user", "signInActivity/nope", "", notFound("nope", "microsoft.graph.signInActivity")},
		{"v1.0", "microsoft.graph.deviceManagement", "settings", "", ""},
		{"v1.0", "microsoft.graph.directoryObject", "microsoft.graph.user/accountEnabled", "", ""},
		{"v1.0", "microsoft.graph.directoryObject", "accountEnabled", "", notFound("accountEnabled", "microsoft.graph.directoryObject")},
		{"v1.0", "microsoft.graph.group", "", "noSuchNavigation", notFound("noSuchNavigation", "microsoft.graph.group")},
		{"v1.0", "microsoft.graph.group", "", "displayName",
			"Parsing OData Select and Expand failed: Property 'displayName' on type 'microsoft.graph.group' is not a navigation property or complex property. Only navigation properties can be expanded."},
		{"v1.0", "microsoft.graph.group", "", "members($select=id,deletedDateTime)", ""},
		{"v1.0", "microsoft.graph.group", "", "members($select=id,nope)", notFound("nope", "microsoft.graph.directoryObject")},
		{"v1.0", "microsoft.graph.deviceCompliancePolicy", "", "assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)", ""},
		{"v1.0", "microsoft.graph.deviceCompliancePolicy", "", "scheduledActionsForRule($expand=nope)", notFound("nope", "microsoft.graph.deviceComplianceScheduledActionForRule")},
		{"beta", "microsoft.graph.deviceManagementConfigurationPolicy", "", "assignments", ""},
		{"v1.0", "microsoft.graph.user", "a b", "", "Parsing OData Select and Expand failed: Term 'a b' is not valid in a $select or $expand expression."},
	}
	for _, tt := range tests {
		t.Run(tt.version+" "+tt.typ+" "+tt.sel+tt.exp, func(t *testing.T) {
			s := schema(t, tt.version)
			err := s.CheckQuery(typ(t, s, tt.typ), tt.sel, tt.exp)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckQuery = %v; want ok", err)
				}
				return
			}
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Code != "BadRequest" || qe.Message != tt.want {
				t.Errorf("CheckQuery = %v; want BadRequest %q", err, tt.want)
			}
		})
	}
}

func TestCheckObject(t *testing.T) {
	tests := []struct {
		name, version, typ string
		obj                any
		expand             string
		want               []string // problem paths
	}{
		{"plain user", "v1.0", "microsoft.graph.user",
			map[string]any{"id": "1", "displayName": "A", "accountEnabled": true, "assignedLicenses": []any{map[string]any{"skuId": "x", "disabledPlans": []any{}}}}, "", nil},
		{"beta-only property in v1.0", "v1.0", "microsoft.graph.unifiedRoleDefinition",
			map[string]any{"id": "1", "isPrivileged": true}, "", []string{"$.isPrivileged"}},
		{"beta-only property in beta", "beta", "microsoft.graph.unifiedRoleDefinition",
			map[string]any{"id": "1", "isPrivileged": true}, "", nil},
		{"wrong kinds", "v1.0", "microsoft.graph.user",
			map[string]any{"accountEnabled": "true", "assignedLicenses": map[string]any{}, "displayName": 3.0}, "",
			[]string{"$.accountEnabled", "$.assignedLicenses", "$.displayName"}},
		{"misspelled", "v1.0", "microsoft.graph.user", map[string]any{"AccountEnabled": true}, "", []string{"$.AccountEnabled"}},
		{"derived type by @odata.type", "beta", "microsoft.graph.deviceCompliancePolicy",
			map[string]any{"@odata.type": "#microsoft.graph.windows10CompliancePolicy", "id": "p", "activeFirewallRequired": true}, "", nil},
		{"derived property without @odata.type", "beta", "microsoft.graph.deviceCompliancePolicy",
			map[string]any{"id": "p", "activeFirewallRequired": true}, "", []string{"$", "$.activeFirewallRequired"}},
		{"@odata.type not derived", "v1.0", "microsoft.graph.namedLocation",
			map[string]any{"@odata.type": "#microsoft.graph.user", "id": "l"}, "", []string{"$.@odata.type"}},
		{"navigation not expanded", "v1.0", "microsoft.graph.deviceCompliancePolicy",
			map[string]any{"@odata.type": "#microsoft.graph.windows10CompliancePolicy", "assignments": []any{}}, "", []string{"$.assignments"}},
		{"navigation expanded, nested", "v1.0", "microsoft.graph.deviceCompliancePolicy",
			map[string]any{"@odata.type": "#microsoft.graph.windows10CompliancePolicy", "scheduledActionsForRule": []any{
				map[string]any{"id": "r", "scheduledActionConfigurations": []any{map[string]any{"id": "c", "actionType": "block", "gracePeriodHours": 0.0}}},
			}}, "scheduledActionsForRule($expand=scheduledActionConfigurations)", nil},
		{"nested expansion missing", "v1.0", "microsoft.graph.deviceCompliancePolicy",
			map[string]any{"@odata.type": "#microsoft.graph.windows10CompliancePolicy", "scheduledActionsForRule": []any{
				map[string]any{"id": "r", "scheduledActionConfigurations": []any{}},
			}}, "scheduledActionsForRule", []string{"$.scheduledActionsForRule[0].scheduledActionConfigurations"}},
		{"complex type's navigation comes unasked", "v1.0", "microsoft.graph.conditionalAccessPolicy",
			map[string]any{"id": "c", "grantControls": map[string]any{"operator": "OR", "authenticationStrength": map[string]any{
				"id": "s", "allowedCombinations": []any{"fido2"}, "combinationConfigurations": []any{}}}}, "", nil},
		{"open complex type takes dynamic properties", "v1.0", "microsoft.graph.secureScore",
			map[string]any{"id": "s", "controlScores": []any{map[string]any{"controlName": "AdminMFAV2", "score": 10.0, "count": "3", "total": "4"}}}, "", nil},
		{"open entity type takes only directory extensions", "v1.0", "microsoft.graph.user",
			map[string]any{"extension_0123456789abcdef0123456789abcdef_costCenter": "x", "madeUp": 1.0}, "", []string{"$.madeUp"}},
		{"collection", "v1.0", "microsoft.graph.domain",
			[]any{map[string]any{"id": "a.com", "isVerified": true}, map[string]any{"id": "b.com", "verified": true}}, "", []string{"$[1].verified"}},
		{"annotations and nulls", "v1.0", "microsoft.graph.user",
			map[string]any{"@odata.context": "x", "signInActivity@odata.type": "y", "signInActivity": nil, "manager@odata.navigationLink": "z"}, "", nil},
		{"enum members are strings", "v1.0", "microsoft.graph.conditionalAccessPolicy", map[string]any{"state": true}, "", []string{"$.state"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := schema(t, tt.version)
			var exp []ExpandItem
			if tt.expand != "" {
				var err error
				if exp, err = ParseExpand(tt.expand); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, p := range s.CheckObject(tt.typ, tt.obj, exp) {
				got = append(got, p.Path)
				if p.Message == "" {
					t.Errorf("%s: no message", p.Path)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems at %v; want %v\n%v", got, tt.want, s.CheckObject(tt.typ, tt.obj, exp))
			}
		})
	}
}

func TestStrip(t *testing.T) {
	s := schema(t, "v1.0")
	in := map[string]any{
		"@odata.type":             "#microsoft.graph.windows10CompliancePolicy",
		"id":                      "p",
		"bitLockerEnabled":        true,
		"activeFirewallRequired":  true, // beta only
		"assignments":             []any{map[string]any{"id": "a", "target": map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterType": "none"}}},
		"scheduledActionsForRule": []any{},
	}
	exp, _ := ParseExpand("assignments")
	got := s.Strip(typ(t, s, "microsoft.graph.deviceCompliancePolicy"), in, exp)
	want := map[string]any{
		"@odata.type":      "#microsoft.graph.windows10CompliancePolicy",
		"id":               "p",
		"bitLockerEnabled": true,
		"assignments":      []any{map[string]any{"id": "a", "target": map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Strip =\n%v\nwant\n%v", got, want)
	}
	if _, ok := in["activeFirewallRequired"]; !ok {
		t.Error("Strip changed its input")
	}
}

func TestParseRefusesBrokenDocuments(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not JSON", `{`, "graph schema"},
		{"bad kind", `{"version":"v","types":{"a.b":{"kind":"enum"}}}`, "kind"},
		{"unknown base", `{"version":"v","types":{"a.b":{"kind":"entity","base":"a.c"}}}`, "base type a.c"},
		{"unknown property type", `{"version":"v","types":{"a.b":{"kind":"complex","properties":{"p":"a.c"}}}}`, "a.b.p"},
		{"cycle", `{"version":"v","types":{"a.b":{"kind":"entity","base":"a.c"},"a.c":{"kind":"entity","base":"a.b"}}}`, "derives from itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v; want an error containing %q", err, tt.want)
			}
		})
	}
}
