package report

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/m365posture/posture/internal/result"
)

// Hostile strings a tenant could hold in names and messages; the report must show them as
// text.
const (
	hostileScript = `<script>alert("pwned")</script>`
	hostileAttr   = `" onmouseover="alert(1)`
	hostileImg    = `<img src="https://evil.example/x.png" onerror="alert(2)">`
)

func f64(f float64) *float64 { return &f }

// htmlSample is a result with every part the HTML report draws: a full score with trend,
// every status, excepted and many violations, frameworks, references, an exception, and
// hostile text in titles, messages and entity names.
func htmlSample() *result.Result {
	day := func(d int) time.Time { return time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	var many []result.Violation
	for i := 1; i <= 14; i++ {
		many = append(many, result.Violation{
			Msg:    fmt.Sprintf("user%02d@contoso.com has no MFA method registered", i),
			Entity: result.Entity{Type: "user", ID: fmt.Sprintf("u%02d", i), Name: fmt.Sprintf("User %02d", i)},
		})
	}
	var trend []result.TrendPoint
	for d := 0; d < 21; d++ {
		trend = append(trend, result.TrendPoint{At: day(d), Percent: 40 + float64(d)/2, Points: 80 + float64(d), Max: 200})
	}
	r := &result.Result{
		SchemaVersion: result.SchemaVersion,
		Generator:     result.Generator{Name: "posture", Version: "0.9.0"},
		Snapshot: result.SnapshotRef{
			SHA256: "27a49bd1d7ffe097ed35f79e8d6371695a1082ec289ec9436a0d2ae8c00fdda3",
			Tenant: result.Tenant{
				ID:            "7e000000-0004-4000-8000-000000000000",
				DisplayName:   "Contoso & Sons " + hostileScript,
				DefaultDomain: "contoso.com",
				Cloud:         "global",
			},
			CollectedAt: day(21),
		},
		EvaluatedAt: day(21).Add(2 * time.Hour),
		Baselines:   []string{"azure-ad", "m365"},
		Score: &result.Score{
			Estimate:           result.Figure{Points: 123, Max: 200, Percent: 61.5},
			Reported:           &result.Reported{Figure: result.Figure{Points: 101, Max: 200, Percent: 50.5}, At: day(20)},
			Projected:          result.Figure{Points: 140, Max: 200, Percent: 70},
			Achievable:         result.Figure{Points: 176, Max: 200, Percent: 88},
			AchievableAccepted: result.Figure{Points: 168, Max: 200, Percent: 84},
			Categories: []result.CategoryScore{
				{Category: "Identity", Figure: result.Figure{Points: 60, Max: 100, Percent: 60}, Reported: &result.Figure{Points: 50, Max: 100, Percent: 50}},
				{Category: "Data", Figure: result.Figure{Points: 33, Max: 50, Percent: 66}},
				{Category: "Apps", Figure: result.Figure{Points: 30, Max: 50, Percent: 60}},
			},
			Controls: []result.ControlScore{
				{ID: "AdminMFAV2", Title: "Ensure multifactor authentication is enabled for all users in administrative roles", Category: "Identity", Max: 10, Achieved: 0, Status: result.ControlNotAchieved, Source: result.SourceEvaluated, Rules: []string{"entra.admin_mfa"}, Reported: f64(10), Difference: f64(-10), Reason: "Microsoft counts <policy> & \"report-only\" policies", Licensed: true},
				{ID: "MFARegistrationV2", Title: "Ensure all users can complete MFA", Category: "Identity", Max: 9, Achieved: 3.32, Status: result.ControlPartial, Source: result.SourceEvaluated, Coverage: &result.Coverage{Covered: 7, Total: 19}, Licensed: true},
				{ID: "BlockLegacyAuthentication", Title: "Enable policy to block legacy authentication", Category: "Identity", Max: 8, Achieved: 8, Status: result.ControlAchieved, Source: result.SourceEvaluated, Reported: f64(8), Difference: f64(0), Licensed: true},
				{ID: "PWAgePolicyNew", Title: "Do not expire passwords", Category: "Identity", Max: 8, Achieved: 0, Status: result.ControlUnverified, Source: result.SourceEvaluated, Licensed: true},
				{ID: "SigninRiskPolicy", Title: "Turn on sign-in risk policy", Category: "Identity", Max: 7, Achieved: 0, Status: result.ControlUnlicensed, Source: result.SourceEvaluated},
				{ID: "OneAdmin", Title: "Designate more than one global admin", Category: "Identity", Max: 1, Achieved: 1, Status: result.ControlRiskAccepted, Source: result.SourceEvaluated, Licensed: true},
				{ID: "dlp_datalossprevention", Title: "DLP policies are enabled", Category: "Data", Max: 10, Achieved: 4, Status: result.ControlReported, Source: result.SourceReported, Reported: f64(4), Licensed: true},
			},
			Actions: []result.Action{
				{Control: "AdminMFAV2", Title: "Require MFA for administrative roles", Category: "Identity", Gain: 10, GainPercent: 5, UserImpact: "low", ImplementationCost: "low", Rules: []string{"entra.admin_mfa"}, QuickWin: true},
				{Control: "SigninRiskPolicy", Title: "Turn on sign-in risk policy", Category: "Identity", Gain: 7, GainPercent: 3.5, UserImpact: "moderate", ImplementationCost: "moderate", Blocked: "needs Entra ID P2"},
				{Control: "MFARegistrationV2", Title: "Ensure all users can complete MFA <now>", Category: "Identity", Gain: 5.68, GainPercent: 2.84, UserImpact: "high", ImplementationCost: "moderate", Rules: []string{"entra.mfa_registration", "org." + hostileScript}},
			},
			Comparisons: []result.Comparison{{Basis: "AllTenants", Points: 92.5, Percent: 46.25}},
			Trend:       trend,
			Notes:       []string{"licences unknown: <b>assumed</b> E3 & nothing more"},
			Products: []result.ProductScore{
				{ID: "entra", Name: "Microsoft Entra ID", Status: result.ProductPresent, Evidence: "every Microsoft 365 tenant has it", Editions: []string{"Entra ID P1"},
					MissingEditions: []string{"Entra ID P2"}, Counted: 6, Labelled: []string{"SigninRiskPolicy"}},
				{ID: "dvm", Name: "Microsoft Defender Vulnerability Management", Status: result.ProductAbsent, Evidence: "no usable subscription carries WINDEFATP & <TVM_PREMIUM_1>",
					LeftOut: []string{"scid_2012", "scid_2013"}, LeftOutMax: 19},
			},
			NotOffered: []string{"scid_27", "scid_28"}, NotOfferedMax: 16,
		},
		Findings: []result.Finding{
			{
				RuleID: "entra.legacy_auth_blocked", Title: "Legacy authentication is blocked",
				Status: result.Pass, Severity: result.Critical, Level: "shall", Baselines: []string{"azure-ad", "m365"},
				Frameworks: map[string][]string{"cisa_scuba": {"MS.AAD.1.1v1"}, "cis_m365": {"5.2.2.3"}, "nist": {}},
			},
			{
				RuleID: "entra.admin_mfa", Title: `MFA for admins & "privileged" <roles>`,
				Status: result.Fail, Severity: result.High, Level: "shall", Baselines: []string{"azure-ad"},
				SecureScore: []string{"AdminMFAV2"},
				Message:     `2 of 3 admins aren't required to use MFA & that's bad`,
				Violations: []result.Violation{
					{Msg: "Global Administrator " + hostileScript + " is not covered", Entity: result.Entity{Type: "user", ID: "u1", Name: hostileAttr}},
					{Msg: "Privileged Role Administrator is not covered", Entity: result.Entity{Type: "user", ID: "u2", Name: hostileImg}},
				},
				Remediation: "Create a Conditional Access policy:\n1. Users: directory roles\n2. Grant: require MFA",
				References:  []string{"https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin", "javascript:alert(3)", "CIS benchmark section 5.2"},
			},
			{
				RuleID: "entra.mfa_registration", Title: "Users are registered for MFA",
				Status: result.Warn, Severity: result.Medium, Level: "should", Baselines: []string{"azure-ad"},
				Coverage: &result.Coverage{Covered: 7, Total: 19}, Message: "12 of 19 users have no MFA method",
				Violations: many,
			},
			{
				RuleID: "breakglass.excluded_from_ca", Title: "Break-glass accounts are excluded from Conditional Access",
				Status: result.Error, Severity: result.High, Level: "shall", Baselines: []string{"azure-ad"},
				Message: "source entra.conditionalAccessPolicies: forbidden (403)",
			},
			{
				RuleID: "entra.global_admin_count", Title: "Between two and four Global Administrators",
				Status: result.Excepted, Severity: result.Low, Level: "shall", Baselines: []string{"azure-ad"},
				Message: "5 Global Administrators",
				Violations: []result.Violation{
					{Msg: "5 Global Administrators; expected at most 4", Entity: result.Entity{Type: "tenant", ID: "t", Name: "Contoso"}, Excepted: true},
				},
				Exception: &result.Exception{Status: "risk_accepted", Reason: "merger <until> Q4 & \"later\"", Expires: "2027-03-31", Entities: []string{"t"}},
			},
			{
				RuleID: "exo.dkim_enabled", Title: "DKIM signing is enabled",
				Status: result.NotApplicable, Severity: result.Info, Level: "should", Baselines: []string{"m365"},
				Message: "no Exchange Online licence",
			},
		},
		Warnings: []string{`exception for entra.user_consent_restricted expired on 2026-01-31 & no longer applies`},
	}
	r.Tally()
	r.Snapshot.Sources = map[string]result.Source{
		"entra.users":                     {Status: "ok", Count: new(19)},
		"entra.organization":              {Status: "ok"},
		"entra.conditionalAccessPolicies": {Status: "forbidden", Message: "403 Authorization_RequestDenied " + hostileScript},
		"entra.riskyUsers":                {Status: "unlicensed", Message: "needs Entra ID P2"},
		"exchange.dkimSigningConfigs":     {Status: "skipped", Message: "--skip exchange"},
		"secureScore.scores":              {Status: "ok", Count: new(0)},
	}
	r.Frameworks = frameworkSample().Frameworks
	result.Gate{FailOn: result.Medium, MinScore: f64(60)}.Apply(r)
	r.Evidence = &result.Evidence{
		Posture: r.Generator,
		Config:  &result.ConfigEvidence{Path: "posture <org>.yaml", SHA256: strings.Repeat("c0", 32)},
		Policies: result.NewPolicyEvidence([]result.PolicyFile{
			{Path: "policies/entra/admin_mfa/admin_mfa.rego", SHA256: strings.Repeat("a1", 32), Builtin: true},
			{Path: "policies/lib/params.rego", SHA256: strings.Repeat("b2", 32), Builtin: true},
			{Path: "org/" + hostileScript + ".rego", SHA256: strings.Repeat("d3", 32)},
		}),
	}
	return r
}

// parseHTML renders r and parses the page, failing the test on invalid markup the parser
// reports as an error.
func parseHTML(t *testing.T, o Options, r *result.Result) (string, *html.Node) {
	t.Helper()
	out := render(t, "html", o, r)
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parse html: %v", err)
	}
	return out, doc
}

// walk calls fn for every element under n.
func walk(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func byID(doc *html.Node, id string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) {
		if v, ok := attr(n, "id"); ok && v == id && found == nil {
			found = n
		}
	})
	return found
}

func elements(doc *html.Node, tag string) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Data == tag {
			out = append(out, n)
		}
	})
	return out
}

// textOf is the text under n with runs of white space folded and a space between the texts
// of elements.
func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			// A <wbr> only marks where an identifier may wrap; it splits no words.
			if next := n.NextSibling; next == nil || next.Data != "wbr" {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// rawText is the exact text of a script or style element, as the browser hashes it.
func rawText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(c.Data)
	}
	return b.String()
}

func TestHTMLEscapesData(t *testing.T) {
	out, doc := parseHTML(t, Options{}, htmlSample())
	if n := strings.Count(strings.ToLower(out), "<script"); n != 1 {
		t.Errorf("%d <script tags in the output, want only the report's own", n)
	}
	if n := len(elements(doc, "img")); n != 0 {
		t.Errorf("%d img elements: data became markup", n)
	}
	walk(doc, func(n *html.Node) {
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s> has an event handler attribute %s=%q", n.Data, a.Key, a.Val)
			}
			if strings.Contains(strings.ToLower(a.Val), "javascript:") {
				t.Errorf("<%s %s=%q> holds a javascript: URL", n.Data, a.Key, a.Val)
			}
		}
	})
	// The hostile strings are there, as text, for the reader.
	body := textOf(doc)
	for _, want := range []string{hostileScript, hostileAttr, hostileImg, `MFA for admins & "privileged" <roles>`, "javascript:alert(3)"} {
		if !strings.Contains(body, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;", "Contoso &amp; Sons"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks the escaped form %q", want)
		}
	}
}

func TestHTMLLoadsNothing(t *testing.T) {
	// Every attribute through which a browser fetches something, by element.
	fetching := map[string][]string{
		"link": {"href"}, "script": {"src"}, "img": {"src", "srcset"}, "style": {"src"},
		"iframe": {"src"}, "frame": {"src"}, "embed": {"src"}, "object": {"data"}, "source": {"src", "srcset"},
		"video": {"src", "poster"}, "audio": {"src"}, "track": {"src"}, "image": {"href", "xlink:href"},
		"use": {"href", "xlink:href"}, "input": {"src"}, "meta": {},
	}
	for _, tt := range []struct {
		name string
		r    *result.Result
	}{
		{"full", htmlSample()},
		{"nil score", func() *result.Result { r := htmlSample(); r.Score = nil; return r }()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, doc := parseHTML(t, Options{}, tt.r)
			walk(doc, func(n *html.Node) {
				for _, key := range fetching[n.Data] {
					v, ok := attr(n, key)
					if ok && !strings.HasPrefix(v, "data:") {
						t.Errorf("<%s %s=%q> would be fetched", n.Data, key, v)
					}
				}
				if n.Data == "meta" {
					if v, _ := attr(n, "http-equiv"); strings.EqualFold(v, "refresh") {
						t.Errorf("meta refresh: %v", n.Attr)
					}
				}
				// Links are allowed (they load only when clicked) but never send a referrer.
				if n.Data == "a" {
					href, _ := attr(n, "href")
					rel, _ := attr(n, "rel")
					if !strings.HasPrefix(href, "#") && !strings.Contains(rel, "noreferrer") {
						t.Errorf("<a href=%q rel=%q> lacks rel=noreferrer", href, rel)
					}
				}
			})
			for _, s := range elements(doc, "style") {
				css := strings.ToLower(rawText(s))
				for _, bad := range []string{"url(", "@import", "http:", "https:"} {
					if strings.Contains(css, bad) {
						t.Errorf("the stylesheet contains %q", bad)
					}
				}
			}
			if strings.Contains(strings.ToLower(out), "style=") {
				t.Errorf("an inline style attribute would need style-src 'unsafe-inline'")
			}
		})
	}
}

// cspDirectives splits a policy into directive name → sources.
func cspDirectives(policy string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[f[0]] = f[1:]
		}
	}
	return out
}

func TestHTMLContentSecurityPolicy(t *testing.T) {
	_, doc := parseHTML(t, Options{}, htmlSample())
	head := elements(doc, "head")[0]
	var policy string
	for c := head.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.Data == "style" || c.Data == "script" || c.Data == "link" {
			t.Fatalf("<%s> comes before the CSP meta tag, so the policy would not cover it", c.Data)
		}
		if v, _ := attr(c, "http-equiv"); strings.EqualFold(v, "Content-Security-Policy") {
			policy, _ = attr(c, "content")
			break
		}
	}
	if policy == "" {
		t.Fatal("no Content-Security-Policy meta tag in <head>")
	}
	scripts, styles := elements(doc, "script"), elements(doc, "style")
	if len(scripts) != 1 || len(styles) != 1 {
		t.Fatalf("%d scripts and %d styles, want one each", len(scripts), len(styles))
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	d := cspDirectives(policy)
	tests := []struct {
		directive string
		want      []string
	}{
		{"default-src", []string{"'none'"}},
		{"script-src", []string{hash(rawText(scripts[0]))}},
		{"style-src", []string{hash(rawText(styles[0]))}},
		{"img-src", []string{"data:"}},
		{"base-uri", []string{"'none'"}},
		{"form-action", []string{"'none'"}},
	}
	for _, tt := range tests {
		if got := strings.Join(d[tt.directive], " "); got != strings.Join(tt.want, " ") {
			t.Errorf("%s = %q, want %q (policy %q)", tt.directive, got, strings.Join(tt.want, " "), policy)
		}
	}
	if strings.TrimSpace(rawText(scripts[0])) == "" {
		t.Error("the inline script is empty")
	}
}

func TestHTMLContent(t *testing.T) {
	r := htmlSample()
	_, doc := parseHTML(t, Options{Source: "snapshots/contoso.json"}, r)
	tests := []struct {
		id   string
		want []string
	}{
		{"evidence", []string{
			"Contoso & Sons " + hostileScript, "contoso.com", "7e000000-0004-4000-8000-000000000000", "global",
			"2026-11-22 06:00 UTC", "2026-11-22 08:00 UTC", "posture 0.9.0", "azure-ad, m365", "snapshots/contoso.json",
		}},
		{"snapshot-sha256", []string{r.Snapshot.SHA256}},
		{"config-sha256", []string{"posture <org>.yaml " + strings.Repeat("c0", 32)}},
		{"policy-digest", []string{r.Evidence.Policies.Digest + " over 3 policy files (2 built-in, 1 org)"}},
		{"policy-files", []string{"org/" + hostileScript + ".rego " + strings.Repeat("d3", 32) + " org",
			"policies/entra/admin_mfa/admin_mfa.rego " + strings.Repeat("a1", 32) + " built-in"}},
		{"verdict", []string{"FAILED Not every rule could be verified (exit 2)", "Fail on medium Minimum score 60.0% Exit code 2",
			"1 rule could not be verified: breakglass.excluded_from_ca", "1 failing rule at or above medium: entra.admin_mfa",
			"1 FAIL", "1 ERROR", "1 WARN", "1 EXCEPTED", "1 PASS", "1 N/A", "1 rule could not be verified (ERROR)"}},
		{"judged-by", []string{"Judged by posture 0.9.0 · config posture <org>.yaml c0c0c0c0c0c0… · 3 policy files, digest " + r.Evidence.Policies.Digest[:12] + "…"}},
		{"warnings", []string{"1 note on this result", "expired on 2026-01-31 & no longer applies"}},
		{"score-gauge", []string{"61.5%", "Microsoft reported 50.5%", "achievable 88.0%"}},
		{"score", []string{"posture estimate 61.5% 123 / 200 points, from this snapshot", "Microsoft reported 50.5% 101 / 200 points, on 2026-11-21", "Achievable 88.0%"}},
		{"score-figures", []string{
			"posture estimate from this snapshot's configuration 61.5% 123 / 200",
			"Microsoft reported Secure Score on 2026-11-21 50.5% 101 / 200",
			"Projected with the planned work done 70.0% 140 / 200",
			"Achievable with the current licences 88.0% 176 / 200",
			"Achievable with risk acceptance leaving out accepted risks 84.0% 168 / 200",
			"licences unknown: <b>assumed</b> E3 & nothing more",
		}},
		{"categories", []string{"Identity 60 / 100 pts · 60.0% (Microsoft 50.0%)", "Data 33 / 50 pts · 66.0%"}},
		{"trend", []string{"Trend, last 90 days", "Microsoft Secure Score (reported)", "posture estimate (dashed)"}},
		{"actions-table", []string{
			"Require MFA for administrative roles Quick win AdminMFAV2 Identity +10 (5.0%) Low Low entra.admin_mfa Available",
			"Ensure all users can complete MFA <now> MFARegistrationV2 Identity +5.68 (2.8%) High Moderate entra.mfa_registration org." + hostileScript + " Available",
			"Turn on sign-in risk policy SigninRiskPolicy Identity +7 (3.5%) Moderate Moderate — Blocked needs Entra ID P2",
		}},
		{"controls-table", []string{
			"AdminMFAV2 Identity 10 0 not achieved evaluated 10 −10 Microsoft counts <policy> & \"report-only\" policies",
			"MFARegistrationV2 Identity 9 3.32 partial evaluated — —",
			"PWAgePolicyNew Identity 8 0 unverified (no points)",
			"SigninRiskPolicy not licensed Identity 7 0 unlicensed",
			"OneAdmin Identity 1 1 risk accepted",
			"dlp_datalossprevention Data 10 4 reported reported 4 —",
		}},
		{"comparisons-table", []string{"AllTenants 92.5 46.3%"}},
		{"score-products", []string{
			"Microsoft Entra ID: present (every Microsoft 365 tenant has it); editions: Entra ID P1; kept in the maximum without points, edition missing (Entra ID P2): SigninRiskPolicy",
			"Microsoft Defender Vulnerability Management: absent (no usable subscription carries WINDEFATP & <TVM_PREMIUM_1>); 2 control(s) worth 19 points left out of the maximum: scid_2012, scid_2013",
		}},
		{"score-not-offered", []string{
			"Not offered to the tenant 2 control(s) worth 16 points left out of the maximum, not in the tenant's controlProfiles: scid_27, scid_28",
		}},
		{"finding-entra.admin_mfa", []string{
			"FAIL high " + `MFA for admins & "privileged" <roles> entra.admin_mfa · 2 of 3 admins aren't required to use MFA & that's bad`,
			"Evidence (2 violations)", "user " + hostileAttr + " u1 Global Administrator " + hostileScript + " is not covered",
			"Remediation Create a Conditional Access policy:", "Secure Score controls AdminMFAV2",
		}},
		{"finding-entra.mfa_registration", []string{"Coverage 7 of 19 covered (36.8%)", "Evidence (14 violations)", "user14@contoso.com"}},
		{"finding-entra.global_admin_count", []string{"EXCEPTED low", "Excepted 5 Global Administrators; expected at most 4", "Exception Status risk accepted Reason merger <until> Q4 & \"later\" Expires 2027-03-31 Entities t"}},
		{"finding-entra.legacy_auth_blocked", []string{"CIS Microsoft 365 5.2.2.3 CISA SCuBA MS.AAD.1.1v1"}},
		{"finding-breakglass.excluded_from_ca", []string{"ERROR high", "forbidden (403)"}},
		{"finding-exo.dkim_enabled", []string{"N/A info"}},
		{"findings-filters", []string{"Status", "Severity", "Baseline Any baseline azure-ad m365", "Search"}},
		{"sources-summary", []string{"The snapshot records 6 sources: 1 forbidden , 1 unlicensed , 1 skipped , 3 ok .", "every rule that needs it is ERROR, never PASS"}},
		{"source-entra.conditionalAccessPolicies", []string{"entra.conditionalAccessPolicies forbidden — 403 Authorization_RequestDenied " + hostileScript}},
		{"source-entra.users", []string{"entra.users ok 19 —"}},
		{"source-secureScore.scores", []string{"secureScore.scores ok 0 —"}},
		{"framework-cisa_scuba", []string{"CISA SCuBA 1.8.0 · 6 controls", "1 FAIL 1 ERROR 1 EXCEPTED 1 PASS 1 N/A 1 NOT CHECKED",
			"MS.AAD.3.2v2 shall FAIL MFA for all users", "13 violations", "deny user alice u0"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			n := byID(doc, tt.id)
			if n == nil {
				t.Fatalf("no element with id %q", tt.id)
			}
			text := textOf(n)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("#%s lacks %q in:\n%s", tt.id, w, text)
				}
			}
		})
	}
	// An empty framework list is left out rather than shown as a heading with nothing.
	if text := textOf(byID(doc, "finding-entra.legacy_auth_blocked")); strings.Contains(text, "nist") {
		t.Errorf("empty framework shown: %s", text)
	}
}

func TestHTMLLinks(t *testing.T) {
	_, doc := parseHTML(t, Options{}, htmlSample())
	var hrefs []string
	walk(byID(doc, "findings"), func(n *html.Node) {
		if n.Data == "a" {
			href, _ := attr(n, "href")
			hrefs = append(hrefs, href)
		}
	})
	want := []string{"https://learn.microsoft.com/entra/identity/conditional-access/policy-old-require-mfa-admin"}
	if strings.Join(hrefs, " ") != strings.Join(want, " ") {
		t.Errorf("finding links = %q, want %q (javascript: and plain text references stay text)", hrefs, want)
	}
}

func TestHTMLFindingOrder(t *testing.T) {
	_, doc := parseHTML(t, Options{}, htmlSample())
	var got []string
	for _, tr := range elements(byID(doc, "findings-table"), "tr") {
		if s, ok := attr(tr, "data-status"); ok {
			sev, _ := attr(tr, "data-severity")
			got = append(got, s+"/"+sev)
		}
	}
	want := []string{"fail/4", "error/4", "warn/3", "excepted/2", "pass/5", "not_applicable/1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("finding rows = %v, want %v", got, want)
	}
}

func TestHTMLWithoutScore(t *testing.T) {
	r := htmlSample()
	r.Score = nil
	_, doc := parseHTML(t, Options{}, r)
	if byID(doc, "no-score") == nil {
		t.Error("no note saying the result has no score")
	}
	for _, id := range []string{"score-gauge", "categories", "trend", "actions", "controls"} {
		if byID(doc, id) != nil {
			t.Errorf("#%s shown for a result without a score", id)
		}
	}
	if n := len(elements(byID(doc, "findings-table"), "details")); n != len(r.Findings) {
		t.Errorf("%d findings rendered, want %d", n, len(r.Findings))
	}
	if !strings.Contains(textOf(byID(doc, "evidence")), r.Snapshot.SHA256) {
		t.Error("the snapshot hash is missing")
	}
}

func TestHTMLTrend(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	points := func(estimate bool, days ...int) []result.TrendPoint {
		var out []result.TrendPoint
		for _, d := range days {
			out = append(out, result.TrendPoint{At: at(d), Percent: float64(40 + d%50), Estimate: estimate})
		}
		return out
	}
	tests := []struct {
		name      string
		score     bool
		trend     []result.TrendPoint
		history   []result.TrendPoint
		wantDots  map[string]int // series class → points drawn; nil for no chart
		wantRange string
	}{
		{name: "no points", score: false},
		{name: "one history point and no score", history: points(true, 1)},
		{name: "one reported point and the current estimate", score: true, trend: points(false, 99),
			wantDots: map[string]int{"reported": 1, "estimate": 1}, wantRange: "2026-09-08 to 2026-09-09"},
		{name: "history alone, without a score", history: points(true, 10, 20),
			wantDots: map[string]int{"estimate": 2}},
		{name: "older than 90 days left out", score: true, trend: points(false, 0, 5, 50, 90), history: points(true, 2, 60),
			// the window ends on day 100 (the snapshot), so it starts on day 10
			wantDots: map[string]int{"reported": 2, "estimate": 2}, wantRange: "2026-07-21 to 2026-09-09"},
		{name: "duplicates drawn once", score: true, trend: points(false, 95, 95, 96), history: points(true, 100),
			wantDots: map[string]int{"reported": 2, "estimate": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := htmlSample()
			r.Snapshot.CollectedAt = at(100)
			r.EvaluatedAt = at(100).Add(time.Hour)
			r.Score.Trend = tt.trend
			if !tt.score {
				r.Score = nil
			}
			_, doc := parseHTML(t, Options{History: tt.history}, r)
			sec := byID(doc, "trend")
			if tt.wantDots == nil {
				if sec != nil {
					t.Fatalf("trend drawn from fewer than two points: %s", textOf(sec))
				}
				return
			}
			if sec == nil {
				t.Fatal("no trend chart")
			}
			got := map[string]int{}
			for _, c := range elements(sec, "circle") {
				class, _ := attr(c, "class")
				got[strings.TrimPrefix(class, "dot ")]++
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.wantDots) {
				t.Errorf("points per series = %v, want %v", got, tt.wantDots)
			}
			if lines := elements(sec, "polyline"); len(lines) != len(tt.wantDots) {
				t.Errorf("%d lines, want %d", len(lines), len(tt.wantDots))
			}
			if tt.wantRange != "" && !strings.Contains(textOf(sec), tt.wantRange) {
				t.Errorf("trend caption lacks %q: %s", tt.wantRange, textOf(sec))
			}
		})
	}
}

func TestHTMLViolationCap(t *testing.T) {
	tests := []struct{ violations, wantRows, wantMore int }{
		{violations: htmlMaxViolations, wantRows: htmlMaxViolations},
		{violations: htmlMaxViolations + 3, wantRows: htmlMaxViolations, wantMore: 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.violations), func(t *testing.T) {
			r := htmlSample()
			f := &r.Findings[2]
			f.Violations = nil
			for i := range tt.violations {
				f.Violations = append(f.Violations, result.Violation{Msg: fmt.Sprintf("v%d", i), Entity: result.Entity{Type: "user", ID: fmt.Sprint(i)}})
			}
			_, doc := parseHTML(t, Options{}, r)
			sec := byID(doc, "finding-"+f.RuleID)
			if rows := len(elements(sec, "tr")) - 2; rows != tt.wantRows { // the finding's own row and the header
				t.Errorf("%d evidence rows, want %d", rows, tt.wantRows)
			}
			more := fmt.Sprintf("… and %d more", tt.wantMore)
			if got := strings.Contains(textOf(sec), more); got != (tt.wantMore > 0) {
				t.Errorf("%q shown = %v, want %v", more, got, tt.wantMore > 0)
			}
		})
	}
}

func TestHTMLDeterministic(t *testing.T) {
	o := Options{History: []result.TrendPoint{{At: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC), Percent: 55}}}
	first := render(t, "html", o, htmlSample())
	for range 5 {
		if again := render(t, "html", o, htmlSample()); again != first {
			t.Fatal("two renderings of the same result differ")
		}
	}
}

func TestHTMLGolden(t *testing.T) {
	checkGolden(t, "report.html.golden", render(t, "html", Options{Source: "contoso.json"}, htmlSample()))
}

func TestHTMLNumbers(t *testing.T) {
	tests := []struct {
		in        float64
		num, perc string
	}{
		{0, "0", "0.0%"},
		{-0.001, "0", "0.0%"},
		{61.5, "61.5", "61.5%"},
		{8, "8", "8.0%"},
		{3.3333, "3.33", "3.3%"},
		{46.25, "46.25", "46.3%"},
		{-10, "-10", "-10.0%"},
	}
	for _, tt := range tests {
		if got := num(tt.in); got != tt.num {
			t.Errorf("num(%v) = %q, want %q", tt.in, got, tt.num)
		}
		if got := htmlPercent(tt.in); got != tt.perc {
			t.Errorf("htmlPercent(%v) = %q, want %q", tt.in, got, tt.perc)
		}
	}
	for _, tt := range []struct {
		in   *float64
		want string
	}{{nil, "—"}, {f64(0), "0"}, {f64(2.5), "+2.5"}, {f64(-10), "−10"}} {
		if got := htmlSigned(tt.in); got != tt.want {
			t.Errorf("htmlSigned(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestHTMLVerdict checks the verdict's stamp, colour and settings for each outcome of the gate,
// and the note for a result that records none.
func TestHTMLVerdict(t *testing.T) {
	tests := []struct {
		name      string
		gate      *result.GateVerdict
		wantClass string
		want      []string
		absent    []string
	}{
		{"passed", &result.GateVerdict{Passed: true, FailOn: "high", Reasons: []string{}}, "v-passed",
			[]string{"PASSED The gate passed (exit 0)", "Fail on high Minimum score none Exit code 0", "No failing rule at or above the gate's severity"}, []string{"FAILED"}},
		{"failed on the score", &result.GateVerdict{ExitCode: 1, FailOn: "none", MinScore: f64(70), Reasons: []string{"score 61.5% is below the minimum 70.0%"}}, "v-failed",
			[]string{"FAILED The gate failed (exit 1)", "Fail on none Minimum score 70.0% Exit code 1", "score 61.5% is below the minimum 70.0%"}, []string{"PASSED", "No failing rule"}},
		{"not verified", &result.GateVerdict{ExitCode: 2, FailOn: "info", Reasons: []string{"1 rule could not be verified: breakglass.excluded_from_ca"}}, "v-unverified",
			[]string{"FAILED Not every rule could be verified (exit 2)", "1 rule could not be verified: breakglass.excluded_from_ca"}, []string{"PASSED"}},
		{"off", &result.GateVerdict{Passed: true, FailOn: "none", Reasons: []string{}}, "v-passed",
			[]string{"PASSED The gate passed (exit 0)", "Fail on none Minimum score none", "The gate was off (fail on none, no minimum score): it judged no rule."}, []string{"No failing rule"}},
		{"failed without a reason", &result.GateVerdict{ExitCode: 1, FailOn: "high", Reasons: []string{}}, "v-failed",
			[]string{"FAILED The gate failed (exit 1)", "no reason recorded"}, []string{"No failing rule", "PASSED"}},
		{"not recorded", nil, "v-unknown",
			[]string{"NOT RECORDED No gate verdict", "a posture older than the verdict wrote it"}, []string{"PASSED", "FAILED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := htmlSample()
			r.Gate = tt.gate
			_, doc := parseHTML(t, Options{}, r)
			sec := byID(doc, "verdict")
			if class, _ := attr(sec, "class"); !strings.Contains(" "+class+" ", " "+tt.wantClass+" ") {
				t.Errorf("verdict class %q lacks %q", class, tt.wantClass)
			}
			text := textOf(sec)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("verdict lacks %q in:\n%s", w, text)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(text, a) {
					t.Errorf("verdict shows %q in:\n%s", a, text)
				}
			}
		})
	}
}

// TestHTMLVerdictFoldsLongReasons checks that a reason naming many rules shows its head and
// folds the list, all of it kept, while a short one stays a line.
func TestHTMLVerdictFoldsLongReasons(t *testing.T) {
	var rules []string
	for i := range 30 {
		rules = append(rules, fmt.Sprintf("entra.rule_%02d", i))
	}
	long := "30 failing rules at or above info: " + strings.Join(rules, ", ")
	r := htmlSample()
	r.Gate = &result.GateVerdict{ExitCode: 1, FailOn: "info", Reasons: []string{long, "score 50.0% is below the minimum 60.0%"}}
	_, doc := parseHTML(t, Options{}, r)
	items := elements(byID(doc, "gate-reasons"), "li")
	if len(items) != 2 {
		t.Fatalf("%d reasons shown, want 2", len(items))
	}
	folded := elements(items[0], "details")
	if len(folded) != 1 {
		t.Fatalf("the long reason is not folded: %s", textOf(items[0]))
	}
	if got := textOf(elements(folded[0], "summary")[0]); got != "30 failing rules at or above info" {
		t.Errorf("folded reason's head = %q", got)
	}
	if !strings.Contains(textOf(folded[0]), strings.Join(rules, ", ")) {
		t.Error("the folded list lost rules")
	}
	if len(elements(items[1], "details")) != 0 {
		t.Error("a short reason is folded")
	}
}

// TestHTMLSectionOrder checks the auditor's reading order: the verdict and the score, the
// findings, the framework view, the sources, the Secure Score in detail (its control table
// folded), the evidence.
func TestHTMLSectionOrder(t *testing.T) {
	_, doc := parseHTML(t, Options{}, htmlSample())
	var got []string
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "section" {
			id, _ := attr(n, "id")
			got = append(got, id)
		}
	})
	want := []string{"verdict", "score", "findings", "frameworks", "sources", "secure-score", "evidence"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sections = %v, want %v", got, want)
	}
	for _, id := range []string{"controls", "actions", "framework-cisa_scuba"} {
		n := byID(doc, id)
		if n == nil || n.Data != "details" {
			t.Errorf("#%s is not a folded block", id)
			continue
		}
		if _, open := attr(n, "open"); open {
			t.Errorf("#%s is unfolded", id)
		}
	}
}

// TestHTMLSources checks the sources table: the sources not collected first, then by key, and
// the note for a result that does not list them.
func TestHTMLSources(t *testing.T) {
	_, doc := parseHTML(t, Options{}, htmlSample())
	var keys []string
	for _, tr := range elements(byID(doc, "sources-table"), "tr") {
		if st, ok := attr(tr, "data-status"); ok {
			id, _ := attr(tr, "id")
			keys = append(keys, st+" "+strings.TrimPrefix(id, "source-"))
		}
	}
	want := []string{"forbidden entra.conditionalAccessPolicies", "unlicensed entra.riskyUsers", "skipped exchange.dkimSigningConfigs",
		"ok entra.organization", "ok entra.users", "ok secureScore.scores"}
	if strings.Join(keys, "|") != strings.Join(want, "|") {
		t.Errorf("source rows = %q, want %q", keys, want)
	}

	r := htmlSample()
	r.Snapshot.Sources = map[string]result.Source{"entra.users": {Status: "ok", Count: new(3)}}
	_, doc = parseHTML(t, Options{}, r)
	if text := textOf(byID(doc, "sources-summary")); !strings.Contains(text, "1 source: 1 ok . Every source was collected.") {
		t.Errorf("sources summary of a complete snapshot = %q", text)
	}
}

// TestHTMLOlderResult checks a result written before the verdict, the evidence, the sources
// and the framework view: each part says what is missing and how to get it, none is blank.
func TestHTMLOlderResult(t *testing.T) {
	r := htmlSample()
	r.Gate, r.Evidence, r.Snapshot.Sources, r.Frameworks = nil, nil, nil, nil
	_, doc := parseHTML(t, Options{}, r)
	for id, want := range map[string]string{
		"verdict-stamp":   "NOT RECORDED",
		"no-sources":      "does not list the snapshot's sources",
		"no-frameworks":   "has no framework view",
		"config-sha256":   "not recorded: a posture older than the evidence wrote this result",
		"posture-version": "posture 0.9.0",
	} {
		n := byID(doc, id)
		if n == nil {
			t.Errorf("no #%s", id)
			continue
		}
		if text := textOf(n); !strings.Contains(text, want) {
			t.Errorf("#%s = %q, want %q", id, text, want)
		}
	}
	for _, id := range []string{"judged-by", "policy-files", "sources-table"} {
		if byID(doc, id) != nil {
			t.Errorf("#%s shown for a result without it", id)
		}
	}
}

// TestHTMLTrendGeometry checks where the trend chart puts things: every date label sits at a
// point of its day, the newest point is labelled, no two labels overlap, and no label or dot
// reaches past the chart's edges. A label's width is estimated at 7.7 units a character
// (digits of a 12 px sans-serif); the browser test measures the real ones.
func TestHTMLTrendGeometry(t *testing.T) {
	at := func(d int, h int) time.Time { return time.Date(2026, 6, 1, h, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	series := func(estimate bool, days ...int) []result.TrendPoint {
		var out []result.TrendPoint
		for _, d := range days {
			out = append(out, result.TrendPoint{At: at(d, 6), Percent: float64(d % 101), Estimate: estimate})
		}
		return out
	}
	every := func(from, to, step int) []int {
		var out []int
		for d := from; d <= to; d += step {
			out = append(out, d)
		}
		return out
	}
	tests := []struct {
		name       string
		trend      []result.TrendPoint
		history    []result.TrendPoint
		wantLabels int // 0: at least two
	}{
		{name: "two points", trend: series(false, 99), wantLabels: 2},
		{name: "a point a day for 90 days", trend: series(false, every(11, 99, 1)...)},
		{name: "a point a fortnight", history: series(true, every(16, 99, 14)...)},
		{name: "points bunched at the end", trend: series(false, 96, 97, 98, 99), history: series(true, 10, 50), wantLabels: 3},
		{name: "the same day twice", trend: series(false, 100), wantLabels: 1},
		{name: "scores of 0 and 100", trend: []result.TrendPoint{{At: at(40, 0), Percent: 0}, {At: at(60, 0), Percent: 100}}},
	}
	const charW, fontSize = 7.7, 12.0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := htmlSample()
			r.Snapshot.CollectedAt = at(100, 6)
			r.EvaluatedAt = at(100, 8)
			r.Score.Trend = tt.trend
			_, doc := parseHTML(t, Options{History: tt.history}, r)
			svg := elements(byID(doc, "trend"), "svg")[0]
			vb, _ := attr(svg, "viewBox")
			var w, h float64
			if _, err := fmt.Sscanf(vb, "0 0 %g %g", &w, &h); err != nil {
				t.Fatalf("viewBox %q: %v", vb, err)
			}
			f := func(n *html.Node, key string) float64 {
				v, _ := attr(n, key)
				var x float64
				if _, err := fmt.Sscanf(v, "%g", &x); err != nil {
					t.Fatalf("%s=%q: %v", key, v, err)
				}
				return x
			}
			// The dots, by the day their title names.
			dots := map[string][]float64{}
			newest, newestDay := -1.0, ""
			for _, c := range elements(svg, "circle") {
				cx, cy, rad := f(c, "cx"), f(c, "cy"), f(c, "r")+1 // the outline is at most 2 wide
				if cx-rad < 0 || cx+rad > w || cy-rad < 0 || cy+rad > h {
					t.Errorf("dot at (%v, %v) r %v reaches past the %vx%v chart", cx, cy, rad, w, h)
				}
				day, _, _ := strings.Cut(textOf(c), ":")
				dots[day] = append(dots[day], cx)
				if cx > newest {
					newest, newestDay = cx, day
				}
			}
			var labels []*html.Node
			for _, txt := range elements(svg, "text") {
				if class, _ := attr(txt, "class"); strings.Contains(class, "xlabel") {
					labels = append(labels, txt)
					continue
				}
				// a y label, anchored at its end
				if x := f(txt, "x"); x-float64(len(textOf(txt)))*charW < 0 {
					t.Errorf("y label %q at %v is cut off on the left", textOf(txt), x)
				}
			}
			if tt.wantLabels > 0 && len(labels) != tt.wantLabels || len(labels) < min(2, len(dots)) {
				t.Errorf("%d date labels, want %d", len(labels), tt.wantLabels)
			}
			prevRight := math.Inf(-1)
			lastLabel := ""
			for _, l := range labels {
				day, x := textOf(l), f(l, "x")
				if a, _ := attr(l, "text-anchor"); a != "middle" {
					t.Errorf("label %s anchored %q, want middle (centred on its point)", day, a)
				}
				if !slices.Contains(dots[day], x) {
					t.Errorf("label %s at x %v is at no point of its day (points at %v)", day, x, dots[day])
				}
				half := float64(len(day)) * charW / 2
				if x-half < 0 || x+half > w {
					t.Errorf("label %s at %v runs past the chart (0 to %v)", day, x, w)
				}
				if y := f(l, "y"); y > h || y-fontSize < 0 {
					t.Errorf("label %s at y %v is outside the chart's height %v", day, y, h)
				}
				if x-half < prevRight {
					t.Errorf("label %s at %v overlaps the label before it (which ends at %v)", day, x, prevRight)
				}
				prevRight, lastLabel = x+half, day
			}
			if lastLabel != newestDay {
				t.Errorf("the last label is %q, want the newest point's day %q", lastLabel, newestDay)
			}
		})
	}
}
