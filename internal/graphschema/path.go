package graphschema

import (
	"fmt"
	"strings"
)

// Target is what a request path names: a collection of a type, or one instance.
type Target struct {
	Type       *Type
	Collection bool
	// Cast is true when the last segment is a type cast (".../microsoft.graph.user").
	Cast bool
}

// PathError is a path segment the schema cannot resolve. Its message is the one Graph gives
// for a segment it does not know.
type PathError struct {
	Segment string
	Reason  string // why, for tests and logs; not part of Graph's message
}

func (e *PathError) Error() string { return "Resource not found for the segment '" + e.Segment + "'." }

// Resolve returns what a request path after the version names, e.g. "/users",
// "/groups/{id}/transitiveMembers/microsoft.graph.user" or "/deviceManagement". A query
// ("?...") is ignored. Segments match case-insensitively, as Graph's do. After a collection a
// segment is a key, or a type cast when it is a qualified type name (microsoft.graph.x); a
// cast must name the collection's type or a type derived from it. After a single instance a
// segment is one of its properties or a cast.
func (s *Schema) Resolve(path string) (Target, error) {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) == 0 || segs[0] == "" {
		return Target{}, &PathError{Segment: "", Reason: "empty path"}
	}
	var tgt Target
	first := strings.ToLower(segs[0])
	typeName, isSet := s.sets[first]
	if isSet {
		tgt.Collection = true
	} else if typeName, isSet = s.singletons[first]; !isSet {
		return Target{}, &PathError{Segment: segs[0], Reason: "no entity set or singleton of that name"}
	}
	t, ok := s.Type(typeName)
	if !ok {
		return Target{}, &PathError{Segment: segs[0], Reason: "type " + typeName + " is not in the compact schema"}
	}
	tgt.Type = t
	for _, seg := range segs[1:] {
		tgt.Cast = false
		if isQualified(seg) {
			cast, ok := s.Type(seg)
			if !ok || !cast.IsA(tgt.Type) {
				return Target{}, &PathError{Segment: seg, Reason: fmt.Sprintf("not %s or a type derived from it", tgt.Type.Name)}
			}
			tgt.Type, tgt.Cast = cast, true
			continue
		}
		if tgt.Collection {
			tgt.Collection = false // a key
			continue
		}
		p, ok := tgt.Type.Property(seg)
		if !ok {
			return Target{}, &PathError{Segment: seg, Reason: "no property of " + tgt.Type.Name}
		}
		next, ok := s.Type(p.Type)
		if !ok {
			return Target{}, &PathError{Segment: seg, Reason: "type " + p.Type + " is not in the compact schema"}
		}
		tgt.Type, tgt.Collection = next, p.Collection
	}
	return tgt, nil
}

// isQualified reports whether a path segment is a namespace-qualified type name rather than
// a key or a property: keys (ids, user principal names) may hold dots, but not Graph's
// namespace.
func isQualified(seg string) bool {
	l := strings.ToLower(seg)
	return strings.HasPrefix(l, "microsoft.graph.") || strings.HasPrefix(l, "graph.")
}
