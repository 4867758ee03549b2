package main

// End-to-end tests of the command line's shared flags: one way to read them for every command,
// refused values at parse time, and --output that never destroys what it points at.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wantUsage checks a run refused its command line: exit 2, nothing on stdout, one line on
// stderr from the command with every fragment.
func wantUsage(t *testing.T, r runResult, cmd string, fragments ...string) {
	t.Helper()
	if r.code != 2 {
		t.Errorf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing", r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "posture "+cmd+": ") {
		t.Errorf("stderr %q, want one line starting \"posture %s: \"", r.stderr, cmd)
	}
	for _, f := range fragments {
		if !strings.Contains(r.stderr, f) {
			t.Errorf("stderr %q lacks %q", r.stderr, f)
		}
	}
}

func TestFlagErrors(t *testing.T) {
	dir := t.TempDir()
	// A missing snapshot, result or policy directory would be an error of its own: each
	// case names one, so only a flag checked when the command line is parsed can come first.
	missing := filepath.Join(dir, "missing.json")
	hardened := testdataPath("snapshots", "hardened.json")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"check format", []string{"check", "--snapshot", missing, "--format", "xml"}, []string{"--format xml: expected one of action-plan, csv, html, json, junit, markdown, ocsf, sarif, text"}},
		{"check format shorthand", []string{"check", "--snapshot", missing, "-f", "PDF"}, []string{"--format PDF: expected one of action-plan,"}},
		{"check empty format", []string{"check", "--snapshot", missing, "--format="}, []string{`--format "": expected one of`}},
		{"score format", []string{"score", "--snapshot", missing, "--format", "html"}, []string{"--format html: expected one of text, json"}},
		{"report format", []string{"report", "--format", "pdf"}, []string{"--format pdf: expected one of action-plan, csv, html, json, junit, markdown, ocsf, sarif, text"}},
		{"diff format", []string{"diff", missing, missing, "--format", "html"}, []string{"--format html: expected one of text, json"}},
		{"rules format", []string{"rules", "--policy", missing, "--format", "html"}, []string{"--format html: expected one of text, json, markdown"}},
		{"test format", []string{"test", missing, "--format", "junit"}, []string{"--format junit: expected one of text, json"}},
		{"fail-on", []string{"check", "--snapshot", missing, "--fail-on", "severe"}, []string{"--fail-on severe: expected one of critical, high, medium, low, info, none"}},
		{"fail-on case", []string{"check", "--snapshot", missing, "--fail-on", "High"}, []string{"--fail-on High: expected one of"}},
		{"min-score NaN", []string{"check", "--snapshot", missing, "--min-score", "NaN"}, []string{"--min-score NaN: expected a percentage from 0 to 100"}},
		{"min-score nan", []string{"check", "--snapshot", missing, "--min-score", "nan"}, []string{"--min-score nan: expected a percentage from 0 to 100"}},
		{"min-score Inf", []string{"check", "--snapshot", missing, "--min-score", "Inf"}, []string{"--min-score Inf: expected a percentage from 0 to 100"}},
		{"min-score -Inf", []string{"check", "--snapshot", missing, "--min-score=-Inf"}, []string{"--min-score -Inf: expected a percentage"}},
		{"min-score infinity", []string{"check", "--snapshot", missing, "--min-score", "+infinity"}, []string{"--min-score +infinity: expected a percentage"}},
		{"min-score overflow", []string{"check", "--snapshot", missing, "--min-score", "1e400"}, []string{"--min-score 1e400: expected a percentage"}},
		{"min-score above 100", []string{"check", "--snapshot", missing, "--min-score", "100.5"}, []string{"--min-score 100.5: expected a percentage from 0 to 100"}},
		{"min-score negative", []string{"check", "--snapshot", missing, "--min-score=-1"}, []string{"--min-score -1: expected a percentage"}},
		{"min-score word", []string{"check", "--snapshot", missing, "--min-score", "high"}, []string{"--min-score high: expected a percentage"}},
		{"score min-score NaN", []string{"score", "--snapshot", missing, "--min-score", "NaN"}, []string{"--min-score NaN: expected a percentage from 0 to 100"}},
		{"score actions negative", []string{"score", "--snapshot", missing, "--actions=-1"}, []string{"--actions -1: expected 0 (all) or more"}},
		{"score actions fraction", []string{"score", "--snapshot", missing, "--actions", "1.5"}, []string{"--actions 1.5: expected 0 (all) or more"}},
		{"throttle-rate NaN", []string{"sim", "serve", "--snapshot", missing, "--throttle-rate", "NaN"}, []string{"--throttle-rate NaN: expected a fraction from 0 to 1"}},
		{"throttle-rate Inf", []string{"sim", "serve", "--snapshot", missing, "--throttle-rate", "Inf"}, []string{"--throttle-rate Inf: expected a fraction from 0 to 1"}},
		{"page-size", []string{"sim", "serve", "--snapshot", missing, "--page-size", "0"}, []string{"--page-size 0: expected a positive number"}},
		{"unknown flag", []string{"score", "--snapshot", missing, "--nope"}, []string{"unknown flag: --nope", "(see posture score --help)"}},
		{"diff takes --policy", []string{"diff", hardened, hardened, "--policy", missing}, []string{missing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := tt.args[0]
			r := runPosture(t, nil, tt.args...)
			wantUsage(t, r, cmd, tt.want...)
			if tt.name != "diff takes --policy" && strings.Contains(r.stderr, "no such file") {
				t.Errorf("the flag was not checked first: %s", r.stderr)
			}
		})
	}
}

// TestHelpEveryCommand checks --help of every command, sim serve included, exits 0 with its
// usage and nothing on stderr.
func TestHelpEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"collect"}, {"check"}, {"score"}, {"report"}, {"diff"}, {"rules"}, {"test"}, {"init"}, {"version"}, {"sim", "serve"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runPosture(t, nil, append(args, "--help")...)
			if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "Usage: posture "+strings.Join(args, " ")) {
				t.Errorf("exit %d, stderr %q, stdout %.60q; want 0, nothing and the usage", r.code, r.stderr, r.stdout)
			}
		})
	}
}

// TestOutputIsNotAnInput refuses to write a report over the file it is about.
func TestOutputIsNotAnInput(t *testing.T) {
	dir := t.TempDir()
	copyFile := func(src, name string) string {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	snap := copyFile(testdataPath("snapshots", "weak.json"), "weak.json")
	cfg := copyFile(testdataPath("configs", "weak.yaml"), "weak.yaml")
	res := filepath.Join(dir, "result.json")
	if r := runPosture(t, nil, "check", "--snapshot", snap, "--fail-on", "none", "--format", "json", "--output", res); r.code != 0 {
		t.Fatalf("check: exit %d: %s", r.code, r.stderr)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("weak.json", link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.json")
	if err := os.Link(snap, hard); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   string // the directory to run in; "" for the test's
		args []string
		want string
	}{
		{"the same path", "", []string{"check", "--snapshot", snap, "--output", snap}, "--output " + snap + " is --snapshot " + snap},
		{"a symbolic link to it", "", []string{"check", "--snapshot", snap, "--output", link}, "is --snapshot"},
		{"the link as the input", "", []string{"check", "--snapshot", link, "-o", snap}, "is --snapshot"},
		{"a hard link to it", "", []string{"check", "--snapshot", snap, "--output", hard}, "is --snapshot"},
		{"a relative path", dir, []string{"check", "--snapshot", snap, "--output", "weak.json"}, "--output weak.json is --snapshot"},
		{"a path with dots", sub, []string{"check", "--snapshot", snap, "--output", "../sub/../weak.json"}, "is --snapshot"},
		{"the config", "", []string{"check", "--snapshot", snap, "--config", cfg, "--output", cfg}, "is --config"},
		{"a live check's config", "", []string{"check", "--config", cfg, "--output", cfg}, "is --config"},
		{"score's snapshot", "", []string{"score", "--snapshot", snap, "--output", link}, "is --snapshot"},
		{"score's result", "", []string{"score", "--from", res, "--output", res}, "is --from"},
		{"report's result", "", []string{"report", "--from", res, "--format", "html", "--output", res}, "is --from"},
		{"diff's old file", "", []string{"diff", snap, res, "--output", hard}, "is OLD"},
		{"diff's new file", "", []string{"diff", res, snap, "--output", snap}, "is NEW"},
		{"collect's config", "", []string{"collect", "--config", cfg, "--output", cfg}, "is --config"},
	}
	sum := func() string {
		var b strings.Builder
		for _, p := range []string{snap, cfg, res} {
			data, _ := os.ReadFile(p)
			b.Write(data)
		}
		return b.String()
	}
	before := sum()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runPostureIn(t, tt.in, nil, tt.args...)
			wantUsage(t, r, tt.args[0], tt.want, "refusing to write over an input")
			if sum() != before {
				t.Fatal("an input changed")
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("%s is no longer a link", link)
			}
		})
	}
	// A different file next to the input is fine.
	if r := runPosture(t, nil, "check", "--snapshot", link, "--fail-on", "none", "--output", filepath.Join(dir, "other.json")); r.code != 0 {
		t.Errorf("check to another file: exit %d: %s", r.code, r.stderr)
	}
}
