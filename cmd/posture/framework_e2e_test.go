package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// scubaPolicies are the policies of the Entra ID, Exchange Online and Security Suite baselines
// that ScubaGear 1.8.0 checks (PowerShell/ScubaGear/baselines/aad.md, exo.md and
// securitysuite.md at github.com/cisagov/ScubaGear 4d34e9a), in the documents' order: written
// out here from the documents, not read from posture's catalog, so a catalog that lost or
// reordered a policy fails.
var scubaPolicies = []string{
	"MS.AAD.1.1v1", "MS.AAD.2.1v1", "MS.AAD.2.2v1", "MS.AAD.2.3v1",
	"MS.AAD.3.1v1", "MS.AAD.3.2v2", "MS.AAD.3.3v2", "MS.AAD.3.4v1", "MS.AAD.3.5v2", "MS.AAD.3.6v1", "MS.AAD.3.7v1", "MS.AAD.3.8v1", "MS.AAD.3.9v1",
	"MS.AAD.4.1v1", "MS.AAD.5.1v1", "MS.AAD.5.2v1", "MS.AAD.5.3v1", "MS.AAD.5.5v1", "MS.AAD.5.6v1", "MS.AAD.5.7v1", "MS.AAD.6.1v1",
	"MS.AAD.7.1v1", "MS.AAD.7.2v1", "MS.AAD.7.3v1", "MS.AAD.7.4v1", "MS.AAD.7.5v1", "MS.AAD.7.6v1", "MS.AAD.7.7v1", "MS.AAD.7.8v1", "MS.AAD.7.9v1",
	"MS.AAD.8.1v1", "MS.AAD.8.2v1", "MS.AAD.8.3v1", "MS.AAD.9.1v1",
	"MS.EXO.1.1v2", "MS.EXO.2.2v3", "MS.EXO.3.1v1", "MS.EXO.4.1v1", "MS.EXO.4.2v1", "MS.EXO.4.3v1", "MS.EXO.4.4v1",
	"MS.EXO.5.1v1", "MS.EXO.6.1v1", "MS.EXO.6.2v1", "MS.EXO.7.1v1", "MS.EXO.13.1v1",
	"MS.SECURITYSUITE.1.1v1", "MS.SECURITYSUITE.1.2v1", "MS.SECURITYSUITE.1.3v1", "MS.SECURITYSUITE.1.4v1",
	"MS.SECURITYSUITE.2.1v1", "MS.SECURITYSUITE.2.2v1", "MS.SECURITYSUITE.2.3v1", "MS.SECURITYSUITE.2.4v1",
	"MS.SECURITYSUITE.3.1v1", "MS.SECURITYSUITE.3.2v1", "MS.SECURITYSUITE.3.3v1", "MS.SECURITYSUITE.3.4v1", "MS.SECURITYSUITE.3.5v1",
	"MS.SECURITYSUITE.4.1v1", "MS.SECURITYSUITE.4.2v1", "MS.SECURITYSUITE.5.1v1", "MS.SECURITYSUITE.5.2v1",
	"MS.SECURITYSUITE.6.1v1", "MS.SECURITYSUITE.6.2v1", "MS.SECURITYSUITE.7.1v1", "MS.SECURITYSUITE.7.2v1", "MS.SECURITYSUITE.7.3v1",
	"MS.SECURITYSUITE.8.1v1", "MS.SECURITYSUITE.8.2v1",
}

// frameworkDoc is the part of result.json's framework view these tests read.
type frameworkDoc struct {
	Frameworks map[string]struct {
		Summary  map[string]int `json:"summary"`
		Controls []struct {
			ID      string `json:"id"`
			Level   string `json:"level"`
			Verdict string `json:"verdict"`
			Reason  string `json:"reason"`
			Rules   []struct {
				RuleID string `json:"ruleId"`
				Status string `json:"status"`
			} `json:"rules"`
		} `json:"controls"`
	} `json:"frameworks"`
}

// TestFrameworkViewEveryTenant checks the SCuBA framework view of every test tenant through
// the built binary: every policy ScubaGear 1.8.0 checks, in the documents' order, each with a
// verdict from the rules behind it or not_checked with the named reason; and the same view in
// every format --framework takes.
func TestFrameworkViewEveryTenant(t *testing.T) {
	tenants := map[string][2]string{"contoso": {filepath.Join("..", "..", "internal", "demo", "contoso.json"), filepath.Join("..", "..", "examples", "demo", "posture.yaml")}}
	for _, name := range []string{"weak", "hardened", "e3-no-p2", "lockout"} {
		tenants[name] = [2]string{testdataPath("snapshots", name+".json"), testdataPath("configs", name+".yaml")}
	}
	verdicts := []string{"pass", "fail", "error", "not_applicable", "excepted", "not_checked"}
	for name, in := range tenants {
		t.Run(name, func(t *testing.T) {
			r := runPosture(t, nil, "check", "--snapshot", in[0], "--config", in[1], "--framework", "cisa_scuba", "--format", "json")
			var doc frameworkDoc
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("result JSON: %v (exit %d, stderr %s)", err, r.code, r.stderr)
			}
			scuba, ok := doc.Frameworks["cisa_scuba"]
			if !ok {
				t.Fatalf("no cisa_scuba view; frameworks %v", doc.Frameworks)
			}
			var ids []string
			total := 0
			for _, c := range scuba.Controls {
				ids = append(ids, c.ID)
				switch {
				case !slices.Contains(verdicts, c.Verdict):
					t.Errorf("%s: verdict %q", c.ID, c.Verdict)
				case c.Verdict == "not_checked" && len(strings.TrimSpace(c.Reason)) < 10:
					t.Errorf("%s: not_checked without a named reason (%q)", c.ID, c.Reason)
				case c.Verdict != "not_checked" && (len(c.Rules) == 0 || c.Reason != ""):
					t.Errorf("%s: %s from rules %v, reason %q; want the rules behind it and no reason", c.ID, c.Verdict, c.Rules, c.Reason)
				}
				if c.Level != "shall" && c.Level != "should" {
					t.Errorf("%s: level %q", c.ID, c.Level)
				}
			}
			for _, n := range scuba.Summary {
				total += n
			}
			if !slices.Equal(ids, scubaPolicies) {
				t.Errorf("controls\n%v\nwant every SCuBA policy in order\n%v", ids, scubaPolicies)
			}
			if total != len(scubaPolicies) {
				t.Errorf("summary %v counts %d controls, want %d", scuba.Summary, total, len(scubaPolicies))
			}

			// The text view lists the same policies in the same order, and ends with the summary.
			txt := runPosture(t, nil, "check", "--snapshot", in[0], "--config", in[1], "--framework", "cisa_scuba")
			if txt.code != r.code {
				t.Errorf("text exit %d, json exit %d: the gate does not depend on the view", txt.code, r.code)
			}
			at := 0
			for _, id := range scubaPolicies {
				i := strings.Index(txt.stdout[at:], " "+id+" ")
				if i < 0 {
					t.Fatalf("text view lacks %s after offset %d:\n%s", id, at, txt.stdout)
				}
				at += i + len(id)
			}
			if !strings.Contains(txt.stdout, "CISA SCuBA Secure Configuration Baselines for Microsoft 365: 70 controls: ") {
				t.Errorf("text view has no summary line:\n%s", txt.stdout)
			}
		})
	}
}

// TestFrameworkFormats renders the CIS view of one result in every format --framework takes,
// re-renders it with report --from, and refuses what has no framework view.
func TestFrameworkFormats(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "result.json")
	snap, cfg := testdataPath("snapshots", "weak.json"), testdataPath("configs", "weak.yaml")
	if r := runPosture(t, nil, "check", "--snapshot", snap, "--config", cfg, "--format", "json", "--output", res); r.code != 2 {
		t.Fatalf("check: exit %d, want 2 (weak has unverifiable rules): %s", r.code, r.stderr)
	}
	for _, format := range []string{"text", "csv", "markdown", "html", "json"} {
		t.Run(format, func(t *testing.T) {
			check := runPosture(t, nil, "check", "--snapshot", snap, "--config", cfg, "--framework", "cis_m365", "--format", format)
			rep := runPosture(t, nil, "report", "--from", res, "--framework", "cis_m365", "--format", format)
			if rep.code != 0 || rep.stdout == "" {
				t.Fatalf("report: exit %d: %s", rep.code, rep.stderr)
			}
			if format != "json" && format != "html" && check.stdout != rep.stdout {
				t.Errorf("check and report --from give different %s views", format)
			}
			for _, want := range []string{"5.2.2.1", "6.5.4", "entra.admin_mfa"} {
				if format == "html" {
					want = strings.ReplaceAll(strings.ReplaceAll(want, ".", ".<wbr>"), "_", "_<wbr>")
				}
				if !strings.Contains(rep.stdout, want) {
					t.Errorf("%s view lacks %q", format, want)
				}
			}
			if format == "csv" {
				rows, err := csv.NewReader(strings.NewReader(rep.stdout)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != 53 || rows[0][2] != "control" || rows[1][2] != "1.1.1" || rows[52][2] != "6.5.4" {
					t.Errorf("csv has %d rows (want a header and 52 controls in order): %v", len(rows), rows[:min(3, len(rows))])
				}
			}
			if format == "html" && (!strings.Contains(rep.stdout, "script-src &#39;none&#39;") || strings.Contains(rep.stdout, "<script")) {
				t.Error("the html view runs a script or allows one")
			}
		})
	}

	old := filepath.Join(dir, "old.json")
	data, err := os.ReadFile(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "frameworks")
	data, _ = json.Marshal(m)
	if err := os.WriteFile(old, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--snapshot", snap, "--framework", "nist_800_53"}, "--framework nist_800_53: expected one of cis_m365, cisa_scuba"},
		{[]string{"check", "--snapshot", snap, "--framework", "cisa_scuba", "--format", "sarif"}, "--format sarif with --framework cisa_scuba: expected one of csv, html, json, markdown, text"},
		{[]string{"report", "--from", res, "--framework", "cisa_scuba", "--format", "junit"}, "--format junit with --framework cisa_scuba"},
		{[]string{"report", "--from", old, "--framework", "cisa_scuba"}, "the result has no framework view"},
	} {
		r := runPosture(t, nil, tt.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}
