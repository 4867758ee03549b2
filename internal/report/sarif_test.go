package report

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/result"
)

// richSample is sample() with what the CI and auditor formats must get right: a score with
// improvement actions, framework mappings, references, a planned exception, and text that
// needs escaping in every format (<, &, ", newlines, commas, ]]>, control characters, a
// pipe, a leading = + - @ for CSV injection).
func richSample() *result.Result {
	r := sample()
	for i := range r.Findings {
		f := &r.Findings[i]
		switch f.RuleID {
		case "entra.admin_mfa":
			f.SecureScore = []string{"AdminMFAV2"}
			f.Frameworks = map[string][]string{"cisa_scuba": {"MS.AAD.3.6v1"}, "cis_m365": {"5.2.2.1"}}
			f.Remediation = "Require MFA for every privileged role with a Conditional Access policy."
			f.References = []string{
				"https://learn.microsoft.com/entra/identity/role-based-access-control/security-planning",
				"https://www.cisa.gov/scuba",
			}
		case "entra.mfa_registration":
			f.SecureScore = []string{"MFARegistrationV2"}
			f.Frameworks = map[string][]string{"cis_m365": {"5.2.3.4"}}
			f.Remediation = "Run an authentication methods registration campaign."
		case "breakglass.excluded_from_ca":
			f.Remediation = "Exclude the break-glass accounts from every Conditional Access policy."
		}
	}
	r.Findings = append(r.Findings,
		result.Finding{
			RuleID: "custom.tricky", Title: `Names with "quotes", commas & <tags> | pipes`,
			Status: result.Fail, Severity: result.Critical, Level: "shall",
			Baselines:   []string{"azure-ad"},
			SecureScore: []string{"CustomControl"},
			Message:     "=HYPERLINK(\"http://evil.example\",\"click\")\nsecond line",
			Violations: []result.Violation{
				{Msg: "policy ]]> <script>alert(1)</script> \x01\x1b[31m red", Entity: result.Entity{Type: "policy", ID: "p-2", Name: "@SUM(1+1)"}},
				{Msg: "-2+3 cmd|' /C calc'!A0", Entity: result.Entity{Type: "policy", ID: "p-1", Name: "+cmd"}},
			},
			Remediation: "Rename, then \"re-run\"; keep <b>bold</b> & commas, please",
			References:  []string{"javascript:alert(1)"},
		},
		result.Finding{
			RuleID: "exo.safe_links", Title: "Safe Links protects email",
			Status: result.Excepted, Severity: result.Medium, Level: "shall",
			Baselines:   []string{"exchange"},
			SecureScore: []string{"mdo_safelinksforemail"},
			Frameworks:  map[string][]string{"cisa_scuba": {"MS.DEFENDER.1.1v1", "MS.DEFENDER.1.2v1"}},
			Message:     "no Safe Links policy covers all recipients",
			Violations: []result.Violation{
				{Msg: "no Safe Links policy covers all recipients", Entity: result.Entity{Type: "tenant", ID: "t"}, Excepted: true},
			},
			Remediation: "Turn on the Standard preset security policy.",
			Exception:   &result.Exception{Status: "planned", Reason: "Defender rollout, ticket SEC-42", Expires: "2025-06-30"},
		},
	)
	r.Tally()
	r.Score = &result.Score{
		Estimate:           result.Figure{Points: 41.5, Max: 100, Percent: 41.5},
		Reported:           &result.Reported{Figure: result.Figure{Points: 38, Max: 100, Percent: 38}, At: time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC)},
		Projected:          result.Figure{Points: 46.5, Max: 100, Percent: 46.5},
		Achievable:         result.Figure{Points: 90, Max: 100, Percent: 90},
		AchievableAccepted: result.Figure{Points: 87, Max: 100, Percent: 87},
		Actions: []result.Action{
			{Control: "AdminMFAV2", Title: "Require MFA for administrative roles", Category: "Identity", Gain: 10, GainPercent: 10, UserImpact: "low", ImplementationCost: "low", Rules: []string{"entra.admin_mfa"}, QuickWin: true},
			{Control: "MFARegistrationV2", Title: "Ensure all users can complete MFA", Category: "Identity", Gain: 6.3, GainPercent: 6.3, UserImpact: "moderate", ImplementationCost: "moderate", Rules: []string{"entra.mfa_registration"}},
			{Control: "mdo_safelinksforemail", Title: "Turn on Safe Links for email", Category: "Apps", Gain: 5, GainPercent: 5, UserImpact: "low", ImplementationCost: "low", Rules: []string{"exo.safe_links"}, QuickWin: true},
			{Control: "CustomControl", Title: "Custom <control> & co", Category: "Apps", Gain: 2, GainPercent: 2, UserImpact: "high", ImplementationCost: "low", Rules: []string{"custom.tricky"}},
			{Control: "SelfServicePasswordReset", Title: "Enable self-service password reset", Category: "Identity", Gain: 1, GainPercent: 1, UserImpact: "low", ImplementationCost: "moderate"},
			{Control: "PWAgePolicyNew", Title: "Do not expire passwords", Category: "Identity", Gain: 8, GainPercent: 8, UserImpact: "low", ImplementationCost: "low", QuickWin: true},
			{Control: "RiskyUsers", Title: "Turn on the user risk policy", Category: "Identity", Gain: 7, GainPercent: 7, UserImpact: "moderate", ImplementationCost: "moderate", Blocked: "needs Entra ID P2"},
		},
	}
	return r
}

func TestSARIFGolden(t *testing.T) {
	got := render(t, "sarif", Options{Source: "snapshots/northwind.json"}, richSample())
	checkGolden(t, "report.sarif.golden", got)
	if again := render(t, "sarif", Options{Source: "snapshots/northwind.json"}, richSample()); again != got {
		t.Error("two renderings of the same result differ")
	}
}

// TestSARIFSchema validates the output against the SARIF 2.1.0 schema, as rendered and as
// parsed back, for results with and without a score and with no findings at all.
func TestSARIFSchema(t *testing.T) {
	empty := sample()
	empty.Findings, empty.Warnings, empty.Baselines = nil, nil, nil
	empty.Tally()
	demo, _, err := check.Run(context.Background(), check.Options{Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		r    *result.Result
		o    Options
	}{
		{name: "the demo tenant", r: demo, o: Options{Source: "result.json"}},
		{name: "sample", r: sample()},
		{name: "rich", r: richSample(), o: Options{Source: `C:\runner\work\snapshot.json`, MaxViolations: 1}},
		{name: "absolute source", r: richSample(), o: Options{Source: "/tmp/a b/result.json"}},
		{name: "empty", r: empty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := (sarifFormat{tt.o}).build(tt.r).Validate(); err != nil {
				t.Fatalf("built report does not validate: %v", err)
			}
			out := render(t, "sarif", tt.o, tt.r)
			back, err := sarif.FromString(out, sarif.WithStrictValidation())
			if err != nil {
				t.Fatalf("output does not parse: %v", err)
			}
			if err := back.Validate(); err != nil {
				t.Fatalf("parsed output does not validate: %v", err)
			}
		})
	}
}

// TestSARIFContent parses the output back and checks what GitHub code scanning reads.
func TestSARIFContent(t *testing.T) {
	r := richSample()
	out := render(t, "sarif", Options{Source: "./out/snapshot.json"}, r)
	rep, err := sarif.FromString(out)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if rep.Version != "2.1.0" || len(rep.Runs) != 1 {
		t.Fatalf("version %q with %d runs, want 2.1.0 with 1", rep.Version, len(rep.Runs))
	}
	run := rep.Runs[0]
	d := run.Tool.Driver
	if *d.Name != "posture" || d.Version == nil || *d.Version != "0.9.0" || *d.InformationURI != sarifInformationURI {
		t.Errorf("driver = %s %v %s", *d.Name, d.Version, *d.InformationURI)
	}

	// One descriptor per rule, sorted, with GitHub's properties.
	var ids []string
	rules := map[string]*sarif.ReportingDescriptor{}
	for _, rule := range d.Rules {
		ids = append(ids, *rule.ID)
		rules[*rule.ID] = rule
	}
	wantIDs := "breakglass.excluded_from_ca custom.tricky entra.admin_mfa entra.global_admin_count entra.legacy_auth_blocked entra.mfa_registration exo.dkim_enabled exo.safe_links"
	if got := strings.Join(ids, " "); got != wantIDs {
		t.Errorf("rules = %s\nwant %s", got, wantIDs)
	}
	mfa := rules["entra.admin_mfa"]
	if mfa == nil {
		t.Fatal("no entra.admin_mfa rule")
	}
	if got := mfa.Properties.Properties["security-severity"]; got != "8.0" {
		t.Errorf("admin_mfa security-severity = %v, want \"8.0\"", got)
	}
	if got := rules["custom.tricky"].Properties.Properties["security-severity"]; got != "9.5" {
		t.Errorf("custom.tricky security-severity = %v, want \"9.5\"", got)
	}
	if mfa.HelpURI == nil || *mfa.HelpURI != "https://learn.microsoft.com/entra/identity/role-based-access-control/security-planning" {
		t.Errorf("admin_mfa helpUri = %v", mfa.HelpURI)
	}
	if rules["custom.tricky"].HelpURI != nil {
		t.Errorf("a javascript: reference became helpUri %q", *rules["custom.tricky"].HelpURI)
	}
	if *mfa.ShortDescription.Text != "MFA is required for administrative roles" || !strings.Contains(*mfa.Help.Markdown, "Conditional Access policy") {
		t.Errorf("admin_mfa descriptions: %q / %q", *mfa.ShortDescription.Text, *mfa.Help.Markdown)
	}
	if !has(mfa.Properties.Tags, "security") {
		t.Errorf("admin_mfa tags %q lack security", mfa.Properties.Tags)
	}

	// A result per fail, warn, error and excepted finding; none for pass or not applicable.
	want := map[string]struct {
		level      string
		suppressed bool
	}{
		"entra.admin_mfa":             {level: "error"},
		"entra.mfa_registration":      {level: "warning"},
		"breakglass.excluded_from_ca": {level: "error"},
		"entra.global_admin_count":    {level: "error", suppressed: true},
		"custom.tricky":               {level: "error"},
		"exo.safe_links":              {level: "error", suppressed: true},
	}
	if len(run.Results) != len(want) {
		t.Errorf("%d results, want %d", len(run.Results), len(want))
	}
	prints := map[string]bool{}
	for _, res := range run.Results {
		id := *res.RuleID
		w, ok := want[id]
		if !ok {
			t.Errorf("unexpected result for %s", id)
			continue
		}
		if res.Level != w.level {
			t.Errorf("%s level = %s, want %s", id, res.Level, w.level)
		}
		if got := len(res.Suppressions) > 0; got != w.suppressed {
			t.Errorf("%s suppressed = %v, want %v", id, got, w.suppressed)
		}
		if *d.Rules[res.RuleIndex].ID != id {
			t.Errorf("%s ruleIndex %d points at %s", id, res.RuleIndex, *d.Rules[res.RuleIndex].ID)
		}
		if len(res.Locations) != 1 || *res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "out/snapshot.json" {
			t.Errorf("%s locations = %+v, want one at out/snapshot.json", id, res.Locations)
		}
		fp := res.PartialFingerprints[sarifFingerprint]
		if len(fp) != 64 || prints[fp] {
			t.Errorf("%s fingerprint %q is missing or shared", id, fp)
		}
		prints[fp] = true
	}
	byID := map[string]*sarif.Result{}
	for _, res := range run.Results {
		byID[*res.RuleID] = res
	}
	if msg := *byID["breakglass.excluded_from_ca"].Message.Text; !strings.Contains(msg, "could not be verified") || !strings.Contains(msg, "forbidden") {
		t.Errorf("error result message %q does not say it could not be verified and why", msg)
	}
	if j := *byID["exo.safe_links"].Suppressions[0].Justification; j != "planned until 2025-06-30: Defender rollout, ticket SEC-42" {
		t.Errorf("suppression justification = %q", j)
	}
	if msg := *byID["entra.mfa_registration"].Message.Text; !strings.Contains(msg, "- user10@") || strings.Contains(msg, "user11@") || !strings.Contains(msg, "… and 2 more") {
		t.Errorf("warn message does not cap violations at 10:\n%s", msg)
	}
	if rel := byID["custom.tricky"].RelatedLocations; len(rel) != 2 || *rel[0].LogicalLocations[0].FullyQualifiedName != "policy/p-2" {
		t.Errorf("custom.tricky related locations = %d, want 2 naming the policies", len(rel))
	}

	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful == nil || *inv[0].ExecutionSuccessful {
		t.Errorf("invocation should record an unsuccessful run (a rule could not be verified): %+v", inv)
	} else if got := inv[0].Properties.Properties["snapshotSha256"]; got != r.Snapshot.SHA256 {
		t.Errorf("invocation snapshotSha256 = %v", got)
	}
	if tenant, _ := run.Properties.Properties["tenant"].(map[string]any); tenant["id"] != r.Snapshot.Tenant.ID {
		t.Errorf("run properties tenant = %v", run.Properties.Properties["tenant"])
	}
	// The gate and the evidence are result.json's objects, under result.json's names.
	for name, want := range map[string]any{"gate": r.Gate, "evidence": r.Evidence} {
		got, err := json.Marshal(run.Properties.Properties[name])
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := json.Marshal(want)
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(wantJSON, &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("run properties %s = %s, want %s", name, got, wantJSON)
		}
	}
	r.Gate, r.Evidence = nil, nil
	rep, err = sarif.FromString(render(t, "sarif", Options{}, r))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gate", "evidence"} {
		if v, ok := rep.Runs[0].Properties.Properties[name]; ok {
			t.Errorf("a result without %s has run property %s = %v", name, name, v)
		}
	}
}

func TestSARIFFingerprint(t *testing.T) {
	f := func(ids ...string) result.Finding {
		out := result.Finding{RuleID: "entra.admin_mfa"}
		for _, id := range ids {
			out.Violations = append(out.Violations, result.Violation{Msg: "m " + id, Entity: result.Entity{Type: "user", ID: id}})
		}
		return out
	}
	base := fingerprint("t1", f("u1", "u2"))
	tests := []struct {
		name   string
		tenant string
		f      result.Finding
		same   bool
	}{
		{name: "same entities in another order", tenant: "t1", f: f("u2", "u1"), same: true},
		{name: "messages do not count", tenant: "t1", f: func() result.Finding { x := f("u1", "u2"); x.Violations[0].Msg = "changed"; return x }(), same: true},
		{name: "another entity", tenant: "t1", f: f("u1", "u3")},
		{name: "one entity fewer", tenant: "t1", f: f("u1")},
		{name: "another tenant", tenant: "t2", f: f("u1", "u2")},
		{name: "another rule", tenant: "t1", f: func() result.Finding { x := f("u1", "u2"); x.RuleID = "entra.other"; return x }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fingerprint(tt.tenant, tt.f) == base; got != tt.same {
				t.Errorf("same fingerprint = %v, want %v", got, tt.same)
			}
		})
	}
}

func TestArtifactURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", sarifDefaultURI},
		{"snapshot.json", "snapshot.json"},
		{"./out/result.json", "out/result.json"},
		{"dir with space/x#1.json", "dir%20with%20space/x%231.json"},
		{"/abs/x.json", "file:///abs/x.json"},
	}
	for _, tt := range tests {
		if got := artifactURI(tt.in); got != tt.want {
			t.Errorf("artifactURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRuleName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"entra.admin_mfa", "EntraAdminMfa"},
		{"exo.dkim_enabled", "ExoDkimEnabled"},
		{"...", "Rule"},
	}
	for _, tt := range tests {
		if got := ruleName(tt.in); got != tt.want {
			t.Errorf("ruleName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
