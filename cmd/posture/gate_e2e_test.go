package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGateVerdictOnStderrAndInTheResult checks a check that cannot verify everything (the E3
// tenant lacks data for some rules and fails many more): stderr's one line leads with the
// unverifiable rules and cuts the failing list short; result.json records the verdict with
// every rule named; posture report --from shows that stored verdict in every format.
func TestGateVerdictOnStderrAndInTheResult(t *testing.T) {
	out := filepath.Join(t.TempDir(), "result.json")
	run := runPosture(t, nil, "check", "--snapshot", testdataPath("snapshots", "e3-no-p2.json"),
		"--config", testdataPath("configs", "e3-no-p2.yaml"), "--format", "json", "--output", out)
	if run.code != 2 {
		t.Fatalf("exit %d, want 2; stderr %s", run.code, run.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Findings []struct{ RuleID, Status string }
		Gate     struct {
			Passed   bool     `json:"passed"`
			ExitCode int      `json:"exitCode"`
			FailOn   string   `json:"failOn"`
			MinScore *float64 `json:"minScore"`
			Reasons  []string `json:"reasons"`
		} `json:"gate"`
		Evidence struct {
			Config struct{ Path, SHA256 string } `json:"config"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	var errored, failed []string
	for _, f := range res.Findings {
		switch f.Status {
		case "error":
			errored = append(errored, f.RuleID)
		case "fail":
			failed = append(failed, f.RuleID)
		}
	}
	if len(errored) < 2 || len(failed) < 10 {
		t.Fatalf("%d errors and %d failures; the test needs a tenant with both", len(errored), len(failed))
	}

	// stderr: the gate's line leads with the unverifiable rules; the failing list is cut at three.
	var line string
	for l := range strings.Lines(run.stderr) {
		if strings.HasPrefix(l, "posture check: gate: ") {
			line = strings.TrimSpace(l)
		}
	}
	wantStart := fmt.Sprintf("posture check: gate: %d rules could not be verified: %s; %d failing rules at or above info: %s and %d more",
		len(errored), strings.Join(errored, ", "), len(failed), strings.Join(failed[:3], ", "), len(failed)-3)
	if line != wantStart {
		t.Errorf("stderr gate line\n %q\nwant\n %q", line, wantStart)
	}

	// result.json: the whole verdict, every rule named.
	g := res.Gate
	wantReasons := []string{
		fmt.Sprintf("%d rules could not be verified: %s", len(errored), strings.Join(errored, ", ")),
		fmt.Sprintf("%d failing rules at or above info: %s", len(failed), strings.Join(failed, ", ")),
	}
	if g.Passed || g.ExitCode != 2 || g.FailOn != "info" || g.MinScore != nil || strings.Join(g.Reasons, "\n") != strings.Join(wantReasons, "\n") {
		t.Errorf("gate = %+v\nwant exit 2, failOn info, no minScore, reasons %q", g, wantReasons)
	}
	if c := res.Evidence.Config; c.Path != testdataPath("configs", "e3-no-p2.yaml") || len(c.SHA256) != 64 {
		t.Errorf("evidence.config = %+v", c)
	}

	// report --from re-renders the stored verdict, without the snapshot.
	for _, tt := range []struct {
		format string
		want   []string
	}{
		{"text", []string{"gate: FAILED, exit 2 (failOn info, no minScore)", "  " + wantReasons[0], "  " + wantReasons[1]}},
		{"markdown", []string{"**Gate failed** (exit 2) · failOn `info` · no minScore"}},
		{"junit", []string{`<property name="gate.exitCode" value="2">`, `<property name="gate.reason.1" value="` + wantReasons[0] + `">`}},
		{"sarif", []string{`"exitCode": 2`, `"failOn": "info"`}},
		{"json", []string{`"exitCode": 2`, wantReasons[1]}},
	} {
		r := runPosture(t, nil, "report", "--from", out, "--format", tt.format)
		if r.code != 0 {
			t.Errorf("report --format %s: exit %d; stderr %s", tt.format, r.code, r.stderr)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("report --format %s lacks %q", tt.format, w)
			}
		}
	}
}
