package baselines_test

import (
	"context"
	"encoding/json"
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
	if !ok || got.MaxScore != 10 || got.Category != "Identity" || got.Service != "AzureAD" || len(got.Licenses) != 0 {
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
const validCatalog = `servicePlans:
  AAD_PREMIUM: 41781fb2-bc02-4b7c-bd55-b576c07bb09d
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
		{"unknown top key", withControl("controls:", "control:"), `x.yaml:3: unknown key "control"; did you mean "controls"? (expected one of: servicePlans, controls)`},
		{"no controls", "servicePlans: {}\n", "x.yaml:1: the catalog has no controls"},
		{"no servicePlans", "controls: []\n", "x.yaml:1: the catalog has no servicePlans"},
		{"controls not a list", "servicePlans: {}\ncontrols: {}\n", "x.yaml:2: controls is a mapping; expected a list"},
		{"plan id not a GUID", withControl("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "P1"), `x.yaml:2: service plan AAD_PREMIUM: servicePlanId "P1"; expected a lowercase GUID`},
		{"plan name lowercase", withControl("  AAD_PREMIUM:", "  aad_premium:"), `x.yaml:2: service plan name "aad_premium"; expected an uppercase name`},
		{"plan twice", withControl("controls:", "  AAD_PREMIUM: 41781fb2-bc02-4b7c-bd55-b576c07bb09d\ncontrols:"), `x.yaml:3: duplicate key "AAD_PREMIUM" in servicePlans (first at line 2)`},
		{"unknown control key", withControl("    actionType: Config\n", "    actionType: Config\n    tier: Core\n"),
			`x.yaml:13: unknown key "tier" in controls[0]; expected one of: id, title`},
		{"misspelt control key", withControl("    service:", "    servise:"), `x.yaml:7: unknown key "servise" in controls[0]; did you mean "service"?`},
		{"no id", withControl("  - id: AdminMFAV2\n    title", "  - title"), "x.yaml:4: controls[0] has no id"},
		{"id with spaces", withControl("id: AdminMFAV2", "id: Admin MFA"), "x.yaml:4: control Admin MFA: id; expected a Secure Score controlName"},
		{"no title", withControl("    title: MFA for admins\n", ""), "x.yaml:4: control AdminMFAV2 has no title"},
		{"bad category", withControl("category: Identity", "category: Account"), `x.yaml:6: control AdminMFAV2: category "Account"; expected Identity, Data, Device, Apps, Infrastructure`},
		{"no service", withControl("    service: AzureAD\n", ""), "x.yaml:4: control AdminMFAV2 has no service"},
		{"bad user impact", withControl("userImpact: low", "userImpact: Low"), `x.yaml:10: control AdminMFAV2: userImpact "Low"; expected low, moderate, high`},
		{"bad cost", withControl("implementationCost: low", "implementationCost: medium"), `x.yaml:11: control AdminMFAV2: implementationCost "medium"; expected low, moderate, high`},
		{"bad action type", withControl("actionType: Config", "actionType: Configure"), `x.yaml:12: control AdminMFAV2: actionType "Configure"; expected Config, Review, Behavior`},
		{"no maxScore", withControl("    maxScore: 10\n", ""), "x.yaml:4: control AdminMFAV2 has no maxScore"},
		{"maxScore zero", withControl("maxScore: 10", "maxScore: 0"), "x.yaml:8: control AdminMFAV2: maxScore 0; expected a number of points above 0"},
		{"maxScore negative", withControl("maxScore: 10", "maxScore: -1.5"), "x.yaml:8: control AdminMFAV2: maxScore -1.5; expected a number of points above 0"},
		{"maxScore infinite", withControl("maxScore: 10", "maxScore: .inf"), "x.yaml:8: controls[0].maxScore .inf is not a finite number; expected a number of points above 0"},
		{"maxScore text", withControl("maxScore: 10", "maxScore: ten"), `x.yaml:8: controls[0].maxScore is the string "ten"; expected a number of points above 0`},
		{"no licenses", withControl("    licenses: [AAD_PREMIUM]\n", ""), "x.yaml:4: control AdminMFAV2 has no licenses; expected licenses: [<service plan name>, ...] or [] for every tenant"},
		{"licenses not a list", withControl("[AAD_PREMIUM]", "AAD_PREMIUM"), `x.yaml:9: controls[0].licenses is the string "AAD_PREMIUM"; expected a list of service plan names`},
		{"unknown licence", withControl("[AAD_PREMIUM]", "[AAD_PREMIUM_P2]"), "x.yaml:9: control AdminMFAV2: licence AAD_PREMIUM_P2 is not in servicePlans; expected one of AAD_PREMIUM"},
		{"licence twice", withControl("[AAD_PREMIUM]", "[AAD_PREMIUM, AAD_PREMIUM]"), "x.yaml:9: control AdminMFAV2: licence AAD_PREMIUM listed twice"},
		{"duplicate id", secondControl("AdminMFAV2"), "x.yaml:13: control AdminMFAV2 listed twice (first at line 4)"},
		{"duplicate key", withControl("    service: AzureAD\n", "    service: AzureAD\n    service: EXO\n"), `x.yaml:8: duplicate key "service" in controls[0] (first at line 7)`},
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
			return ok && got.MaxScore == 10 && got.Licenses[0] == "AAD_PREMIUM" && got.ActionType == "Config"
		}},
		{"fractional points, every tenant", withControl("maxScore: 10", "maxScore: 2.5") + "", func(c *baselines.Catalog) bool {
			got, _ := c.Control("AdminMFAV2")
			return got.MaxScore == 2.5
		}},
		{"no licence needed", withControl("[AAD_PREMIUM]", "[]"), func(c *baselines.Catalog) bool {
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
