package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/ocsfschema"
)

// TestOCSFDemo runs check --demo --format ocsf as a SIEM pipeline would: one valid OCSF
// Compliance Finding event per finding of the result, in the result's order, with the gate's
// exit code; report --from re-renders the stored result to the same bytes.
func TestOCSFDemo(t *testing.T) {
	schema, err := ocsfschema.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	resultFile := filepath.Join(dir, "result.json")
	if r := runPosture(t, nil, "check", "--demo", "--format", "json", "--output", resultFile); r.code != 1 {
		t.Fatalf("check --demo --format json: exit %d, want 1 (stderr: %s)", r.code, r.stderr)
	}
	data, err := os.ReadFile(resultFile)
	if err != nil {
		t.Fatal(err)
	}
	var res checkResult
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("result: %v", err)
	}

	r := runPosture(t, nil, "check", "--demo", "--format", "ocsf")
	if r.code != 1 {
		t.Fatalf("check --demo --format ocsf: exit %d, want 1 (the demo fails the gate; stderr: %s)", r.code, r.stderr)
	}
	events, err := ocsfschema.DecodeLines(r.stdout)
	if err != nil {
		t.Fatalf("check --demo --format ocsf: %v", err)
	}
	if len(res.Findings) < 35 || len(events) != len(res.Findings) {
		t.Fatalf("%d events for %d findings; want one per finding", len(events), len(res.Findings))
	}
	statuses := map[string]int{}
	for i, e := range events {
		f := res.Findings[i]
		errs, _ := schema.Validate(e)
		for _, msg := range errs {
			t.Errorf("event %d (%s): %s", i+1, f.RuleID, msg)
		}
		info, _ := e["finding_info"].(map[string]any)
		analytic, _ := info["analytic"].(map[string]any)
		if analytic["uid"] != f.RuleID || e["status_code"] != f.Status {
			t.Errorf("event %d is rule %v, %v; want %s, %s", i+1, analytic["uid"], e["status_code"], f.RuleID, f.Status)
		}
		cloud, _ := e["cloud"].(map[string]any)
		account, _ := cloud["account"].(map[string]any)
		if account["uid"] != "7e000000-0004-4000-8000-000000000000" {
			t.Errorf("event %d: cloud.account.uid %v; want the demo tenant's id", i+1, account["uid"])
		}
		statuses[f.Status]++
	}
	if statuses["fail"] == 0 || statuses["pass"] == 0 {
		t.Errorf("statuses %v: the demo should have failing and passing findings", statuses)
	}

	again := runPosture(t, nil, "report", "--from", resultFile, "--format", "ocsf")
	if again.code != 0 || again.stdout != r.stdout {
		t.Errorf("report --from result.json --format ocsf: exit %d, same bytes as check: %v (stderr: %s)", again.code, again.stdout == r.stdout, again.stderr)
	}

	framework := runPosture(t, nil, "check", "--demo", "--format", "ocsf", "--framework", "cis_m365")
	if framework.code != 2 || !strings.Contains(framework.stderr, "--format ocsf with --framework cis_m365") || framework.stdout != "" {
		t.Errorf("--format ocsf --framework: exit %d, stdout %d bytes, stderr %q; want exit 2, nothing written, and the reason", framework.code, len(framework.stdout), framework.stderr)
	}
}
