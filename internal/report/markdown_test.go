package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

func TestMarkdownGolden(t *testing.T) {
	checkGolden(t, "report.md.golden", render(t, "markdown", Options{}, richSample()))
}

// unescapedPipes counts the | that delimit cells: those not preceded by a backslash.
func unescapedPipes(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		if line[i] == '\\' {
			i++
			continue
		}
		if line[i] == '|' {
			n++
		}
	}
	return n
}

func TestMarkdownContent(t *testing.T) {
	out := render(t, "markdown", Options{}, richSample())
	lines := strings.Split(out, "\n")
	hasLine := func(l string) bool {
		for _, x := range lines {
			if x == l {
				return true
			}
		}
		return false
	}
	for _, want := range []string{
		"## posture: Northwind Traders (northwindtraders.com)",
		"**8 rules:** 2 fail, 1 warn, 1 error, 1 pass, 1 not applicable, 2 excepted",
		"| posture estimate | 41.5% | 41.5 / 100 |",
		"| Microsoft reported (2025-02-28) | 38.0% | 38 / 100 |",
		"| projected, with planned work done | 46.5% | 46.5 / 100 |",
		"| achievable with current licences | 90.0% | 90 / 100 |",
		"| 1 | Require MFA for administrative roles (quick win) | +10 (10.0%) | low | low | `entra.admin_mfa` |",
		"| 2 | Do not expire passwords (quick win) | +8 (8.0%) | low | low |  |",
		"| 3 | Turn on Safe Links for email (quick win) | +5 (5.0%) | low | low | `exo.safe_links` |",
		"| 4 | Ensure all users can complete MFA | +6.3 (6.3%) | moderate | moderate | `entra.mfa_registration` |",
		"| 5 | Custom &lt;control&gt; &amp; co | +2 (2.0%) | high | low | `custom.tricky` |",
		"- exception for entra.user\\_consent\\_restricted expired on 2025-01-31 and no longer applies",
	} {
		if !hasLine(want) {
			t.Errorf("no line %q in:\n%s", want, out)
		}
	}
	for _, absent := range []string{
		"<script>", "<tags>", "<b>", "@SUM", "Enable self-service password reset", "Turn on the user risk policy", "\x01", "\x1b",
	} {
		if strings.Contains(out, absent) {
			t.Errorf("output contains %q", absent)
		}
	}
	// The findings to act on: failures, then unverifiable, then warnings; each by severity.
	var order []string
	inTable := false
	for _, l := range lines {
		switch {
		case l == "### Findings to act on":
			inTable = true
		case inTable && strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| status"):
			order = append(order, strings.Fields(l)[1])
		case inTable && strings.HasPrefix(l, "<details>"):
			inTable = false
		}
	}
	if got, want := strings.Join(order, " "), "FAIL FAIL ERROR WARN"; got != want {
		t.Errorf("act-on statuses = %s, want %s", got, want)
	}
	// Every table row has its table's number of cells: data cannot add or merge columns.
	cols := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "|") {
			cols = 0
			continue
		}
		if cols == 0 {
			cols = unescapedPipes(l)
			continue
		}
		if n := unescapedPipes(l); n != cols {
			t.Errorf("row has %d cell delimiters, header %d: %s", n, cols, l)
		}
	}
	if !strings.Contains(out, "<details>\n<summary>All 8 findings</summary>") || !strings.Contains(out, "excepted: planned until 2025-06-30: Defender rollout, ticket SEC-42") {
		t.Errorf("details block missing or incomplete:\n%s", out)
	}
}

func TestMarkdownNoScore(t *testing.T) {
	r := richSample()
	r.Score = nil
	out := render(t, "markdown", Options{}, r)
	for _, absent := range []string{"Secure Score", "improvement actions"} {
		if strings.Contains(out, absent) {
			t.Errorf("output without a score mentions %q:\n%s", absent, out)
		}
	}
	if !strings.Contains(out, "### Findings to act on") {
		t.Errorf("no findings table:\n%s", out)
	}
}

// TestMarkdownProducts: the summary says which products left the maximum and which controls
// stay in it without points.
func TestMarkdownProducts(t *testing.T) {
	tests := []struct {
		name       string
		products   []result.ProductScore
		notOffered []string
		want       []string
		absent     []string
	}{
		{"absent product and missing edition", []result.ProductScore{
			{Name: "Microsoft Defender Vulnerability Management", Status: result.ProductAbsent, Evidence: "no usable subscription carries WINDEFATP", LeftOut: []string{"scid_2012", "scid_2013"}, LeftOutMax: 19},
			{Name: "Microsoft Entra ID", Status: result.ProductPresent, Labelled: []string{"UserRiskPolicy"}, MissingEditions: []string{"Entra ID P2"}},
		}, nil, []string{
			"Not in the maximum: Microsoft Defender Vulnerability Management is absent (no usable subscription carries WINDEFATP), so its 2 controls (19 points) are left out.",
			"In the maximum without points: 1 control of Microsoft Entra ID needs Entra ID P2, which the tenant lacks.",
		}, nil},
		{"every product present and licensed", []result.ProductScore{{Name: "Microsoft Entra ID", Status: result.ProductPresent}},
			nil, nil, []string{"Not in the maximum", "without points"}},
		{"controls not in the tenant's controlProfiles", []result.ProductScore{{Name: "Microsoft Entra ID", Status: result.ProductPresent}},
			[]string{"scid_27", "scid_28"}, []string{
				"Not in the maximum: 2 controls (16 points) that the tenant's controlProfiles do not list, so Microsoft does not offer them to this tenant.",
			}, []string{"without points"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := richSample()
			r.Score.Products = tt.products
			r.Score.NotOffered = tt.notOffered
			if len(tt.notOffered) > 0 {
				r.Score.NotOfferedMax = 16
			}
			out := render(t, "markdown", Options{}, r)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out, a) {
					t.Errorf("output has %q", a)
				}
			}
		})
	}
}

func TestMarkdownViolationCap(t *testing.T) {
	tests := []struct {
		limit    int
		last     string
		more     string
		notShown string
	}{
		{limit: 0, last: "user10@", more: "… and 2 more", notShown: "user11@"},
		{limit: 3, last: "user3@", more: "… and 9 more", notShown: "user4@"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.limit), func(t *testing.T) {
			out := render(t, "markdown", Options{MaxViolations: tt.limit}, richSample())
			for _, w := range []string{tt.last, tt.more} {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			if strings.Contains(out, tt.notShown) {
				t.Errorf("output lists %q past the cap", tt.notShown)
			}
		})
	}
}

// TestMarkdownSizeLimit: a result too big for a step summary keeps the head and as many rows
// as fit, says what it left out, and stays under the limit.
func TestMarkdownSizeLimit(t *testing.T) {
	r := richSample()
	for i := range 400 {
		r.Findings = append(r.Findings, result.Finding{
			RuleID: fmt.Sprintf("bulk.rule_%03d", i), Title: strings.Repeat("long title ", 5),
			Status: result.Fail, Severity: result.Low, Level: "shall", Message: strings.Repeat("x", 200),
		})
	}
	r.Tally()
	m := markdownFormat{}
	full := m.render(r, markdownLimit)
	if strings.Contains(full, "not shown") || !strings.Contains(full, "<summary>All ") {
		t.Fatalf("a %d-byte document was cut under the real limit", len(full))
	}
	tests := []struct {
		limit       int
		wantDetails bool
		wantCut     bool
	}{
		{limit: len(full) + 1024, wantDetails: true},
		{limit: len(full) - 1024, wantCut: false},
		{limit: 40 * 1024, wantCut: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.limit), func(t *testing.T) {
			out := m.render(r, tt.limit)
			if len(out) > tt.limit {
				t.Errorf("output is %d bytes, over the limit of %d", len(out), tt.limit)
			}
			if got := strings.Contains(out, "<summary>All "); got != tt.wantDetails {
				t.Errorf("details present = %v, want %v", got, tt.wantDetails)
			}
			if !tt.wantDetails && !strings.Contains(out, "The full list of findings does not fit") {
				t.Errorf("output does not say the full list was left out")
			}
			if got := strings.Contains(out, "more findings not shown"); got != tt.wantCut {
				t.Errorf("rows cut = %v, want %v", got, tt.wantCut)
			}
			if !strings.Contains(out, "## posture: Northwind Traders") || !strings.Contains(out, "### Secure Score") {
				t.Errorf("the head was dropped")
			}
		})
	}
}

func TestMdEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a | b", `a \| b`},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"Tom & Jerry", "Tom &amp; Jerry"},
		{"line1\nline2\r\nline3", "line1<br>line2<br>line3"},
		{"[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{"*bold* _it_ `code` ~~s~~ #1", "\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\#1"},
		{"@admins please", "&#64;admins please"},
		{"cc @team", "cc &#64;team"},
		{"user@example.com", "user@example.com"},
		{"bell\x07esc\x1b", "bell esc "},
		{`back\slash`, `back\\slash`},
	}
	for _, tt := range tests {
		if got := mdEscape(tt.in); got != tt.want {
			t.Errorf("mdEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
