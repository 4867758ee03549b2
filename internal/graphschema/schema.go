// Package graphschema is Microsoft Graph's published schema (v1.0 and beta) for the types posture reads.
package graphschema

//go:generate sh gen/generate.sh

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Document is the JSON form of one version's schema, as the generator writes it to
// data/<version>.json.
type Document struct {
	Version string `json:"version"` // "v1.0" or "beta"
	// Sources say where the schema comes from (repository, path, commit or version, date).
	Sources []Source `json:"sources"`
	// Notes explain how the sources were read and what was left out.
	Notes []string `json:"notes,omitempty"`
	// EntitySets and Singletons are the entity container: root path segment -> type.
	EntitySets map[string]string `json:"entitySets"`
	Singletons map[string]string `json:"singletons"`
	// Types are the entity and complex types posture reads and every type reachable from
	// them (base types, derived types, property types), by full name.
	Types map[string]TypeDoc `json:"types"`
	// Enums are the enum types those types use, by full name; their members are not kept.
	Enums []string `json:"enums"`
}

// Source is one input of the generator.
type Source struct {
	Role       string `json:"role"`       // what it was used for
	Repository string `json:"repository"` // e.g. github.com/microsoftgraph/msgraph-metadata
	Path       string `json:"path"`       // file or directory in the repository
	Revision   string `json:"revision"`   // commit or module version
	Date       string `json:"date"`       // of the revision, RFC 3339
}

// TypeDoc is one entity or complex type. Property and navigation types are full type names,
// "Collection(...)" for collections; Edm primitives keep their Edm names.
type TypeDoc struct {
	Kind       string            `json:"kind"` // "entity" or "complex"
	Base       string            `json:"base,omitempty"`
	Abstract   bool              `json:"abstract,omitempty"`
	Open       bool              `json:"open,omitempty"`
	Properties map[string]string `json:"properties,omitempty"` // own structural properties
	Navigation map[string]string `json:"navigation,omitempty"` // own navigation properties
	// AutoExpand names the own navigation properties Graph returns without $expand.
	AutoExpand []string `json:"autoExpand,omitempty"`
	Derived    []string `json:"derived,omitempty"` // types whose base is this one
}

// Kind tells entity types from complex types.
type Kind string

// The kinds of structured types.
const (
	Entity  Kind = "entity"
	Complex Kind = "complex"
)

// Schema is one version of Microsoft Graph's schema, loaded. It is safe for concurrent use:
// nothing changes it after loading.
type Schema struct {
	Version    string
	Sources    []Source
	types      map[string]*Type  // lowercased full name -> type
	enums      map[string]string // lowercased full name -> full name
	sets       map[string]string // lowercased entity set name -> type name
	singletons map[string]string // lowercased singleton name -> type name
}

// Type is an entity or complex type.
type Type struct {
	Name     string // full name, e.g. microsoft.graph.user
	Kind     Kind
	Abstract bool
	// Open types accept properties the schema does not declare (dynamic properties).
	Open    bool
	Base    *Type               // nil for a root type
	Derived []*Type             // types whose base is this one
	props   map[string]Property // own, by lowercased name
	// all holds the properties of t and its base types twice: by name as Graph spells it,
	// and by lowercased name (a lookup per property of every object served: no allocation
	// when the name is spelled right).
	all map[string]Property
}

// Property is a structural or navigation property.
type Property struct {
	Name       string // as Graph spells it
	Type       string // element type for a collection
	Collection bool
	Navigation bool
	// AutoExpand marks a navigation property Graph returns without being asked to $expand
	// it: one annotated Org.OData.Core.V1.AutoExpand, one of a complex type (Graph returns
	// grantControls.authenticationStrength of every Conditional Access policy), or one the
	// docs show returned so (see the generator).
	AutoExpand bool
}

//go:embed data/*.json
var data embed.FS

// Versions are the versions For knows.
var Versions = []string{"v1.0", "beta"}

var loaders = func() map[string]func() (*Schema, error) {
	m := map[string]func() (*Schema, error){}
	for _, v := range Versions {
		m[v] = sync.OnceValues(func() (*Schema, error) {
			raw, err := data.ReadFile("data/" + v + ".json")
			if err != nil {
				return nil, fmt.Errorf("graph schema %s: %w", v, err)
			}
			return Parse(raw)
		})
	}
	return m
}()

// For returns the schema of a Graph version, "v1.0" or "beta" (case-insensitive).
func For(version string) (*Schema, error) {
	load, ok := loaders[strings.ToLower(version)]
	if !ok {
		return nil, fmt.Errorf("graph schema: unknown version %q; expected %s", version, strings.Join(Versions, " or "))
	}
	return load()
}

// Parse loads a schema document. Every base, derived, property and navigation type must be
// a type or enum of the document or an Edm primitive, except navigation targets, which may
// name types the document leaves out (navigation properties posture never expands).
func Parse(raw []byte) (*Schema, error) {
	var doc Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("graph schema: %w", err)
	}
	s := &Schema{Version: doc.Version, Sources: doc.Sources, types: map[string]*Type{}, enums: map[string]string{},
		sets: map[string]string{}, singletons: map[string]string{}}
	for _, e := range doc.Enums {
		s.enums[strings.ToLower(e)] = e
	}
	for name, td := range doc.Types {
		k := Kind(td.Kind)
		if k != Entity && k != Complex {
			return nil, fmt.Errorf("graph schema %s: type %s: kind %q; expected entity or complex", doc.Version, name, td.Kind)
		}
		s.types[strings.ToLower(name)] = &Type{Name: name, Kind: k, Abstract: td.Abstract, Open: td.Open, props: map[string]Property{}}
	}
	names := make([]string, 0, len(doc.Types))
	for name := range doc.Types {
		names = append(names, name)
	}
	sort.Strings(names) // Derived in a stable order
	for _, name := range names {
		td := doc.Types[name]
		t := s.types[strings.ToLower(name)]
		if td.Base != "" {
			b, ok := s.types[strings.ToLower(td.Base)]
			if !ok {
				return nil, fmt.Errorf("graph schema %s: type %s: base type %s is not in the schema", doc.Version, name, td.Base)
			}
			t.Base = b
			b.Derived = append(b.Derived, t)
		}
		for pn, pt := range td.Properties {
			p := property(pn, pt, false)
			if !s.known(p.Type) {
				return nil, fmt.Errorf("graph schema %s: %s.%s: type %s is not in the schema", doc.Version, name, pn, pt)
			}
			t.props[strings.ToLower(pn)] = p
		}
		auto := map[string]bool{}
		for _, n := range td.AutoExpand {
			auto[n] = true
		}
		for pn, pt := range td.Navigation {
			p := property(pn, pt, true)
			p.AutoExpand = auto[pn] || t.Kind == Complex
			t.props[strings.ToLower(pn)] = p
		}
	}
	for _, t := range s.types {
		for b := t.Base; b != nil; b = b.Base {
			if b == t {
				return nil, fmt.Errorf("graph schema %s: type %s derives from itself", doc.Version, t.Name)
			}
		}
	}
	for _, t := range s.types {
		t.all = map[string]Property{}
		for x := t; x != nil; x = x.Base {
			for lower, p := range x.props {
				if _, shadowed := t.all[lower]; !shadowed {
					t.all[lower] = p
					t.all[p.Name] = p
				}
			}
		}
	}
	for n, t := range doc.EntitySets {
		s.sets[strings.ToLower(n)] = t
	}
	for n, t := range doc.Singletons {
		s.singletons[strings.ToLower(n)] = t
	}
	return s, nil
}

func property(name, typ string, nav bool) Property {
	p := Property{Name: name, Type: typ, Navigation: nav}
	if inner, ok := strings.CutPrefix(typ, "Collection("); ok && strings.HasSuffix(inner, ")") {
		p.Type, p.Collection = strings.TrimSuffix(inner, ")"), true
	}
	return p
}

// known reports whether a property type is an Edm primitive, an enum or a type of the schema.
func (s *Schema) known(typ string) bool {
	if strings.HasPrefix(typ, "Edm.") {
		return true
	}
	_, isType := s.types[strings.ToLower(typ)]
	_, isEnum := s.enums[strings.ToLower(typ)]
	return isType || isEnum
}

// Type returns the type called name: "microsoft.graph.user", "#microsoft.graph.user" (an
// @odata.type value) or "graph.user", in any case.
func (s *Schema) Type(name string) (*Type, bool) {
	t, ok := s.types[strings.ToLower(fullName(name))]
	return t, ok
}

// IsEnum reports whether name is an enum type of the schema.
func (s *Schema) IsEnum(name string) bool {
	_, ok := s.enums[strings.ToLower(fullName(name))]
	return ok
}

// fullName turns "#microsoft.graph.x" and "graph.x" into "microsoft.graph.x".
func fullName(name string) string {
	name = strings.TrimPrefix(name, "#")
	if rest, ok := strings.CutPrefix(name, "graph."); ok {
		return "microsoft.graph." + rest
	}
	return name
}

// Types returns every type of the schema, sorted by name.
func (s *Schema) Types() []*Type {
	out := make([]*Type, 0, len(s.types))
	for _, t := range s.types {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Property returns the property called name (ignoring case, as Graph matches names in query
// options) declared by t or one of its base types.
func (t *Type) Property(name string) (Property, bool) {
	if p, ok := t.all[name]; ok {
		return p, true
	}
	p, ok := t.all[strings.ToLower(name)]
	return p, ok
}

// Properties returns the properties of t and its base types, sorted by name.
func (t *Type) Properties() []Property {
	var out []Property
	for x := t; x != nil; x = x.Base {
		for _, p := range x.props {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// IsA reports whether t is other or derives from it.
func (t *Type) IsA(other *Type) bool {
	for x := t; x != nil; x = x.Base {
		if x == other {
			return true
		}
	}
	return false
}
