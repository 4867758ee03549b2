package engine

import (
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// derive adds input.derived: indexes of the snapshot that the Rego library would otherwise
// build with comprehensions over every user on each evaluation. Go builds them in a fraction
// of the time from the converted input, sharing its terms rather than copying them. The
// library falls back to computing them itself when they are absent, and TestDerivedMatchesRego
// keeps the two in agreement. derived is the engine's, not the snapshot's: org rules use the lib
// helpers.
//
//	usersById        object: user id -> the user object of input.entra.users
//	enabledMemberIds set of ids of users whose accountEnabled is not false and userType not "Guest"
//	                 (missing or null counts as enabled and member, as in posture.lib.users)
//	guestIds         set of ids of users whose userType is "Guest"
//	externalKindIds  object: Conditional Access guest or external user type -> set of user ids
//	                 (internalGuest, b2bCollaborationGuest, b2bCollaborationMember; see
//	                 posture.lib.users.external_kind_ids)
//	groupMemberSets  object: group id -> set of member ids, from input.entra.groupMembers
//	registrationById object: user id -> the user's entry of input.entra.userRegistrationDetails
//	mfaCapableIds    set of ids of userRegistrationDetails entries with isMfaCapable true
//	ssprEnabledIds   set of ids of userRegistrationDetails entries with isSsprEnabled true
func derive(input ast.Object) {
	var pairs [][2]*ast.Term
	defer func() { input.Insert(ast.StringTerm("derived"), ast.NewTerm(ast.NewObject(pairs...))) }()
	entra, ok := field(input, "entra").(ast.Object)
	if !ok {
		return
	}
	add := func(name string, v ast.Value) {
		pairs = append(pairs, [2]*ast.Term{ast.StringTerm(name), ast.NewTerm(v)})
	}

	if users, ok := field(entra, "users").(*ast.Array); ok {
		if byID, ok := index(users); ok {
			add("usersById", byID)
		}
		add("enabledMemberIds", idsWhere(users, func(u ast.Object) bool {
			return !is(u, "accountEnabled", ast.Boolean(false)) && !is(u, "userType", ast.String("Guest"))
		}))
		add("guestIds", idsWhere(users, func(u ast.Object) bool { return is(u, "userType", ast.String("Guest")) }))
		add("externalKindIds", ast.NewObject(
			[2]*ast.Term{ast.StringTerm("internalGuest"), ast.NewTerm(idsWhere(users, func(u ast.Object) bool {
				return is(u, "userType", ast.String("Guest")) && !invited(u)
			}))},
			[2]*ast.Term{ast.StringTerm("b2bCollaborationGuest"), ast.NewTerm(idsWhere(users, func(u ast.Object) bool {
				return is(u, "userType", ast.String("Guest")) && invited(u)
			}))},
			[2]*ast.Term{ast.StringTerm("b2bCollaborationMember"), ast.NewTerm(idsWhere(users, func(u ast.Object) bool {
				return is(u, "userType", ast.String("Member")) && invited(u)
			}))},
		))
	}
	if details, ok := field(entra, "userRegistrationDetails").(*ast.Array); ok {
		if byID, ok := index(details); ok {
			add("registrationById", byID)
		}
		add("mfaCapableIds", idsWhere(details, func(d ast.Object) bool { return is(d, "isMfaCapable", ast.Boolean(true)) }))
		add("ssprEnabledIds", idsWhere(details, func(d ast.Object) bool { return is(d, "isSsprEnabled", ast.Boolean(true)) }))
	}
	if members, ok := field(entra, "groupMembers").(ast.Object); ok {
		sets := make([][2]*ast.Term, 0, members.Len())
		members.Foreach(func(gid, ms *ast.Term) {
			list, ok := ms.Value.(*ast.Array)
			if !ok {
				return
			}
			ids := make([]*ast.Term, 0, list.Len())
			list.Foreach(func(m *ast.Term) {
				if _, ok := m.Value.(ast.String); ok {
					ids = append(ids, m)
				}
			})
			if len(ids) != list.Len() {
				return // not all strings: leave it to Rego
			}
			sets = append(sets, [2]*ast.Term{gid, ast.SetTerm(ids...)})
		})
		add("groupMemberSets", ast.NewObject(sets...))
	}
}

// field is obj[key]'s value, or nil.
func field(obj ast.Object, key string) ast.Value {
	if t := obj.Get(ast.InternedTerm(key)); t != nil {
		return t.Value
	}
	return nil
}

// is reports whether obj[key] equals v; false when obj has no such key.
func is(obj ast.Object, key string, v ast.Value) bool {
	x := field(obj, key)
	return x != nil && x.Compare(v) == 0
}

// invited reports whether the user's userPrincipalName carries the #EXT# marker of an invited
// (B2B) user, as posture.lib.users._invited does.
func invited(u ast.Object) bool {
	upn, ok := field(u, "userPrincipalName").(ast.String)
	return ok && strings.Contains(string(upn), "#EXT#")
}

// index maps each element's string id to the element's term. It reports false when two
// elements share an id or one has an id that is not a string: Rego's own index then fails, and
// the rule reports the conflict.
func index(list *ast.Array) (ast.Object, bool) {
	pairs := make([][2]*ast.Term, 0, list.Len())
	seen := make(map[string]bool, list.Len())
	ok := true
	list.Until(func(t *ast.Term) bool {
		obj, isObj := t.Value.(ast.Object)
		if !isObj {
			return false
		}
		idTerm := obj.Get(ast.InternedTerm("id"))
		if idTerm == nil {
			return false
		}
		id, isStr := idTerm.Value.(ast.String)
		if !isStr || seen[string(id)] {
			ok = false
			return true
		}
		seen[string(id)] = true
		pairs = append(pairs, [2]*ast.Term{idTerm, t})
		return false
	})
	if !ok {
		return nil, false
	}
	return ast.NewObject(pairs...), true
}

// idsWhere is the set of string ids of the objects in list for which keep is true.
func idsWhere(list *ast.Array, keep func(ast.Object) bool) ast.Set {
	ids := make([]*ast.Term, 0, list.Len())
	list.Foreach(func(t *ast.Term) {
		obj, ok := t.Value.(ast.Object)
		if !ok {
			return
		}
		id := obj.Get(ast.InternedTerm("id"))
		if id == nil {
			return
		}
		if _, isStr := id.Value.(ast.String); isStr && keep(obj) {
			ids = append(ids, id)
		}
	})
	return ast.NewSet(ids...)
}
