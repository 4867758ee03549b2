package report

import (
	"strings"
	"testing"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/ruledoc"
)

func TestRulePage(t *testing.T) {
	fw, err := baselines.ParseFramework("fw.yaml", []byte(`id: cisa_scuba
title: SCuBA
source: {name: N, version: '1', url: https://example.com}
levels: [shall, should]
idPattern: '^MS\.AAD\.[0-9]+\.[0-9]+v[0-9]+$'
controls:
  - {id: MS.AAD.3.6v1, title: Phishing-resistant MFA for admins, level: shall}
`))
	if err != nil {
		t.Fatal(err)
	}
	score, err := baselines.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	rich := engine.Rule{
		ID: "entra.admin_mfa", Title: "MFA for admins", Description: "Admins are targets.", Severity: result.High, Level: "shall",
		Baselines: []string{"azure-ad"}, Requires: []string{"entra.users"}, SecureScore: []string{"AdminMFAV2"},
		Frameworks:  map[string][]string{"cisa_scuba": {"MS.AAD.3.6v1", "MS.AAD.9.9v1"}, "org_fw": {"X-1"}},
		Remediation: "Require MFA.", File: "policies/entra/admin_mfa/admin_mfa.rego",
		License:    []string{"AAD_PREMIUM_P2", "Entra_Identity_Governance"},
		References: []engine.Reference{{URL: "https://learn.microsoft.com/x", Description: "Microsoft Learn: x"}},
	}
	examples := []ruledoc.Example{
		{Outcome: ruledoc.Passes, Text: "when every admin is covered", Test: "test_passes_when_every_admin_is_covered", File: "policies/entra/admin_mfa/admin_mfa_test.rego", Line: 7},
		{Outcome: ruledoc.Fails, Text: "when an admin is excluded", Test: "test_fails_when_an_admin_is_excluded", File: "policies/entra/admin_mfa/admin_mfa_test.rego", Line: 12,
			Inputs: []string{`input.entra.users = [{"id":"u1"}]`}},
	}
	tests := []struct {
		name string
		page RulePage
		want []string
	}{
		{"every section of a full rule", RulePage{Rule: rich, Examples: examples, Frameworks: []baselines.Framework{fw}, SecureScore: score, Root: "../.."}, []string{
			"# entra.admin_mfa\n\n**MFA for admins**",
			"| Source | [`policies/entra/admin_mfa/admin_mfa.rego`](../../policies/entra/admin_mfa/admin_mfa.rego) |",
			"| Licence | AAD_PREMIUM_P2 or Entra_Identity_Governance |",
			"| cisa_scuba | `MS.AAD.3.6v1` | Phishing-resistant MFA for admins | shall |",
			"| cisa_scuba | `MS.AAD.9.9v1` | not in posture's catalog of this framework | - |",
			"| org_fw | `X-1` | a framework posture has no catalog of | - |",
			"| Secure Score | `AdminMFAV2` | Ensure multifactor authentication is enabled for all users in administrative roles (10 points) | - |",
			"### Fails\n\n- when an admin is excluded ([`test_fails_when_an_admin_is_excluded`](../../policies/entra/admin_mfa/admin_mfa_test.rego#L12))\n\n  ```\n  input.entra.users = [{\"id\":\"u1\"}]\n  ```\n\n### Passes",
			"- [Microsoft Learn: x](https://learn.microsoft.com/x)",
		}},
		{"a bare rule keeps every section", RulePage{Rule: engine.Rule{ID: "org.x", Title: "X", Severity: result.Low, Level: "should", File: "x.rego"}, Root: "."}, []string{
			"## Parameters\n\nNone.", "## Frameworks and Secure Score\n\nNone.", "## Examples\n\nNo test of this rule is named by the convention", "## References\n\nNone.",
			"## Why it matters\n\n-", "## How to fix\n\n-",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := renderDoc(t, RulePages, "markdown", Options{}, tt.page)
			at := 0
			for _, s := range rulePageSections {
				i := strings.Index(out[at:], "\n## "+s+"\n")
				if i < 0 {
					t.Fatalf("section %q missing or out of order:\n%s", s, out)
				}
				at += i
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("page lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
