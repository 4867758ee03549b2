package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

func TestNewRejectsBadOrgPolicies(t *testing.T) {
	tests := []struct {
		dir  string
		want string
	}{
		{"testdata/syntaxerror", "testdata/syntaxerror/broken.rego:11:"},
		{"testdata/httpsend", "testdata/httpsend/exfil.rego:11:2: http.send is not allowed in posture policies"},
		{"testdata/netlookup", "testdata/netlookup/netlookup.rego:11:7: net.lookup_ip_addr is not allowed in posture policies"},
		{"testdata/opaenv", "testdata/opaenv/opaenv.rego:11:7: opa.runtime is not allowed in posture policies"},
		{"testdata/nometadata", "testdata/nometadata/bare.rego:1: package posture.rules.org.bare has no rule METADATA"},
		{"testdata/badmeta", `testdata/badmeta/badmeta.rego:5: rule METADATA: custom.severity "severe"; expected critical, high, medium, low or info`},
		{"testdata/libclash", "testdata/libclash/ca.rego:1: package posture.lib.ca belongs to posture's built-in library"},
		{"testdata/missing", "policy directory testdata/missing: no such file or directory"},
		{"testdata/shadow", "testdata/shadow/shadow.rego:16:2: variable params shadows import data.posture.lib.params"},
		{"testdata/shadowsome", "testdata/shadowsome/shadowsome.rego:17:7: variable groups shadows import data.posture.lib.groups"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := New(context.Background(), Options{PolicyDirs: []string{tt.dir}})
			if err == nil {
				t.Fatal("New succeeded; want an error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant prefix %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

func TestCatalog(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/orgrule", "testdata/replace"}})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Rule{}
	for i, r := range eng.Rules() {
		if i > 0 && eng.Rules()[i-1].ID >= r.ID {
			t.Errorf("catalog not sorted by id at %s", r.ID)
		}
		byID[r.ID] = r
	}
	tests := []struct {
		id        string
		builtin   bool
		severity  result.Severity
		baselines string
	}{
		{"entra.admin_mfa", true, result.High, "azure-ad"},
		{"org.no_guest_admins", false, result.High, "org"},
		// The org rule replaces the built-in one with the same id, and stays in its baselines.
		{"entra.global_admin_count", false, result.Critical, "azure-ad"},
	}
	for _, tt := range tests {
		r, ok := byID[tt.id]
		if !ok {
			t.Errorf("rule %s missing from catalog", tt.id)
			continue
		}
		if r.Builtin != tt.builtin || r.Severity != tt.severity || strings.Join(r.Baselines, ",") != tt.baselines {
			t.Errorf("rule %s = builtin %v severity %s baselines %v; want %v %s %s", tt.id, r.Builtin, r.Severity, r.Baselines, tt.builtin, tt.severity, tt.baselines)
		}
	}
	for _, r := range eng.Rules() {
		if r.Builtin && (r.Remediation == "" || len(r.References) == 0) {
			t.Errorf("built-in rule %s lacks remediation or references", r.ID)
		}
		if r.Builtin && (len(r.Baselines) == 0 || r.Baselines[0] == OrgBaseline) {
			t.Errorf("built-in rule %s is in no baseline; add it to a file under baselines/", r.ID)
		}
	}
}

// doc builds a snapshot document with the given sources marked ok.
func doc(t *testing.T, entra map[string]any, extraSources map[string]string) *snapshot.Snapshot {
	t.Helper()
	sources := map[string]any{}
	for k := range entra {
		sources["entra."+k] = map[string]any{"status": "ok"}
	}
	for k, st := range extraSources {
		sources[k] = map[string]any{"status": st, "message": "needs something"}
	}
	raw, err := json.Marshal(map[string]any{
		"schemaVersion": 1,
		"generator":     map[string]any{"name": "test", "version": "0"},
		"collectedAt":   "2026-11-22T10:00:00Z",
		"tenant":        map[string]any{"id": "t1", "displayName": "T", "defaultDomain": "t.onmicrosoft.com", "cloud": "global"},
		"sources":       sources,
		"entra":         entra,
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Parse("test.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func finding(t *testing.T, r *result.Result, id string) result.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.RuleID == id {
			return f
		}
	}
	t.Fatalf("no finding for %s", id)
	return result.Finding{}
}

func TestEvaluateStatuses(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/orgrule", "testdata/badoutput"}})
	if err != nil {
		t.Fatal(err)
	}
	guest := map[string]any{"id": "g1", "userPrincipalName": "guest#EXT#@t.onmicrosoft.com", "userType": "Guest", "accountEnabled": true}
	member := map[string]any{"id": "m1", "userPrincipalName": "ann@t.onmicrosoft.com", "userType": "Member", "accountEnabled": true}
	assign := map[string]any{"id": "a1", "principalId": "g1", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "directoryScopeId": "/"}
	tests := []struct {
		name    string
		snap    *snapshot.Snapshot
		rule    string
		status  result.Status
		message string
	}{
		{"deny makes fail", doc(t, map[string]any{"users": []any{guest}, "roleAssignments": []any{assign}}, nil),
			"org.no_guest_admins", result.Fail, "guest guest#EXT#@t.onmicrosoft.com holds a directory role"},
		{"no deny passes", doc(t, map[string]any{"users": []any{member}, "roleAssignments": []any{}}, nil),
			"org.no_guest_admins", result.Pass, ""},
		{"forbidden source errors", doc(t, map[string]any{"users": []any{member}}, map[string]string{"entra.roleAssignments": "forbidden"}),
			"org.no_guest_admins", result.Error, "cannot verify: entra.roleAssignments is forbidden (needs something)"},
		{"absent source errors", doc(t, map[string]any{"users": []any{member}}, nil),
			"org.no_guest_admins", result.Error, "cannot verify: entra.roleAssignments was not collected"},
		{"users without accountEnabled error", doc(t, map[string]any{"users": []any{
			map[string]any{"id": "m1", "userPrincipalName": "ann@t.onmicrosoft.com", "userType": "Member"},
		}, "roleAssignments": []any{}}, nil),
			"org.no_guest_admins", result.Error, "cannot verify: entra.users: 1 of 1 users lack accountEnabled (" +
				"Graph's /users returns them only when $select names them: read users with $select=id,userPrincipalName,accountEnabled,userType)"},
		{"a null Graph never returns errors", doc(t, map[string]any{"users": []any{member}, "roleAssignments": []any{
			map[string]any{"id": "a1", "principalId": nil, "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "directoryScopeId": "/"},
		}}, nil),
			"org.no_guest_admins", result.Error, "cannot verify: entra.roleAssignments: 1 of 1 role assignments have principalId null"},
		{"broken output contract errors", doc(t, map[string]any{}, nil),
			"org.badoutput", result.Error, "rule failed: rule org.badoutput broke the output contract: coverage: covered 5 exceeds total 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := eng.Evaluate(context.Background(), tt.snap, nil, EvalOptions{Baselines: []string{"org"}})
			if err != nil {
				t.Fatal(err)
			}
			f := finding(t, res, tt.rule)
			if f.Status != tt.status || f.Message != tt.message {
				t.Errorf("finding = %s %q; want %s %q", f.Status, f.Message, tt.status, tt.message)
			}
		})
	}
}

func TestExceptions(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/orgrule"}})
	if err != nil {
		t.Fatal(err)
	}
	guest := map[string]any{"id": "g1", "userPrincipalName": "guest@x", "userType": "Guest", "accountEnabled": true}
	snap := doc(t, map[string]any{"users": []any{guest}, "roleAssignments": []any{
		map[string]any{"id": "a1", "principalId": "g1", "roleDefinitionId": "r", "directoryScopeId": "/"},
	}}, nil)
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		yaml     string
		status   result.Status
		warnings int
	}{
		{"active exception", "exceptions:\n  - {rule: org.no_guest_admins, status: third_party, reason: vendor, expires: 2026-11-22}\n", result.Excepted, 0},
		{"expired exception", "exceptions:\n  - {rule: org.no_guest_admins, status: risk_accepted, reason: old, expires: 2026-11-21}\n", result.Fail, 1},
		{"other entity", "exceptions:\n  - {rule: org.no_guest_admins, status: planned, reason: later, expires: 2027-01-01, entities: [g2]}\n", result.Fail, 0},
		{"matching entity", "exceptions:\n  - {rule: org.no_guest_admins, status: planned, reason: later, expires: 2027-01-01, entities: [g1]}\n", result.Excepted, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse("posture.yaml", []byte(tt.yaml), ".")
			if err != nil {
				t.Fatal(err)
			}
			res, err := eng.Evaluate(context.Background(), snap, cfg, EvalOptions{Baselines: []string{"org"}, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			f := finding(t, res, "org.no_guest_admins")
			if f.Status != tt.status || len(res.Warnings) != tt.warnings {
				t.Errorf("status %s with %d warnings %v; want %s with %d", f.Status, len(res.Warnings), res.Warnings, tt.status, tt.warnings)
			}
		})
	}
}

func TestExceptionForUnknownRule(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("posture.yaml", []byte("exceptions:\n  - {rule: entra.admin_mfaa, status: planned, reason: r, expires: 2027-01-01}\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	_, err = eng.Evaluate(context.Background(), doc(t, map[string]any{}, nil), cfg, EvalOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), `posture.yaml:2: exception for unknown rule "entra.admin_mfaa"`) {
		t.Fatalf("error = %v", err)
	}
}

func TestDisable(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/orgrule"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		yaml    string
		present bool   // org.no_guest_admins is in the findings
		warning string // expected warning
		errWant string
	}{
		{"not disabled", "tenant: x.com\n", true, "", ""},
		{"disabled, and the result says so", "tenant: x.com\ndisable: [org.no_guest_admins]\n", false, "posture.yaml:2: rule org.no_guest_admins is disabled by the config and was not evaluated", ""},
		{"a typo is refused", "disable:\n  - org.no_guest_admin\n", true, "", `posture.yaml:2: disable: unknown rule "org.no_guest_admin"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse("posture.yaml", []byte(tt.yaml), ".")
			if err != nil {
				t.Fatal(err)
			}
			res, err := eng.Evaluate(context.Background(), doc(t, map[string]any{}, nil), cfg, EvalOptions{})
			if tt.errWant != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.errWant) {
					t.Fatalf("error = %v, want %q", err, tt.errWant)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			present := false
			for _, f := range res.Findings {
				present = present || f.RuleID == "org.no_guest_admins"
			}
			if present != tt.present || len(res.Findings) == 0 {
				t.Errorf("rule present = %t among %d findings, want %t", present, len(res.Findings), tt.present)
			}
			if got := strings.Join(res.Warnings, "\n"); !strings.Contains(got, tt.warning) || (tt.warning == "" && got != "") {
				t.Errorf("warnings = %q, want %q", got, tt.warning)
			}
		})
	}
}

func TestSelect(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		names   []string
		wantErr string
	}{
		{nil, ""},
		{[]string{"azure-ad"}, ""},
		{[]string{"nope"}, `unknown baseline "nope"`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.names), func(t *testing.T) {
			rules, err := eng.Select(tt.names)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(rules) == 0 {
				t.Fatalf("Select(%v) = %d rules, %v", tt.names, len(rules), err)
			}
		})
	}
}

// TestBaselineSettingsReachRules: a baseline's settings and source are data.posture.baselines.<id>
// for rules, with the YAML's keys and only the expected form given.
func TestBaselineSettingsReachRules(t *testing.T) {
	fixture := `id: fixture
title: Fixture
source: {name: Test baseline, version: "24H2", url: "https://example.com/baseline"}
rules: [{id: org.settings_seen, level: should}]
settings:
  - {id: smb_v1, definitionId: device_vendor_msft_smb, title: SMB v1 off, area: smb, severity: high, expected: {value: device_vendor_msft_smb_0}}
  - {id: pin_length, definitionId: device_vendor_msft_pin, title: PIN length, area: device_lock, severity: low, expected: {min: 6}}
`
	b, err := baselines.Parse("fixture.yaml", []byte(fixture))
	if err != nil {
		t.Fatal(err)
	}
	defer func(old func() ([]baselines.Baseline, error)) { loadBaselines = old }(loadBaselines)
	loadBaselines = func() ([]baselines.Baseline, error) { return []baselines.Baseline{b}, nil }

	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/baselinedata"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Evaluate(context.Background(), doc(t, map[string]any{}, nil), nil, EvalOptions{Baselines: []string{"fixture"}})
	if err != nil {
		t.Fatal(err)
	}
	f := finding(t, res, "org.settings_seen")
	var msgs []string
	for _, v := range f.Violations {
		msgs = append(msgs, v.Msg)
	}
	want := []string{
		`pin_length device_vendor_msft_pin expects {"min": 6} (24H2)`,
		`smb_v1 device_vendor_msft_smb expects {"value": "device_vendor_msft_smb_0"} (24H2)`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}

// TestViolationControls checks a violation's controls: kept on the violation, refused as a rule
// error when they name a control the rule does not cite or none at all, and read by the
// framework view so that one failing setting fails only the controls it breaks.
func TestViolationControls(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/controls"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Evaluate(context.Background(), doc(t, map[string]any{}, nil), nil, EvalOptions{Baselines: []string{"org"}})
	if err != nil {
		t.Fatal(err)
	}
	named := finding(t, res, "org.controls_named")
	if named.Status != result.Fail || len(named.Violations) != 2 ||
		strings.Join(named.Violations[0].Controls, ",") != "1.3.3,MS.EXO.6.2v1" || strings.Join(named.Violations[1].Controls, ",") != "posture" {
		t.Errorf("org.controls_named = %s %+v", named.Status, named.Violations)
	}
	for id, want := range map[string]string{
		"org.controls_typo":  `rule failed: rule org.controls_typo broke the output contract: deny: the violation "smtp auth": controls names "MS.EXO.5.2v1", which the rule's METADATA frameworks do not cite (it cites MS.EXO.5.1v1;`,
		"org.controls_empty": `rule failed: rule org.controls_empty broke the output contract: deny: the violation "external tag": controls must be a non-empty set`,
	} {
		f := finding(t, res, id)
		if f.Status != result.Error || !strings.HasPrefix(f.Message, want) {
			t.Errorf("%s = %s %q, want error %q", id, f.Status, f.Message, want)
		}
	}
	verdicts := map[string]result.ControlVerdict{}
	reasons := map[string]string{}
	for name, fw := range res.Frameworks {
		for _, c := range fw.Controls {
			verdicts[name+" "+c.ID] = c.Verdict
			reasons[name+" "+c.ID] = c.Reason
		}
	}
	for key, want := range map[string]result.ControlVerdict{
		"cisa_scuba MS.EXO.6.1v1":  result.VerdictPass, // the rule fails, but not on contacts
		"cisa_scuba MS.EXO.6.2v1":  result.VerdictFail,
		"cis_m365 1.3.3":           result.VerdictFail,
		"cisa_scuba MS.EXO.5.1v1":  result.VerdictError,
		"cisa_scuba MS.EXO.13.1v1": result.VerdictNotChecked, // exchange.mailbox_audit is not in the org baseline
	} {
		if verdicts[key] != want {
			t.Errorf("%s: %s, want %s", key, verdicts[key], want)
		}
	}
	if r := reasons["cisa_scuba MS.EXO.13.1v1"]; r != "not evaluated in this check: exchange.mailbox_audit (its baseline m365 was not selected)" {
		t.Errorf("MS.EXO.13.1v1 reason %q", r)
	}
	if n := len(res.Frameworks["cisa_scuba"].Controls); n != 70 {
		t.Errorf("cisa_scuba has %d controls, want the catalog's 70", n)
	}
}

// TestDenyAndWarn checks a rule that yields both deny and warn violations: the deny decides
// the status, every violation reaches the finding with its kind, the framework view counts
// each against the controls it names, and an exception that covers the deny leaves a warning.
func TestDenyAndWarn(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/controls"}})
	if err != nil {
		t.Fatal(err)
	}
	snap := doc(t, map[string]any{}, nil)
	verdict := func(res *result.Result, id string) result.ControlVerdict {
		for _, c := range res.Frameworks["cisa_scuba"].Controls {
			if c.ID == id {
				return c.Verdict
			}
		}
		return ""
	}
	tests := []struct {
		name      string
		yaml      string
		status    result.Status
		message   string
		excepted  []bool // per violation, deny first
		verdict41 result.ControlVerdict
		verdict42 result.ControlVerdict
	}{
		{"deny and warn", "", result.Fail, "no DMARC record; and 1 warning", []bool{false, false},
			result.VerdictFail, result.VerdictFail},
		{"the deny excepted", "exceptions:\n  - {rule: org.controls_both, status: planned, reason: migrating, expires: 2027-01-01, entities: [a.example]}\n",
			result.Warn, "DMARC p=quarantine; the rest excepted (planned until 2027-01-01)", []bool{true, false},
			result.VerdictExcepted, result.VerdictFail},
		{"both excepted", "exceptions:\n  - {rule: org.controls_both, status: planned, reason: migrating, expires: 2027-01-01}\n",
			result.Excepted, "excepted (planned until 2027-01-01): migrating", []bool{true, true},
			result.VerdictExcepted, result.VerdictExcepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg *config.Config
			if tt.yaml != "" {
				if cfg, err = config.Parse("posture.yaml", []byte(tt.yaml), "."); err != nil {
					t.Fatal(err)
				}
			}
			res, err := eng.Evaluate(context.Background(), snap, cfg, EvalOptions{Baselines: []string{"org"},
				Now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			f := finding(t, res, "org.controls_both")
			if f.Status != tt.status || f.Message != tt.message {
				t.Errorf("finding = %s %q; want %s %q", f.Status, f.Message, tt.status, tt.message)
			}
			if len(f.Violations) != 2 || f.Violations[0].Kind != result.KindDeny || f.Violations[1].Kind != result.KindWarn ||
				f.Violations[0].Msg != "no DMARC record" || !f.MixedKinds() {
				t.Fatalf("violations = %+v; want the deny, then the warning", f.Violations)
			}
			for i, want := range tt.excepted {
				if f.Violations[i].Excepted != want {
					t.Errorf("violation %d excepted = %v, want %v", i, f.Violations[i].Excepted, want)
				}
			}
			if v := verdict(res, "MS.EXO.4.1v1"); v != tt.verdict41 {
				t.Errorf("MS.EXO.4.1v1: %s, want %s", v, tt.verdict41)
			}
			if v := verdict(res, "MS.EXO.4.2v1"); v != tt.verdict42 {
				t.Errorf("MS.EXO.4.2v1: %s, want %s", v, tt.verdict42)
			}
		})
	}
}

// TestControlCoverage: a rule's control_coverage reaches its finding as controlCoverage, for the
// controls its METADATA maps to only; anything else breaks the output contract.
func TestControlCoverage(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/controlcoverage"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Evaluate(context.Background(), doc(t, map[string]any{}, nil), nil, EvalOptions{Baselines: []string{"org"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rule     string
		status   result.Status
		message  string // prefix
		coverage *result.Coverage
		controls map[string]result.Coverage
	}{
		{"org.cc_counted", result.Fail, "5 of 6 covered (83%); 1 violation", &result.Coverage{Covered: 5, Total: 6},
			map[string]result.Coverage{"scid_1": {Covered: 2, Total: 2}, "scid_2": {Covered: 3, Total: 4}}},
		{"org.cc_unmapped", result.Error, `rule failed: rule org.cc_unmapped broke the output contract: control_coverage: names "scid_9", which the rule's METADATA secure_score does not list (it lists scid_1)`, nil, nil},
		{"org.cc_bad", result.Error, "rule failed: rule org.cc_bad broke the output contract: control_coverage: scid_1: covered 3 exceeds total 2", nil, nil},
		{"org.cc_notobject", result.Error, "rule failed: rule org.cc_notobject broke the output contract: control_coverage: expected an object from Secure Score control id to {covered, total}", nil, nil},
		{"org.cc_na", result.NotApplicable, "the tenant has no Windows devices", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			f := finding(t, res, tt.rule)
			if f.Status != tt.status || !strings.HasPrefix(f.Message, tt.message) {
				t.Errorf("finding = %s %q; want %s %q", f.Status, f.Message, tt.status, tt.message)
			}
			if !reflect.DeepEqual(f.Coverage, tt.coverage) || !reflect.DeepEqual(f.ControlCoverage, tt.controls) {
				t.Errorf("coverage %+v, control coverage %+v; want %+v, %+v", f.Coverage, f.ControlCoverage, tt.coverage, tt.controls)
			}
		})
	}
	b, err := json.Marshal(finding(t, res, "org.cc_counted"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"controlCoverage":{"scid_1":{"covered":2,"total":2},"scid_2":{"covered":3,"total":4}}`) {
		t.Errorf("result JSON = %s; want controlCoverage by control id", b)
	}
}

// TestDMARCNoneWithoutReportsListsEveryViolation checks the built-in exchange.dmarc_enforced on
// a domain whose DMARC record is p=none with no rua= and no ruf= (issue #20): the finding fails
// on the deny and still lists the two warnings, each with its kind and the controls it breaks,
// so the missing reporting addresses MS.EXO.4.4v1 asks for are not dropped.
func TestDMARCNoneWithoutReportsListsEveryViolation(t *testing.T) {
	ctx := context.Background()
	raw, err := os.ReadFile("../../testdata/snapshots/weak.json")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	d["exchange"].(map[string]any)["dns"].(map[string]any)["northwindtraders.com"] =
		map[string]any{"spf": []any{"v=spf1 include:spf.protection.outlook.com -all"}, "dmarc": []any{"v=DMARC1; p=none"}}
	d["exchange"].(map[string]any)["dns"].(map[string]any)["northwindtraders.onmicrosoft.com"] =
		map[string]any{"spf": []any{"v=spf1 include:spf.protection.outlook.com -all"}, "dmarc": []any{"v=DMARC1; p=reject; rua=mailto:d@northwindtraders.com; ruf=mailto:d@northwindtraders.com"}}
	if raw, err = json.Marshal(d); err != nil {
		t.Fatal(err)
	}
	snap, err := snapshot.Parse("weak-dmarc-none.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := New(ctx, Options{Baselines: []string{"m365"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Evaluate(ctx, snap, nil, EvalOptions{Baselines: []string{"m365"}, Now: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	f := finding(t, res, "exchange.dmarc_enforced")
	if f.Status != result.Fail {
		t.Errorf("status %s, want fail (message %q)", f.Status, f.Message)
	}
	want := []struct {
		kind, prefix, controls string
	}{
		{result.KindDeny, "The DMARC policy of northwindtraders.com is p=none", ""},
		{result.KindWarn, "The DMARC record of northwindtraders.com asks for no aggregate reports (no rua=mailto:)", "2.1.10,MS.EXO.4.4v1"},
		{result.KindWarn, "The DMARC record of northwindtraders.com asks for no failure reports (no ruf=mailto:)", "2.1.10,MS.EXO.4.4v1"},
	}
	if len(f.Violations) != len(want) {
		t.Fatalf("%d violations, want %d: %+v", len(f.Violations), len(want), f.Violations)
	}
	for i, w := range want {
		v := f.Violations[i]
		if v.Kind != w.kind || !strings.HasPrefix(v.Msg, w.prefix) {
			t.Errorf("violation %d = %s %q; want %s %q...", i, v.Kind, v.Msg, w.kind, w.prefix)
		}
		if w.controls != "" && strings.Join(v.Controls, ",") != w.controls {
			t.Errorf("violation %d controls %v, want %s", i, v.Controls, w.controls)
		}
	}
}
