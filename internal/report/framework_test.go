package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

// frameworkSample is sample() with a framework view holding a control of every verdict, a
// control broken by two rules, excepted and capped violations, tenant text that tries to inject
// markup and formulas, and a note.
func frameworkSample() *result.Result {
	r := sample()
	many := make([]result.ControlViolation, 0, 12)
	for i := 1; i <= 12; i++ {
		many = append(many, result.ControlViolation{RuleID: "entra.mfa_registration", Violation: result.Violation{
			Msg: fmt.Sprintf("user%d@northwind.com has no MFA method registered", i), Entity: result.Entity{Type: "user", ID: fmt.Sprintf("u%d", i)}}})
	}
	fw := &result.FrameworkResult{
		Title: "CISA SCuBA", Version: "1.8.0", URL: "https://github.com/cisagov/ScubaGear",
		Controls: []result.ControlResult{
			{ID: "MS.AAD.1.1v1", Title: "Legacy authentication is blocked", Level: "shall", Verdict: result.VerdictPass,
				Rules: []result.ControlRule{{RuleID: "entra.legacy_auth_blocked", Status: result.Pass, Message: "blocked"}}, Violations: []result.ControlViolation{}},
			{ID: "MS.AAD.3.2v2", Title: "MFA for all users", Level: "shall", Verdict: result.VerdictFail,
				Rules: []result.ControlRule{{RuleID: "entra.admin_mfa", Status: result.Fail}, {RuleID: "entra.mfa_registration", Status: result.Warn}},
				Violations: append([]result.ControlViolation{{RuleID: "entra.admin_mfa", Violation: result.Violation{
					Msg: "=HYPERLINK(\"x\") <script>alert(1)</script> | @admins", Entity: result.Entity{Type: "user", ID: "u0", Name: "alice"}}}}, many...)},
			{ID: "MS.AAD.3.6v1", Title: "Phishing-resistant MFA for highly privileged roles", Level: "shall", Verdict: result.VerdictError,
				Rules:      []result.ControlRule{{RuleID: "breakglass.excluded_from_ca", Status: result.Error, Message: "source entra.conditionalAccessPolicies: forbidden"}},
				Violations: []result.ControlViolation{}},
			{ID: "MS.AAD.7.1v1", Title: "Two to eight Global Administrators", Level: "shall", Verdict: result.VerdictExcepted,
				Rules: []result.ControlRule{{RuleID: "entra.global_admin_count", Status: result.Excepted}},
				Violations: []result.ControlViolation{{RuleID: "entra.global_admin_count", Violation: result.Violation{
					Msg: "5 Global Administrators; expected at most 4", Entity: result.Entity{Type: "tenant", ID: "t"}, Excepted: true}}}},
			{ID: "MS.EXO.3.1v1", Title: "DKIM is enabled for every domain", Level: "should", Verdict: result.VerdictNotApplicable,
				Rules: []result.ControlRule{{RuleID: "exo.dkim_enabled", Status: result.NotApplicable, Message: "no Exchange Online licence"}}, Violations: []result.ControlViolation{}},
			{ID: "MS.EXO.4.3v1", Title: "DMARC aggregate reports go to reports@dmarc.cyber.dhs.gov", Level: "shall", Verdict: result.VerdictNotChecked,
				Reason: "not checked yet; no rule reads the report addresses", Rules: []result.ControlRule{}, Violations: []result.ControlViolation{}},
		},
		Notes: []string{"rule org.x cites MS.AAD.3.2v1, which the cisa_scuba catalog does not list; it counts for no control"},
	}
	fw.Tally()
	r.Frameworks = map[string]*result.FrameworkResult{"cisa_scuba": fw}
	return r
}

func renderFramework(t *testing.T, format, framework string, r *result.Result) string {
	t.Helper()
	return renderDoc(t, FrameworkViews, format, Options{Framework: framework, Source: "weak.json"}, r)
}

func TestFrameworkGolden(t *testing.T) {
	for format, file := range map[string]string{"text": "framework.txt.golden", "csv": "framework.csv.golden",
		"markdown": "framework.md.golden", "html": "framework.html.golden"} {
		t.Run(format, func(t *testing.T) {
			checkGolden(t, file, renderFramework(t, format, "cisa_scuba", frameworkSample()))
		})
	}
}

// TestFrameworkViews checks what every format must show of every control, in order, and that
// tenant text stays inert.
func TestFrameworkViews(t *testing.T) {
	ids := []string{"MS.AAD.1.1v1", "MS.AAD.3.2v2", "MS.AAD.3.6v1", "MS.AAD.7.1v1", "MS.EXO.3.1v1", "MS.EXO.4.3v1"}
	tests := []struct {
		format string
		want   []string
		refuse []string
	}{
		{"text", []string{"CISA SCuBA, 1.8.0", "FAIL        MS.AAD.3.2v2", "NOT CHECKED MS.EXO.4.3v1", "not checked yet; no rule reads the report addresses",
			"… and 3 more (see --format json)", "~ 5 Global Administrators", "breakglass.excluded_from_ca: source entra.conditionalAccessPolicies: forbidden",
			"CISA SCuBA: 6 controls: 1 pass, 1 fail, 1 error, 1 not applicable, 1 excepted, 1 not checked", "note: rule org.x cites MS.AAD.3.2v1"}, nil},
		{"csv", []string{"framework,version,control,title,level,profile,verdict,reason,rules,violations,evidence,tenant,snapshotSha256,configSha256,policiesDigest",
			"cisa_scuba,1.8.0,MS.AAD.3.2v2,MFA for all users,shall,,fail,,entra.admin_mfa (fail); entra.mfa_registration (warn),13,",
			"excepted: 5 Global Administrators"}, []string{",=HYPERLINK"}},
		{"markdown", []string{"**6 controls:** 1 pass, 1 fail, 1 error, 1 not applicable, 1 excepted, 1 not checked", "| `MS.EXO.4.3v1` | shall | NOT CHECKED |",
			"&lt;script&gt;", "&#64;admins", "- note: rule org.x cites MS.AAD.3.2v1"}, []string{"<script>"}},
		{"html", []string{`<li class="tile s-not_checked"><span class="n">1</span>`, `<span class="badge s-fail">FAIL</span>`, "&lt;script&gt;alert(1)&lt;/script&gt;",
			"not checked yet; no rule reads the report addresses", "snapshot-sha256"}, []string{"<script>alert", "<script"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			out := renderFramework(t, tt.format, "cisa_scuba", frameworkSample())
			at := 0
			for _, id := range ids {
				i := strings.Index(out[at:], id)
				if i < 0 {
					t.Fatalf("%s is missing or out of order", id)
				}
				at += i + len(id)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, r := range tt.refuse {
				if strings.Contains(out, r) {
					t.Errorf("output contains %q", r)
				}
			}
		})
	}
}

func TestFrameworkViewErrors(t *testing.T) {
	old := sample() // no framework view, as a result of an older posture
	tests := []struct {
		name, framework string
		r               *result.Result
		want            string
	}{
		{"no framework named", "", frameworkSample(), "no framework named; expected --framework cisa_scuba"},
		{"a result without the view", "cisa_scuba", old, "the result has no framework view"},
		{"a framework the result lacks", "cis_m365", frameworkSample(), `the result has no framework "cis_m365"; it has cisa_scuba`},
	}
	for _, tt := range tests {
		for _, format := range []string{"text", "csv", "markdown", "html"} {
			rd, err := FrameworkViews.New(format, Options{Framework: tt.framework})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			err = rd.Render(&buf, tt.r)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || buf.Len() > 0 {
				t.Errorf("%s, %s: err %v (wrote %d bytes); want %q and nothing written", tt.name, format, err, buf.Len(), tt.want)
			}
		}
	}
	if _, err := FrameworkViews.New("sarif", Options{}); err == nil {
		t.Error("FrameworkViews has sarif; SARIF reports rules, not framework controls")
	}
}
