package baselines_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/engine"
)

func TestLoadCatalog(t *testing.T) {
	c, err := baselines.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	got, ok := c.Control("AdminMFAV2")
	if m, _ := got.Max(); !ok || m != 10 || got.Category != "Identity" || got.Service != "AzureAD" || len(got.Licenses) != 0 {
		t.Errorf("AdminMFAV2 = %+v, %v; want 10 Identity points for every tenant", got, ok)
	}
	if p2, _ := c.Control("UserRiskPolicy"); strings.Join(p2.Licenses, ",") != "AAD_PREMIUM_P2" {
		t.Errorf("UserRiskPolicy licenses = %v, want [AAD_PREMIUM_P2]", p2.Licenses)
	}
	if _, ok := c.Control("adminmfav2"); ok {
		t.Error("Control matched an id in the wrong case; Microsoft's ids are exact")
	}
	for _, ctl := range c.Controls {
		for _, l := range ctl.Licenses {
			if c.ServicePlans[l] == "" {
				t.Errorf("%s: licence %s has no servicePlanId", ctl.ID, l)
			}
		}
	}
	// Issue 18: the scid_* device controls need Defender for Endpoint Plan 2 or Defender
	// Vulnerability Management, never Plan 1; the five aad_* controls are Apps in both
	// public exports.
	for _, ctl := range c.Controls {
		if strings.HasPrefix(ctl.ID, "scid_") && (slices.Contains(ctl.Licenses, "MDE_LITE") || !slices.Contains(ctl.Licenses, "WINDEFATP")) {
			t.Errorf("%s licenses = %v; want Defender for Endpoint Plan 2 (WINDEFATP) or Defender Vulnerability Management, not Plan 1", ctl.ID, ctl.Licenses)
		}
	}
	for _, id := range []string{"aad_admin_accounts_separate_unassigned_cloud_only", "aad_admin_consent_workflow", "aad_custom_banned_passwords", "aad_sign_in_freq_session_timeout", "aad_third_party_apps"} {
		if got, _ := c.Control(id); got.Category != "Apps" {
			t.Errorf("%s category = %q, want Apps (profiles-export-2025, tenant-sample-2024)", id, got.Category)
		}
	}
	mde, ok := c.ProductOf("MDATP")
	if !ok || !slices.Contains(mde.ServicePlans, "WINDEFATP") || slices.Contains(mde.ServicePlans, "MDE_LITE") || !slices.Contains(mde.Insufficient, "MDE_LITE") {
		t.Errorf("product of MDATP = %+v, %v; want one shown by WINDEFATP, with MDE_LITE insufficient", mde, ok)
	}
	if p, ok := c.ProductOf("azuread"); !ok || !p.Always || p.ID != "entra" {
		t.Errorf("ProductOf(azuread) = %+v, %v; want entra, always present, matched case-insensitively", p, ok)
	}
	// Every source is cited, and every control names where its values come from.
	cited := map[string]bool{}
	for _, p := range c.Products {
		for _, id := range p.From {
			cited[id] = true
		}
	}
	for _, ctl := range c.Controls {
		for _, id := range ctl.From {
			cited[id] = true
		}
	}
	for _, src := range c.Sources {
		if !cited[src.ID] {
			t.Errorf("source %s is cited by no control or product", src.ID)
		}
	}
	// A control for every tenant says so as [] in JSON, never null.
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"licenses":[]`) {
		t.Errorf("JSON of AdminMFAV2 = %s; want licenses []", b)
	}
}

// TestCatalogCoversRuleControls: every Secure Score control a built-in rule maps to has points
// in the catalog, so the estimate never meets a control it cannot value.
func TestCatalogCoversRuleControls(t *testing.T) {
	c, err := baselines.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mapped := 0
	for _, r := range e.Rules() {
		for _, id := range r.SecureScore {
			mapped++
			if _, ok := c.Control(id); !ok {
				t.Errorf("rule %s maps to Secure Score control %s, which baselines/securescore.yaml lacks", r.ID, id)
			}
		}
	}
	if mapped == 0 {
		t.Fatal("no rule maps to a Secure Score control; the test tests nothing")
	}
}

// TestAllSkipsCatalog: the catalog is embedded beside the baselines but is not one.
func TestAllSkipsCatalog(t *testing.T) {
	all, err := baselines.All()
	if err != nil {
		t.Fatalf("All() = %v; the catalog must not be read as a baseline", err)
	}
	for _, b := range all {
		if b.ID == "securescore" || len(b.Rules) == 0 && len(b.Settings) == 0 {
			t.Errorf("All() returned %q, which is not a baseline", b.ID)
		}
	}
	if _, err := baselines.LoadCatalog(); err != nil {
		t.Errorf("the catalog is not embedded: %v", err)
	}
}

// validCatalog is a catalog with one control; tests replace one of its lines.
const validCatalog = `sources:
  - id: doc
    what: a document
    url: https://learn.microsoft.com/x
servicePlans:
  AAD_PREMIUM: 41781fb2-bc02-4b7c-bd55-b576c07bb09d
products:
  - id: entra
    name: Microsoft Entra ID
    services: [AzureAD]
    always: true
    servicePlans: []
    enabledServices: []
    editions:
      - name: Entra ID P1
        servicePlans: [AAD_PREMIUM]
    from: [doc]
controls:
  - id: AdminMFAV2
    title: MFA for admins
    category: Identity
    service: AzureAD
    maxScore: 10
    licenses: [AAD_PREMIUM]
    userImpact: low
    implementationCost: low
    actionType: Config
    from: [doc]
`

// withControl is validCatalog with old replaced by new.
func withControl(old, new string) string { return strings.Replace(validCatalog, old, new, 1) }

// secondControl is a second control appended to validCatalog, with id replaced.
func secondControl(id string) string {
	_, ctl, _ := strings.Cut(validCatalog, "controls:\n")
	return validCatalog + strings.Replace(ctl, "AdminMFAV2", id, 1)
}

func TestParseCatalogRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "x.yaml: empty file; expected a Secure Score catalog"},
		{"syntax", "controls: [\n", "x.yaml:1: invalid YAML: did not find expected node content"},
		{"unknown top key", withControl("controls:", "control:"), `x.yaml:18: unknown key "control"; did you mean "controls"? (expected one of: sources, servicePlans, products, controls)`},
		{"no controls", validCatalog[:strings.Index(validCatalog, "controls:")], "x.yaml:1: the catalog has no controls"},
		{"no servicePlans", "sources: []\nproducts: []\ncontrols: []\n", "x.yaml:1: the catalog has no servicePlans"},
		{"no sources", "servicePlans: {}\nproducts: []\ncontrols: []\n", "x.yaml:1: the catalog has no sources"},
		{"no products", "sources: []\nservicePlans: {}\ncontrols: []\n", "x.yaml:1: the catalog has no products"},
		{"controls not a list", "sources: []\nservicePlans: {}\nproducts: []\ncontrols: {}\n", "x.yaml:4: controls is a mapping; expected a list"},
		{"plan id not a GUID", withControl("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "P1"), `x.yaml:6: service plan AAD_PREMIUM: servicePlanId "P1"; expected a lowercase GUID`},
		{"plan name lowercase", withControl("  AAD_PREMIUM:", "  aad_premium:"), `x.yaml:6: service plan name "aad_premium"; expected the String ID Microsoft's licensing table gives`},
		{"plan twice", withControl("products:", "  AAD_PREMIUM: 41781fb2-bc02-4b7c-bd55-b576c07bb09d\nproducts:"), `x.yaml:7: duplicate key "AAD_PREMIUM" in servicePlans (first at line 6)`},
		{"unknown control key", withControl("    actionType: Config\n", "    actionType: Config\n    tier: Core\n"),
			`x.yaml:28: unknown key "tier" in controls[0]; expected one of: id, title`},
		{"misspelt control key", withControl("    service:", "    servise:"), `x.yaml:22: unknown key "servise" in controls[0]; did you mean "service"?`},
		{"no id", withControl("  - id: AdminMFAV2\n    title", "  - title"), "x.yaml:19: controls[0] has no id"},
		{"id with spaces", withControl("id: AdminMFAV2", "id: Admin MFA"), "x.yaml:19: control Admin MFA: id; expected a Secure Score controlName"},
		{"no title", withControl("    title: MFA for admins\n", ""), "x.yaml:19: control AdminMFAV2 has no title"},
		{"bad category", withControl("category: Identity", "category: Account"), `x.yaml:21: control AdminMFAV2: category "Account"; expected Identity, Data, Device, Apps, Infrastructure`},
		{"no service", withControl("    service: AzureAD\n", ""), "x.yaml:19: control AdminMFAV2 has no service"},
		{"bad user impact", withControl("userImpact: low", "userImpact: Low"), `x.yaml:25: control AdminMFAV2: userImpact "Low"; expected low, moderate, high`},
		{"bad cost", withControl("implementationCost: low", "implementationCost: medium"), `x.yaml:26: control AdminMFAV2: implementationCost "medium"; expected low, moderate, high`},
		{"bad action type", withControl("actionType: Config", "actionType: Configure"), `x.yaml:27: control AdminMFAV2: actionType "Configure"; expected Config, Review, Behavior`},
		{"no maxScore", withControl("    maxScore: 10\n", ""), "x.yaml:19: control AdminMFAV2 has no maxScore"},
		{"maxScore zero", withControl("maxScore: 10", "maxScore: 0"), "x.yaml:23: control AdminMFAV2: maxScore 0; expected a number of points above 0"},
		{"maxScore negative", withControl("maxScore: 10", "maxScore: -1.5"), "x.yaml:23: control AdminMFAV2: maxScore -1.5; expected a number of points above 0"},
		{"maxScore infinite", withControl("maxScore: 10", "maxScore: .inf"), "x.yaml:23: controls[0].maxScore .inf is not a finite number; expected a number of points above 0"},
		{"maxScore text", withControl("maxScore: 10", "maxScore: ten"), `x.yaml:23: controls[0].maxScore is the string "ten"; expected a number of points above 0`},
		{"no licenses", withControl("    licenses: [AAD_PREMIUM]\n", ""), "x.yaml:19: control AdminMFAV2 has no licenses; expected licenses: [<service plan name>, ...] or [] for every edition of the product"},
		{"licenses not a list", withControl("licenses: [AAD_PREMIUM]", "licenses: AAD_PREMIUM"), `x.yaml:24: controls[0].licenses is the string "AAD_PREMIUM"; expected a list of service plan names`},
		{"unknown licence", withControl("licenses: [AAD_PREMIUM]", "licenses: [AAD_PREMIUM_P2]"), "x.yaml:24: control AdminMFAV2: licence AAD_PREMIUM_P2 is not in servicePlans; expected one of AAD_PREMIUM"},
		{"licence twice", withControl("licenses: [AAD_PREMIUM]", "licenses: [AAD_PREMIUM, AAD_PREMIUM]"), "x.yaml:24: control AdminMFAV2: licence AAD_PREMIUM listed twice"},
		{"duplicate id", secondControl("AdminMFAV2"), "x.yaml:29: control AdminMFAV2 listed twice (first at line 19)"},
		{"duplicate key", withControl("    service: AzureAD\n", "    service: AzureAD\n    service: EXO\n"), `x.yaml:23: duplicate key "service" in controls[0] (first at line 22)`},
		{"no from", strings.TrimSuffix(validCatalog, "    from: [doc]\n"), "x.yaml:19: control AdminMFAV2 has no from; expected from: [<source id>, ...]"},
		{"unknown source", strings.TrimSuffix(validCatalog, "[doc]\n") + "[blog]\n", `x.yaml:28: control AdminMFAV2: source "blog" is not in sources; expected one of doc`},
		{"source without what", withControl("    what: a document\n", ""), "x.yaml:2: source doc has no what"},
		{"source url not https", withControl("https://learn", "http://learn"), `x.yaml:4: source doc: url "http://learn.microsoft.com/x"; expected an https:// address`},
		{"source twice", withControl("servicePlans:\n", "  - id: doc\n    what: again\nservicePlans:\n"), "x.yaml:5: source doc listed twice"},
		{"service of no product", withControl("service: AzureAD\n    maxScore", "service: MDATP\n    maxScore"), "x.yaml:22: control AdminMFAV2: service MDATP belongs to no product; expected the service of one of the products (AzureAD)"},
		{"licence of no edition", strings.NewReplacer("  AAD_PREMIUM: 41781fb2-bc02-4b7c-bd55-b576c07bb09d\n", "  AAD_PREMIUM: 41781fb2-bc02-4b7c-bd55-b576c07bb09d\n  WINDEFATP: 871d91ec-ec1a-452b-a83f-bd76c7d770ef\n",
			"licenses: [AAD_PREMIUM]", "licenses: [WINDEFATP]").Replace(validCatalog),
			"x.yaml:25: control AdminMFAV2: licence WINDEFATP is no edition of product entra; expected a service plan of its editions (AAD_PREMIUM)"},
		{"product without plans", withControl("    always: true\n", ""), "x.yaml:8: product entra has no servicePlans and is not always present"},
		{"product plan unknown", withControl("    servicePlans: []\n    enabledServices", "    servicePlans: [WINDEFATP]\n    enabledServices"), "x.yaml:12: product entra: service plan WINDEFATP is not in servicePlans; expected one of AAD_PREMIUM"},
		{"service in two products", withControl("controls:", "  - id: entra2\n    name: Again\n    services: [azuread]\n    always: true\n    servicePlans: []\n    enabledServices: []\n    from: [doc]\ncontrols:"), "x.yaml:20: product entra2: service azuread belongs to product entra already"},
		{"bad enabledServices flag", withControl("enabledServices: []", "enabledServices: [AADP1]"), `x.yaml:13: product entra: enabledServices flag "AADP1"; expected a flag such as HasMDEP2`},
		{"edition plan unknown", withControl("        servicePlans: [AAD_PREMIUM]", "        servicePlans: [AAD_PREMIUM_P2]"), "x.yaml:16: product entra edition Entra ID P1: service plan AAD_PREMIUM_P2 is not in servicePlans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := baselines.ParseCatalog("x.yaml", []byte(tt.yaml))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("ParseCatalog error = %v\nwant it to start with %q\nYAML:\n%s", err, tt.want, tt.yaml)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestParseCatalogAccepts(t *testing.T) {
	tests := []struct {
		name, yaml string
		check      func(*baselines.Catalog) bool
	}{
		{"one control", validCatalog, func(c *baselines.Catalog) bool {
			got, ok := c.Control("AdminMFAV2")
			m, _ := got.Max()
			return ok && m == 10 && got.Licenses[0] == "AAD_PREMIUM" && got.ActionType == "Config"
		}},
		{"fractional points, every tenant", withControl("maxScore: 10", "maxScore: 2.5") + "", func(c *baselines.Catalog) bool {
			got, _ := c.Control("AdminMFAV2")
			m, _ := got.Max()
			return m == 2.5
		}},
		{"points not established", withControl("maxScore: 10", "maxScore: null"), func(c *baselines.Catalog) bool {
			got, _ := c.Control("AdminMFAV2")
			_, known := got.Max()
			return got.MaxScore == nil && !known
		}},
		{"source without url", withControl("    url: https://learn.microsoft.com/x\n", ""), func(c *baselines.Catalog) bool {
			return len(c.Sources) == 1 && c.Sources[0].URL == ""
		}},
		{"no licence needed", withControl("licenses: [AAD_PREMIUM]", "licenses: []"), func(c *baselines.Catalog) bool {
			got, _ := c.Control("AdminMFAV2")
			return got.Licenses != nil && len(got.Licenses) == 0
		}},
		{"two controls in file order", secondControl("scid_2012"), func(c *baselines.Catalog) bool {
			return len(c.Controls) == 2 && c.Controls[1].ID == "scid_2012"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := baselines.ParseCatalog("x.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("parsed %+v", c)
			}
		})
	}
}
