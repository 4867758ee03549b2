package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/graphschema"
)

const miniCSDL = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="policyState"><Member Name="on" Value="0" /></EnumType>
      <EntityType Name="entity" Abstract="true"><Property Name="id" Type="Edm.String" /></EntityType>
      <EntityType Name="policy" BaseType="graph.entity" Abstract="true">
        <Property Name="state" Type="graph.policyState" />
        <Property Name="settings" Type="Collection(graph.setting)" />
        <NavigationProperty Name="assignments" Type="Collection(graph.assignment)" ContainsTarget="true" />
        <NavigationProperty Name="owner" Type="graph.person" />
      </EntityType>
      <EntityType Name="windowsPolicy" BaseType="graph.policy" OpenType="true"><Property Name="firewall" Type="Edm.Boolean" /></EntityType>
      <EntityType Name="assignment" BaseType="graph.entity"><Property Name="target" Type="graph.target" /></EntityType>
      <EntityType Name="person" BaseType="graph.entity"><Property Name="name" Type="Edm.String" /></EntityType>
      <EntityType Name="unrelated" BaseType="graph.entity" />
      <ComplexType Name="setting"><Property Name="value" Type="Edm.String" /></ComplexType>
      <ComplexType Name="boolSetting" BaseType="graph.setting"><Property Name="flag" Type="Edm.Boolean" /></ComplexType>
      <ComplexType Name="target"><NavigationProperty Name="strength" Type="graph.person" /></ComplexType>
      <EntityContainer Name="GraphService">
        <EntitySet Name="policies" EntityType="microsoft.graph.policy" />
        <Singleton Name="me" Type="microsoft.graph.person" />
      </EntityContainer>
      <Annotations Target="microsoft.graph.policy/owner">
        <Annotation Term="Org.OData.Core.V1.AutoExpand" Bool="true" />
      </Annotations>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>`

func TestFromCSDL(t *testing.T) {
	doc, err := fromCSDL([]byte(miniCSDL))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"alias resolved in base", doc.Types["microsoft.graph.policy"].Base, "microsoft.graph.entity"},
		{"abstract", doc.Types["microsoft.graph.policy"].Abstract, true},
		{"open", doc.Types["microsoft.graph.windowsPolicy"].Open, true},
		{"collection of a complex type", doc.Types["microsoft.graph.policy"].Properties["settings"], "Collection(microsoft.graph.setting)"},
		{"navigation", doc.Types["microsoft.graph.policy"].Navigation["assignments"], "Collection(microsoft.graph.assignment)"},
		{"AutoExpand annotation", doc.Types["microsoft.graph.policy"].AutoExpand, []string{"owner"}},
		{"kind", doc.Types["microsoft.graph.setting"].Kind, "complex"},
		{"entity set", doc.EntitySets["policies"], "microsoft.graph.policy"},
		{"singleton", doc.Singletons["me"], "microsoft.graph.person"},
		{"enum", doc.Enums, []string{"microsoft.graph.policyState"}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: %v; want %v", tt.name, tt.got, tt.want)
		}
	}
	if _, err := fromCSDL([]byte(strings.Replace(miniCSDL, `Type="graph.policyState"`, `Type="nope.policyState"`, 1))); err == nil {
		t.Error("an unknown namespace was accepted")
	}
}

func TestReduce(t *testing.T) {
	doc, err := fromCSDL([]byte(miniCSDL))
	if err != nil {
		t.Fatal(err)
	}
	doc.Version = "v1.0"
	small, err := reduce(doc, []string{"/v1.0/policies?$expand=assignments", "/v1.0/nowhere"})
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for name := range small.Types {
		kept = append(kept, name)
	}
	slices.Sort(kept)
	want := []string{
		"microsoft.graph.assignment",  // expanded
		"microsoft.graph.boolSetting", // derived from a property's complex type
		"microsoft.graph.entity",      // a base type
		"microsoft.graph.person",      // an AutoExpand target, and a complex type's navigation target
		"microsoft.graph.policy",      // the request's type
		"microsoft.graph.setting",
		"microsoft.graph.target",
		"microsoft.graph.windowsPolicy", // derived from the request's type
	}
	if !reflect.DeepEqual(kept, want) {
		t.Errorf("kept %v; want %v (not unrelated, which only derives from entity)", kept, want)
	}
	if !reflect.DeepEqual(small.Enums, []string{"microsoft.graph.policyState"}) {
		t.Errorf("enums %v", small.Enums)
	}
	if got := small.Types["microsoft.graph.entity"].Derived; slices.Contains(got, "microsoft.graph.unrelated") {
		t.Errorf("entity's derived types name a type left out: %v", got)
	}
	if len(small.Notes) != 1 || !strings.Contains(small.Notes[0], "/nowhere") {
		t.Errorf("notes %v; want the request that does not resolve", small.Notes)
	}
}

// TestKiotaModels builds a tiny SDK models tree the way kiota writes it and reads it back.
func TestKiotaModels(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("entity.go", `package models
type Entity struct { backingStore any }
func (m *Entity) GetFieldDeserializers() map[string]func(n any) error {
    res := make(map[string]func(n any) error)
    res["id"] = func (n any) error { val, err := n.GetStringValue(); _ = val; return err }
    return res
}`)
	write("policy.go", `package models
import ( isec "github.com/microsoftgraph/msgraph-beta-sdk-go/models/security" )
type Policy struct { Entity }
func NewPolicy() *Policy { m := &Policy{}; odataTypeValue := "#microsoft.graph.policy"; _ = odataTypeValue; return m }
func (m *Policy) GetFieldDeserializers() map[string]func(n any) error {
    res := m.Entity.GetFieldDeserializers()
    res["state"] = func (n any) error { val, err := n.GetEnumValue(ParsePolicyState); _ = val; return err }
    res["tags"] = func (n any) error { val, err := n.GetCollectionOfPrimitiveValues("string"); _ = val; return err }
    res["alert"] = func (n any) error { val, err := n.GetObjectValue(isec.CreateAlertFromDiscriminatorValue); _ = val; return err }
    res["assignments"] = func (n any) error { val, err := n.GetCollectionOfObjectValues(CreatePolicyAssignmentFromDiscriminatorValue); _ = val; return err }
    res["notInCSDL"] = func (n any) error { val, err := n.GetBoolValue(); _ = val; return err }
    return res
}`)
	write("policy_state.go", `package models
type PolicyState int
func ParsePolicyState(v string) (any, error) { return nil, nil }`)
	write("policy_assignment.go", `package models
type PolicyAssignment struct { Entity }`)
	write("security/alert.go", `package security
type Alert struct { backingStore any }
func NewAlert() *Alert { odataTypeValue := "#microsoft.graph.security.alert"; _ = odataTypeValue; return nil }`)
	models, enums, err := kiotaModels(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !enums[".PolicyState"] {
		t.Errorf("enums %v; want PolicyState", enums)
	}
	p := models[".Policy"]
	if p == nil || p.base == nil || p.base.name != "Entity" || p.odataName != "microsoft.graph.policy" {
		t.Fatalf("Policy model %+v", p)
	}
	in := betaInputs{models: models, sdkEnums: enums,
		entities: typeMappings{"microsoft.graph": {
			"entity":           {Properties: []string{"id"}},
			"policy":           {Properties: []string{"state", "tags", "alert", "missingFromSDK"}, Navigation: []string{"assignments"}},
			"policyAssignment": {},
		}},
		complex: typeMappings{"microsoft.graph.security": {"alert": {}}},
		enums:   enumMappings{"microsoft.graph": {"policyState": {"on"}}},
		v1: &graphschema.Document{Types: map[string]graphschema.TypeDoc{"microsoft.graph.policy": {Abstract: true}},
			EntitySets: map[string]string{"policies": "microsoft.graph.policy", "gone": "microsoft.graph.gone"}},
	}
	doc, st, err := fromSDK(in)
	if err != nil {
		t.Fatal(err)
	}
	got := doc.Types["microsoft.graph.policy"]
	want := graphschema.TypeDoc{Kind: "entity", Base: "microsoft.graph.entity", Abstract: true,
		Properties: map[string]string{"state": "microsoft.graph.policyState", "tags": "Collection(Edm.String)", "alert": "microsoft.graph.security.alert"},
		Navigation: map[string]string{"assignments": "Collection(microsoft.graph.policyAssignment)"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("policy =\n%+v\nwant\n%+v", got, want)
	}
	if st.sdkOnlyProps != 1 || st.csdlOnlyProps != 1 {
		t.Errorf("cross-check %+v; want 1 SDK-only (notInCSDL) and 1 CSDL-only (missingFromSDK) property", st)
	}
	if !reflect.DeepEqual(doc.EntitySets, map[string]string{"policies": "microsoft.graph.policy"}) {
		t.Errorf("entity sets %v; want v1.0's names whose types beta has", doc.EntitySets)
	}
}
