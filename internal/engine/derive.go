package engine

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// derive adds input.derived: indexes of the snapshot that the Rego library would otherwise
// build with comprehensions over every user on each evaluation. Go builds them in a fraction
// of the time, deciding from the decoded document doc and sharing the converted objects' terms
// from input rather than copying them. The library falls back to computing them itself when
// they are absent, and TestDerivedMatchesRego keeps the two in agreement. derived is the
// engine's, not the snapshot's: org rules use the lib helpers.
//
//	usersById        object: user id -> the user object of input.entra.users
//	enabledMemberIds set of ids of users whose accountEnabled is not false and userType not "Guest"
//	                 (missing or null counts as enabled and member, as in posture.lib.users)
//	groupMemberSets  object: group id -> set of member ids, from input.entra.groupMembers
//	registrationById object: user id -> the user's entry of input.entra.userRegistrationDetails
//	mfaCapableIds    set of ids of userRegistrationDetails entries with isMfaCapable true
//	ssprEnabledIds   set of ids of userRegistrationDetails entries with isSsprEnabled true
func derive(doc map[string]any, input ast.Object) {
	var pairs [][2]*ast.Term
	defer func() { input.Insert(ast.StringTerm("derived"), ast.NewTerm(ast.NewObject(pairs...))) }()
	entra, _ := doc["entra"].(map[string]any)
	t := input.Get(ast.StringTerm("entra"))
	if entra == nil || t == nil {
		return
	}
	entraV, ok := t.Value.(ast.Object)
	if !ok {
		return
	}
	add := func(name string, v ast.Value) {
		pairs = append(pairs, [2]*ast.Term{ast.StringTerm(name), ast.NewTerm(v)})
	}

	if users, terms, ok := arrays(entra, entraV, "users"); ok {
		if byID, ok := index(users, terms); ok {
			add("usersById", byID)
		}
		add("enabledMemberIds", idsWhere(users, func(u map[string]any) bool {
			return u["accountEnabled"] != false && u["userType"] != "Guest"
		}))
	}
	if details, terms, ok := arrays(entra, entraV, "userRegistrationDetails"); ok {
		if byID, ok := index(details, terms); ok {
			add("registrationById", byID)
		}
		add("mfaCapableIds", idsWhere(details, func(d map[string]any) bool { return d["isMfaCapable"] == true }))
		add("ssprEnabledIds", idsWhere(details, func(d map[string]any) bool { return d["isSsprEnabled"] == true }))
	}
	if members, ok := entra["groupMembers"].(map[string]any); ok {
		sets := make([][2]*ast.Term, 0, len(members))
		for gid, ms := range members {
			list, ok := ms.([]any)
			if !ok {
				continue
			}
			ids := make([]*ast.Term, 0, len(list))
			for _, m := range list {
				if s, ok := m.(string); ok {
					ids = append(ids, ast.StringTerm(s))
				}
			}
			if len(ids) != len(list) {
				continue // not all strings: leave it to Rego
			}
			sets = append(sets, [2]*ast.Term{ast.StringTerm(gid), ast.SetTerm(ids...)})
		}
		add("groupMemberSets", ast.NewObject(sets...))
	}
}

// arrays returns a key's decoded elements and their converted terms, index for index.
func arrays(entra map[string]any, entraV ast.Object, key string) ([]any, *ast.Array, bool) {
	list, ok := entra[key].([]any)
	t := entraV.Get(ast.StringTerm(key))
	if !ok || t == nil {
		return nil, nil, false
	}
	arr, ok := t.Value.(*ast.Array)
	if !ok || arr.Len() != len(list) {
		return nil, nil, false
	}
	return list, arr, true
}

// index maps each element's string id to the element's term. It reports false when two
// elements share an id: Rego's own index then fails, and the rule reports the conflict.
func index(list []any, terms *ast.Array) (ast.Object, bool) {
	pairs := make([][2]*ast.Term, 0, len(list))
	seen := make(map[string]bool, len(list))
	for i, x := range list {
		obj, _ := x.(map[string]any)
		id, ok := obj["id"].(string)
		if !ok {
			if _, has := obj["id"]; has {
				return nil, false // a non-string id: leave it to Rego
			}
			continue
		}
		if seen[id] {
			return nil, false
		}
		seen[id] = true
		pairs = append(pairs, [2]*ast.Term{ast.StringTerm(id), terms.Elem(i)})
	}
	return ast.NewObject(pairs...), true
}

// idsWhere is the set of string ids of the objects in list for which keep is true.
func idsWhere(list []any, keep func(map[string]any) bool) ast.Set {
	ids := make([]*ast.Term, 0, len(list))
	for _, x := range list {
		obj, _ := x.(map[string]any)
		if id, ok := obj["id"].(string); ok && keep(obj) {
			ids = append(ids, ast.StringTerm(id))
		}
	}
	return ast.NewSet(ids...)
}
