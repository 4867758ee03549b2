package result

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseGate(t *testing.T) {
	tests := []struct {
		in      string
		want    Gate
		wantErr string
	}{
		{in: "critical", want: Gate{FailOn: Critical}},
		{in: "high", want: Gate{FailOn: High}},
		{in: "medium", want: Gate{FailOn: Medium}},
		{in: "low", want: Gate{FailOn: Low}},
		{in: "info", want: Gate{FailOn: Info}},
		{in: "none", want: Gate{Disabled: true}},
		{in: "", want: Gate{FailOn: Info}},
		{in: "severe", wantErr: `fail-on "severe"; expected critical, high, medium, low, info or none`},
		{in: "High", wantErr: `fail-on "High"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseGate(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseGate(%q) = %+v, want error containing %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseGate(%q) error = %q, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseGate(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseGate(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func finding(id string, st Status, sev Severity) Finding {
	return Finding{RuleID: id, Status: st, Severity: sev}
}

func ptr(f float64) *float64 { return &f }

func TestGateEvaluate(t *testing.T) {
	tests := []struct {
		name     string
		gate     Gate
		findings []Finding
		score    *float64
		want     int
		reasons  []string // substrings the reasons must contain, in order
	}{
		{
			name:     "no findings",
			gate:     Gate{FailOn: Info},
			findings: nil,
			want:     ExitPassed,
		},
		{
			name:     "fail at threshold",
			gate:     Gate{FailOn: High},
			findings: []Finding{finding("a.one", Fail, High), finding("a.two", Pass, Critical)},
			want:     ExitFailed,
			reasons:  []string{"1 failing rule at or above high: a.one"},
		},
		{
			name:     "fail above threshold",
			gate:     Gate{FailOn: Medium},
			findings: []Finding{finding("a.one", Fail, Critical), finding("a.two", Fail, Medium)},
			want:     ExitFailed,
			reasons:  []string{"2 failing rules at or above medium: a.one, a.two"},
		},
		{
			name:     "fail below threshold",
			gate:     Gate{FailOn: High},
			findings: []Finding{finding("a.one", Fail, Medium), finding("a.two", Fail, Info)},
			want:     ExitPassed,
		},
		{
			name:     "error at threshold",
			gate:     Gate{FailOn: High},
			findings: []Finding{finding("a.one", Error, High)},
			want:     ExitUnverified,
			reasons:  []string{"1 rule could not be verified: a.one"},
		},
		{
			name:     "error below threshold",
			gate:     Gate{FailOn: High},
			findings: []Finding{finding("a.one", Error, Low)},
			want:     ExitPassed,
		},
		{
			name: "error wins over failures",
			gate: Gate{FailOn: Low},
			findings: []Finding{
				finding("a.fail", Fail, Critical),
				finding("a.err", Error, Low),
			},
			want:    ExitUnverified,
			reasons: []string{"1 rule could not be verified: a.err", "1 failing rule at or above low: a.fail"},
		},
		{
			name: "warn excepted and not applicable never fail",
			gate: Gate{FailOn: Info},
			findings: []Finding{
				finding("a.warn", Warn, Critical),
				finding("a.exc", Excepted, Critical),
				finding("a.na", NotApplicable, Critical),
				finding("a.pass", Pass, Critical),
			},
			want: ExitPassed,
		},
		{
			name: "disabled gate",
			gate: Gate{Disabled: true},
			findings: []Finding{
				finding("a.fail", Fail, Critical),
				finding("a.err", Error, Critical),
			},
			want: ExitPassed,
		},
		{
			name:     "disabled gate with score below minimum",
			gate:     Gate{Disabled: true, MinScore: ptr(80)},
			findings: []Finding{finding("a.fail", Fail, Critical)},
			score:    ptr(79.5),
			want:     ExitFailed,
			reasons:  []string{"score 79.5% is below the minimum 80.0%"},
		},
		{
			name:  "score at minimum",
			gate:  Gate{FailOn: Info, MinScore: ptr(80)},
			score: ptr(80),
			want:  ExitPassed,
		},
		{
			name:    "minimum score without a score",
			gate:    Gate{FailOn: Info, MinScore: ptr(80)},
			want:    ExitUnverified,
			reasons: []string{"a minimum score of 80.0% is set, but no score was computed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.gate.Evaluate(&Result{Findings: tt.findings}, tt.score)
			if got.Code != tt.want {
				t.Errorf("Code = %d, want %d (reasons %q)", got.Code, tt.want, got.Reasons)
			}
			if len(got.Reasons) != len(tt.reasons) {
				t.Fatalf("Reasons = %q, want %d matching %q", got.Reasons, len(tt.reasons), tt.reasons)
			}
			for i, want := range tt.reasons {
				if !strings.Contains(got.Reasons[i], want) {
					t.Errorf("Reasons[%d] = %q, want it to contain %q", i, got.Reasons[i], want)
				}
			}
		})
	}
}

func TestTallyAndCount(t *testing.T) {
	tests := []struct {
		name     string
		statuses []Status
		want     Summary
	}{
		{name: "empty", want: Summary{}},
		{
			name:     "one of each",
			statuses: []Status{Pass, Fail, Warn, Error, NotApplicable, Excepted},
			want:     Summary{Pass: 1, Fail: 1, Warn: 1, Error: 1, NotApplicable: 1, Excepted: 1},
		},
		{
			name:     "mixed",
			statuses: []Status{Fail, Pass, Fail, Excepted, Fail, Pass, NotApplicable},
			want:     Summary{Pass: 2, Fail: 3, NotApplicable: 1, Excepted: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Result{Summary: Summary{Pass: 99}} // stale counts must be replaced
			for i, st := range tt.statuses {
				r.Findings = append(r.Findings, Finding{RuleID: string(rune('a'+i)) + ".rule", Status: st})
			}
			r.Tally()
			if r.Summary != tt.want {
				t.Errorf("Tally() summary = %+v, want %+v", r.Summary, tt.want)
			}
			if got := r.Summary.Total(); got != len(tt.statuses) {
				t.Errorf("Total() = %d, want %d", got, len(tt.statuses))
			}
			for _, st := range Statuses {
				want := 0
				for _, s := range tt.statuses {
					if s == st {
						want++
					}
				}
				if got := r.Summary.Count(st); got != want {
					t.Errorf("Count(%s) = %d, want %d", st, got, want)
				}
			}
			if got := r.Summary.Count("bogus"); got != 0 {
				t.Errorf("Count(bogus) = %d, want 0", got)
			}
		})
	}
}

func TestCoverageRatio(t *testing.T) {
	tests := []struct {
		c    Coverage
		want float64
	}{
		{Coverage{Covered: 0, Total: 0}, 1},
		{Coverage{Covered: 0, Total: 4}, 0},
		{Coverage{Covered: 1, Total: 4}, 0.25},
		{Coverage{Covered: 4, Total: 4}, 1},
		{Coverage{Covered: 3, Total: -1}, 1},
	}
	for _, tt := range tests {
		if got := tt.c.Ratio(); got != tt.want {
			t.Errorf("%+v.Ratio() = %v, want %v", tt.c, got, tt.want)
		}
	}
}

func sampleResult() *Result {
	r := &Result{
		SchemaVersion: SchemaVersion,
		Generator:     Generator{Name: "posture", Version: "1.2.3"},
		Snapshot: SnapshotRef{
			SHA256:      strings.Repeat("ab", 32),
			Tenant:      Tenant{ID: "7e000000-0001-4000-8000-000000000000", DisplayName: "Northwind", DefaultDomain: "northwind.com", Cloud: "global"},
			CollectedAt: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC),
			Sources: map[string]Source{
				"entra.users":      {Status: "ok", Count: new(12)},
				"entra.riskyUsers": {Status: "unlicensed", Message: "needs Entra ID P2"},
			},
		},
		EvaluatedAt: time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC),
		Baselines:   []string{"azure-ad"},
		Score:       &Score{Estimate: Figure{Points: 42.5, Max: 100, Percent: 42.5}},
		Findings: []Finding{
			{
				RuleID: "entra.admin_mfa", Title: "MFA for admins", Status: Fail, Severity: High, Level: "shall",
				Baselines: []string{"azure-ad"}, SecureScore: []string{"AdminMFAV2"},
				Frameworks: map[string][]string{"cis_m365": {"5.2.2.1"}},
				Coverage:   &Coverage{Covered: 1, Total: 3},
				Message:    "2 admins without MFA",
				Violations: []Violation{
					{Msg: "alice is not covered", Entity: Entity{Type: "user", ID: "u1", Name: "alice"}},
					{Msg: "bob is not covered", Entity: Entity{Type: "user", ID: "u2", Name: "bob"}, Excepted: true},
				},
				Remediation: "Require MFA.",
				References:  []string{"https://learn.microsoft.com/"},
				Exception:   &Exception{Status: "accepted", Reason: "migration", Expires: "2025-12-31", Entities: []string{"u2"}},
			},
			{RuleID: "entra.legacy_auth_blocked", Status: Pass, Severity: Critical, Level: "shall", Baselines: []string{"azure-ad"}},
		},
		Warnings: []string{"exception for x expired"},
		Gate: &GateVerdict{ExitCode: ExitFailed, FailOn: "high", MinScore: ptr(40),
			Reasons: []string{"1 failing rule at or above high: entra.admin_mfa"}},
		Evidence: &Evidence{
			Posture: Generator{Name: "posture", Version: "1.2.3"},
			Config:  &ConfigEvidence{Path: "posture.yaml", SHA256: strings.Repeat("cd", 32)},
			Policies: NewPolicyEvidence([]PolicyFile{
				{Path: "policies/entra/admin_mfa/admin_mfa.rego", SHA256: strings.Repeat("01", 32), Builtin: true},
				{Path: "org-policies/tls.rego", SHA256: strings.Repeat("02", 32)},
			}),
		},
	}
	r.Tally()
	return r
}

func TestParseRoundTrip(t *testing.T) {
	want := sampleResult()
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("result.json", data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse round trip differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	valid, err := json.Marshal(sampleResult())
	if err != nil {
		t.Fatal(err)
	}
	// mutate decodes the valid document generically, changes it and re-encodes it, so each
	// case differs from a valid result in one place only.
	mutate := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(valid, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	firstFinding := func(m map[string]any) map[string]any {
		return m["findings"].([]any)[0].(map[string]any)
	}
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{
			name: "not json",
			data: []byte("schemaVersion: 1\n"),
			want: []string{"not a posture result"},
		},
		{
			name: "missing schemaVersion",
			data: mutate(func(m map[string]any) { delete(m, "schemaVersion") }),
			want: []string{"missing schemaVersion", "schemaVersion 1"},
		},
		{
			name: "a snapshot",
			data: []byte(`{"schemaVersion": 1, "tenant": {"id": "t"}, "sources": {}}`),
			want: []string{"a snapshot, not a result", "posture check --format json"},
		},
		{
			name: "missing findings",
			data: mutate(func(m map[string]any) { delete(m, "findings") }),
			want: []string{"missing findings; expected a posture result"},
		},
		{
			name: "schemaVersion 2",
			data: mutate(func(m map[string]any) { m["schemaVersion"] = 2 }),
			want: []string{"schemaVersion 2 is not supported", "reads 1"},
		},
		{
			name: "bad status",
			data: mutate(func(m map[string]any) { firstFinding(m)["status"] = "failed" }),
			want: []string{"$.findings[0].status", `"failed" is not a status`, "expected one of pass, fail"},
		},
		{
			name: "bad severity",
			data: mutate(func(m map[string]any) { firstFinding(m)["severity"] = "urgent" }),
			want: []string{"$.findings[0].severity", `"urgent"`, "expected critical, high"},
		},
		{
			name: "bad violation kind",
			data: mutate(func(m map[string]any) {
				firstFinding(m)["violations"] = []any{map[string]any{"msg": "m", "entity": map[string]any{}, "kind": "error"}}
			}),
			want: []string{"$.findings[0].violations[0].kind", `"error" is not a kind`, "expected deny or warn"},
		},
		{
			name: "an unknown source status",
			data: mutate(func(m map[string]any) {
				m["snapshot"].(map[string]any)["sources"] = map[string]any{"entra.users": map[string]any{"status": "ok"}, "entra.groups": map[string]any{"status": "failed"}}
			}),
			want: []string{`$.snapshot.sources["entra.groups"].status`, `"failed" is not a source status`, "ok, error, forbidden, unlicensed, skipped"},
		},
		{
			name: "a negative source count",
			data: mutate(func(m map[string]any) {
				m["snapshot"].(map[string]any)["sources"] = map[string]any{"entra.users": map[string]any{"status": "ok", "count": -1}}
			}),
			want: []string{`$.snapshot.sources["entra.users"].count: -1`, "0 or more"},
		},
		{
			name: "missing ruleId",
			data: mutate(func(m map[string]any) { delete(firstFinding(m), "ruleId") }),
			want: []string{"$.findings[0]: missing ruleId"},
		},
		{
			name: "wrong type",
			data: mutate(func(m map[string]any) { m["findings"] = "none" }),
			want: []string{"findings"},
		},
		{
			name: "an unknown control verdict",
			data: mutate(func(m map[string]any) {
				m["frameworks"] = map[string]any{"cisa_scuba": map[string]any{"controls": []any{map[string]any{"id": "MS.AAD.1.1v1", "verdict": "passed"}}}}
			}),
			want: []string{"$.frameworks.cisa_scuba.controls[0].verdict", `"passed" is not a verdict`, "not_checked"},
		},
		{
			name: "a control without an id",
			data: mutate(func(m map[string]any) {
				m["frameworks"] = map[string]any{"cis_m365": map[string]any{"controls": []any{map[string]any{"verdict": "pass"}}}}
			}),
			want: []string{"$.frameworks.cis_m365.controls[0]: missing id"},
		},
		{
			name: "a gate exit code outside DESIGN.md",
			data: mutate(func(m map[string]any) { m["gate"].(map[string]any)["exitCode"] = 3 }),
			want: []string{"$.gate.exitCode: 3", "expected 0, 1 or 2"},
		},
		{
			name: "a gate that passed with exit 1",
			data: mutate(func(m map[string]any) { m["gate"].(map[string]any)["passed"] = true }),
			want: []string{"$.gate.passed: true with exitCode 1"},
		},
		{
			name: "an unknown failOn",
			data: mutate(func(m map[string]any) { m["gate"].(map[string]any)["failOn"] = "severe" }),
			want: []string{"$.gate.failOn", `"severe"`, "critical, high, medium, low, info, none"},
		},
		{
			name: "a minScore over 100",
			data: mutate(func(m map[string]any) { m["gate"].(map[string]any)["minScore"] = 101 }),
			want: []string{"$.gate.minScore: 101", "0 to 100"},
		},
		{
			name: "a config hash that is not SHA-256",
			data: mutate(func(m map[string]any) {
				m["evidence"].(map[string]any)["config"].(map[string]any)["sha256"] = "ABC"
			}),
			want: []string{"$.evidence.config.sha256", `"ABC"`, "64 lowercase hex digits"},
		},
		{
			name: "a policy hash that is not SHA-256",
			data: mutate(func(m map[string]any) {
				files := m["evidence"].(map[string]any)["policies"].(map[string]any)["files"].([]any)
				files[1].(map[string]any)["sha256"] = strings.Repeat("g", 64)
			}),
			want: []string{"$.evidence.policies.files[1].sha256"},
		},
		{
			name: "policy files out of order",
			data: mutate(func(m map[string]any) {
				p := m["evidence"].(map[string]any)["policies"].(map[string]any)
				files := p["files"].([]any)
				files[0], files[1] = files[1], files[0]
			}),
			want: []string{"$.evidence.policies.files[1].path", "sorted by path"},
		},
		{
			name: "a policy list edited after the digest",
			data: mutate(func(m map[string]any) {
				p := m["evidence"].(map[string]any)["policies"].(map[string]any)
				p["files"] = p["files"].([]any)[:1]
			}),
			want: []string{"$.evidence.policies.digest", "not the digest of the files listed"},
		},
		{
			name: "a null framework",
			data: mutate(func(m map[string]any) { m["frameworks"] = map[string]any{"cis_m365": nil} }),
			want: []string{"$.frameworks.cis_m365: null"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("out/result.json", tt.data)
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", r)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "out/result.json: ") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q is not one line", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestFailOnNames(t *testing.T) {
	names := FailOnNames()
	if want := []string{"critical", "high", "medium", "low", "info", "none"}; !reflect.DeepEqual(names, want) {
		t.Errorf("FailOnNames() = %v, want %v", names, want)
	}
	for _, n := range names {
		if _, err := ParseGate(n); err != nil {
			t.Errorf("ParseGate(%q) refuses a name FailOnNames lists: %v", n, err)
		}
	}
}

func TestViolationBreaks(t *testing.T) {
	tests := []struct {
		controls []string
		id       string
		want     bool
	}{
		{nil, "MS.EXO.6.1v1", true}, // names none: breaks every control its rule cites
		{[]string{"MS.EXO.6.2v1"}, "MS.EXO.6.1v1", false},
		{[]string{"MS.EXO.6.2v1", "1.3.3"}, "1.3.3", true},
		{[]string{PostureControl}, "MS.EXO.2.2v3", false},
	}
	for _, tt := range tests {
		if got := (Violation{Controls: tt.controls}).Breaks(tt.id); got != tt.want {
			t.Errorf("controls %v breaks %s = %v, want %v", tt.controls, tt.id, got, tt.want)
		}
	}
}

// TestViolationKinds checks what a violation's kind and controls say: a warning, a breach of
// framework controls only, and a finding that mixes the kinds.
func TestViolationKinds(t *testing.T) {
	tests := []struct {
		v             Violation
		warning, fwOK bool
	}{
		{Violation{Kind: KindDeny}, false, false},
		{Violation{}, false, false}, // a result before kinds: deny
		{Violation{Kind: KindWarn, Controls: []string{"MS.EXO.4.2v1"}}, true, true},
		{Violation{Kind: KindWarn, Controls: []string{"MS.EXO.4.2v1", "5.2.2.2"}}, true, true},
		{Violation{Kind: KindWarn, Controls: []string{PostureControl}}, true, false},
		{Violation{Kind: KindDeny, Controls: []string{PostureControl, "5.1.5.1"}}, false, false},
		{Violation{Kind: KindDeny, Controls: []string{"MS.AAD.5.1v1", "5.1.2.2"}}, false, false}, // a deny is posture's judgement
		{Violation{Controls: []string{"MS.AAD.5.1v1"}}, false, false},                            // before kinds: a deny
		{Violation{Kind: KindWarn}, true, false},                                                 // names none: breaks posture's judgement too
	}
	for _, tt := range tests {
		if got := tt.v.IsWarning(); got != tt.warning {
			t.Errorf("%+v IsWarning = %v, want %v", tt.v, got, tt.warning)
		}
		if got := tt.v.FrameworkOnly(); got != tt.fwOK {
			t.Errorf("%+v FrameworkOnly = %v, want %v", tt.v, got, tt.fwOK)
		}
	}
	deny, warn := Violation{Kind: KindDeny}, Violation{Kind: KindWarn}
	for _, tt := range []struct {
		vs   []Violation
		want bool
	}{{nil, false}, {[]Violation{deny, deny}, false}, {[]Violation{warn}, false}, {[]Violation{warn, deny}, true}} {
		if got := (Finding{Violations: tt.vs}).MixedKinds(); got != tt.want {
			t.Errorf("MixedKinds(%v) = %v, want %v", tt.vs, got, tt.want)
		}
	}
}

func TestParseRoundTripFrameworks(t *testing.T) {
	want := sampleResult()
	want.Frameworks = map[string]*FrameworkResult{"cisa_scuba": {
		Title: "SCuBA", Version: "1.8.0", URL: "https://example.com",
		Controls: []ControlResult{{ID: "MS.EXO.6.2v1", Title: "Calendars", Level: "shall", Verdict: VerdictFail,
			Rules:      []ControlRule{{RuleID: "exchange.calendar_sharing_restricted", Status: Fail}},
			Violations: []ControlViolation{{RuleID: "exchange.calendar_sharing_restricted", Violation: Violation{Msg: "shared", Controls: []string{"MS.EXO.6.2v1"}}}}}},
	}}
	want.Frameworks["cisa_scuba"].Tally()
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("result.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got.Frameworks["cisa_scuba"], want.Frameworks["cisa_scuba"])
	}
	if s := got.Frameworks["cisa_scuba"].Summary; s.Fail != 1 || s.Total() != 1 {
		t.Errorf("summary %+v", s)
	}
}
