package graphschema_test

import (
	"fmt"

	"github.com/m365posture/posture/internal/graphschema"
)

// A request path resolves to a type; its query options are checked against that type as
// Graph checks them.
func ExampleSchema_CheckQuery() {
	s, err := graphschema.For("v1.0")
	if err != nil {
		panic(err)
	}
	tgt, err := s.Resolve("/groups/{id}/transitiveMembers/microsoft.graph.user")
	if err != nil {
		panic(err)
	}
	fmt.Println(tgt.Type.Name, tgt.Collection)
	fmt.Println(s.CheckQuery(tgt.Type, "id,accountEnabled", ""))
	sp, _ := s.Type("microsoft.graph.servicePrincipal")
	fmt.Println(s.CheckQuery(sp, "id,publisherName", ""))
	// Output:
	// microsoft.graph.user true
	// <nil>
	// BadRequest: Parsing OData Select and Expand failed: Could not find a property named 'publisherName' on type 'microsoft.graph.servicePrincipal'.
}

// CheckObject finds what an object holds that Graph does not return in a version: here a
// beta-only property in v1.0 data.
func ExampleSchema_CheckObject() {
	s, err := graphschema.For("v1.0")
	if err != nil {
		panic(err)
	}
	role := map[string]any{"id": "62e90394-69f5-4237-9190-012177145e10", "displayName": "Global Administrator", "isPrivileged": true}
	for _, p := range s.CheckObject("microsoft.graph.unifiedRoleDefinition", role, nil) {
		fmt.Println(p)
	}
	// Output:
	// $.isPrivileged: microsoft.graph.unifiedRoleDefinition has no property "isPrivileged" in v1.0
}
