package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckTimeout runs check with an org rule that never finishes: --timeout ends the
// evaluation with one line naming the rule, exit 2 and no report.
func TestCheckTimeout(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Never finishes
# description: Ten billion iterations.
# custom:
#   id: org.slow
#   severity: low
#   level: shall
#   requires: [entra.users]
#   remediation: None.
package posture.rules.org.slow

deny contains {"msg": "never"} if {
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i == j + 1000000
}
`
	if err := os.WriteFile(filepath.Join(dir, "slow.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "result.json")
	stdout, stderr, code := runIn(t, nil, "check", "--snapshot", testdataPath("snapshots", "weak.json"),
		"--policy", dir, "--baseline", "azure-ad,org", "--timeout", "5s", "--format", "json", "--output", out)
	want := "posture check: timed out after 5s (--timeout) while rule org.slow was running; nothing checked\n"
	if code != 2 || stderr != want {
		t.Errorf("exit %d, stderr %q; want 2, %q", code, stderr, want)
	}
	if stdout != "" {
		t.Errorf("stdout %q; want nothing", stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was written (%v); a stopped check writes nothing", out, err)
	}
	if strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr spans several lines: %q", stderr)
	}
}
