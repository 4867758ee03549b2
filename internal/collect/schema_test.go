package collect

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/graphschema"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
	"go.yaml.in/yaml/v3"
)

// splitRequest splits a collector request into its version, its path after the version and
// its query.
func splitRequest(t testing.TB, req string) (version, path string, query url.Values) {
	t.Helper()
	u, err := url.Parse(req)
	if err != nil {
		t.Fatalf("request %s: %v", req, err)
	}
	version, rest, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	return version, "/" + rest, u.Query()
}

// TestRequestsMatchTheSchema checks every Graph request each collector sends against
// Microsoft's schema of the version it is sent to: the path resolves, and every $select and
// $expand name (nested ones too) is a property of the type it is sent for. Graph answers 400
// to any other.
func TestRequestsMatchTheSchema(t *testing.T) {
	n := 0
	for _, s := range Sources() {
		for _, req := range s.Requests() {
			n++
			t.Run(s.Key+" "+req, func(t *testing.T) {
				version, path, q := splitRequest(t, req)
				schema, err := graphschema.For(version)
				if err != nil {
					t.Fatal(err)
				}
				tgt, err := schema.Resolve(path)
				if err != nil {
					t.Fatalf("%s %s: %v (%s)", version, path, err, err.(*graphschema.PathError).Reason)
				}
				if err := schema.CheckQuery(tgt.Type, q.Get("$select"), q.Get("$expand")); err != nil {
					t.Errorf("%s: %v", version, err)
				}
				for _, e := range s.expand {
					if req != s.Path {
						break
					}
					if p, ok := tgt.Type.Property(e.property); !ok || !p.Navigation {
						t.Errorf("%s stores %s in each object, which is not a navigation property of %s in %s", s.Key, e.property, tgt.Type.Name, version)
					}
				}
			})
		}
	}
	if n < 28 {
		t.Errorf("only %d Graph requests; expected every Graph source's", n)
	}
}

// storedSchema says how a source's stored value is checked: the schema of the version it is
// read from, the type of what is stored, and the navigation properties stored with it.
type storedSchema struct {
	schema *graphschema.Schema
	typ    string
	expand []graphschema.ExpandItem
}

// storedSchemas returns, per snapshot key read from Graph, how its value is checked. The
// version, type and expansions come from the source's own request (collect.Sources), never
// from a second table. entra.groupMembers is left out: it is posture's own shape (group id ->
// member ids), not a Graph object.
func storedSchemas(t testing.TB) map[string]storedSchema {
	t.Helper()
	out := map[string]storedSchema{}
	for _, s := range Sources() {
		if s.Path == "" || s.Key == keyGroupMembers {
			continue
		}
		version, path, q := splitRequest(t, s.Path)
		schema, err := graphschema.For(version)
		if err != nil {
			t.Fatal(err)
		}
		tgt, err := schema.Resolve(path)
		if err != nil {
			t.Fatalf("%s: %v", s.Key, err)
		}
		st := storedSchema{schema: schema, typ: tgt.Type.Name}
		if exp := q.Get("$expand"); exp != "" {
			if st.expand, err = graphschema.ParseExpand(exp); err != nil {
				t.Fatalf("%s: %v", s.Key, err)
			}
		}
		for _, e := range s.expand {
			st.expand = append(st.expand, graphschema.ExpandItem{Name: e.property})
		}
		if s.property != "" {
			p, ok := tgt.Type.Property(s.property)
			if !ok {
				t.Fatalf("%s: %s has no property %s", s.Key, tgt.Type.Name, s.property)
			}
			st.typ = p.Type
		}
		out[s.Key] = st
	}
	return out
}

// schemaProblems returns every place where a snapshot holds Graph data that Microsoft's
// schema of the version its collector reads it from does not define, as "key$path: message".
// The Exchange section is not Graph and is not checked.
func schemaProblems(t testing.TB, snap *snapshot.Snapshot) []string {
	t.Helper()
	var out []string
	doc := snap.Document()
	for key, st := range storedSchemas(t) {
		sec, name, _ := strings.Cut(key, ".")
		section, _ := doc[sec].(map[string]any)
		v, ok := section[name]
		if !ok {
			continue
		}
		for _, p := range st.schema.CheckObject(st.typ, v, st.expand) {
			out = append(out, fmt.Sprintf("%s%s: %s (%s)", key, strings.TrimPrefix(p.Path, "$"), p.Message, st.schema.Version))
		}
	}
	sort.Strings(out)
	return out
}

// repoTenant is a snapshot the repository holds or generates, by name.
type repoTenant struct {
	name string
	snap func(t *testing.T) *snapshot.Snapshot
}

// repoTenants returns every tenant the repository holds or generates: the test tenants
// (testdata/snapshots), the demo tenant, the README's diff walkthrough (examples/diff) and a
// small synthetic tenant (internal/synth, the benchmarks' tenant).
func repoTenants(t *testing.T) []repoTenant {
	t.Helper()
	out := []repoTenant{{"synthetic", func(t *testing.T) *snapshot.Snapshot {
		snap, err := snapshot.Parse("synthetic tenant", synth.Generate(synth.Options{Users: 60, Groups: 12, Policies: 8}))
		if err != nil {
			t.Fatal(err)
		}
		return snap
	}}}
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test tenants: %v", err)
	}
	files = append(files, filepath.Join("..", "demo", "contoso.json"))
	walkthrough, err := filepath.Glob(filepath.Join("..", "..", "examples", "diff", "*.json"))
	if err != nil || len(walkthrough) != 2 {
		t.Fatalf("examples/diff: %d snapshots, %v; want the diff walkthrough's two", len(walkthrough), err)
	}
	for _, f := range append(files, walkthrough...) {
		out = append(out, repoTenant{filepath.Base(f), func(t *testing.T) *snapshot.Snapshot {
			snap, err := snapshot.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			return snap
		}})
	}
	return out
}

// TestSnapshotsMatchTheSchema checks every object of every tenant of the repository
// (repoTenants), recursively, against the schema of the version its collector reads it from:
// a test tenant cannot hold data the real API never returns.
func TestSnapshotsMatchTheSchema(t *testing.T) {
	for _, tn := range repoTenants(t) {
		t.Run(tn.name, func(t *testing.T) {
			for _, p := range schemaProblems(t, tn.snap(t)) {
				t.Error(p)
			}
		})
	}
}

// selection is what each object of a list may hold when its requests have a $select: the
// selected (and expanded) properties, and "@odata.type" where the collection's type has
// derived types in the schema (Graph names the type of an instance whose type is not the
// declared one, as the simulator's transitive members do).
type selection struct {
	allowed map[string]bool      // nil: every property of the type may come
	nested  map[string]selection // per expanded property whose own request has a $select
}

// typeAnnotation is the annotation Graph adds to an instance of a derived type in a
// collection of its base type (OData JSON format, "Control information": odata.type).
const typeAnnotation = "@odata.type"

// allowedBy returns the properties a request on tgt may return: its $select items (nil when
// it has none), its top-level $expand names, and @odata.type when tgt's type has derived types.
func allowedBy(t *testing.T, tgt graphschema.Target, q url.Values) map[string]bool {
	t.Helper()
	raw := q.Get("$select")
	if raw == "" {
		return nil
	}
	names, err := graphschema.ParseSelect(raw)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{}
	for _, n := range names {
		allowed[n] = true
	}
	if exp := q.Get("$expand"); exp != "" {
		items, err := graphschema.ParseExpand(exp)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			allowed[it.Name] = true
		}
	}
	if len(tgt.Type.Derived) > 0 {
		allowed[typeAnnotation] = true
	}
	return allowed
}

// selections returns, per Graph list source key, what its objects may hold, from the
// source's own requests (collect.Sources): its path, the other reads of the same objects (a
// user's signInActivity) and the properties its per-object expansions store. A key whose
// objects are read without $select, entra.groupMembers (posture's own shape) and a key that
// stores one property of the answer (intune.deviceManagementSettings) have only nested
// selections, if any.
func selections(t *testing.T) map[string]selection {
	t.Helper()
	out := map[string]selection{}
	for _, s := range Sources() {
		if s.Path == "" || s.Key == keyGroupMembers || s.property != "" {
			continue
		}
		version, _, _ := splitRequest(t, s.Path)
		schema, err := graphschema.For(version)
		if err != nil {
			t.Fatal(err)
		}
		expansion := map[string]expansion{}
		for _, e := range s.expand {
			expansion["/"+version+e.path] = e
		}
		var sel selection
		all := false // the source's own request selects nothing: every property comes
		for _, req := range s.Requests() {
			_, path, q := splitRequest(t, req)
			tgt, err := schema.Resolve(path)
			if err != nil {
				t.Fatalf("%s: %v", req, err)
			}
			allowed := allowedBy(t, tgt, q)
			if e, ok := expansion[req]; ok {
				if allowed != nil {
					if sel.nested == nil {
						sel.nested = map[string]selection{}
					}
					sel.nested[e.property] = selection{allowed: allowed}
				}
				continue
			}
			if req == s.Path && allowed == nil {
				all = true
			}
			if all {
				continue
			}
			if sel.allowed == nil {
				sel.allowed = map[string]bool{}
			}
			for n := range allowed {
				sel.allowed[n] = true
			}
		}
		if sel.allowed != nil {
			for _, e := range s.expand {
				sel.allowed[e.property] = true
			}
		}
		if sel.allowed != nil || sel.nested != nil {
			out[s.Key] = sel
		}
	}
	return out
}

// unselected returns every property an object of v holds that sel does not allow, as
// "key[i].property" (nested: "key[i].property[j].property").
func unselected(prefix string, v any, sel selection) []string {
	var out []string
	list, _ := v.([]any)
	for i, el := range list {
		obj, _ := el.(map[string]any)
		at := fmt.Sprintf("%s[%d]", prefix, i)
		for name, val := range obj {
			if sel.allowed != nil && !sel.allowed[name] {
				out = append(out, at+"."+name)
				continue
			}
			if n, ok := sel.nested[name]; ok {
				out = append(out, unselected(at+"."+name, val, n)...)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestSnapshotsHoldOnlySelectedProperties checks every object of every tenant of the
// repository, for every source whose request has a $select: it holds only the properties the
// collector's requests select (and expand), plus @odata.type where Graph adds it. Graph
// returns nothing else for such a request, so a test tenant holding more is one no real
// collection can produce.
func TestSnapshotsHoldOnlySelectedProperties(t *testing.T) {
	sels := selections(t)
	for _, key := range []string{"entra.users", "entra.groups", "entra.servicePrincipals", "intune.managedDevices", "entra.appManagementPolicies"} {
		if _, ok := sels[key]; !ok {
			t.Fatalf("no selection for %s: the test reads the source table wrong", key)
		}
	}
	if !sels["entra.users"].allowed["signInActivity"] {
		t.Fatal("entra.users: signInActivity, read by a second request, is not allowed")
	}
	// Objects seeded with unselected properties, at the top and in an expansion, beside
	// selected ones, signInActivity and an @odata.type where Graph adds it.
	got := unselected("entra.users", []any{map[string]any{"id": "u1", "givenName": "Ada", "signInActivity": map[string]any{}}}, sels["entra.users"])
	got = append(got, unselected("entra.groups", []any{map[string]any{"id": "g1", "visibility": "Private"}}, sels["entra.groups"])...)
	got = append(got, unselected("entra.appManagementPolicies", []any{map[string]any{"id": "p1",
		"appliesTo": []any{map[string]any{"id": "a1", typeAnnotation: "#microsoft.graph.application", "displayName": "x"}}}},
		sels["entra.appManagementPolicies"])...)
	sort.Strings(got)
	want := []string{"entra.appManagementPolicies[0].appliesTo[0].displayName", "entra.groups[0].visibility", "entra.users[0].givenName"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("seeded objects: unselected %v, want %v", got, want)
	}
	for _, tn := range repoTenants(t) {
		t.Run(tn.name, func(t *testing.T) {
			doc := tn.snap(t).Document()
			keys := make([]string, 0, len(sels))
			for k := range sels {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, key := range keys {
				sec, name, _ := strings.Cut(key, ".")
				section, _ := doc[sec].(map[string]any)
				for _, p := range unselected(key, section[name], sels[key]) {
					t.Errorf("%s: not selected by the collector's request", p)
				}
			}
		})
	}
}

// propertyPath checks a path of properties from typ ("a/b", with type casts such as
// "a/microsoft.graph.x/b"): each must be defined, spelled as Graph spells it, on the type the
// path has reached.
func propertyPath(st storedSchema, typ, path string) error {
	t, ok := st.schema.Type(typ)
	if !ok {
		return fmt.Errorf("type %s is not in %s", typ, st.schema.Version)
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if strings.Contains(seg, ".") { // a type cast, microsoft.graph.x
			cast, ok := st.schema.Type(seg)
			if !ok || !cast.IsA(t) {
				return fmt.Errorf("%s is not a type derived from %s in %s", seg, t.Name, st.schema.Version)
			}
			t = cast
			continue
		}
		p, ok := t.Property(seg)
		if !ok || p.Name != seg {
			return fmt.Errorf("%s has no property %q in %s", t.Name, seg, st.schema.Version)
		}
		if i < len(segs)-1 {
			if t, ok = st.schema.Type(p.Type); !ok {
				return fmt.Errorf("%s is of type %s, which has no properties", seg, p.Type)
			}
		}
	}
	return nil
}

// TestWindowsBaselineLegacyMappingsExist checks every legacy mapping of baselines/windows.yaml
// (the typed properties of the older device configuration profiles, and the intents' setting
// definitions named after them) against the schema of the version intune.deviceConfigurations
// is read from: a mapping to a property that version lacks would read as "not configured" on
// every real tenant.
func TestWindowsBaselineLegacyMappingsExist(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "baselines", "windows.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Settings []struct {
			ID     string `yaml:"id"`
			Legacy struct {
				DeviceConfiguration *struct {
					Type     string `yaml:"type"`
					Property string `yaml:"property"`
				} `yaml:"deviceConfiguration"`
				Intent *struct {
					DefinitionID string `yaml:"definitionId"`
				} `yaml:"intent"`
			} `yaml:"legacy"`
		} `yaml:"settings"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	st := storedSchemas(t)["intune.deviceConfigurations"]
	n := 0
	for _, s := range doc.Settings {
		if dc := s.Legacy.DeviceConfiguration; dc != nil {
			n++
			if err := propertyPath(st, strings.TrimPrefix(dc.Type, "#"), strings.ReplaceAll(dc.Property, ".", "/")); err != nil {
				t.Errorf("setting %s: legacy deviceConfiguration %s: %v", s.ID, dc.Property, err)
			}
		}
		if in := s.Legacy.Intent; in != nil {
			n++
			kind, prop, ok := strings.Cut(strings.TrimPrefix(in.DefinitionID, "deviceConfiguration--"), "_")
			if !ok {
				t.Errorf("setting %s: intent definitionId %s is not deviceConfiguration--<type>_<property>", s.ID, in.DefinitionID)
				continue
			}
			if err := propertyPath(st, "microsoft.graph."+kind, prop); err != nil {
				t.Errorf("setting %s: intent %s: %v", s.ID, in.DefinitionID, err)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d legacy mappings in windows.yaml; the test reads the wrong structure", n)
	}
}

// TestIntuneRulePropertiesExist checks the properties the intune rules and
// policies/lib/intune*.rego read against the schema of the version each key is read from.
func TestIntuneRulePropertiesExist(t *testing.T) {
	reads := map[string]map[string][]string{
		"intune.deviceCompliancePolicies": {
			"microsoft.graph.windows10CompliancePolicy": {"id", "displayName", "bitLockerEnabled", "secureBootEnabled",
				"codeIntegrityEnabled", "activeFirewallRequired", "antivirusRequired", "antiSpywareRequired", "defenderEnabled",
				"tpmRequired", "configurationManagerComplianceRequired", "osMinimumVersion",
				"assignments/target/deviceAndAppManagementAssignmentFilterType", "assignments/target/deviceAndAppManagementAssignmentFilterId",
				"assignments/target/microsoft.graph.groupAssignmentTarget/groupId",
				"scheduledActionsForRule/ruleName", "scheduledActionsForRule/scheduledActionConfigurations/actionType",
				"scheduledActionsForRule/scheduledActionConfigurations/gracePeriodHours"},
		},
		"intune.deviceConfigurations": {
			"microsoft.graph.deviceConfiguration": {"id", "displayName",
				"assignments/target/deviceAndAppManagementAssignmentFilterType", "assignments/target/deviceAndAppManagementAssignmentFilterId",
				"assignments/target/microsoft.graph.exclusionGroupAssignmentTarget/groupId"},
		},
		"intune.configurationPolicies": {
			"microsoft.graph.deviceManagementConfigurationPolicy": {"id", "name", "platforms", "technologies",
				"assignments/target/deviceAndAppManagementAssignmentFilterType",
				"settings/settingInstance/settingDefinitionId",
				"settings/settingInstance/microsoft.graph.deviceManagementConfigurationChoiceSettingInstance/choiceSettingValue/value",
				"settings/settingInstance/microsoft.graph.deviceManagementConfigurationChoiceSettingInstance/choiceSettingValue/children",
				"settings/settingInstance/microsoft.graph.deviceManagementConfigurationSimpleSettingInstance/simpleSettingValue",
				"settings/settingInstance/microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance/groupSettingCollectionValue/children"},
		},
		"intune.intents": {
			"microsoft.graph.deviceManagementIntent": {"id", "displayName", "templateId", "isAssigned",
				"settings/definitionId", "settings/valueJson", "assignments/target"},
		},
		"intune.managedDevices": {
			"microsoft.graph.managedDevice": {"id", "deviceName", "operatingSystem", "osVersion", "complianceState",
				"isEncrypted", "lastSyncDateTime", "azureADDeviceId", "managementAgent"},
		},
		"intune.deviceManagementSettings": {"microsoft.graph.deviceManagementSettings": {"secureByDefault"}},
	}
	stored := storedSchemas(t)
	for key, types := range reads {
		st, ok := stored[key]
		if !ok {
			t.Fatalf("no Graph source %s", key)
		}
		for typ, paths := range types {
			for _, path := range paths {
				if err := propertyPath(st, typ, path); err != nil {
					t.Errorf("%s: %s.%s: %v", key, typ, path, err)
				}
			}
		}
	}
}

// SchemaProblems is schemaProblems, for the tests of package collect_test (collections from
// the simulator).
var SchemaProblems = schemaProblems
