package engine

import (
	"slices"
	"strings"
	"sync"

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
//	externalKindUnknownIds
//	                 set of ids of users whose type the snapshot cannot tell (see
//	                 posture.lib.users.kind_unknown_ids)
//	groupMemberSets  object: group id -> set of member ids, from input.entra.groupMembers
//	registrationById object: user id -> the user's entry of input.entra.userRegistrationDetails
//	mfaCapableIds    set of ids of userRegistrationDetails entries with isMfaCapable true
//	ssprEnabledIds   set of ids of userRegistrationDetails entries with isSsprEnabled true
//	groupsById       object: group id -> the group object of input.entra.groups
//	windowsDevices   array: the managed devices of input.intune.managedDevices whose
//	                 operatingSystem is Windows, in the order rules list them (see
//	                 posture.lib.intune_compliance.windows_devices)
//	windowsNoncompliantDevices, windowsUnencryptedDevices
//	                 arrays: those of windowsDevices whose complianceState is not "compliant",
//	                 and whose isEncrypted is not true (a missing property included), in order
func derive(input ast.Object) {
	entra, _ := field(input, "entra").(ast.Object)
	users, _ := field(entra, "users").(*ast.Array)
	details, _ := field(entra, "userRegistrationDetails").(*ast.Array)
	members, _ := field(entra, "groupMembers").(ast.Object)
	groups, _ := field(entra, "groups").(*ast.Array)
	intune, _ := field(input, "intune").(ast.Object)
	devices, _ := field(intune, "managedDevices").(*ast.Array)
	// The parts read different keys: on a large tenant each takes a tenth of a second, so they
	// run side by side.
	var parts [5][][2]*ast.Term
	var wg sync.WaitGroup
	wg.Go(func() { parts[0] = userIndexes(users) })
	wg.Go(func() { parts[1] = registrationIndexes(details) })
	wg.Go(func() { parts[2] = memberSets(members) })
	wg.Go(func() { parts[3] = groupIndex(groups) })
	wg.Go(func() { parts[4] = deviceIndexes(devices) })
	wg.Wait()
	input.Insert(ast.StringTerm("derived"), ast.NewTerm(ast.NewObject(slices.Concat(parts[:]...)...)))
}

// Keys derive reads, made once.
var (
	idKey             = ast.StringTerm("id")
	accountEnabledKey = ast.StringTerm("accountEnabled")
	userTypeKey       = ast.StringTerm("userType")
	upnKey            = ast.StringTerm("userPrincipalName")
	// externalUserState and creationType mark external users whose UPN has no #EXT# (internal
	// users converted to external): see posture.lib.users.external_kind_ids.
	externalUserStateKey = ast.StringTerm("externalUserState")
	creationTypeKey      = ast.StringTerm("creationType")
	mfaCapableKey        = ast.StringTerm("isMfaCapable")
	ssprEnabledKey       = ast.StringTerm("isSsprEnabled")
)

func item(name string, v ast.Value) [2]*ast.Term {
	return [2]*ast.Term{ast.StringTerm(name), ast.NewTerm(v)}
}

// userIndexes builds usersById, enabledMemberIds, guestIds and externalKindIds in one pass.
func userIndexes(users *ast.Array) [][2]*ast.Term {
	if users == nil {
		return nil
	}
	var enabledMembers, guests, internal, b2bGuests, b2bMembers, unknown []*ast.Term
	users.Foreach(func(t *ast.Term) {
		u, ok := t.Value.(ast.Object)
		if !ok {
			return
		}
		id := u.Get(idKey)
		if id == nil {
			return
		}
		if _, ok := id.Value.(ast.String); !ok {
			return
		}
		kind := u.Get(userTypeKey)
		guest := kind != nil && kind.Value.Compare(ast.String("Guest")) == 0
		member := kind != nil && kind.Value.Compare(ast.String("Member")) == 0
		enabled := u.Get(accountEnabledKey)
		if !guest && (enabled == nil || enabled.Value.Compare(ast.Boolean(false)) != 0) {
			enabledMembers = append(enabledMembers, id)
		}
		switch {
		case guest && invited(u):
			guests = append(guests, id)
			b2bGuests = append(b2bGuests, id)
		case guest:
			guests = append(guests, id)
			internal = append(internal, id)
		case member && invited(u):
			b2bMembers = append(b2bMembers, id)
		}
		if kindUnknown(u) {
			unknown = append(unknown, id)
		}
	})
	var out [][2]*ast.Term
	if byID, ok := index(users); ok {
		out = append(out, item("usersById", byID))
	}
	return append(out,
		item("enabledMemberIds", ast.NewSet(enabledMembers...)),
		item("guestIds", ast.NewSet(guests...)),
		item("externalKindIds", ast.NewObject(
			item("internalGuest", ast.NewSet(internal...)),
			item("b2bCollaborationGuest", ast.NewSet(b2bGuests...)),
			item("b2bCollaborationMember", ast.NewSet(b2bMembers...)),
		)),
		item("externalKindUnknownIds", ast.NewSet(unknown...)),
	)
}

// registrationIndexes builds registrationById, mfaCapableIds and ssprEnabledIds.
func registrationIndexes(details *ast.Array) [][2]*ast.Term {
	if details == nil {
		return nil
	}
	var mfa, sspr []*ast.Term
	details.Foreach(func(t *ast.Term) {
		d, ok := t.Value.(ast.Object)
		if !ok {
			return
		}
		id := d.Get(idKey)
		if id == nil {
			return
		}
		if _, ok := id.Value.(ast.String); !ok {
			return
		}
		if v := d.Get(mfaCapableKey); v != nil && v.Value.Compare(ast.Boolean(true)) == 0 {
			mfa = append(mfa, id)
		}
		if v := d.Get(ssprEnabledKey); v != nil && v.Value.Compare(ast.Boolean(true)) == 0 {
			sspr = append(sspr, id)
		}
	})
	var out [][2]*ast.Term
	if byID, ok := index(details); ok {
		out = append(out, item("registrationById", byID))
	}
	return append(out, item("mfaCapableIds", ast.NewSet(mfa...)), item("ssprEnabledIds", ast.NewSet(sspr...)))
}

// memberSets builds groupMemberSets: each group's member array as a set, when every member is
// a string (otherwise the group is left to Rego).
func memberSets(members ast.Object) [][2]*ast.Term {
	if members == nil {
		return nil
	}
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
		if len(ids) == list.Len() {
			sets = append(sets, [2]*ast.Term{gid, ast.SetTerm(ids...)})
		}
	})
	return [][2]*ast.Term{item("groupMemberSets", ast.NewObject(sets...))}
}

// groupIndex builds groupsById.
func groupIndex(groups *ast.Array) [][2]*ast.Term {
	if groups == nil {
		return nil
	}
	if byID, ok := index(groups); ok {
		return [][2]*ast.Term{item("groupsById", byID)}
	}
	return nil
}

var (
	operatingSystemKey = ast.StringTerm("operatingSystem")
	deviceNameKey      = ast.StringTerm("deviceName")
	complianceStateKey = ast.StringTerm("complianceState")
	isEncryptedKey     = ast.StringTerm("isEncrypted")
)

// deviceIndexes builds windowsDevices and the two lists drawn from it. windowsDevices are the devices that are objects with a string
// operatingSystem that lower-cases to "windows", sorted as posture.lib.intune_compliance sorts
// them for listing: by lower-cased device name (deviceName when it is a non-empty string, else
// id, else "?"), then id ("" when absent), then place in the snapshot. It builds nothing when a
// Windows device's name is not a string, which Rego refuses (lower of a non-string) and
// reports as the rule's error.
func deviceIndexes(devices *ast.Array) [][2]*ast.Term {
	if devices == nil {
		return nil
	}
	type keyed struct {
		name string
		id   *ast.Term
		at   int
		d    *ast.Term
	}
	var windows []keyed
	ok := true
	devices.Until(func(t *ast.Term) bool {
		d, isObj := t.Value.(ast.Object)
		if !isObj {
			return false
		}
		os, isStr := termString(d.Get(operatingSystemKey))
		if !isStr || strings.ToLower(os) != "windows" {
			return false
		}
		id := d.Get(idKey)
		name, isStr := termString(d.Get(deviceNameKey))
		switch {
		case isStr && name != "":
		case id == nil:
			name = "?"
		default:
			if name, isStr = termString(id); !isStr {
				ok = false
				return true
			}
		}
		if id == nil {
			id = ast.InternedEmptyString
		}
		windows = append(windows, keyed{name: strings.ToLower(name), id: id, at: len(windows), d: t})
		return false
	})
	if !ok {
		return nil
	}
	slices.SortFunc(windows, func(a, b keyed) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := ast.Compare(a.id, b.id); c != 0 {
			return c
		}
		return a.at - b.at
	})
	terms := make([]*ast.Term, len(windows))
	var noncompliant, unencrypted []*ast.Term
	for i, w := range windows {
		terms[i] = w.d
		d := w.d.Value.(ast.Object)
		if t := d.Get(complianceStateKey); t == nil || t.Value.Compare(ast.String("compliant")) != 0 {
			noncompliant = append(noncompliant, w.d)
		}
		if t := d.Get(isEncryptedKey); t == nil || t.Value.Compare(ast.Boolean(true)) != 0 {
			unencrypted = append(unencrypted, w.d)
		}
	}
	return [][2]*ast.Term{
		item("windowsDevices", ast.NewArray(terms...)),
		item("windowsNoncompliantDevices", ast.NewArray(noncompliant...)),
		item("windowsUnencryptedDevices", ast.NewArray(unencrypted...)),
	}
}

// termString is t's string, and whether t is a string.
func termString(t *ast.Term) (string, bool) {
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// field is obj[key]'s value, or nil (also for a nil obj).
func field(obj ast.Object, key string) ast.Value {
	if obj == nil {
		return nil
	}
	if t := obj.Get(ast.StringTerm(key)); t != nil {
		return t.Value
	}
	return nil
}

// invited reports whether the user is external (B2B), as posture.lib.users._invited decides:
// #EXT# in the userPrincipalName, a non-empty externalUserState, or creationType "Invitation".
func invited(u ast.Object) bool {
	if t := u.Get(upnKey); t != nil {
		if upn, ok := t.Value.(ast.String); ok && strings.Contains(string(upn), "#EXT#") {
			return true
		}
	}
	if t := u.Get(externalUserStateKey); t != nil {
		if state, ok := t.Value.(ast.String); ok && state != "" {
			return true
		}
	}
	t := u.Get(creationTypeKey)
	return t != nil && t.Value.Compare(ast.String("Invitation")) == 0
}

// kindUnknown reports whether the snapshot cannot tell the user's guest or external type: no
// #EXT# in the UPN, and neither externalUserState nor creationType among her properties (see
// posture.lib.users.kind_unknown_ids).
func kindUnknown(u ast.Object) bool {
	if t := u.Get(upnKey); t != nil {
		if upn, ok := t.Value.(ast.String); ok && strings.Contains(string(upn), "#EXT#") {
			return false
		}
	}
	return u.Get(externalUserStateKey) == nil && u.Get(creationTypeKey) == nil
}

// index maps each element's string id to the element's term. It reports false when two
// elements share an id or one has an id that is not a string: Rego's own index then fails, and
// the rule reports the conflict.
func index(list *ast.Array) (ast.Object, bool) {
	byID := ast.NewObjectWithCapacity(list.Len())
	n, ok := 0, true
	list.Until(func(t *ast.Term) bool {
		obj, isObj := t.Value.(ast.Object)
		if !isObj {
			return false
		}
		idTerm := obj.Get(idKey)
		if idTerm == nil {
			return false
		}
		if _, isStr := idTerm.Value.(ast.String); !isStr {
			ok = false
			return true
		}
		// Insert replaces the value of a key it holds: the object then has fewer keys than
		// elements inserted, and that is an id shared.
		byID.Insert(idTerm, t)
		n++
		return false
	})
	if !ok || byID.Len() != n {
		return nil, false
	}
	return byID, true
}
