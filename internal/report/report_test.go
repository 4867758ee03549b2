package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/result"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// sample is a small result covering every status, a finding in two baselines, excepted and
// capped violations, and a warning.
func sample() *result.Result {
	violations := func(n int) []result.Violation {
		var out []result.Violation
		for i := 1; i <= n; i++ {
			out = append(out, result.Violation{
				Msg:    fmt.Sprintf("user%d@northwind.com has no MFA method registered", i),
				Entity: result.Entity{Type: "user", ID: fmt.Sprintf("u%d", i), Name: fmt.Sprintf("user%d", i)},
			})
		}
		return out
	}
	r := &result.Result{
		SchemaVersion: result.SchemaVersion,
		Generator:     result.Generator{Name: "posture", Version: "0.9.0"},
		Snapshot: result.SnapshotRef{
			SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			Tenant: result.Tenant{
				ID: "7e000000-0001-4000-8000-000000000000", DisplayName: "Northwind Traders",
				DefaultDomain: "northwindtraders.com", Cloud: "global",
			},
			CollectedAt: time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC),
		},
		EvaluatedAt: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC),
		Baselines:   []string{"azure-ad", "exchange"},
		Findings: []result.Finding{
			{
				RuleID: "entra.admin_mfa", Title: "MFA is required for administrative roles",
				Status: result.Fail, Severity: result.High, Level: "shall",
				Baselines: []string{"azure-ad"},
				Message:   "1 of 3 admins is not required to use MFA",
				Violations: []result.Violation{{
					Msg:    "Global Administrator alice@northwindtraders.com is not covered by an MFA policy",
					Entity: result.Entity{Type: "user", ID: "u1", Name: "alice"},
				}},
			},
			{
				RuleID: "entra.mfa_registration", Title: "Users are registered for MFA",
				Status: result.Warn, Severity: result.Medium, Level: "should",
				Baselines:  []string{"azure-ad"},
				Coverage:   &result.Coverage{Covered: 7, Total: 19},
				Message:    "12 of 19 users have no MFA method",
				Violations: violations(12),
			},
			{
				RuleID: "entra.legacy_auth_blocked", Title: "Legacy authentication is blocked",
				Status: result.Pass, Severity: result.Critical, Level: "shall",
				Baselines: []string{"azure-ad", "exchange"},
				Message:   "a Conditional Access policy blocks legacy authentication",
			},
			{
				RuleID: "breakglass.excluded_from_ca", Title: "Break-glass accounts are excluded from Conditional Access",
				Status: result.Error, Severity: result.High, Level: "shall",
				Baselines: []string{"azure-ad"},
				Message:   "source entra.conditionalAccessPolicies: forbidden",
			},
			{
				RuleID: "entra.global_admin_count", Title: "Between two and four Global Administrators",
				Status: result.Excepted, Severity: result.Low, Level: "shall",
				Baselines: []string{"azure-ad"},
				Message:   "5 Global Administrators",
				Violations: []result.Violation{
					{Msg: "5 Global Administrators; expected at most 4", Entity: result.Entity{Type: "tenant", ID: "t"}, Excepted: true},
				},
				Exception: &result.Exception{Status: "accepted", Reason: "merger", Expires: "2025-12-31"},
			},
			{
				RuleID: "exo.dkim_enabled", Title: "DKIM signing is enabled",
				Status: result.NotApplicable, Severity: result.Info, Level: "should",
				Baselines: []string{"exchange"},
				Message:   "no Exchange Online licence",
			},
		},
		Warnings: []string{`exception for entra.user_consent_restricted expired on 2025-01-31 and no longer applies`},
		Gate: &result.GateVerdict{Passed: false, ExitCode: result.ExitUnverified, FailOn: "high", MinScore: f64(60),
			Reasons: []string{"1 rule could not be verified: breakglass.excluded_from_ca", "1 failing rule at or above high: entra.admin_mfa"}},
		Evidence: &result.Evidence{
			Posture: result.Generator{Name: "posture", Version: "0.9.0"},
			Config:  &result.ConfigEvidence{Path: "ci/posture.yaml", SHA256: strings.Repeat("c0", 32)},
			Policies: result.NewPolicyEvidence([]result.PolicyFile{
				{Path: "policies/lib/ca.rego", SHA256: strings.Repeat("1a", 32), Builtin: true},
				{Path: "policies/entra/admin_mfa/admin_mfa.rego", SHA256: strings.Repeat("2b", 32), Builtin: true},
				{Path: "org/no_guest_admins/no_guest_admins.rego", SHA256: strings.Repeat("3c", 32)},
			}),
		},
	}
	r.Tally()
	return r
}

func render(t *testing.T, format string, o Options, r *result.Result) string {
	t.Helper()
	rd, err := Results.New(format, o)
	if err != nil {
		t.Fatalf("Results.New(%q): %v", format, err)
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.String()
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		wantErr []string
	}{
		{name: "text"},
		{name: "json"},
		{name: "html"},
		{name: "sarif"},
		{name: "pdf", wantErr: []string{`unknown format "pdf"`, "expected one of action-plan, csv, html, json, junit, markdown, ocsf, sarif, text"}},
		{name: "", wantErr: []string{`unknown format ""`, "json, junit"}},
		{name: "TEXT", wantErr: []string{`unknown format "TEXT"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Results.New(tt.name, Options{})
			if len(tt.wantErr) == 0 {
				if err != nil || r == nil {
					t.Fatalf("New(%q) = %v, %v; want a renderer", tt.name, r, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New(%q) = %v, want an error", tt.name, r)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("New(%q) error %q does not contain %q", tt.name, err, w)
				}
			}
		})
	}
	names := map[string]struct{ got, want []string }{
		"Results": {Results.Names(), []string{"action-plan", "csv", "html", "json", "junit", "markdown", "ocsf", "sarif", "text"}},
		"Scores":  {Scores.Names(), []string{"text", "json"}},
		"Catalog": {Catalog.Names(), []string{"text", "json", "markdown"}},
		"Tests":   {Tests.Names(), []string{"text", "json"}},
	}
	for doc, n := range names {
		if !reflect.DeepEqual(n.got, n.want) {
			t.Errorf("%s.Names() = %q, want %q", doc, n.got, n.want)
		}
	}
	if _, err := Scores.New("html", Options{}); err == nil || !strings.Contains(err.Error(), `unknown format "html"; expected one of text, json`) {
		t.Errorf(`Scores.New("html") error = %v, want unknown format ... expected one of text, json`, err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	want := sample()
	want.Score = &result.Score{
		Estimate: result.Figure{Points: 61.5, Max: 100, Percent: 61.5},
		Notes:    []string{"<b>&</b>"},
	}
	out := render(t, "json", Options{}, want)
	if strings.Contains(out, `\u003c`) {
		t.Errorf("json output escapes HTML characters:\n%s", out)
	}
	got, err := result.Parse("out.json", []byte(out))
	if err != nil {
		t.Fatalf("json output does not parse as a result: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("json round trip differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestTextGolden(t *testing.T) {
	checkGolden(t, "text.golden", render(t, "text", Options{}, sample()))
}

// checkGolden compares got with testdata/name, rewriting it under -update, and shows the first
// line that differs (a whole HTML report would bury it).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("output differs from %s at line %d (go test -update rewrites it):\n got %q\nwant %q", path, i+1, gl, wl)
			return
		}
	}
}

// section returns the lines under a baseline heading, up to the next blank line.
func section(out, heading string) []string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if l != heading {
			continue
		}
		var sec []string
		for _, l := range lines[i+1:] {
			if l == "" {
				break
			}
			sec = append(sec, l)
		}
		return sec
	}
	return nil
}

func TestTextGrouping(t *testing.T) {
	out := render(t, "text", Options{}, sample())
	tests := []struct {
		baseline string
		want     []string // rule ids in order
		absent   []string
	}{
		{
			baseline: "azure-ad",
			want:     []string{"entra.admin_mfa", "entra.mfa_registration", "entra.legacy_auth_blocked", "breakglass.excluded_from_ca", "entra.global_admin_count"},
			absent:   []string{"exo.dkim_enabled"},
		},
		{
			baseline: "exchange",
			want:     []string{"entra.legacy_auth_blocked", "exo.dkim_enabled"},
			absent:   []string{"entra.admin_mfa", "entra.mfa_registration"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.baseline, func(t *testing.T) {
			sec := strings.Join(section(out, tt.baseline), "\n")
			if sec == "" {
				t.Fatalf("no %q heading in:\n%s", tt.baseline, out)
			}
			at := 0
			for _, id := range tt.want {
				i := strings.Index(sec[at:], " "+id+" ")
				if i < 0 {
					t.Fatalf("%s section lacks %s after offset %d:\n%s", tt.baseline, id, at, sec)
				}
				at += i + len(id)
			}
			for _, id := range tt.absent {
				if strings.Contains(sec, id) {
					t.Errorf("%s section lists %s:\n%s", tt.baseline, id, sec)
				}
			}
		})
	}
}

func TestTextLines(t *testing.T) {
	indent := strings.Repeat(" ", 18)
	tests := []struct {
		name   string
		opts   Options
		want   []string // whole lines that must appear
		absent []string // substrings that must not appear
	}{
		{
			name: "header",
			want: []string{"posture 0.9.0 — Northwind Traders (northwindtraders.com), snapshot of 2025-03-01 09:30 UTC, sha256 0123456789ab"},
		},
		{
			name: "status labels and severities",
			want: []string{
				"  FAIL   high     entra.admin_mfa              MFA is required for administrative roles",
				"  WARN   medium   entra.mfa_registration       Users are registered for MFA",
				"  PASS   critical entra.legacy_auth_blocked    Legacy authentication is blocked",
				"  ERROR  high     breakglass.excluded_from_ca  Break-glass accounts are excluded from Conditional Access",
				"  EXCEPT low      entra.global_admin_count     Between two and four Global Administrators",
				"  N/A    info     exo.dkim_enabled             DKIM signing is enabled",
			},
		},
		{
			name: "violations indented, excepted marked",
			want: []string{
				indent + "- user1@northwind.com has no MFA method registered",
				indent + "~ 5 Global Administrators; expected at most 4",
			},
		},
		{
			name: "message shown once when it is not the sole violation",
			want: []string{
				indent + "1 of 3 admins is not required to use MFA",
				indent + "- Global Administrator alice@northwindtraders.com is not covered by an MFA policy",
				indent + "source entra.conditionalAccessPolicies: forbidden",
			},
			// a passing finding without coverage keeps its message to itself
			absent: []string{"a Conditional Access policy blocks legacy authentication"},
		},
		{
			name: "default cap is 10",
			want: []string{
				indent + "- user10@northwind.com has no MFA method registered",
				indent + "  … and 2 more (see --format json)",
			},
			absent: []string{"user11@"},
		},
		{
			name: "custom cap",
			opts: Options{MaxViolations: 3},
			want: []string{
				indent + "- user3@northwind.com has no MFA method registered",
				indent + "  … and 9 more (see --format json)",
			},
			absent: []string{"user4@"},
		},
		{
			name: "summary and warnings",
			want: []string{
				"6 rules: 1 pass, 1 fail, 1 warn, 1 error, 1 not applicable, 1 excepted",
				"warning: exception for entra.user_consent_restricted expired on 2025-01-31 and no longer applies",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "text", tt.opts, sample())
			lines := map[string]bool{}
			for _, l := range strings.Split(out, "\n") {
				lines[l] = true
			}
			for _, w := range tt.want {
				if !lines[w] {
					t.Errorf("no line %q in:\n%s", w, out)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out, a) {
					t.Errorf("output contains %q:\n%s", a, out)
				}
			}
		})
	}
}

func TestTextCapBoundary(t *testing.T) {
	tests := []struct {
		violations, limit int
		wantMore          string // "" for no "… and N more" line
	}{
		{violations: 3, limit: 3},
		{violations: 4, limit: 3, wantMore: "… and 1 more"},
		{violations: 10, limit: 0},
		{violations: 11, limit: 0, wantMore: "… and 1 more"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d", tt.violations, tt.limit), func(t *testing.T) {
			r := sample()
			f := &r.Findings[1]
			f.Violations = f.Violations[:0]
			for i := range tt.violations {
				f.Violations = append(f.Violations, result.Violation{Msg: fmt.Sprintf("v%d", i)})
			}
			out := render(t, "text", Options{MaxViolations: tt.limit}, r)
			shown := strings.Count(out, "- v")
			limit := tt.limit
			if limit == 0 {
				limit = 10
			}
			if want := min(tt.violations, limit); shown != want {
				t.Errorf("%d violations listed, want %d:\n%s", shown, want, out)
			}
			if got := strings.Contains(out, "… and"); got != (tt.wantMore != "") {
				t.Errorf("'… and N more' present = %v, want %v:\n%s", got, tt.wantMore != "", out)
			}
			if tt.wantMore != "" && !strings.Contains(out, tt.wantMore) {
				t.Errorf("output lacks %q:\n%s", tt.wantMore, out)
			}
		})
	}
}

func TestTextColor(t *testing.T) {
	tests := []struct {
		color bool
		want  []string
	}{
		{color: false},
		{color: true, want: []string{
			ansiRed + ansiBold + "FAIL  " + ansiReset,
			ansiGreen + "PASS  " + ansiReset,
			ansiMagent + ansiBold + "ERROR " + ansiReset,
			ansiBold + "azure-ad" + ansiReset,
			ansiYellow + "warning:" + ansiReset,
			ansiGreen + "1 pass" + ansiReset,
		}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("color=", tt.color), func(t *testing.T) {
			out := render(t, "text", Options{Color: tt.color}, sample())
			if got := strings.Contains(out, "\x1b["); got != tt.color {
				t.Errorf("ANSI escapes present = %v, want %v:\n%q", got, tt.color, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%q", w, out)
				}
			}
		})
	}
}

// TestWarningsBesideViolations checks that a finding holding both kinds of violation keeps
// every one in each renderer that lists them, and tells the warnings apart; a finding of
// warnings alone is not marked.
func TestWarningsBesideViolations(t *testing.T) {
	r := sample()
	r.Findings[0].Violations[0].Kind = result.KindDeny
	r.Findings[0].Violations = append(r.Findings[0].Violations, result.Violation{
		Msg: "bob@northwindtraders.com is covered by security defaults only", Kind: result.KindWarn,
		Entity: result.Entity{Type: "user", ID: "u2", Name: "bob"}, Controls: []string{"MS.AAD.3.6v1"},
	})
	for i := range r.Findings[1].Violations {
		r.Findings[1].Violations[i].Kind = result.KindWarn
	}
	tests := []struct {
		format string
		want   []string
		absent []string
	}{
		{"text", []string{
			strings.Repeat(" ", 18) + "- Global Administrator alice@northwindtraders.com is not covered by an MFA policy",
			strings.Repeat(" ", 18) + "- warning: bob@northwindtraders.com is covered by security defaults only",
		}, []string{"warning: user1@"}},
		{"markdown", []string{"- warning: bob@northwindtraders.com is covered by security defaults only"}, []string{"warning: user1@"}},
		// The HTML report names the kind of every violation, in a finding of warnings alone too.
		{"html", []string{`<tr class="k-warn"><td><span class="chip mid">warn</span></td><td>user</td><td>bob</td><td class="mono">u2</td><td>bob@northwindtraders.com is covered by security defaults only</td><td>MS.AAD.3.6v1</td></tr>`,
			`<tr class="k-deny"><td><span class="chip bad">deny</span></td>`, `<td><span class="chip mid">warn</span></td><td>user</td><td>user1</td>`},
			[]string{`<span class="chip bad">deny</span></td><td>user</td><td>user1</td>`, `<span class="chip mid">warn</span></td><td>user</td><td>alice</td>`}},
		{"csv", []string{"entra.admin_mfa,MFA is required for administrative roles,fail,high,shall,azure-ad,,,,,,1 of 3 admins is not required to use MFA,2,1,",
			",12 of 19 users have no MFA method,12,12,"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			out := render(t, tt.format, Options{}, r)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s output lacks %q:\n%s", tt.format, w, out)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out, a) {
					t.Errorf("%s output contains %q", tt.format, a)
				}
			}
		})
	}
}
