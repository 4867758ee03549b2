package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/m365posture/posture/internal/graphschema"
)

// typeMappings is schemas/type-mappings/beta-{entity,complex}-types.json of msgraph-metadata:
// namespace -> type -> own property and navigation property names, as the beta CSDL
// declares them.
type typeMappings map[string]map[string]struct {
	Properties []string `json:"properties"`
	Navigation []string `json:"navigationProperties"`
}

// enumMappings is beta-enum-types.json: namespace -> enum -> members.
type enumMappings map[string]map[string][]string

// betaInputs are the beta sources: the SDK's models and Microsoft's own lists of the beta
// CSDL's types and property names.
type betaInputs struct {
	models   map[string]*kiotaModel
	sdkEnums map[string]bool
	entities typeMappings
	complex  typeMappings
	enums    enumMappings
	v1       *graphschema.Document // abstract and open flags, entity container
}

// betaStats counts what the cross-check left out, for the provenance notes.
type betaStats struct {
	sdkOnlyProps, csdlOnlyProps, untypedRefs int
}

// fromSDK builds the beta document. A type is kept when the beta type lists (from the CSDL)
// name it; a property when both the SDK (which gives its type) and the type lists (which
// say whether it is a navigation property) have it. The SDK has no abstract or open flags:
// they are taken from the v1.0 type of the same name (false for beta-only types), and so are
// the AutoExpand annotations of its navigation properties. The
// entity container is v1.0's root names with the beta types.
func fromSDK(in betaInputs) (*graphschema.Document, betaStats, error) {
	var st betaStats
	// Each package's namespace: the one its OData names use.
	nsCount := map[string]map[string]int{}
	for _, m := range in.models {
		if m.odataName == "" {
			continue
		}
		ns := m.odataName[:strings.LastIndex(m.odataName, ".")]
		if nsCount[m.pkg] == nil {
			nsCount[m.pkg] = map[string]int{}
		}
		nsCount[m.pkg][ns]++
	}
	pkgNS := map[string]string{}
	for pkg, counts := range nsCount {
		best := ""
		for _, ns := range slices.Sorted(maps.Keys(counts)) {
			if best == "" || counts[ns] > counts[best] {
				best = ns
			}
		}
		pkgNS[pkg] = best
	}
	lookup := func(tm typeMappings, ns, goName string) (string, bool) {
		goName = unescape(goName)
		for name := range tm[ns] {
			if strings.EqualFold(name, goName) {
				return ns + "." + name, true
			}
		}
		return "", false
	}
	// Full OData names of the models that are Graph types, and their kinds.
	names := map[string]string{}
	kinds := map[string]graphschema.Kind{}
	for key, m := range in.models {
		ns := pkgNS[m.pkg]
		name := m.odataName
		if name == "" {
			if n, ok := lookup(in.entities, ns, m.goName); ok {
				name = n
			} else if n, ok := lookup(in.complex, ns, m.goName); ok {
				name = n
			} else {
				continue // a request or collection wrapper, not a Graph type
			}
		}
		i := strings.LastIndex(name, ".")
		switch {
		case in.entities[name[:i]] != nil && hasKey(in.entities[name[:i]], name[i+1:]):
			kinds[key] = graphschema.Entity
		case in.complex[name[:i]] != nil && hasKey(in.complex[name[:i]], name[i+1:]):
			kinds[key] = graphschema.Complex
		default:
			continue // not in the beta CSDL's type lists
		}
		names[key] = name
	}
	enumName := func(r *goRef) (string, bool) {
		ns := pkgNS[r.pkg]
		if r.pkg == "" {
			ns = "microsoft.graph"
		}
		for name := range in.enums[ns] {
			if strings.EqualFold(name, unescape(r.name)) {
				return ns + "." + name, true
			}
		}
		return "", false
	}
	doc := &graphschema.Document{Types: map[string]graphschema.TypeDoc{}, EntitySets: map[string]string{}, Singletons: map[string]string{}}
	for _, key := range slices.Sorted(maps.Keys(names)) {
		m, name := in.models[key], names[key]
		i := strings.LastIndex(name, ".")
		lists := in.entities
		if kinds[key] == graphschema.Complex {
			lists = in.complex
		}
		own := lists[name[:i]][name[i+1:]]
		structural := setOf(own.Properties)
		nav := setOf(own.Navigation)
		td := graphschema.TypeDoc{Kind: string(kinds[key]), Properties: map[string]string{}, Navigation: map[string]string{}}
		v1, inV1 := in.v1.Types[name]
		if inV1 {
			td.Abstract, td.Open = v1.Abstract, v1.Open
		}
		if m.base != nil {
			b, ok := names[m.base.pkg+"."+m.base.name]
			if !ok {
				return nil, st, fmt.Errorf("beta type %s: base %s.%s is not a beta type", name, m.base.pkg, m.base.name)
			}
			td.Base = b
		}
		for _, pn := range slices.Sorted(maps.Keys(m.props)) {
			if pn == "@odata.type" {
				continue
			}
			if !structural[pn] && !nav[pn] {
				st.sdkOnlyProps++
				continue
			}
			typ, ok := betaPropType(m.props[pn], names, enumName)
			if !ok {
				st.untypedRefs++
				continue
			}
			if nav[pn] {
				td.Navigation[pn] = typ
				if slices.Contains(v1.AutoExpand, pn) {
					td.AutoExpand = append(td.AutoExpand, pn)
				}
			} else {
				td.Properties[pn] = typ
			}
		}
		for pn := range structural {
			if _, ok := m.props[pn]; !ok {
				st.csdlOnlyProps++
			}
		}
		for pn := range nav {
			if _, ok := m.props[pn]; !ok {
				st.csdlOnlyProps++
			}
		}
		doc.Types[name] = td
	}
	for ns, es := range in.enums {
		for e := range es {
			doc.Enums = append(doc.Enums, ns+"."+e)
		}
	}
	slices.Sort(doc.Enums)
	for n, t := range in.v1.EntitySets {
		if _, ok := doc.Types[t]; ok {
			doc.EntitySets[n] = t
		}
	}
	for n, t := range in.v1.Singletons {
		if _, ok := doc.Types[t]; ok {
			doc.Singletons[n] = t
		}
	}
	return doc, st, nil
}

// betaPropType returns the type of a deserializer as a type reference of the document.
func betaPropType(p kiotaProp, names map[string]string, enumName func(*goRef) (string, bool)) (string, bool) {
	collection := func(s string) string { return "Collection(" + s + ")" }
	named := func() (string, bool) {
		if p.ref == nil {
			return "", false
		}
		n, ok := names[p.ref.pkg+"."+p.ref.name]
		return n, ok
	}
	switch p.method {
	case "GetObjectValue":
		if p.prim == "untyped" {
			return "Edm.Untyped", true
		}
		return named()
	case "GetCollectionOfObjectValues":
		if p.prim == "untyped" {
			return collection("Edm.Untyped"), true
		}
		n, ok := named()
		return collection(n), ok
	case "GetEnumValue", "GetCollectionOfEnumValues":
		if p.ref == nil {
			return "", false
		}
		n, ok := enumName(p.ref)
		if p.method == "GetCollectionOfEnumValues" {
			n = collection(n)
		}
		return n, ok
	case "GetCollectionOfPrimitiveValues":
		e, ok := edmOfPrimitive[strings.ToLower(p.prim)]
		return collection(e), ok
	}
	e, ok := edmOf[p.method]
	return e, ok
}

// unescape undoes kiota's renaming of Go keywords ("case" is the model CaseEscaped).
func unescape(goName string) string { return strings.TrimSuffix(goName, "Escaped") }

func setOf(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// decodeJSON decodes raw into v, naming what it was.
func decodeJSON(what string, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}
