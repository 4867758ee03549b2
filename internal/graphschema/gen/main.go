// Command gen writes internal/graphschema/data/{v1.0,beta}.json from Microsoft's published
// Graph metadata: the v1.0 CSDL of microsoftgraph/msgraph-metadata, and for beta (whose CSDL
// is too large to mirror) the models of msgraph-beta-sdk-go, cross-checked against the beta
// type lists of msgraph-metadata. It keeps the types posture reads and everything reachable
// from them; the requests posture sends come from collect.Sources.
//
// Usage (generate.sh extracts the files and runs it):
//
//	MSGRAPH_METADATA=DIR go generate ./internal/graphschema
//	go run ./gen -metadata DIR -commit SHA -date DATE -beta-sdk DIR -out data
//
// -metadata is a directory holding schemas/v1.0-Prod.csdl and schemas/type-mappings/beta-*.json
// of github.com/microsoftgraph/msgraph-metadata at -commit (of -date); -beta-sdk is
// github.com/microsoftgraph/msgraph-beta-sdk-go in the module cache (a directory ending in
// @VERSION, whose .info file gives the version's date). The generator starts no process.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/m365posture/posture/internal/atomicfile"
	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/graphschema"
)

const (
	metadataRepo = "github.com/microsoftgraph/msgraph-metadata"
	betaSDKRepo  = "github.com/microsoftgraph/msgraph-beta-sdk-go"
)

func main() {
	metadata := flag.String("metadata", "", "directory holding the files of "+metadataRepo+" (schemas/...)")
	commit := flag.String("commit", "", "commit of "+metadataRepo+" the files come from")
	date := flag.String("date", "", "date of that commit (RFC 3339)")
	betaSDK := flag.String("beta-sdk", "", "directory of "+betaSDKRepo+" in the module cache (ending in @VERSION)")
	out := flag.String("out", "data", "directory to write v1.0.json and beta.json to")
	flag.Parse()
	if err := run(*metadata, *commit, *date, *betaSDK, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(metadata, commit, metaDate, betaSDK, out string) error {
	if metadata == "" || commit == "" || metaDate == "" || betaSDK == "" {
		return errors.New("-metadata, -commit, -date and -beta-sdk are required (go generate ./internal/graphschema runs gen/generate.sh, which sets them)")
	}
	show := func(path string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(metadata, filepath.FromSlash(path)))
		if err != nil {
			return nil, fmt.Errorf("%s of %s at %s: %w", path, metadataRepo, commit, err)
		}
		return b, nil
	}

	raw, err := show("schemas/v1.0-Prod.csdl")
	if err != nil {
		return err
	}
	v1, err := fromCSDL(raw)
	if err != nil {
		return fmt.Errorf("schemas/v1.0-Prod.csdl: %w", err)
	}
	v1.Version = "v1.0"
	v1.Sources = []graphschema.Source{{Role: "schema (CSDL)", Repository: metadataRepo, Path: "schemas/v1.0-Prod.csdl", Revision: commit, Date: metaDate}}

	addDocumentedAutoExpand(v1)

	in := betaInputs{v1: v1}
	for path, v := range map[string]any{
		"schemas/type-mappings/beta-entity-types.json":  &in.entities,
		"schemas/type-mappings/beta-complex-types.json": &in.complex,
		"schemas/type-mappings/beta-enum-types.json":    &in.enums,
	} {
		b, err := show(path)
		if err != nil {
			return err
		}
		if err := decodeJSON(path, b, v); err != nil {
			return err
		}
	}
	if in.models, in.sdkEnums, err = kiotaModels(filepath.Join(betaSDK, "models")); err != nil {
		return err
	}
	version, sdkDate, err := moduleInfo(betaSDK)
	if err != nil {
		return err
	}
	beta, st, err := fromSDK(in)
	if err != nil {
		return err
	}
	addDocumentedAutoExpand(beta)
	beta.Version = "beta"
	beta.Sources = []graphschema.Source{
		{Role: "types, properties and their types, base and derived types (kiota models generated from Microsoft's beta OpenAPI description)",
			Repository: betaSDKRepo, Path: "models", Revision: version, Date: sdkDate},
		{Role: "which types and properties the beta CSDL declares, and which properties are navigation properties",
			Repository: metadataRepo, Path: "schemas/type-mappings/beta-entity-types.json, beta-complex-types.json, beta-enum-types.json",
			Revision: commit, Date: metaDate},
		{Role: "abstract and open flags, entity container (root names) of the types beta shares with v1.0",
			Repository: metadataRepo, Path: "schemas/v1.0-Prod.csdl", Revision: commit, Date: metaDate},
	}
	beta.Notes = []string{
		"The beta CSDL (schemas/beta-Prod.csdl) is not mirrored; its types come from the SDK's models, kept only where Microsoft's beta type lists name the type and the property.",
		fmt.Sprintf("Left out by the cross-check: %d SDK properties the beta type lists do not declare, %d declared properties the SDK does not model, %d properties whose type the SDK does not name.",
			st.sdkOnlyProps, st.csdlOnlyProps, st.untypedRefs),
		"Abstract and open flags come from v1.0 (types only in beta are neither); request paths resolve from v1.0's entity sets and singletons.",
	}

	for _, doc := range []*graphschema.Document{v1, beta} {
		small, err := reduce(doc, requests())
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(small, "", " ")
		if err != nil {
			return err
		}
		path := filepath.Join(out, doc.Version+".json")
		if err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
			_, err := w.Write(append(b, '\n'))
			return err
		}); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Printf("%s: %d types, %d enums (of %d types)\n", path, len(small.Types), len(small.Enums), len(doc.Types))
	}
	return nil
}

// documentedAutoExpand are navigation properties Graph returns without $expand although the
// CSDL does not annotate them AutoExpand: type -> navigation properties that type or a type
// derived from it declares. Each is shown so by Microsoft Learn.
var documentedAutoExpand = map[string][]string{
	// "Get authenticationMethodsPolicy": the response of GET /policies/authenticationMethodsPolicy
	// holds authenticationMethodConfigurations, and each configuration its includeTargets.
	"microsoft.graph.authenticationMethodsPolicy":       {"authenticationMethodConfigurations"},
	"microsoft.graph.authenticationMethodConfiguration": {"includeTargets"},
	// "List authenticationStrengthPolicies" and the Conditional Access policies' grantControls:
	// every authentication strength comes with its combinationConfigurations.
	"microsoft.graph.authenticationStrengthPolicy": {"combinationConfigurations"},
}

// addDocumentedAutoExpand marks documentedAutoExpand on the types of doc.
func addDocumentedAutoExpand(doc *graphschema.Document) {
	isA := func(name, base string) bool {
		for name != "" {
			if name == base {
				return true
			}
			name = doc.Types[name].Base
		}
		return false
	}
	for name, td := range doc.Types {
		for base, navs := range documentedAutoExpand {
			if !isA(name, base) {
				continue
			}
			for _, n := range navs {
				if td.Navigation[n] != "" && !slices.Contains(td.AutoExpand, n) {
					td.AutoExpand = append(td.AutoExpand, n)
				}
			}
		}
		slices.Sort(td.AutoExpand)
		doc.Types[name] = td
	}
}

// moduleInfo reads the version and date of a module directory from the module cache's .info
// file (GOMODCACHE/cache/download/<module>/@v/<version>.info).
func moduleInfo(dir string) (version, date string, err error) {
	base := filepath.Base(dir)
	at := strings.LastIndex(base, "@")
	if at < 0 {
		return "", "", fmt.Errorf("-beta-sdk %s: expected a module cache directory ending in @<version>", dir)
	}
	version = base[at+1:]
	cache := strings.TrimSuffix(filepath.Dir(dir), filepath.FromSlash("/github.com/microsoftgraph"))
	info := filepath.Join(cache, "cache", "download", "github.com", "microsoftgraph", "msgraph-beta-sdk-go", "@v", version+".info")
	raw, err := os.ReadFile(info)
	if err != nil {
		return "", "", fmt.Errorf("module info: %w", err)
	}
	var v struct{ Version, Time string }
	if err := decodeJSON(info, raw, &v); err != nil {
		return "", "", err
	}
	return v.Version, v.Time, nil
}

// reduce keeps the types reachable from the requests posture sends (reqs: every Graph request
// of collect.Sources, resolved in this version; requests this version cannot resolve are noted):
// each request's target type with its derived types, the types of its path segments, and
// the targets of the navigation properties its $expand names. From each kept type: its base
// types, and the types of its structural properties with their derived types (a complex
// value may be of a derived type). Navigation properties stay declared, but their target
// types are kept only when reached so. Enum types are kept by name.
func reduce(full *graphschema.Document, reqs []string) (*graphschema.Document, error) {
	raw, err := json.Marshal(full)
	if err != nil {
		return nil, err
	}
	schema, err := graphschema.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", full.Version, err)
	}
	derived := map[string][]string{}
	for name, td := range full.Types {
		if td.Base != "" {
			derived[td.Base] = append(derived[td.Base], name)
		}
	}
	enums := setOf(full.Enums)
	kept := map[string]bool{}          // kept, with derived types
	keptNoDerived := map[string]bool{} // kept, without derived types
	usedEnums := map[string]bool{}
	var include func(name string, withDerived bool)
	include = func(name string, withDerived bool) {
		td, ok := full.Types[name]
		if !ok || kept[name] || !withDerived && keptNoDerived[name] {
			return
		}
		keptNoDerived[name] = true
		if withDerived {
			kept[name] = true
		}
		if td.Base != "" {
			include(td.Base, false)
		}
		for _, pt := range td.Properties {
			pt = strings.TrimSuffix(strings.TrimPrefix(pt, "Collection("), ")")
			if enums[pt] {
				usedEnums[pt] = true
			} else {
				include(pt, true)
			}
		}
		// Navigation properties Graph returns unasked: those of complex types, and AutoExpand.
		for nav, pt := range td.Navigation {
			if td.Kind == string(graphschema.Complex) || slices.Contains(td.AutoExpand, nav) {
				include(strings.TrimSuffix(strings.TrimPrefix(pt, "Collection("), ")"), true)
			}
		}
		if withDerived {
			for _, d := range derived[name] {
				include(d, true)
			}
		}
	}
	var notes []string
	for _, req := range reqs {
		u, err := url.Parse(req)
		if err != nil {
			return nil, fmt.Errorf("request %s: %w", req, err)
		}
		path := strings.TrimPrefix(strings.TrimPrefix(u.Path, "/v1.0"), "/beta")
		tgt, err := schema.Resolve(path)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s does not resolve in %s: %v", path, full.Version, err))
			continue
		}
		// The types along the path.
		segs := strings.Split(strings.Trim(path, "/"), "/")
		for i := 1; i < len(segs); i++ {
			if t, err := schema.Resolve(strings.Join(segs[:i], "/")); err == nil {
				include(t.Type.Name, false)
			}
		}
		include(tgt.Type.Name, true)
		if exp := u.Query().Get("$expand"); exp != "" {
			items, err := graphschema.ParseExpand(exp)
			if err != nil {
				return nil, fmt.Errorf("request %s: %w", req, err)
			}
			expandTargets(schema, tgt.Type, items, func(name string) { include(name, true) })
		}
	}
	out := &graphschema.Document{Version: full.Version, Sources: full.Sources, Notes: append(full.Notes, notes...),
		EntitySets: full.EntitySets, Singletons: full.Singletons, Types: map[string]graphschema.TypeDoc{}}
	for name := range keptNoDerived {
		td := full.Types[name]
		var ds []string
		for _, d := range derived[name] {
			if keptNoDerived[d] {
				ds = append(ds, d)
			}
		}
		slices.Sort(ds)
		td.Derived = ds
		if len(td.Properties) == 0 {
			td.Properties = nil
		}
		if len(td.Navigation) == 0 {
			td.Navigation = nil
		}
		out.Types[name] = td
	}
	out.Enums = slices.Sorted(maps.Keys(usedEnums))
	return out, nil
}

// expandTargets calls add with the target type of every navigation property items name,
// nested expansions included.
func expandTargets(s *graphschema.Schema, t *graphschema.Type, items []graphschema.ExpandItem, add func(string)) {
	for _, it := range items {
		p, ok := t.Property(it.Name)
		if !ok || !p.Navigation {
			continue // the collector test reports it
		}
		add(p.Type)
		if target, ok := s.Type(p.Type); ok {
			expandTargets(s, target, it.Expand, add)
		}
	}
}

// requests returns every Graph request posture's collectors send, with version and query.
func requests() []string {
	var out []string
	for _, src := range collect.Sources() {
		out = append(out, src.Requests()...)
	}
	return out
}
