package framework

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/result"
)

const catalog = `id: cisa_scuba
title: SCuBA
source: {name: ScubaGear, version: 1.8.0, url: https://example.com}
levels: [shall, should]
idPattern: '^MS\.EXO\.[0-9]+\.[0-9]+v[0-9]+$'
controls:
  - {id: MS.EXO.1.1v1, title: one, level: shall}
  - {id: MS.EXO.1.2v1, title: two, level: should}
  - {id: MS.EXO.2.1v1, title: three, level: shall, reason: not readable}
  - {id: MS.EXO.2.2v1, title: four, level: shall}
  - {id: MS.EXO.3.1v1, title: five, level: shall}
`

func finding(id string, st result.Status, controls []string, vs ...result.Violation) result.Finding {
	return result.Finding{RuleID: id, Status: st, Message: string(st) + " message", Frameworks: map[string][]string{"cisa_scuba": controls}, Violations: vs}
}

func vio(msg string, excepted bool, controls ...string) result.Violation {
	return result.Violation{Msg: msg, Entity: result.Entity{Type: "domain", ID: msg}, Excepted: excepted, Controls: controls}
}

func TestViews(t *testing.T) {
	fw, err := baselines.ParseFramework("cisa_scuba.yaml", []byte(catalog))
	if err != nil {
		t.Fatal(err)
	}
	pair := []string{"MS.EXO.1.1v1", "MS.EXO.1.2v1"}
	tests := []struct {
		name     string
		findings []result.Finding
		skipped  []Skipped
		want     map[string]result.ControlVerdict // control -> verdict
		reasons  map[string]string                // control -> reason prefix
		breaks   map[string][]string              // control -> messages of its violations
		notes    []string
	}{
		{
			name:     "a violation without controls breaks every control the rule cites",
			findings: []result.Finding{finding("exchange.a", result.Fail, pair, vio("x", false))},
			want:     map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictFail, "MS.EXO.1.2v1": result.VerdictFail},
			breaks:   map[string][]string{"MS.EXO.1.1v1": {"x"}, "MS.EXO.1.2v1": {"x"}},
		},
		{
			name:     "a violation that names a control breaks only that one",
			findings: []result.Finding{finding("exchange.a", result.Fail, pair, vio("calendar", false, "MS.EXO.1.2v1"))},
			want:     map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictPass, "MS.EXO.1.2v1": result.VerdictFail},
			breaks:   map[string][]string{"MS.EXO.1.1v1": nil, "MS.EXO.1.2v1": {"calendar"}},
		},
		{
			name:     "posture's own judgement fails the rule but no control",
			findings: []result.Finding{finding("exchange.a", result.Warn, pair, vio("soft fail", false, result.PostureControl))},
			want:     map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictPass, "MS.EXO.1.2v1": result.VerdictPass},
		},
		{
			name: "one failing rule fails a control two rules cite; an error elsewhere does not hide it",
			findings: []result.Finding{
				finding("exchange.a", result.Error, []string{"MS.EXO.1.1v1"}),
				finding("exchange.b", result.Fail, []string{"MS.EXO.1.1v1"}, vio("y", false)),
			},
			want: map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictFail},
		},
		{
			name: "an error rule makes an otherwise passing control error",
			findings: []result.Finding{
				finding("exchange.a", result.Error, []string{"MS.EXO.1.1v1"}),
				finding("exchange.b", result.Pass, []string{"MS.EXO.1.1v1"}),
			},
			want: map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictError},
		},
		{
			name: "excepted when its only violations are excepted, fail when one is not",
			findings: []result.Finding{
				finding("exchange.a", result.Excepted, pair, vio("e1", true, "MS.EXO.1.1v1"), vio("e2", true, "MS.EXO.1.2v1")),
				finding("exchange.b", result.Fail, []string{"MS.EXO.1.2v1"}, vio("open", false)),
			},
			want: map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictExcepted, "MS.EXO.1.2v1": result.VerdictFail},
		},
		{
			name: "not applicable only when every rule is",
			findings: []result.Finding{
				finding("exchange.a", result.NotApplicable, pair),
				finding("exchange.b", result.Pass, []string{"MS.EXO.1.2v1"}),
			},
			want: map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictNotApplicable, "MS.EXO.1.2v1": result.VerdictPass},
		},
		{
			name:     "not checked: the catalog's reason, the rules that did not run, or none",
			findings: []result.Finding{finding("exchange.a", result.Pass, []string{"MS.EXO.1.1v1"})},
			skipped:  []Skipped{{RuleID: "exchange.off", Frameworks: map[string][]string{"cisa_scuba": {"MS.EXO.2.2v1"}}, Why: "disabled by the config"}},
			want: map[string]result.ControlVerdict{"MS.EXO.1.2v1": result.VerdictNotChecked, "MS.EXO.2.1v1": result.VerdictNotChecked,
				"MS.EXO.2.2v1": result.VerdictNotChecked, "MS.EXO.3.1v1": result.VerdictNotChecked},
			reasons: map[string]string{"MS.EXO.2.1v1": "not readable", "MS.EXO.2.2v1": "not evaluated in this check: exchange.off (disabled by the config)",
				"MS.EXO.3.1v1": "no posture rule checks it"},
		},
		{
			name:     "an id the catalog lacks is a note, not a control",
			findings: []result.Finding{finding("org.x", result.Fail, []string{"MS.EXO.9.9v1"}, vio("z", false))},
			want:     map[string]result.ControlVerdict{"MS.EXO.1.1v1": result.VerdictNotChecked},
			notes:    []string{"rule org.x cites MS.EXO.9.9v1, which the cisa_scuba catalog does not list; it counts for no control"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			views := Views([]baselines.Framework{fw}, tt.findings, tt.skipped)
			v := views["cisa_scuba"]
			if v == nil || len(v.Controls) != 5 || v.Summary.Total() != 5 {
				t.Fatalf("view %+v; want the 5 controls of the catalog", v)
			}
			for i, c := range v.Controls {
				if want := fw.Controls[i].ID; c.ID != want {
					t.Errorf("control %d is %s, want %s (catalog order)", i, c.ID, want)
				}
			}
			byID := map[string]result.ControlResult{}
			for _, c := range v.Controls {
				byID[c.ID] = c
			}
			for id, want := range tt.want {
				if got := byID[id].Verdict; got != want {
					t.Errorf("%s: verdict %s, want %s (%+v)", id, got, want, byID[id])
				}
			}
			for id, want := range tt.reasons {
				if got := byID[id].Reason; !strings.HasPrefix(got, want) {
					t.Errorf("%s: reason %q, want %q", id, got, want)
				}
			}
			for id, want := range tt.breaks {
				var got []string
				for _, vi := range byID[id].Violations {
					got = append(got, vi.Msg)
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("%s: violations %v, want %v", id, got, want)
				}
			}
			if strings.Join(v.Notes, "\n") != strings.Join(tt.notes, "\n") {
				t.Errorf("notes %q, want %q", v.Notes, tt.notes)
			}
			// Every control has a verdict, and a not_checked one a reason.
			for _, c := range v.Controls {
				if c.Verdict == "" || (c.Verdict == result.VerdictNotChecked) != (c.Reason != "") {
					t.Errorf("%s: verdict %q, reason %q", c.ID, c.Verdict, c.Reason)
				}
			}
		})
	}
}

// TestViewJSON pins the JSON of one control, the contract of result.json's frameworks.
func TestViewJSON(t *testing.T) {
	fw, err := baselines.ParseFramework("cisa_scuba.yaml", []byte(catalog))
	if err != nil {
		t.Fatal(err)
	}
	v := Views([]baselines.Framework{fw}, []result.Finding{finding("exchange.a", result.Fail, []string{"MS.EXO.1.1v1"}, vio("x", false, "MS.EXO.1.1v1"))}, nil)["cisa_scuba"]
	got, err := json.Marshal(v.Controls[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"MS.EXO.1.1v1","title":"one","level":"shall","verdict":"fail","rules":[{"ruleId":"exchange.a","status":"fail","message":"fail message"}],` +
		`"violations":[{"ruleId":"exchange.a","msg":"x","entity":{"type":"domain","id":"x","name":""},"controls":["MS.EXO.1.1v1"]}]}`
	if string(got) != want {
		t.Errorf("JSON\n%s\nwant\n%s", got, want)
	}
	if s := v.Summary.Text(); s != "0 pass, 1 fail, 0 error, 0 not_applicable, 0 excepted, 4 not_checked" {
		t.Errorf("summary %q", s)
	}
}
