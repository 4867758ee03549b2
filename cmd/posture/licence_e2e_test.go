package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/m365posture/posture/baselines/licensing"
)

// e3PlusDefenderP2 is testdata/README.md's variant "weak + E3 + MDO P2": Northwind Traders
// (weak.json) licensed with Microsoft 365 E3 and the Defender for Office 365 (Plan 2) add-on
// instead of Microsoft 365 E5. Both subscriptions list every service plan Microsoft's table
// (baselines/licensing, both products verified against Microsoft's page) gives the product, as
// subscribedSkus returns them; the sources Entra ID P2 gates are unlicensed, as the collector
// records them in an E3 tenant (e3-no-p2.json).
func e3PlusDefenderP2(t *testing.T) string {
	t.Helper()
	tab, err := licensing.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Only products whose rows were copied from Microsoft's page (and which the table agrees
	// with, TestMicrosoftRows) may build a test tenant.
	ms, err := licensing.LoadMicrosoftRows()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(testdataPath("snapshots", "weak.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	const tenant = "7e000000-0001-4000-8000-000000000000"
	subscription := func(part, sub string, units int) map[string]any {
		ps := tab.ProductByPartNumber(part)
		if len(ps) != 1 {
			t.Fatalf("Microsoft's table has %d products %s, want 1", len(ps), part)
		}
		if len(ms.ProductByPartNumber(part)) != 1 {
			t.Fatalf("%s is not among the rows copied from Microsoft's page (baselines/licensing/microsoft-rows.md)", part)
		}
		var plans []any
		for _, pl := range ps[0].Plans {
			plans = append(plans, map[string]any{"servicePlanId": pl.ID, "servicePlanName": pl.Name,
				"provisioningStatus": "Success", "appliesTo": "User"})
		}
		return map[string]any{
			"accountName": "NorthwindTraders", "accountId": tenant, "appliesTo": "User", "capabilityStatus": "Enabled",
			"consumedUnits": 9, "id": tenant + "_" + ps[0].SkuID,
			"prepaidUnits": map[string]any{"enabled": units, "lockedOut": 0, "suspended": 0, "warning": 0},
			"servicePlans": plans, "skuId": ps[0].SkuID, "skuPartNumber": part, "subscriptionIds": []any{sub},
		}
	}
	entra := doc["entra"].(map[string]any)
	entra["subscribedSkus"] = []any{
		subscription("SPE_E3", "5f1a0001-0002-4000-8000-000000000002", 10),
		subscription("THREAT_INTELLIGENCE", "5f1a0001-0003-4000-8000-000000000003", 10),
	}
	sources := doc["sources"].(map[string]any)
	sources["entra.subscribedSkus"] = map[string]any{"status": "ok", "count": 2}
	for _, key := range []string{"riskyUsers", "roleEligibilitySchedules", "roleAssignmentScheduleInstances", "roleManagementPolicyAssignments"} {
		delete(entra, key)
		sources["entra."+key] = map[string]any{"status": "unlicensed", "message": "needs Microsoft Entra ID P2"}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "weak-e3-mdo-p2.json")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSafeDocumentsNeedsSafeDocs checks, through the binary, a tenant with Microsoft 365 E3 and
// Defender for Office 365 Plan 2 (issue #20): Safe Documents is not_applicable naming the
// SAFEDOCS service plan, never warn or fail, and its Secure Score control is unlicensed, while
// the Defender for Office 365 rules still apply and Customer Lockbox (not in E3) does not.
func TestSafeDocumentsNeedsSafeDocs(t *testing.T) {
	r := runPosture(t, nil, "check", "--snapshot", e3PlusDefenderP2(t), "--format", "json",
		"--config", testdataPath("configs", "weak.yaml"))
	var res struct {
		Findings []struct {
			RuleID, Status, Message string
		} `json:"findings"`
		Score struct {
			Controls []struct {
				ID, Status string
				Licensed   bool
			} `json:"controls"`
		} `json:"score"`
		Frameworks map[string]struct {
			Controls []struct {
				ID, Verdict string
				Rules       []struct{ RuleID, Status, Message string }
			} `json:"controls"`
		} `json:"frameworks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("result JSON: %v; exit %d, stderr %s", err, r.code, r.stderr)
	}
	tests := []struct {
		rule, status, message string
	}{
		{"defender.safe_documents", "not_applicable", "SAFEDOCS"},
		{"exchange.customer_lockbox", "not_applicable", "LOCKBOX_ENTERPRISE"},
		// Defender for Office 365 Plan 2 (and the Plan 1 inside it) is seen: its rules judge
		// Northwind's settings as on the E5 tenant.
		{"defender.safe_links_email", "fail", ""},
		{"defender.mailbox_intelligence", "fail", ""},
		{"defender.safe_attachments_spo_teams", "fail", ""},
		// Neither Entra ID P2 nor ID Governance: PIM and risk-based Conditional Access are
		// features the tenant cannot have, so not_applicable naming the plans, never fail.
		{"entra.privileged_roles_assigned_in_pim", "not_applicable", "AAD_PREMIUM_P2 (in Enterprise Mobility + Security E5, Microsoft 365 E5, Microsoft Entra ID P2) or Entra_Identity_Governance"},
		// The standing assignments are what MS.AAD.7.4v1 judges, and Graph lists them without
		// PIM; SCuBA accepts a third-party PAM system instead of PIM, so the rule still applies.
		{"entra.permanent_privileged_assignments", "fail", ""},
		{"conditionalaccess.high_risk_users_blocked", "not_applicable", "AAD_PREMIUM_P2"},
		{"conditionalaccess.user_risk_policy", "not_applicable", "AAD_PREMIUM_P2"},
	}
	for _, tt := range tests {
		found := false
		for _, f := range res.Findings {
			if f.RuleID != tt.rule {
				continue
			}
			found = true
			if f.Status != tt.status || !strings.Contains(f.Message, tt.message) {
				t.Errorf("%s = %s %q; want %s naming %q", tt.rule, f.Status, f.Message, tt.status, tt.message)
			}
		}
		if !found {
			t.Errorf("no finding for %s", tt.rule)
		}
	}
	// The SCuBA controls of those rules are not_applicable too, with the rule's reason, which
	// says ScubaGear fails them.
	verdicts := map[string]string{}
	for _, c := range res.Frameworks["cisa_scuba"].Controls {
		for _, r := range c.Rules {
			verdicts[c.ID] = c.Verdict + ": " + r.Message
		}
	}
	for id, plan := range map[string]string{"MS.AAD.2.1v1": "AAD_PREMIUM_P2", "MS.AAD.2.3v1": "AAD_PREMIUM_P2",
		"MS.AAD.7.5v1": "Entra_Identity_Governance", "MS.AAD.7.6v1": "Entra_Identity_Governance", "MS.AAD.7.7v1": "Entra_Identity_Governance",
		"MS.AAD.7.8v1": "Entra_Identity_Governance", "MS.AAD.7.9v1": "Entra_Identity_Governance"} {
		v := verdicts[id]
		if !strings.HasPrefix(v, "not_applicable: ") || !strings.Contains(v, plan) || !strings.Contains(v, "ScubaGear fails "+id) {
			t.Errorf("SCuBA %s = %q; want not_applicable naming %s and ScubaGear", id, v, plan)
		}
	}
	controls := map[string]bool{}
	for _, c := range res.Score.Controls {
		controls[c.ID] = c.Licensed
	}
	for id, licensed := range map[string]bool{"mdo_safedocuments": false, "mdo_safelinksforemail": true} {
		if got, ok := controls[id]; !ok || got != licensed {
			t.Errorf("Secure Score control %s licensed = %v (present %v), want %v", id, got, ok, licensed)
		}
	}
}
