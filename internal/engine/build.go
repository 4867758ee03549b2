package engine

import (
	"encoding/json"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/snapshot"
)

// SnapshotBuilder builds the elements of a snapshot's large collections straight into the OPA
// terms the rules read, as the snapshot is decoded (see snapshot.LoadWith): a large tenant is
// then decoded once, on every processor, and held once. Prepare and Consume take such a
// snapshot as they take any other, and give the same Input.
func SnapshotBuilder() snapshot.Builder { return termBuilder{} }

// builtKeys are the keys SnapshotBuilder builds: the collections that grow with the tenant and
// that nothing but the rules reads (score reads subscribedSkus, check the domains).
var builtKeys = []string{
	"entra.users", "entra.userRegistrationDetails", "entra.groups",
	"entra.servicePrincipals", "entra.oauth2PermissionGrants",
	"entra.roleAssignments", "entra.roleEligibilitySchedules",
	"intune.managedDevices",
}

type termBuilder struct{}

func (termBuilder) Keys() []string { return builtKeys }

func (termBuilder) New() snapshot.ElementBuilder { return &termElements{c: newConverter()} }

// termElements builds terms as converter.term converts decoded JSON, sharing keys and short
// strings the same way.
type termElements struct {
	c     *converter
	pairs [][2]*ast.Term
}

func (*termElements) Null() any             { return ast.InternedNullTerm }
func (*termElements) Bool(b bool) any       { return ast.InternedTerm(b) }
func (e *termElements) String(s string) any { return e.c.str(s) }

func (e *termElements) Number(n json.Number) any {
	t, err := e.c.term(n)
	if err != nil {
		// The decoder passes only numbers JSON allows, which OPA represents.
		panic(err)
	}
	return t
}

func (e *termElements) Array(elems []any) any {
	if len(elems) == 0 {
		// OPA's own empty array, shared as OPA shares it: every user's assignedLicenses may be
		// empty, and a value is never changed.
		return ast.InternedEmptyArray
	}
	terms := make([]*ast.Term, len(elems)) // NewArray keeps the slice
	for i, v := range elems {
		terms[i] = v.(*ast.Term)
	}
	return ast.NewTerm(ast.NewArray(terms...))
}

func (e *termElements) Object(keys []string, values []any) any {
	if len(keys) == 0 {
		return ast.InternedEmptyObject
	}
	e.pairs = e.pairs[:0]
	for i, k := range keys {
		e.pairs = append(e.pairs, [2]*ast.Term{e.c.key(k), values[i].(*ast.Term)})
	}
	// NewObject copies the pairs.
	obj := ast.NewObject(e.pairs...)
	clear(e.pairs)
	return ast.NewTerm(obj)
}
