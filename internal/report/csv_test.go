package report

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

func parseCSV(t *testing.T, out string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, out)
	}
	return rows
}

// column returns the cell of the row whose first column is id, by header name.
func column(t *testing.T, rows [][]string, key int, id, name string) string {
	t.Helper()
	col := -1
	for i, h := range rows[0] {
		if h == name {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no column %q in %q", name, rows[0])
	}
	for _, row := range rows[1:] {
		if row[key] == id {
			return row[col]
		}
	}
	t.Fatalf("no row for %s", id)
	return ""
}

func TestCSVGolden(t *testing.T) {
	checkGolden(t, "findings.csv.golden", render(t, "csv", Options{}, richSample()))
	checkGolden(t, "action-plan.csv.golden", render(t, "action-plan", Options{}, richSample()))
}

func TestCSVFindings(t *testing.T) {
	r := richSample()
	rows := parseCSV(t, render(t, "csv", Options{}, r))
	if len(rows) != len(r.Findings)+1 {
		t.Fatalf("%d rows, want a header and %d findings", len(rows), len(r.Findings))
	}
	if got := strings.Join(rows[0], ","); got != strings.Join(csvHeader, ",") {
		t.Errorf("header = %s", got)
	}
	tests := []struct {
		id, col, want string
	}{
		{"entra.admin_mfa", "status", "fail"},
		{"entra.admin_mfa", "cisa_scuba", "MS.AAD.3.6v1"},
		{"entra.admin_mfa", "cis_m365", "5.2.2.1"},
		{"entra.admin_mfa", "secureScore", "AdminMFAV2"},
		{"entra.legacy_auth_blocked", "baselines", "azure-ad; exchange"},
		{"entra.mfa_registration", "covered", "7"},
		{"entra.mfa_registration", "total", "19"},
		{"entra.mfa_registration", "violations", "12"},
		{"entra.admin_mfa", "covered", ""},
		{"exo.safe_links", "exceptionStatus", "planned"},
		{"exo.safe_links", "exceptionExpires", "2025-06-30"},
		{"exo.safe_links", "cisa_scuba", "MS.DEFENDER.1.1v1; MS.DEFENDER.1.2v1"},
		{"breakglass.excluded_from_ca", "status", "error"},
		{"exo.dkim_enabled", "status", "not_applicable"},
		{"custom.tricky", "title", `Names with "quotes", commas & <tags> | pipes`},
		{"custom.tricky", "message", "'=HYPERLINK(\"http://evil.example\",\"click\")\nsecond line"},
		{"custom.tricky", "remediation", `Rename, then "re-run"; keep <b>bold</b> & commas, please`},
		{"custom.tricky", "tenant", "7e000000-0001-4000-8000-000000000000"},
		{"custom.tricky", "snapshotSha256", r.Snapshot.SHA256},
		{"custom.tricky", "configSha256", strings.Repeat("c0", 32)},
		{"custom.tricky", "policiesDigest", r.Evidence.Policies.Digest},
	}
	for _, tt := range tests {
		if got := column(t, rows, 0, tt.id, tt.col); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.id, tt.col, got, tt.want)
		}
	}
	for _, row := range rows {
		if len(row) != len(csvHeader) {
			t.Errorf("row %q has %d cells, want %d", row[0], len(row), len(csvHeader))
		}
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+2", "'=1+2"},
		{"+cmd", "'+cmd"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"plain", "plain"},
		{"a=b", "a=b"},
		{"", ""},
		{"12", "12"},
		{"'quoted", "'quoted"},
	}
	for _, tt := range tests {
		if got := neutralise(tt.in); got != tt.want {
			t.Errorf("neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestCSVInjection: no cell of either CSV starts with a formula character, whatever the data.
func TestCSVInjection(t *testing.T) {
	r := richSample()
	r.Findings[0].Title = "=cmd|' /C calc'!A0"
	r.Findings[0].Remediation = "+1"
	r.Findings[0].Exception = &result.Exception{Status: "-x", Reason: "@y", Expires: "\t2025"}
	r.Snapshot.Tenant.ID = "=tenant"
	for _, format := range []string{"csv", "action-plan"} {
		for _, row := range parseCSV(t, render(t, format, Options{}, r)) {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("%s cell %q starts with a formula character", format, cell)
				}
			}
		}
	}
}

func TestActionPlan(t *testing.T) {
	noScore := richSample()
	noScore.Score = nil
	tests := []struct {
		name  string
		r     *result.Result
		order []string // rule ids by priority
		cells map[string]map[string]string
	}{
		{
			name: "with score",
			r:    richSample(),
			// critical first; among the highs, 10 points before none; the planned medium last.
			order: []string{"custom.tricky", "entra.admin_mfa", "breakglass.excluded_from_ca", "exo.safe_links"},
			cells: map[string]map[string]string{
				"custom.tricky":               {"priority": "1", "status": "open", "pointsToGain": "2", "userImpact": "high", "implementationCost": "low", "owner": "", "dueDate": ""},
				"entra.admin_mfa":             {"priority": "2", "pointsToGain": "10", "secureScoreControls": "AdminMFAV2", "userImpact": "low", "remediation": "Require MFA for every privileged role with a Conditional Access policy."},
				"breakglass.excluded_from_ca": {"status": "verify", "pointsToGain": "", "remediation": "Could not be verified (source entra.conditionalAccessPolicies: forbidden): grant the permission or licence, collect again, then fix if it fails. Exclude the break-glass accounts from every Conditional Access policy."},
				"exo.safe_links":              {"status": "planned", "dueDate": "2025-06-30", "justification": "Defender rollout, ticket SEC-42", "pointsToGain": "5"},
			},
		},
		{
			name:  "without score",
			r:     noScore,
			order: []string{"custom.tricky", "breakglass.excluded_from_ca", "entra.admin_mfa", "exo.safe_links"},
			cells: map[string]map[string]string{
				"entra.admin_mfa": {"pointsToGain": "", "userImpact": ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := parseCSV(t, render(t, "action-plan", Options{}, tt.r))
			if got := strings.Join(rows[0], ","); got != strings.Join(actionPlanHeader, ",") {
				t.Errorf("header = %s", got)
			}
			var order []string
			for _, row := range rows[1:] {
				order = append(order, row[1])
			}
			// Not in the plan: the should-level warning, passes, n/a, a non-planned exception.
			if strings.Join(order, " ") != strings.Join(tt.order, " ") {
				t.Errorf("rows = %q, want %q", order, tt.order)
			}
			for id, cells := range tt.cells {
				for col, want := range cells {
					if got := column(t, rows, 1, id, col); got != want {
						t.Errorf("%s %s = %q, want %q", id, col, got, want)
					}
				}
			}
		})
	}
}
