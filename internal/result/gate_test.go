package result

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// ids returns n rule ids: prefix0, prefix1, ...
func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}

// TestGateBrief checks the one-line verdict stderr carries: the unverifiable rules first, each
// list of rules cut short with "and N more", while Reasons keep every rule.
func TestGateBrief(t *testing.T) {
	tests := []struct {
		name       string
		gate       Gate
		errored    int
		failed     int
		score      *float64
		wantLine   string
		wantCode   int
		wantFullIn []string // substrings of Reasons joined
	}{
		{
			name:     "few rules: nothing cut",
			gate:     Gate{FailOn: Info},
			errored:  2,
			failed:   3,
			wantLine: "2 rules could not be verified: e00, e01; 3 failing rules at or above info: f00, f01, f02",
			wantCode: ExitUnverified,
		},
		{
			name:     "many rules: both lists capped",
			gate:     Gate{FailOn: Info},
			errored:  12,
			failed:   30,
			wantLine: "12 rules could not be verified: e00, e01, e02, e03, e04, e05, e06, e07, e08, e09 and 2 more; 30 failing rules at or above info: f00, f01, f02 and 27 more",
			wantCode: ExitUnverified,
			wantFullIn: []string{
				"e10, e11",
				"f00, f01, f02, f03",
				"f28, f29",
			},
		},
		{
			name:     "failing only, with a low score",
			gate:     Gate{FailOn: Info, MinScore: ptr(60)},
			failed:   4,
			score:    ptr(41.25),
			wantLine: "4 failing rules at or above info: f00, f01, f02 and 1 more; score 41.2% is below the minimum 60.0%",
			wantCode: ExitFailed,
		},
		{
			name:     "zero gate fails on info",
			gate:     Gate{},
			failed:   1,
			wantLine: "1 failing rule at or above info: f00",
			wantCode: ExitFailed,
		},
		{
			name:     "passed",
			gate:     Gate{FailOn: Critical},
			failed:   5, // info findings, under the gate
			wantLine: "",
			wantCode: ExitPassed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Result
			sev := Info
			if tt.gate.FailOn == Critical {
				sev = Low
			}
			for _, id := range ids("f", tt.failed) {
				r.Findings = append(r.Findings, finding(id, Fail, sev))
			}
			for _, id := range ids("e", tt.errored) {
				r.Findings = append(r.Findings, finding(id, Error, Info))
			}
			v := tt.gate.Evaluate(&r, tt.score)
			if v.Code != tt.wantCode {
				t.Errorf("Code = %d, want %d", v.Code, tt.wantCode)
			}
			if got := v.Line(); got != tt.wantLine {
				t.Errorf("Line() =\n %q\nwant\n %q", got, tt.wantLine)
			}
			full := strings.Join(v.Reasons, "; ")
			if strings.Contains(full, "more") {
				t.Errorf("Reasons %q are cut short; they must name every rule", full)
			}
			for _, w := range tt.wantFullIn {
				if !strings.Contains(full, w) {
					t.Errorf("Reasons %q do not contain %q", full, w)
				}
			}
			if len(v.Brief) != len(v.Reasons) {
				t.Errorf("Brief %q and Reasons %q differ in length", v.Brief, v.Reasons)
			}
		})
	}
}

func TestVerdictLineWithoutBrief(t *testing.T) {
	v := Verdict{Code: ExitFailed, Reasons: []string{"a", "b"}}
	if got := v.Line(); got != "a; b" {
		t.Errorf("Line() = %q, want %q", got, "a; b")
	}
}

// TestGateApply checks that Apply records the verdict it returns, with the gate's settings and
// the result's own score estimate.
func TestGateApply(t *testing.T) {
	tests := []struct {
		name  string
		gate  Gate
		score *Score
		want  GateVerdict
	}{
		{
			name:  "failed on severity and score",
			gate:  Gate{FailOn: High, MinScore: ptr(50)},
			score: &Score{Estimate: Figure{Percent: 40}},
			want: GateVerdict{ExitCode: ExitFailed, FailOn: "high", MinScore: ptr(50),
				Reasons: []string{"1 failing rule at or above high: a.fail", "score 40.0% is below the minimum 50.0%"}},
		},
		{
			name:  "passed, severity off",
			gate:  Gate{Disabled: true},
			score: &Score{Estimate: Figure{Percent: 40}},
			want:  GateVerdict{Passed: true, ExitCode: ExitPassed, FailOn: "none", Reasons: []string{}},
		},
		{
			name: "minimum without a score",
			gate: Gate{FailOn: Critical, MinScore: ptr(10)},
			want: GateVerdict{ExitCode: ExitUnverified, FailOn: "critical", MinScore: ptr(10),
				Reasons: []string{"a minimum score of 10.0% is set, but no score was computed"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Result{Score: tt.score, Findings: []Finding{finding("a.fail", Fail, High)}}
			v := tt.gate.Apply(r)
			if r.Gate == nil {
				t.Fatal("Apply did not record the verdict")
			}
			if !reflect.DeepEqual(*r.Gate, tt.want) {
				t.Errorf("recorded %+v, want %+v", *r.Gate, tt.want)
			}
			if v.Code != r.Gate.ExitCode {
				t.Errorf("returned code %d, recorded %d", v.Code, r.Gate.ExitCode)
			}
			// The recorded reasons are a copy: changing the verdict does not change the result.
			if len(v.Reasons) > 0 {
				v.Reasons[0] = "changed"
				if r.Gate.Reasons[0] == "changed" {
					t.Error("the recorded reasons share the verdict's slice")
				}
			}
		})
	}
}

func TestGateVerdictJSON(t *testing.T) {
	tests := []struct {
		g    GateVerdict
		json string
		sum  string
	}{
		{
			g:    GateVerdict{Passed: true, ExitCode: 0, FailOn: "high", Reasons: []string{}},
			json: `{"passed":true,"exitCode":0,"failOn":"high","minScore":null,"reasons":[]}`,
			sum:  "passed (failOn high, no minScore)",
		},
		{
			g:    GateVerdict{ExitCode: 1, FailOn: "info", MinScore: ptr(60), Reasons: []string{"r"}},
			json: `{"passed":false,"exitCode":1,"failOn":"info","minScore":60,"reasons":["r"]}`,
			sum:  "failed, exit 1 (failOn info, minScore 60.0%)",
		},
	}
	for _, tt := range tests {
		data, err := json.Marshal(&tt.g)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != tt.json {
			t.Errorf("JSON = %s, want %s", data, tt.json)
		}
		if got := tt.g.Summary(); got != tt.sum {
			t.Errorf("Summary() = %q, want %q", got, tt.sum)
		}
	}
}
