package main

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/m365posture/posture/internal/graphschema"
)

// csdl is the part of an OData CSDL (XML) document the generator reads.
type csdl struct {
	DataServices struct {
		Schemas []csdlSchema `xml:"Schema"`
	} `xml:"DataServices"`
}

type csdlSchema struct {
	Namespace    string     `xml:"Namespace,attr"`
	Alias        string     `xml:"Alias,attr"`
	EntityTypes  []csdlType `xml:"EntityType"`
	ComplexTypes []csdlType `xml:"ComplexType"`
	EnumTypes    []struct {
		Name string `xml:"Name,attr"`
	} `xml:"EnumType"`
	Annotations []struct {
		Target      string `xml:"Target,attr"`
		Annotations []struct {
			Term string `xml:"Term,attr"`
			Bool string `xml:"Bool,attr"`
		} `xml:"Annotation"`
	} `xml:"Annotations"`
	Containers []struct {
		Sets []struct {
			Name string `xml:"Name,attr"`
			Type string `xml:"EntityType,attr"`
		} `xml:"EntitySet"`
		Singletons []struct {
			Name string `xml:"Name,attr"`
			Type string `xml:"Type,attr"`
		} `xml:"Singleton"`
	} `xml:"EntityContainer"`
}

type csdlType struct {
	Name       string     `xml:"Name,attr"`
	BaseType   string     `xml:"BaseType,attr"`
	Abstract   bool       `xml:"Abstract,attr"`
	OpenType   bool       `xml:"OpenType,attr"`
	Properties []csdlProp `xml:"Property"`
	Navigation []csdlProp `xml:"NavigationProperty"`
}

type csdlProp struct {
	Name string `xml:"Name,attr"`
	Type string `xml:"Type,attr"`
}

// fromCSDL reads every type, enum and container entry of a CSDL document into a document.
// Type references are written with full namespaces (aliases such as "graph." resolved).
func fromCSDL(raw []byte) (*graphschema.Document, error) {
	var doc csdl
	if err := xml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parse CSDL: %w", err)
	}
	aliases := map[string]string{}
	for _, s := range doc.DataServices.Schemas {
		aliases[s.Namespace] = s.Namespace
		if s.Alias != "" {
			aliases[s.Alias] = s.Namespace
		}
	}
	out := &graphschema.Document{Types: map[string]graphschema.TypeDoc{}, EntitySets: map[string]string{}, Singletons: map[string]string{}}
	var qualifyErr error
	qualify := func(ref string) string {
		if ref == "" {
			return ""
		}
		if inner, ok := strings.CutPrefix(ref, "Collection("); ok {
			return "Collection(" + qualifyOne(aliases, strings.TrimSuffix(inner, ")"), &qualifyErr) + ")"
		}
		return qualifyOne(aliases, ref, &qualifyErr)
	}
	for _, s := range doc.DataServices.Schemas {
		for _, e := range s.EnumTypes {
			out.Enums = append(out.Enums, s.Namespace+"."+e.Name)
		}
		add := func(kind graphschema.Kind, ts []csdlType) {
			for _, t := range ts {
				td := graphschema.TypeDoc{Kind: string(kind), Base: qualify(t.BaseType), Abstract: t.Abstract, Open: t.OpenType,
					Properties: map[string]string{}, Navigation: map[string]string{}}
				for _, p := range t.Properties {
					td.Properties[p.Name] = qualify(p.Type)
				}
				for _, p := range t.Navigation {
					td.Navigation[p.Name] = qualify(p.Type)
				}
				out.Types[s.Namespace+"."+t.Name] = td
			}
		}
		add(graphschema.Entity, s.EntityTypes)
		add(graphschema.Complex, s.ComplexTypes)
		for _, c := range s.Containers {
			for _, e := range c.Sets {
				out.EntitySets[e.Name] = qualify(e.Type)
			}
			for _, e := range c.Singletons {
				out.Singletons[e.Name] = qualify(e.Type)
			}
		}
	}
	// Navigation properties annotated Org.OData.Core.V1.AutoExpand, "ns.type/property".
	for _, s := range doc.DataServices.Schemas {
		for _, a := range s.Annotations {
			for _, an := range a.Annotations {
				if an.Term != "Org.OData.Core.V1.AutoExpand" || an.Bool != "true" {
					continue
				}
				typ, prop, ok := strings.Cut(a.Target, "/")
				typ = qualify(typ)
				if td, known := out.Types[typ]; ok && known && td.Navigation[prop] != "" {
					td.AutoExpand = append(td.AutoExpand, prop)
					out.Types[typ] = td
				}
			}
		}
	}
	if qualifyErr != nil {
		return nil, qualifyErr
	}
	return out, nil
}

// qualifyOne resolves the namespace or alias of a type reference; Edm types stay as they are.
func qualifyOne(aliases map[string]string, ref string, errp *error) string {
	if strings.HasPrefix(ref, "Edm.") {
		return ref
	}
	i := strings.LastIndex(ref, ".")
	if i < 0 {
		if *errp == nil {
			*errp = fmt.Errorf("type reference %q has no namespace", ref)
		}
		return ref
	}
	ns, ok := aliases[ref[:i]]
	if !ok {
		if *errp == nil {
			*errp = fmt.Errorf("type reference %q: unknown namespace or alias %q", ref, ref[:i])
		}
		return ref
	}
	return ns + "." + ref[i+1:]
}
