package diff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/m365posture/posture/internal/snapshot"
)

// Kinds of object change.
const (
	ObjectAdded   = "added"
	ObjectRemoved = "removed"
	ObjectChanged = "changed"
)

// ObjectChange is one configuration object added, removed or changed between two snapshots.
type ObjectChange struct {
	Key string `json:"key"` // the snapshot key, "entra.conditionalAccessPolicies"
	// ID identifies the object within the key: its id (Graph), Guid, Identity or Name
	// (Exchange), the group id (entra.groupMembers) or the domain (exchange.dns); empty for
	// an object-valued key such as exchange.organizationConfig that has none.
	ID     string `json:"id"`
	Name   string `json:"name"`
	Change string `json:"change"`
	// Properties are the top-level properties whose value changed, sorted.
	Properties []string `json:"properties,omitempty"`
	// Changes are the changed values, by dotted path into nested objects
	// ("conditions.users.excludeGroups"), sorted; an array or a value that changes type is
	// one change. Properties only one side holds are left out (see Diff.Uncollected).
	Changes []PropertyChange `json:"changes,omitempty"`
	// MembersAdded and MembersRemoved are a group's member changes (entra.groupMembers).
	MembersAdded   []Ref `json:"membersAdded,omitempty"`
	MembersRemoved []Ref `json:"membersRemoved,omitempty"`
}

// PropertyChange is one value that changed, as the two snapshots hold it (null for null).
type PropertyChange struct {
	Property string `json:"property"`
	Old      any    `json:"old"`
	New      any    `json:"new"`
}

// Uncollected is a property of a key's objects that only one snapshot holds: the other never
// collected it (an older posture's $select, another tool's export), so its value there is
// unknown and it is not compared.
type Uncollected struct {
	Key      string `json:"key"`
	Property string `json:"property"`
	// MissingFrom is the side that lacks it: "old" or "new".
	MissingFrom string `json:"missingFrom"`
	// Objects counts the objects compared on both sides that have it on one side only.
	Objects int `json:"objects"`
}

// uncollected gathers the properties only one side holds, as objects are compared.
type uncollected map[Uncollected]int

// add records that property path of an object of key is missing from side.
func (u uncollected) add(key, path, side string) {
	u[Uncollected{Key: key, Property: path, MissingFrom: side}]++
}

// list returns the properties recorded, sorted by key, property and side, with their counts.
func (u uncollected) list() []Uncollected {
	out := make([]Uncollected, 0, len(u))
	for k, n := range u {
		k.Objects = n
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		if a.Property != b.Property {
			return a.Property < b.Property
		}
		return a.MissingFrom < b.MissingFrom
	})
	return out
}

// Ref names an object by id, with its display name when the snapshot has one.
type Ref struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// comparedSections are the sections whose objects are compared. secureScore is left out: its
// scores and control profiles change every day without anyone changing configuration.
var comparedSections = []string{snapshot.SectionEntra, snapshot.SectionExchange, snapshot.SectionIntune}

// ignored reports whether a property is left out of object comparison, at any depth:
//
//   - properties that change without anyone changing configuration: signInActivity,
//     lastSignInDateTime, lastNonInteractiveSignInDateTime, lastPasswordChangeDateTime,
//     signInSessionsValidFromDateTime, refreshTokensValidFromDateTime (users),
//     onPremisesLastSyncDateTime (directory sync), lastSyncDateTime and
//     freeStorageSpaceInBytes (intune.managedDevices), lastUpdatedDateTime
//     (entra.userRegistrationDetails) and riskLastUpdatedDateTime (entra.riskyUsers);
//   - change timestamps: modifiedDateTime, lastModifiedDateTime, WhenChanged, WhenChangedUTC.
//     They are evidence that something changed, not the change itself, so they are never
//     listed, and an object whose only difference is one of them (saved without an edit)
//     is not reported as changed;
//   - OData annotations (@odata.type, @odata.etag, ...), which describe the response.
func ignored(property string) bool {
	switch property {
	case "signInActivity", "lastSignInDateTime", "lastNonInteractiveSignInDateTime",
		"lastPasswordChangeDateTime", "signInSessionsValidFromDateTime", "refreshTokensValidFromDateTime",
		"onPremisesLastSyncDateTime", "lastSyncDateTime", "freeStorageSpaceInBytes",
		"lastUpdatedDateTime", "riskLastUpdatedDateTime",
		"modifiedDateTime", "lastModifiedDateTime", "WhenChanged", "WhenChangedUTC":
		return true
	}
	return strings.Contains(property, "@odata.")
}

// idFields are the properties that identify an object in an array, in order of preference:
// Graph's id, then Exchange's Guid, Identity and Name.
var idFields = []string{"id", "Guid", "Identity", "Name"}

// nameFields are the properties that name an object for a reader, in order of preference.
var nameFields = []string{"displayName", "DisplayName", "Name", "userPrincipalName", "userDisplayName", "deviceName", "Identity"}

// compareObjects compares every key both snapshots know (source ok and value present) in
// the compared sections. A key only one side knows is a source change, not a list of added
// or removed objects: unknown is never empty. Properties only one side's objects hold are
// recorded in u, not compared.
func compareObjects(old, new *snapshot.Snapshot, u uncollected) []ObjectChange {
	out := []ObjectChange{}
	names := refNames(old, new)
	for _, sec := range comparedSections {
		for _, key := range sectionKeys(old, new, sec) {
			if !old.Known(key) || !new.Known(key) {
				continue
			}
			name := strings.TrimPrefix(key, sec+".")
			ov, nv := section(old, sec)[name], section(new, sec)[name]
			out = append(out, compareKey(key, kindOf(key, nv), ov, nv, names, u)...)
		}
	}
	return out
}

// sectionKeys returns the source keys of section sec on either side: the known keys in the
// order of snapshot.Keys, then others (a newer schema's) sorted.
func sectionKeys(old, new *snapshot.Snapshot, sec string) []string {
	present := map[string]bool{}
	for _, s := range []*snapshot.Snapshot{old, new} {
		for k := range section(s, sec) {
			present[sec+"."+k] = true
		}
	}
	var out []string
	for _, k := range snapshot.Keys() {
		if k.Section == sec && present[k.String()] {
			out = append(out, k.String())
			delete(present, k.String())
		}
	}
	var rest []string
	for k := range present {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func section(s *snapshot.Snapshot, sec string) map[string]any {
	switch sec {
	case snapshot.SectionEntra:
		return s.Entra
	case snapshot.SectionExchange:
		return s.Exchange
	case snapshot.SectionIntune:
		return s.Intune
	}
	return nil
}

// kindOf returns the schema's kind for a known key, and guesses one from the value for a key
// this posture does not know.
func kindOf(key string, v any) snapshot.Kind {
	for _, k := range snapshot.Keys() {
		if k.String() == key {
			return k.Kind
		}
	}
	if _, ok := v.([]any); ok {
		return snapshot.KindArray
	}
	return snapshot.KindObject
}

// compareKey compares the values of one key, sorted by object id.
func compareKey(key string, kind snapshot.Kind, ov, nv any, names map[string]string, u uncollected) []ObjectChange {
	var out []ObjectChange
	om, oIsMap := ov.(map[string]any)
	nm, nIsMap := nv.(map[string]any)
	oa, oObjs := objects(ov)
	na, nObjs := objects(nv)
	switch {
	case kind == snapshot.KindStringArrays && oIsMap && nIsMap:
		out = compareMembers(key, om, nm, names)
	case kind == snapshot.KindDNS && oIsMap && nIsMap:
		out = compareKeyed(key, om, nm, u)
	case oIsMap && nIsMap:
		if props, changes := changedProperties(key, om, nm, u); len(props) > 0 {
			id := objectID(nm, idFields)
			if id == "" {
				id = objectID(om, idFields)
			}
			out = append(out, ObjectChange{Key: key, ID: id, Name: nameOf(nm, om), Change: ObjectChanged, Properties: props, Changes: changes})
		}
	case oObjs && nObjs:
		out = compareArrays(key, oa, na, u)
	case !equal(ov, nv): // a shape this posture does not know: report the key as a whole
		out = append(out, ObjectChange{Key: key, Change: ObjectChanged})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// objects returns v's elements when v is an array of objects.
func objects(v any) ([]map[string]any, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]map[string]any, 0, len(arr))
	for _, e := range arr {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

// compareArrays matches the objects of two arrays by id and reports the differences.
func compareArrays(key string, old, new []map[string]any, u uncollected) []ObjectChange {
	field := commonIDField(old, new)
	om, nm := keyed(old, field), keyed(new, field)
	var out []ObjectChange
	for id, o := range om {
		n, ok := nm[id]
		switch {
		case !ok:
			out = append(out, ObjectChange{Key: key, ID: id, Name: nameOf(o), Change: ObjectRemoved})
		default:
			if props, changes := changedProperties(key, o, n, u); len(props) > 0 {
				out = append(out, ObjectChange{Key: key, ID: id, Name: nameOf(n, o), Change: ObjectChanged, Properties: props, Changes: changes})
			}
		}
	}
	for id, n := range nm {
		if _, ok := om[id]; !ok {
			out = append(out, ObjectChange{Key: key, ID: id, Name: nameOf(n), Change: ObjectAdded})
		}
	}
	return out
}

// commonIDField returns the first of idFields that every object on both sides has, so one
// array is matched by one field (an Exchange object's Name can equal another's Identity);
// "" when none is common, and then each object uses its own first id field.
func commonIDField(old, new []map[string]any) string {
	for _, f := range idFields {
		all := true
		for _, objs := range [][]map[string]any{old, new} {
			for _, o := range objs {
				all = all && objectID(o, []string{f}) != ""
			}
		}
		if all {
			return f
		}
	}
	return ""
}

// keyed maps objects to their id. Objects without one are keyed by position ("#3"), and a
// repeated id gets its occurrence appended ("<id>#2"), so no object is lost.
func keyed(objs []map[string]any, field string) map[string]map[string]any {
	fields := idFields
	if field != "" {
		fields = []string{field}
	}
	m := make(map[string]map[string]any, len(objs))
	seen := map[string]int{}
	for i, o := range objs {
		id := objectID(o, fields)
		if id == "" {
			id = fmt.Sprintf("#%d", i+1)
		}
		seen[id]++
		if seen[id] > 1 {
			id = fmt.Sprintf("%s#%d", id, seen[id])
		}
		m[id] = o
	}
	return m
}

// objectID returns the first of fields that o has as a non-empty string or number.
func objectID(o map[string]any, fields []string) string {
	for _, f := range fields {
		switch v := o[f].(type) {
		case string:
			if v != "" {
				return v
			}
		case nil, bool, map[string]any, []any:
		default:
			return fmt.Sprint(v)
		}
	}
	return ""
}

// nameOf returns the first display name the objects have, in order.
func nameOf(objs ...map[string]any) string {
	for _, o := range objs {
		for _, f := range nameFields {
			if s, ok := o[f].(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// compareKeyed compares an object of objects (exchange.dns: domain -> records) entry by entry.
func compareKeyed(key string, old, new map[string]any, u uncollected) []ObjectChange {
	var out []ObjectChange
	for id, ov := range old {
		nv, ok := new[id]
		if !ok {
			out = append(out, ObjectChange{Key: key, ID: id, Change: ObjectRemoved})
			continue
		}
		om, _ := ov.(map[string]any)
		nm, _ := nv.(map[string]any)
		if om == nil || nm == nil {
			if !equal(ov, nv) {
				out = append(out, ObjectChange{Key: key, ID: id, Change: ObjectChanged, Changes: []PropertyChange{{Property: "", Old: ov, New: nv}}})
			}
			continue
		}
		if props, changes := changedProperties(key, om, nm, u); len(props) > 0 {
			out = append(out, ObjectChange{Key: key, ID: id, Change: ObjectChanged, Properties: props, Changes: changes})
		}
	}
	for id := range new {
		if _, ok := old[id]; !ok {
			out = append(out, ObjectChange{Key: key, ID: id, Change: ObjectAdded})
		}
	}
	return out
}

// compareMembers compares entra.groupMembers (group id -> member user ids) group by group.
func compareMembers(key string, old, new map[string]any, names map[string]string) []ObjectChange {
	var out []ObjectChange
	for id, ov := range old {
		nv, ok := new[id]
		if !ok {
			out = append(out, ObjectChange{Key: key, ID: id, Name: names[id], Change: ObjectRemoved})
			continue
		}
		added, removed := setDiff(strings1(ov), strings1(nv))
		if len(added) > 0 || len(removed) > 0 {
			out = append(out, ObjectChange{Key: key, ID: id, Name: names[id], Change: ObjectChanged, Properties: []string{"members"},
				MembersAdded: refs(added, names), MembersRemoved: refs(removed, names)})
		}
	}
	for id := range new {
		if _, ok := old[id]; !ok {
			out = append(out, ObjectChange{Key: key, ID: id, Name: names[id], Change: ObjectAdded})
		}
	}
	return out
}

// strings1 returns the strings of a JSON array.
func strings1(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		out = append(out, fmt.Sprint(e))
	}
	return out
}

// setDiff returns the strings only in b and only in a, sorted.
func setDiff(a, b []string) (added, removed []string) {
	in := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[x] = true
		}
		return m
	}
	am, bm := in(a), in(b)
	for x := range bm {
		if !am[x] {
			added = append(added, x)
		}
	}
	for x := range am {
		if !bm[x] {
			removed = append(removed, x)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	return added, removed
}

func refs(ids []string, names map[string]string) []Ref {
	out := make([]Ref, 0, len(ids))
	for _, id := range ids {
		out = append(out, Ref{ID: id, Name: names[id]})
	}
	return out
}

// refNames maps user and group ids to a readable name (UPN, display name), NEW's winning.
func refNames(old, new *snapshot.Snapshot) map[string]string {
	names := map[string]string{}
	for _, s := range []*snapshot.Snapshot{old, new} {
		for _, key := range []string{"users", "groups"} {
			objs, _ := objects(s.Entra[key])
			for _, o := range objs {
				id := objectID(o, []string{"id"})
				name := ""
				for _, f := range []string{"userPrincipalName", "displayName"} {
					if v, ok := o[f].(string); ok && v != "" && name == "" {
						name = v
					}
				}
				if id != "" && name != "" {
					names[id] = name
				}
			}
		}
	}
	return names
}

// changedProperties returns the top-level properties, not ignored, whose values differ, and
// the changed values by path. A property only one side holds (null on the other counts as
// held: Graph returns null) was not collected there: it is recorded in u and not compared.
func changedProperties(key string, old, new map[string]any, u uncollected) ([]string, []PropertyChange) {
	var changes []PropertyChange
	propertyChanges(key, "", old, new, u, &changes)
	var props []string
	for _, c := range changes {
		top, _, _ := strings.Cut(c.Property, ".")
		if len(props) == 0 || props[len(props)-1] != top {
			props = append(props, top)
		}
	}
	return props, changes
}

// propertyChanges appends the values that differ between old and new, descending into the
// objects both sides hold, in sorted order.
func propertyChanges(key, prefix string, old, new map[string]any, u uncollected, out *[]PropertyChange) {
	names := make([]string, 0, len(old)+len(new))
	for k := range keysOf(old, new) {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if ignored(k) {
			continue
		}
		ov, inOld := old[k]
		nv, inNew := new[k]
		path := prefix + k
		switch {
		case inOld && !inNew && ov != nil:
			u.add(key, path, "new")
			continue
		case inNew && !inOld && nv != nil:
			u.add(key, path, "old")
			continue
		}
		om, oIsMap := ov.(map[string]any)
		nm, nIsMap := nv.(map[string]any)
		if oIsMap && nIsMap {
			propertyChanges(key, path+".", om, nm, u, out)
			continue
		}
		if !equal(ov, nv) {
			*out = append(*out, PropertyChange{Property: path, Old: ov, New: nv})
		}
	}
}

func keysOf(ms ...map[string]any) map[string]bool {
	keys := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			keys[k] = true
		}
	}
	return keys
}
