package baselines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/baselines/licensing"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/synth"
	"github.com/m365posture/posture/policies"
)

// planClaim is an entry of data.posture.lib.licenses.service_plans: a service plan posture
// looks for, its id, and the products (skuPartNumber -> Microsoft's product name) said to
// contain it or not.
type planClaim struct {
	ID    string            `json:"id"`
	In    map[string]string `json:"in"`
	NotIn map[string]string `json:"not_in"`
}

// servicePlanClaims evaluates the Rego library's service plan table.
func servicePlanClaims(t *testing.T) map[string]planClaim {
	t.Helper()
	src, err := policies.FS.ReadFile("lib/licenses.rego")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rego.New(rego.Query("data.posture.lib.licenses.service_plans"),
		rego.Module("policies/lib/licenses.rego", string(src))).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("evaluate service_plans: %v (%d results)", err, len(rs))
	}
	raw, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]planClaim
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

// sku is a subscribedSkus entry of a test tenant.
type sku struct {
	SkuID         string `json:"skuId"`
	SkuPartNumber string `json:"skuPartNumber"`
	ServicePlans  []struct {
		ServicePlanID   string `json:"servicePlanId"`
		ServicePlanName string `json:"servicePlanName"`
	} `json:"servicePlans"`
}

// licenceInputs is everything posture says about licences: the rules' METADATA, the Rego
// library's service plans, the Secure Score catalog, and the test tenants' subscriptions.
type licenceInputs struct {
	rules   []engine.Rule
	claims  map[string]planClaim
	catalog *baselines.Catalog
	tenants map[string][]sku // file -> subscribedSkus
}

// licenceProblems lists, one line each, every licence posture names that Microsoft's table
// does not back: an unknown plan name, a name and id that do not belong together, a product
// said to contain a plan it lacks (or to lack one it contains), a tenant SKU unlike Microsoft's.
func licenceProblems(tab *licensing.Table, in licenceInputs) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, name := range slices.Sorted(maps.Keys(in.claims)) {
		c := in.claims[name]
		if !tab.HasPlan(name, c.ID) {
			add("policies/lib/licenses.rego: service plan %s %s is not in Microsoft's table (it lists %s as %v)", name, c.ID, name, tab.PlanIDs(name))
		}
		for _, part := range slices.Sorted(maps.Keys(c.In)) {
			if p, ok := product(tab, part, c.In[part]); !ok {
				add("policies/lib/licenses.rego: %s: Microsoft's table has no product %s named %q", name, part, c.In[part])
			} else if !p.Contains(name) {
				add("policies/lib/licenses.rego: %s is said to be in %s (%s), which Microsoft's table says does not contain it", name, part, p.Name)
			}
		}
		for _, part := range slices.Sorted(maps.Keys(c.NotIn)) {
			if p, ok := product(tab, part, c.NotIn[part]); !ok {
				add("policies/lib/licenses.rego: %s: Microsoft's table has no product %s named %q", name, part, c.NotIn[part])
			} else if p.Contains(name) {
				add("policies/lib/licenses.rego: %s is said not to be in %s (%s), which Microsoft's table says contains it", name, part, p.Name)
			}
		}
	}
	for _, r := range in.rules {
		for _, name := range r.License {
			if len(tab.PlanIDs(name)) == 0 {
				add("%s (%s): METADATA license %s is not a service plan in Microsoft's table", r.ID, r.File, name)
			}
			if _, ok := in.claims[name]; !ok {
				add("%s (%s): METADATA license %s has no id in policies/lib/licenses.rego service_plans, so no rule can look for it", r.ID, r.File, name)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(in.catalog.ServicePlans)) {
		id := in.catalog.ServicePlans[name]
		if !tab.HasPlan(name, id) {
			add("baselines/securescore.yaml: servicePlans %s: %s is not in Microsoft's table (it lists %s as %v)", name, id, name, tab.PlanIDs(name))
		}
		if c, ok := in.claims[name]; ok && c.ID != id {
			add("baselines/securescore.yaml: servicePlans %s: %s, but policies/lib/licenses.rego says %s", name, id, c.ID)
		}
	}
	for _, ctl := range in.catalog.Controls {
		for _, name := range ctl.Licenses {
			if len(tab.PlanIDs(name)) == 0 {
				add("baselines/securescore.yaml: control %s: licence %s is not a service plan in Microsoft's table", ctl.ID, name)
			}
		}
	}
	for _, file := range slices.Sorted(maps.Keys(in.tenants)) {
		for _, s := range in.tenants[file] {
			p, ok := tab.ProductBySkuID(s.SkuID)
			if !ok || p.PartNumber != s.SkuPartNumber {
				add("%s: subscribedSkus %s %s is not a product in Microsoft's table", file, s.SkuPartNumber, s.SkuID)
				continue
			}
			for _, sp := range s.ServicePlans {
				if !tab.HasPlan(sp.ServicePlanName, sp.ServicePlanID) || !p.Contains(sp.ServicePlanName) {
					add("%s: %s holds service plan %s %s, which Microsoft's table does not list in it", file, s.SkuPartNumber, sp.ServicePlanName, sp.ServicePlanID)
				}
			}
		}
	}
	return problems
}

// cmdE2EProducts are the products cmd/posture's licence_e2e_test.go builds its tenant from
// (Microsoft 365 E3 plus Defender for Office 365 Plan 2); that test checks them itself too.
var cmdE2EProducts = []string{"SPE_E3", "THREAT_INTELLIGENCE"}

// unverified lists, one line each, every product and service plan posture relies on that is
// not among the rows copied from Microsoft's page (baselines/licensing/microsoft-rows.md): the
// products licenses.rego says hold or lack a plan, the test tenants' and the end-to-end test's
// subscriptions, and every service plan the rules, the library, the Secure Score catalog and the
// tenants name (by name and id where they give the id). TestMicrosoftRows checks the committed
// table agrees with those rows, so together they tie every licence fact posture uses to
// Microsoft's page.
func unverified(ms *licensing.Table, in licenceInputs) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	const rows = "baselines/licensing/microsoft-rows.md"
	product := func(where, part string) {
		if len(ms.ProductByPartNumber(part)) == 0 {
			add("%s: product %s is not among Microsoft's rows in %s; copy its row from Microsoft's page", where, part, rows)
		}
	}
	plan := func(where, name, id string) {
		if id == "" && len(ms.PlanIDs(name)) == 0 || id != "" && !ms.HasPlan(name, id) {
			add("%s: service plan %s %s is in none of Microsoft's rows in %s; copy the row of a product that holds it", where, name, id, rows)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(in.claims)) {
		c := in.claims[name]
		plan("policies/lib/licenses.rego", name, c.ID)
		for _, part := range slices.Sorted(maps.Keys(c.In)) {
			product("policies/lib/licenses.rego: "+name+" in", part)
		}
		for _, part := range slices.Sorted(maps.Keys(c.NotIn)) {
			product("policies/lib/licenses.rego: "+name+" not_in", part)
		}
	}
	for _, r := range in.rules {
		for _, name := range r.License {
			plan(fmt.Sprintf("%s (%s) METADATA license", r.ID, r.File), name, "")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(in.catalog.ServicePlans)) {
		plan("baselines/securescore.yaml servicePlans", name, in.catalog.ServicePlans[name])
	}
	for _, ctl := range in.catalog.Controls {
		for _, name := range ctl.Licenses {
			plan("baselines/securescore.yaml control "+ctl.ID, name, "")
		}
	}
	for _, file := range slices.Sorted(maps.Keys(in.tenants)) {
		for _, s := range in.tenants[file] {
			product(file+": subscribedSkus", s.SkuPartNumber)
			for _, sp := range s.ServicePlans {
				plan(file+": "+s.SkuPartNumber, sp.ServicePlanName, sp.ServicePlanID)
			}
		}
	}
	for _, part := range cmdE2EProducts {
		product("cmd/posture/licence_e2e_test.go", part)
	}
	return problems
}

// product finds the product with this String_Id and display name.
func product(tab *licensing.Table, part, name string) (licensing.Product, bool) {
	for _, p := range tab.ProductByPartNumber(part) {
		if p.Name == name {
			return p, true
		}
	}
	return licensing.Product{}, false
}

// synthTenant names the tenant internal/synth generates among the test tenants.
const synthTenant = "internal/synth (generated)"

// testTenants reads the subscribedSkus of every test tenant: testdata/snapshots, the diff
// example's snapshots, the demo tenant and the generated tenant.
func testTenants(t *testing.T) map[string][]sku {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "snapshots", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Glob(filepath.Join("..", "examples", "diff", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, examples...)
	files = append(files, filepath.Join("..", "internal", "demo", "contoso.json"), synthTenant)
	out := map[string][]sku{}
	for _, f := range files {
		var raw []byte
		if f == synthTenant {
			// The generated tenant of the benchmarks and the 100k golden; its size does not
			// change its subscriptions.
			raw = synth.Generate(synth.Options{Users: 20, Groups: 2, Policies: 2, Seed: 1})
		} else if raw, err = os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Entra struct {
				SubscribedSkus []sku `json:"subscribedSkus"`
			} `json:"entra"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(doc.Entra.SubscribedSkus) == 0 {
			t.Fatalf("%s: no subscribedSkus", f)
		}
		out[f] = doc.Entra.SubscribedSkus
	}
	return out
}

// TestLicencesAreMicrosofts checks every licence posture names against Microsoft's service
// plan table (baselines/licensing): the rules' METADATA license, the Rego library's service
// plans and the products it says hold them, the Secure Score catalog's service plans and
// controls, and the test tenants' subscriptions; and that every such product and plan is among
// the rows copied from Microsoft's page (microsoft-rows.md), which the table must agree with.
func TestLicencesAreMicrosofts(t *testing.T) {
	tab, err := licensing.Load()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := engine.NewCatalog(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := baselines.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	in := licenceInputs{rules: cat.Rules(), claims: servicePlanClaims(t), catalog: catalog, tenants: testTenants(t)}
	for _, p := range licenceProblems(tab, in) {
		t.Error(p)
	}
	ms, err := licensing.LoadMicrosoftRows()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range unverified(ms, in) {
		t.Error(p)
	}
	// The check is only as good as what it saw.
	named := 0
	for _, r := range in.rules {
		named += len(r.License)
	}
	if named < 50 || len(in.claims) < 8 || len(in.tenants) < 8 {
		t.Errorf("saw %d rule licences, %d service plans, %d tenants; expected the whole catalog", named, len(in.claims), len(in.tenants))
	}
}

// TestLicenceProblemsFindMistakes feeds the check the mistakes it exists for.
func TestLicenceProblemsFindMistakes(t *testing.T) {
	tab, err := licensing.Load()
	if err != nil {
		t.Fatal(err)
	}
	good := planClaim{ID: "bf6f5520-59e3-4f82-974b-7dbbc4fd27c7", In: map[string]string{"SPE_E5": "Microsoft 365 E5"}}
	okCatalog := &baselines.Catalog{ServicePlans: map[string]string{"SAFEDOCS": "bf6f5520-59e3-4f82-974b-7dbbc4fd27c7"}}
	tests := []struct {
		name string
		in   licenceInputs
		want string
	}{
		{"rule names a plan Microsoft does not list",
			licenceInputs{rules: []engine.Rule{{ID: "x.rule", File: "x.rego", License: []string{"DEFENDER_PLAN_9"}}}, claims: map[string]planClaim{"SAFEDOCS": good}, catalog: okCatalog},
			"x.rule (x.rego): METADATA license DEFENDER_PLAN_9 is not a service plan in Microsoft's table"},
		{"plan said to be in a product that lacks it (the Safe Documents mistake)",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": {ID: good.ID, In: map[string]string{"THREAT_INTELLIGENCE": "Microsoft Defender for Office 365 (Plan 2)"}}}, catalog: okCatalog},
			"policies/lib/licenses.rego: SAFEDOCS is said to be in THREAT_INTELLIGENCE (Microsoft Defender for Office 365 (Plan 2)), which Microsoft's table says does not contain it"},
		{"plan said not to be in a product that has it",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": {ID: good.ID, NotIn: map[string]string{"SPE_E5": "Microsoft 365 E5"}}}, catalog: okCatalog},
			"policies/lib/licenses.rego: SAFEDOCS is said not to be in SPE_E5 (Microsoft 365 E5), which Microsoft's table says contains it"},
		{"name and id of different plans",
			licenceInputs{claims: map[string]planClaim{"AAD_PREMIUM_P2": {ID: "41781fb2-bc02-4b7c-bd55-b576c07bb09d"}}, catalog: okCatalog},
			"policies/lib/licenses.rego: service plan AAD_PREMIUM_P2 41781fb2-bc02-4b7c-bd55-b576c07bb09d is not in Microsoft's table"},
		{"catalog id wrong",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": good}, catalog: &baselines.Catalog{ServicePlans: map[string]string{"WINDEFATP": "292cc034-7b7c-4950-aaf5-943befd3f1d4"}}},
			"baselines/securescore.yaml: servicePlans WINDEFATP: 292cc034-7b7c-4950-aaf5-943befd3f1d4 is not in Microsoft's table"},
		{"catalog control licence unknown",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": good}, catalog: &baselines.Catalog{Controls: []baselines.Control{{ID: "c1", Licenses: []string{"MDE_PLAN_3"}}}}},
			"baselines/securescore.yaml: control c1: licence MDE_PLAN_3 is not a service plan in Microsoft's table"},
		{"tenant SKU holds a plan its product lacks",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": good}, catalog: okCatalog, tenants: map[string][]sku{"t.json": {{
				SkuID: "3dd6cf57-d688-4eed-ba52-9e40b5468c3e", SkuPartNumber: "THREAT_INTELLIGENCE",
				ServicePlans: []struct {
					ServicePlanID   string `json:"servicePlanId"`
					ServicePlanName string `json:"servicePlanName"`
				}{{ServicePlanID: good.ID, ServicePlanName: "SAFEDOCS"}},
			}}}},
			"t.json: THREAT_INTELLIGENCE holds service plan SAFEDOCS bf6f5520-59e3-4f82-974b-7dbbc4fd27c7, which Microsoft's table does not list in it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := licenceProblems(tab, tt.in)
			if !slices.ContainsFunc(got, func(p string) bool { return len(p) >= len(tt.want) && p[:len(tt.want)] == tt.want }) {
				t.Errorf("problems = %q\nwant one starting %q", got, tt.want)
			}
		})
	}
	// And a clean input has none.
	if got := licenceProblems(tab, licenceInputs{claims: map[string]planClaim{"SAFEDOCS": good}, catalog: okCatalog}); len(got) != 0 {
		t.Errorf("clean input: problems %q", got)
	}
}

// TestUnverifiedFindsMissing feeds the check products and plans that are in the third-party
// table but not among the rows copied from Microsoft's page.
func TestUnverifiedFindsMissing(t *testing.T) {
	ms, err := licensing.LoadMicrosoftRows()
	if err != nil {
		t.Fatal(err)
	}
	safedocs := planClaim{ID: "bf6f5520-59e3-4f82-974b-7dbbc4fd27c7", In: map[string]string{"SPE_E5": "Microsoft 365 E5"}}
	okCatalog := &baselines.Catalog{ServicePlans: map[string]string{"SAFEDOCS": safedocs.ID}}
	type plans = []struct {
		ServicePlanID   string `json:"servicePlanId"`
		ServicePlanName string `json:"servicePlanName"`
	}
	tests := []struct {
		name string
		in   licenceInputs
		want string
	}{
		{"library names a product not copied from the page",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": {ID: safedocs.ID, In: map[string]string{"SPE_E5_NOPSTNCONF": "Microsoft 365 E5 without Audio Conferencing"}}}, catalog: okCatalog},
			"policies/lib/licenses.rego: SAFEDOCS in: product SPE_E5_NOPSTNCONF is not among Microsoft's rows"},
		{"tenant subscribes to a product not copied from the page",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": safedocs}, catalog: okCatalog, tenants: map[string][]sku{"t.json": {{SkuID: "cd2925a3-5076-4233-8931-638a8c94f773", SkuPartNumber: "SPE_E5_NOPSTNCONF"}}}},
			"t.json: subscribedSkus: product SPE_E5_NOPSTNCONF is not among Microsoft's rows"},
		{"tenant plan in no row copied from the page",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": safedocs}, catalog: okCatalog, tenants: map[string][]sku{"t.json": {{SkuID: "06ebc4ee-1bb5-47dd-8120-11324bc54e06", SkuPartNumber: "SPE_E5",
				ServicePlans: plans{{ServicePlanID: "f47330e9-c134-43b3-9993-e7f004506889", ServicePlanName: "MCOEV_VIRTUALUSER"}}}}}},
			"t.json: SPE_E5: service plan MCOEV_VIRTUALUSER f47330e9-c134-43b3-9993-e7f004506889 is in none of Microsoft's rows"},
		{"rule licence in no row copied from the page",
			licenceInputs{rules: []engine.Rule{{ID: "x.rule", File: "x.rego", License: []string{"MCOEV_VIRTUALUSER"}}}, claims: map[string]planClaim{"SAFEDOCS": safedocs}, catalog: okCatalog},
			"x.rule (x.rego) METADATA license: service plan MCOEV_VIRTUALUSER  is in none of Microsoft's rows"},
		{"catalog plan with another plan's id",
			licenceInputs{claims: map[string]planClaim{"SAFEDOCS": safedocs}, catalog: &baselines.Catalog{ServicePlans: map[string]string{"WINDEFATP": "292cc034-7b7c-4950-aaf5-943befd3f1d4"}}},
			"baselines/securescore.yaml servicePlans: service plan WINDEFATP 292cc034-7b7c-4950-aaf5-943befd3f1d4 is in none of Microsoft's rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unverified(ms, tt.in)
			if !slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, tt.want) }) {
				t.Errorf("problems = %q\nwant one starting %q", got, tt.want)
			}
		})
	}
	if got := unverified(ms, licenceInputs{claims: map[string]planClaim{"SAFEDOCS": safedocs}, catalog: okCatalog}); len(got) != 0 {
		t.Errorf("clean input: problems %q", got)
	}
}
