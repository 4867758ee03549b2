package engine

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// derive adds input.derived: indexes of the snapshot that the Rego library would otherwise
// build with comprehensions over every user on each evaluation. Go builds them in a fraction
// of the time, sharing the user objects' terms rather than copying them. The library falls
// back to computing them itself when they are absent, and TestDerivedMatchesRego keeps the two
// in agreement. derived is the engine's, not the snapshot's: org rules use the lib helpers.
//
//	usersById        object: user id -> the user object of input.entra.users
//	enabledMemberIds set of ids of users with accountEnabled true and userType "Member"
//	groupMemberSets  object: group id -> set of member ids, from input.entra.groupMembers
//	registrationById object: user id -> the user's entry of input.entra.userRegistrationDetails
//	mfaCapableIds    set of ids of userRegistrationDetails entries with isMfaCapable true
func derive(input ast.Object) {
	derived := ast.NewObject()
	entra, ok := input.Get(ast.InternedTerm("entra")).Value.(ast.Object)
	if !ok {
		return
	}
	if users, ok := valueAt(entra, "users").(*ast.Array); ok {
		if byID, ok := index(users); ok {
			derived.Insert(ast.InternedTerm("usersById"), ast.NewTerm(byID))
		}
		derived.Insert(ast.InternedTerm("enabledMemberIds"), ast.NewTerm(idsWhere(users, func(o ast.Object) bool {
			return isTrue(o.Get(ast.InternedTerm("accountEnabled"))) && isString(o.Get(ast.InternedTerm("userType")), "Member")
		})))
	}
	if details, ok := valueAt(entra, "userRegistrationDetails").(*ast.Array); ok {
		if byID, ok := index(details); ok {
			derived.Insert(ast.InternedTerm("registrationById"), ast.NewTerm(byID))
		}
		derived.Insert(ast.InternedTerm("mfaCapableIds"), ast.NewTerm(idsWhere(details, func(o ast.Object) bool {
			return isTrue(o.Get(ast.InternedTerm("isMfaCapable")))
		})))
	}
	if members, ok := valueAt(entra, "groupMembers").(ast.Object); ok {
		sets := ast.NewObject()
		members.Foreach(func(gid, ms *ast.Term) {
			arr, ok := ms.Value.(*ast.Array)
			if !ok {
				return
			}
			set := ast.NewSet()
			arr.Foreach(set.Add)
			sets.Insert(gid, ast.NewTerm(set))
		})
		derived.Insert(ast.InternedTerm("groupMemberSets"), ast.NewTerm(sets))
	}
	input.Insert(ast.InternedTerm("derived"), ast.NewTerm(derived))
}

// index maps each element's id to the element. It reports false when two different elements
// share an id: Rego's own index then fails, and the rule reports the conflict as an error.
func index(arr *ast.Array) (ast.Object, bool) {
	byID := ast.NewObject()
	ok := true
	arr.Foreach(func(t *ast.Term) {
		obj, isObj := t.Value.(ast.Object)
		if !isObj {
			return
		}
		id := obj.Get(ast.InternedTerm("id"))
		if id == nil {
			return
		}
		if prev := byID.Get(id); prev != nil && !prev.Equal(t) {
			ok = false
		}
		byID.Insert(id, t)
	})
	return byID, ok
}

// idsWhere is the set of ids of the objects in arr for which keep is true.
func idsWhere(arr *ast.Array, keep func(ast.Object) bool) ast.Set {
	ids := ast.NewSet()
	arr.Foreach(func(t *ast.Term) {
		obj, isObj := t.Value.(ast.Object)
		if !isObj {
			return
		}
		if id := obj.Get(ast.InternedTerm("id")); id != nil && keep(obj) {
			ids.Add(id)
		}
	})
	return ids
}

func valueAt(o ast.Object, key string) ast.Value {
	if t := o.Get(ast.InternedTerm(key)); t != nil {
		return t.Value
	}
	return nil
}

func isTrue(t *ast.Term) bool {
	if t == nil {
		return false
	}
	b, ok := t.Value.(ast.Boolean)
	return ok && bool(b)
}

func isString(t *ast.Term, want string) bool {
	if t == nil {
		return false
	}
	s, ok := t.Value.(ast.String)
	return ok && string(s) == want
}
