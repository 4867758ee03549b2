package graphschema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Problem is one place where an object differs from what Graph can return.
type Problem struct {
	Path    string // JSON path from the object checked, e.g. "$.conditions.users.excludeRoles[0]"
	Message string
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// CheckObject walks v, an instance (or a collection, if v is an array) of the type called
// typeName as decoded JSON, and returns every place where it holds something Graph does not
// return in this version: a property the type (or the derived type its @odata.type names)
// does not declare, a value of the wrong JSON kind, a navigation property that expand does not
// name (Graph returns navigation properties only when expanded, except those it expands
// itself: Property.AutoExpand), an @odata.type that is not the
// declared type or one derived from it. Complex values, collections and expanded navigation
// properties are walked too. Property names must be spelled as Graph spells them. Dynamic
// properties of open types are accepted: any name on an open complex type (controlScore
// carries more than it declares), directory extension properties on open entity types.
func (s *Schema) CheckObject(typeName string, v any, expand []ExpandItem) []Problem {
	t, ok := s.Type(typeName)
	if !ok {
		return []Problem{{Path: "$", Message: fmt.Sprintf("type %s is not in the %s schema", typeName, s.Version)}}
	}
	w := walker{s: s}
	if list, isList := v.([]any); isList {
		for i, el := range list {
			w.value(fmt.Sprintf("$[%d]", i), t.Name, el, expand)
		}
	} else {
		w.object("$", t, v, expand)
	}
	return w.problems
}

// Strip returns a copy of obj, an instance of t, holding only what Graph returns in this
// version: the properties its type (t, or the type its @odata.type names) declares, with
// complex values and collections stripped the same way, and navigation properties only where
// expand names them or Graph expands them itself. Annotations ("@odata.type", "x@odata.type") are kept, and so are dynamic
// properties of open types (as CheckObject accepts them). Values of the wrong kind are kept
// as they are: Strip decides what is served, CheckObject what may be held.
func (s *Schema) Strip(t *Type, obj map[string]any, expand []ExpandItem) map[string]any {
	w := walker{s: s, strip: true}
	out, _ := w.object("", t, obj, expand).(map[string]any)
	return out
}

type walker struct {
	s        *Schema
	strip    bool
	problems []Problem
}

func (w *walker) fail(path, format string, args ...any) {
	if !w.strip {
		w.problems = append(w.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	}
}

// object walks an object of declared type t and returns it (stripped, when stripping).
func (w *walker) object(path string, t *Type, v any, expand []ExpandItem) any {
	obj, ok := v.(map[string]any)
	if !ok {
		w.fail(path, "expected an object of type %s, got %s", t.Name, kindOf(v))
		return v
	}
	actual := t
	if ot, has := obj["@odata.type"]; has {
		name, _ := ot.(string)
		d, known := w.s.Type(name)
		switch {
		case !strings.HasPrefix(name, "#"):
			w.fail(path+".@odata.type", "%v is not an @odata.type value (#microsoft.graph.x)", ot)
		case !known:
			w.fail(path+".@odata.type", "type %s is not in the %s schema", name, w.s.Version)
		case !d.IsA(t):
			w.fail(path+".@odata.type", "%s is not %s or a type derived from it", name, t.Name)
		default:
			actual = d
		}
	} else if t.Abstract {
		w.fail(path, "no @odata.type: %s is abstract, so Graph names the derived type of every instance", t.Name)
	}
	var out map[string]any
	if w.strip {
		out = make(map[string]any, len(obj))
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	if !w.strip {
		sort.Strings(keys) // problems in a stable order
	}
	for _, k := range keys {
		val := obj[k]
		keep := func(x any) {
			if out != nil {
				out[k] = x
			}
		}
		at := path + "." + k
		if strings.Contains(k, "@") {
			keep(val)
			continue
		}
		p, declared := actual.Property(k)
		switch {
		case !declared && actual.Open && (actual.Kind == Complex || isExtension(k)):
			keep(val) // a dynamic property
		case !declared:
			w.fail(at, "%s has no property %q in %s", actual.Name, k, w.s.Version)
		case p.Name != k:
			w.fail(at, "Graph spells this property %q", p.Name)
		case p.Navigation:
			item, expanded := findExpand(expand, k)
			if !expanded && !p.AutoExpand {
				w.fail(at, "navigation property %s is returned only with $expand", k)
				continue
			}
			if _, known := w.s.Type(p.Type); !known {
				w.fail(at, "type %s of navigation property %s is not in the %s schema", p.Type, k, w.s.Version)
				keep(val)
				continue
			}
			keep(w.typed(at, p, val, item.Expand))
		default:
			keep(w.typed(at, p, val, nil))
		}
	}
	if out == nil {
		return obj
	}
	return out
}

func findExpand(items []ExpandItem, name string) (ExpandItem, bool) {
	for _, it := range items {
		if it.Name == "*" || strings.EqualFold(it.Name, name) {
			return it, true
		}
	}
	return ExpandItem{}, false
}

// typed walks the value of property p.
func (w *walker) typed(path string, p Property, v any, expand []ExpandItem) any {
	if v == nil {
		return nil
	}
	if !p.Collection {
		return w.value(path, p.Type, v, expand)
	}
	list, ok := v.([]any)
	if !ok {
		w.fail(path, "expected a collection of %s, got %s", p.Type, kindOf(v))
		return v
	}
	out := make([]any, len(list))
	for i, el := range list {
		out[i] = w.value(fmt.Sprintf("%s[%d]", path, i), p.Type, el, expand)
	}
	return out
}

// value walks one value of the type called typ.
func (w *walker) value(path, typ string, v any, expand []ExpandItem) any {
	if v == nil {
		return nil
	}
	if t, ok := w.s.Type(typ); ok {
		return w.object(path, t, v, expand)
	}
	if w.s.IsEnum(typ) {
		if _, ok := v.(string); !ok {
			w.fail(path, "expected a %s member name (a string), got %s", typ, kindOf(v))
		}
		return v
	}
	if want := primitiveKind(typ); want != "" && want != kindOf(v) && !(want == "number" && numericString(v)) {
		w.fail(path, "expected %s (%s), got %s", want, typ, kindOf(v))
	}
	return v
}

// primitiveKind is the JSON kind of an Edm primitive; "" accepts any (Edm.Untyped).
func primitiveKind(typ string) string {
	switch typ {
	case "Edm.Boolean":
		return "boolean"
	case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte", "Edm.Double", "Edm.Single", "Edm.Decimal":
		return "number"
	case "Edm.String", "Edm.Guid", "Edm.DateTimeOffset", "Edm.Date", "Edm.TimeOfDay", "Edm.Duration", "Edm.Binary":
		return "string"
	}
	return ""
}

// numericString accepts what OData writes for floating-point values JSON cannot hold. Graph
// answers with IEEE754Compatible=false, so other numbers are never strings.
func numericString(v any) bool {
	s, ok := v.(string)
	return ok && (s == "INF" || s == "-INF" || s == "NaN")
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, json.Number, int, int64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
