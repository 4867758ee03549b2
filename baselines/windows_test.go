package baselines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/yamldoc"
)

// templateSetting is one setting of testdata/windows-25h2-template.json: Microsoft's settings
// template of the 25H2 baseline, transcribed from its Graph export (see the file's _comment).
type templateSetting struct {
	DefinitionID string   `json:"definitionId"`
	Parent       string   `json:"parent"`
	Option       string   `json:"option"`  // a choice setting's default option id
	Options      []string `json:"options"` // a choice collection's default option ids
	Value        any      `json:"value"`   // a simple setting's default value
}

func loadTemplate(t *testing.T) map[string]templateSetting {
	t.Helper()
	data, err := os.ReadFile("testdata/windows-25h2-template.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TemplateID string            `json:"templateId"`
		Settings   []templateSetting `json:"settings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("testdata/windows-25h2-template.json: %v", err)
	}
	out := map[string]templateSetting{}
	for _, s := range doc.Settings {
		out[s.DefinitionID] = s
	}
	if doc.TemplateID != "66df8dce-0166-4b82-92f7-1f74e3ca17a3_5" || len(out) < 150 {
		t.Fatalf("template %q with %d settings; want the 25H2 template with its settings", doc.TemplateID, len(out))
	}
	return out
}

// sameScalar compares a YAML scalar with a JSON one: numbers by value, everything else exactly.
func sameScalar(a, b any) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// meetsDefault says why a setting's expected value does not accept the template's default, or
// "" when it does: posture checks what Microsoft's baseline sets, so the baseline's own value
// must always pass.
func meetsDefault(e baselines.Expected, d templateSetting) string {
	defaults := []any{}
	switch {
	case d.Option != "":
		defaults = append(defaults, d.Option)
	case len(d.Options) > 0:
		for _, o := range d.Options {
			defaults = append(defaults, o)
		}
	case d.Value != nil:
		defaults = append(defaults, d.Value)
	default:
		return "the template gives no default"
	}
	for _, v := range defaults {
		if accepts(e, v) {
			return ""
		}
	}
	return fmt.Sprintf("expected %s does not accept the template's default %v", expectedJSON(e), defaults)
}

func accepts(e baselines.Expected, v any) bool {
	if e.Value != nil && sameScalar(e.Value.V, v) {
		return true
	}
	if e.Equals != nil && sameScalar(e.Equals.V, v) {
		return true
	}
	if slices.ContainsFunc(e.Values, func(x yamldoc.Value) bool { return sameScalar(x.V, v) }) {
		return true
	}
	n, isNum := v.(float64)
	if !isNum || (e.Min == nil && e.Max == nil) {
		return false
	}
	return (e.Min == nil || n >= float64(*e.Min)) && (e.Max == nil || n <= float64(*e.Max))
}

func expectedJSON(e baselines.Expected) string {
	b, _ := json.Marshal(e)
	return string(b)
}

func i64(n int64) *int64 { return &n }

func TestMeetsDefault(t *testing.T) {
	opt := templateSetting{Option: "x_1"}
	tests := []struct {
		name     string
		expected baselines.Expected
		def      templateSetting
		ok       bool
	}{
		{"the option itself", baselines.Expected{Value: &yamldoc.Value{V: "x_1"}}, opt, true},
		{"another option", baselines.Expected{Value: &yamldoc.Value{V: "x_0"}}, opt, false},
		{"one of several", baselines.Expected{Values: []yamldoc.Value{{V: "x_2"}, {V: "x_1"}}}, opt, true},
		{"a collection default", baselines.Expected{Value: &yamldoc.Value{V: "x_1"}}, templateSetting{Options: []string{"x_1"}}, true},
		{"an integer within a range", baselines.Expected{Min: i64(1), Max: i64(900)}, templateSetting{Value: 900.0}, true},
		{"an integer outside a range", baselines.Expected{Min: i64(1), Max: i64(899)}, templateSetting{Value: 900.0}, false},
		{"an integer at least", baselines.Expected{Min: i64(14)}, templateSetting{Value: 14.0}, true},
		{"an exact string", baselines.Expected{Value: &yamldoc.Value{V: "O:BAG:BAD:(A;;RC;;;BA)"}}, templateSetting{Value: "O:BAG:BAD:(A;;RC;;;BA)"}, true},
		{"an exact integer", baselines.Expected{Value: &yamldoc.Value{V: 0}}, templateSetting{Value: 0.0}, true},
		{"no default", baselines.Expected{Value: &yamldoc.Value{V: "x_1"}}, templateSetting{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := meetsDefault(tt.expected, tt.def); (got == "") != tt.ok {
				t.Errorf("meetsDefault = %q, want ok %v", got, tt.ok)
			}
		})
	}
}

func windowsBaseline(t *testing.T) baselines.Baseline {
	t.Helper()
	all, err := baselines.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range all {
		if b.ID == "windows" {
			return b
		}
	}
	t.Fatal("no windows baseline")
	return baselines.Baseline{}
}

// TestWindowsSettingsMatchTheTemplate: every setting of baselines/windows.yaml is a setting of
// Microsoft's 25H2 settings template, and its expected value accepts the template's default.
func TestWindowsSettingsMatchTheTemplate(t *testing.T) {
	tpl := loadTemplate(t)
	b := windowsBaseline(t)
	if len(b.Settings) < 150 {
		t.Errorf("the windows baseline holds %d settings; issue #18 wants at least 150", len(b.Settings))
	}
	for _, s := range b.Settings {
		d, ok := tpl[s.DefinitionID]
		if !ok {
			t.Errorf("setting %s: definitionId %s is not in Microsoft's 25H2 template", s.ID, s.DefinitionID)
			continue
		}
		if why := meetsDefault(s.Expected, d); why != "" {
			t.Errorf("setting %s (%s): %s", s.ID, s.DefinitionID, why)
		}
		if !slices.Contains(s.Verified, "msft_template_25h2") {
			t.Errorf("setting %s does not name msft_template_25h2 in verified", s.ID)
		}
	}
}

// TestWindowsAreaRulesListTheirControls: each area's rule lists in its METADATA secure_score
// every Secure Score control the area's settings name, since the engine refuses a
// control_coverage entry for a control the rule does not list; and every area has its rule in
// the baseline.
func TestWindowsAreaRulesListTheirControls(t *testing.T) {
	b := windowsBaseline(t)
	e, err := engine.New(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]engine.Rule{}
	for _, r := range e.Rules() {
		rules[r.ID] = r
	}
	inBaseline := map[string]bool{}
	for _, r := range b.Rules {
		inBaseline[r.ID] = true
	}
	controls := map[string]bool{}
	for _, s := range b.Settings {
		id := "intune.baseline_" + s.Area
		r, ok := rules[id]
		if !ok || !inBaseline[id] {
			t.Errorf("setting %s: area %s has no rule %s in the engine and the baseline", s.ID, s.Area, id)
			continue
		}
		for _, c := range s.SecureScore {
			controls[c] = true
			if !slices.Contains(r.SecureScore, c) {
				t.Errorf("setting %s maps to %s, which rule %s does not list in secure_score %v", s.ID, c, id, r.SecureScore)
			}
		}
	}
	for _, c := range []string{"scid_53", "scid_54", "scid_94", "scid_95", "scid_27", "scid_68", "scid_65", "scid_72", "scid_69", "scid_70", "scid_67", "scid_28", "scid_71"} {
		if !controls[c] {
			t.Errorf("no Windows baseline setting maps to %s", c)
		}
	}
	for id, r := range rules {
		if !strings.HasPrefix(id, "intune.baseline_") {
			continue
		}
		for _, c := range r.SecureScore {
			if !controls[c] {
				t.Errorf("rule %s lists %s, which none of its settings maps to (its control_coverage would never name it)", id, c)
			}
		}
	}
}
