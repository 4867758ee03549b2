package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

// TestFlagTypes reads posture's own flag types as a command line does.
func TestFlagTypes(t *testing.T) {
	var (
		format  string
		gate    gateFlags
		rate    float64
		actions int
	)
	fs := newFlags("x", "x", env{stdout: &bytes.Buffer{}})
	addFormatFlag(fs, &format, []string{"text", "json"})
	gate.register(fs, true, "minimum `PERCENT`")
	addNumberFlag(fs, "rate", "a fraction", 0, 0, 1, "expected a fraction from 0 to 1", func(v float64) { rate = v })
	addCountFlag(fs, &actions, "actions", "how many", 15, 0, "expected 0 (all) or more")
	if format != "text" || actions != 15 || gate.minScore != nil || gate.failOn != "" {
		t.Fatalf("defaults: format %q, actions %d, min %v, fail-on %q", format, actions, gate.minScore, gate.failOn)
	}
	tests := []struct {
		args []string
		want string // the error; "" for none
	}{
		{[]string{"--format", "json"}, ""},
		{[]string{"-f", "yaml"}, "--format yaml: expected one of text, json"},
		{[]string{"--format", "a b"}, `--format "a b": expected one of text, json`},
		{[]string{"--fail-on", "none"}, ""},
		{[]string{"--fail-on", "warn"}, "--fail-on warn: expected one of critical, high, medium, low, info, none"},
		{[]string{"--min-score", "0"}, ""},
		{[]string{"--min-score", "100"}, ""},
		{[]string{"--min-score", "42.5"}, ""},
		{[]string{"--min-score", "NaN"}, "--min-score NaN: expected a percentage from 0 to 100"},
		{[]string{"--min-score", "-NaN"}, "--min-score -NaN: expected a percentage from 0 to 100"},
		{[]string{"--min-score", "inf"}, "--min-score inf: expected a percentage from 0 to 100"},
		{[]string{"--min-score", "1e309"}, "--min-score 1e309: expected a percentage from 0 to 100"},
		{[]string{"--min-score", "100.0001"}, "--min-score 100.0001: expected a percentage from 0 to 100"},
		{[]string{"--min-score", ""}, `--min-score "": expected a percentage from 0 to 100`},
		{[]string{"--rate", "0.25"}, ""},
		{[]string{"--rate", "NaN"}, "--rate NaN: expected a fraction from 0 to 1"},
		{[]string{"--actions", "0"}, ""},
		{[]string{"--actions", "-3"}, "--actions -3: expected 0 (all) or more"},
		{[]string{"--actions", "NaN"}, "--actions NaN: expected 0 (all) or more"},
		{[]string{"--actions", "99999999999999999999"}, "--actions 99999999999999999999: expected 0 (all) or more"},
		{[]string{"--nope"}, "unknown flag: --nope"},
		{[]string{"--help"}, "usage printed"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err := parse(fs, tt.args)
			if fmt.Sprint(err) != tt.want && !(tt.want == "" && err == nil) {
				t.Errorf("parse %v: %v, want %q", tt.args, err, tt.want)
			}
			var ue usageError
			if err != nil && !errors.Is(err, errHelp) && !errors.As(err, &ue) {
				t.Errorf("%v is %T, want a usageError", err, err)
			}
		})
	}
	if format != "json" || gate.failOn != "none" || gate.minScore == nil || *gate.minScore != 42.5 || rate != 0.25 || actions != 0 {
		t.Errorf("values: format %q, fail-on %q, min %v, rate %v, actions %d", format, gate.failOn, gate.minScore, rate, actions)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		line string
	}{
		{"nil", nil, result.ExitPassed, ""},
		{"help", errHelp, result.ExitPassed, ""},
		{"usage shown for a command run without what it needs", &exitError{code: result.ExitUsage, err: errHelp}, result.ExitUsage, ""},
		{"usage", usageError{errors.New("bad flag")}, result.ExitUsage, "posture x: bad flag (see posture x --help)\n"},
		{"gate", verdict("gate", result.Verdict{Code: result.ExitFailed, Reasons: []string{"a", "b"}}), result.ExitFailed, "posture x: gate: a; b\n"},
		{"unverified", verdict("", result.Verdict{Code: result.ExitUnverified, Reasons: []string{"c"}}), result.ExitUnverified, "posture x: c\n"},
		{"passed", verdict("gate", result.Verdict{Code: result.ExitPassed}), result.ExitPassed, ""},
		{"bad input", errors.New("f.json:\n  3: bad"), result.ExitUsage, "posture x: f.json: 3: bad\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if code := exitCode(&b, "x", tt.err); code != tt.code || b.String() != tt.line {
				t.Errorf("exitCode(%v) = %d, %q; want %d, %q", tt.err, code, b.String(), tt.code, tt.line)
			}
		})
	}
}

func TestRefuseInputs(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "snap.json")
	if err := os.WriteFile(snap, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		out    string
		inputs []input
		want   string
	}{
		{"", []input{{"--snapshot", snap}}, ""},
		{"-", []input{{"--snapshot", snap}}, ""},
		{filepath.Join(dir, "out.json"), []input{{"--snapshot", snap}, {"--config", ""}}, ""},
		{snap, []input{{"--config", ""}, {"--snapshot", snap}}, "--output " + snap + " is --snapshot " + snap + ": refusing to write over an input"},
		{filepath.Join(dir, "new.json"), []input{{"--from", filepath.Join(dir, ".", "new.json")}}, "is --from"},
	}
	for _, tt := range tests {
		err := refuseInputs(tt.out, tt.inputs...)
		if fmt.Sprint(err) != tt.want && !(tt.want == "" && err == nil) && !strings.Contains(fmt.Sprint(err), tt.want) {
			t.Errorf("refuseInputs(%q, %v) = %v, want %q", tt.out, tt.inputs, err, tt.want)
		}
		if (err == nil) != (tt.want == "") {
			t.Errorf("refuseInputs(%q, %v) = %v, want %q", tt.out, tt.inputs, err, tt.want)
		}
	}
}
