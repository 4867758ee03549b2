package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

func TestScoreCommand(t *testing.T) {
	dir := t.TempDir()
	resultFile := filepath.Join(dir, "result.json")
	if _, stderr, code := runIn(t, nil, "check", "--demo", "--format", "json", "--output", resultFile); code != 1 {
		t.Fatalf("check --demo: exit %d, want 1 (the demo fails the gate); stderr %s", code, stderr)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings expected on stdout
		stderr   string   // substring expected on stderr
		jsonOut  bool
		estimate float64
	}{
		{name: "text from the demo", args: []string{"score", "--demo"},
			stdout: []string{"Secure Score", "estimate", "Microsoft reported", "Improvement actions", "quick win", "MFARegistrationV2", "posture counts 20 of 24 covered, Microsoft 18 of 24", "Trend (last 90 days)", "Similar organisations"}},
		{name: "json from a result equals the result's score", args: []string{"score", "--from", resultFile, "--format", "json"}, jsonOut: true, estimate: 51.77},
		{name: "json from the demo", args: []string{"score", "--demo", "--format", "json"}, jsonOut: true, estimate: 51.77},
		{name: "min score met", args: []string{"score", "--demo", "--min-score", "50"}, stdout: []string{"estimate"}},
		{name: "min score missed", args: []string{"score", "--demo", "--min-score", "60"}, code: 1, stderr: "score 51.8% is below the minimum 60.0%"},
		{name: "min score out of range", args: []string{"score", "--demo", "--min-score", "101"}, code: 2, stderr: "--min-score 101: expected a percentage from 0 to 100"},
		{name: "nothing to score", args: []string{"score"}, code: 2, stderr: "nothing to score"},
		{name: "from with a snapshot flag", args: []string{"score", "--from", resultFile, "--demo"}, code: 2, stderr: "--from reads a finished result; --demo"},
		{name: "unknown format", args: []string{"score", "--demo", "--format", "html"}, code: 2, stderr: "--format html: expected one of text, json"},
		{name: "missing result file", args: []string{"score", "--from", filepath.Join(dir, "nope.json")}, code: 2, stderr: "nope.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runIn(t, nil, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tt.stderr)
			}
			if tt.jsonOut {
				var s result.Score
				if err := json.Unmarshal([]byte(stdout), &s); err != nil {
					t.Fatalf("score JSON: %v", err)
				}
				if s.Estimate.Percent != tt.estimate || len(s.Controls) == 0 || len(s.Actions) == 0 || len(s.Trend) == 0 {
					t.Errorf("estimate %g%% with %d controls, %d actions, %d trend points; want %g%% and some of each",
						s.Estimate.Percent, len(s.Controls), len(s.Actions), len(s.Trend), tt.estimate)
				}
			}
		})
	}
}

func TestCheckMinScoreAndHistory(t *testing.T) {
	// lockout's estimate is about 94%; --fail-on none leaves the score as the only gate.
	snap := testdataPath("snapshots", "lockout.json")
	snapCfg := testdataPath("configs", "lockout.yaml")
	hist := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"a minimum the estimate meets passes", []string{"--min-score", "90"}, 0, ""},
		{"one it does not meet fails", []string{"--min-score", "99.9"}, 1, "is below the minimum 99.9%"},
		{"a minimum out of range is a usage error", []string{"--min-score", "-1"}, 2, "--min-score -1: expected a percentage from 0 to 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", "--snapshot", snap, "--config", snapCfg, "--format", "json", "--fail-on", "none", "--history", hist}, tt.args...)
			_, stderr, code := runIn(t, nil, args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
	// Two evaluations of one snapshot are one history entry.
	files, _ := filepath.Glob(filepath.Join(hist, "*", "*.json"))
	if len(files) != 1 {
		t.Fatalf("history holds %v, want one file for the one snapshot", files)
	}
	stdout, stderr, code := runIn(t, nil, "score", "--snapshot", snap, "--config", snapCfg, "--history", hist, "--format", "json")
	if code != 0 {
		t.Fatalf("score: exit %d: %s", code, stderr)
	}
	var s result.Score
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	estimates := 0
	for _, p := range s.Trend {
		if p.Estimate {
			estimates++
			if p.Percent != s.Estimate.Percent {
				t.Errorf("stored estimate %g%%, want %g%%", p.Percent, s.Estimate.Percent)
			}
		}
	}
	if estimates != 1 {
		t.Errorf("trend %+v has %d posture estimates, want 1 from history", s.Trend, estimates)
	}
	// A corrupt history file is bad input, not a silently shorter trend.
	if err := os.WriteFile(files[0], []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runIn(t, nil, "score", "--demo", "--history", hist); code != 0 {
		t.Errorf("another tenant's folder must not be read: exit %d: %s", code, stderr)
	}
	_, stderr, code = runIn(t, nil, "report", "--from", files[0], "--format", "html")
	if code != 2 || !strings.Contains(stderr, files[0]) {
		t.Errorf("report of a corrupt result: exit %d, stderr %q; want 2 naming the file", code, stderr)
	}
	_, stderr, code = runIn(t, nil, "score", "--snapshot", snap, "--config", snapCfg, "--history", hist)
	if code != 2 || !strings.Contains(stderr, filepath.Base(files[0])) {
		t.Errorf("score with a corrupt history file: exit %d, stderr %q; want 2 naming the file", code, stderr)
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	resultFile := filepath.Join(dir, "result.json")
	runIn(t, nil, "check", "--demo", "--format", "json", "--output", resultFile)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"sarif points at the result", []string{"--from", resultFile, "--format", "sarif"}, 0, `"uri": "file://` + resultFile, ""},
		{"markdown", []string{"--from", resultFile, "--format", "markdown"}, 0, "Secure Score", ""},
		{"text", []string{"--from", resultFile}, 0, "Secure Score estimate 262.46/507 (51.77%)", ""},
		{"no result", []string{"--format", "csv"}, 2, "", "--from RESULT is required"},
		{"unknown format", []string{"--from", resultFile, "--format", "pdf"}, 2, "", "--format"},
		{"not a result", []string{"--from", testdataPath("snapshots", "weak.json")}, 2, "", "weak.json: a snapshot, not a result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runIn(t, nil, append([]string{"report"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stdout %.300q, stderr %q; want %d, %q, %q", code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}
