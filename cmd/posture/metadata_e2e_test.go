package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTyposAreErrors runs the built binary as a user with a typo would: a misspelt METADATA
// key, a misspelt parameter and a parameter of the wrong type each end the run with one line
// naming the file and line, and exit 2, before any rule runs.
func TestTyposAreErrors(t *testing.T) {
	const rule = `# METADATA
# title: Few guests
# description: Guests are counted.
# custom:
#   id: org.few_guests
#   severity: low
#   level: should
#   requires: [entra.users]
#   secure_score: []
#   parameters:
#     - name: maxGuests
#       type: integer
#       minimum: 0
#       description: The most guests the tenant may have.
#       default: 10
#   remediation: Remove guests.
package posture.rules.org.few_guests

import data.posture.lib.params

deny contains {"msg": "too many guests", "entity": {"type": "tenant", "id": "t", "name": "t"}} if {
	count([u | some u in input.entra.users; u.userType == "Guest"]) > params.value("maxGuests")
}
`
	snap := testdataPath("snapshots", "weak.json")
	tests := []struct {
		name         string
		rule, config string
		file         string // "rule" or "config": the file the message names
		want         string // the message after "FILE:"
	}{
		{"misspelt METADATA key", strings.Replace(rule, "secure_score:", "secure_scor:", 1), "tenant: northwindtraders.onmicrosoft.com\n", "rule",
			`9: rule METADATA: unknown key "secure_scor" in custom; did you mean "secure_score"?`},
		{"misspelt parameter", rule, "parameters:\n  maxGuest: 3\n", "config",
			`2: parameters.maxGuest is not a parameter of any rule; did you mean "maxGuests"?`},
		{"parameter of the wrong type", rule, "parameters:\n\n  maxGuests: three\n", "config",
			`3: parameters.maxGuests is the string "three"; expected an integer of at least 0`},
		{"parameter out of range", rule, "parameters:\n  maxGuests: -1\n", "config",
			`2: parameters.maxGuests -1 is out of range; expected an integer of at least 0`},
		{"NaN parameter", rule, "parameters:\n  maxGuests: .nan\n", "config",
			`2: parameters.maxGuests ".nan" is not a finite number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			rulePath := filepath.Join(dir, "policies", "few_guests.rego")
			cfgPath := filepath.Join(dir, "posture.yaml")
			if err := os.MkdirAll(filepath.Dir(rulePath), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(rulePath, []byte(tt.rule), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cfgPath, []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runPosture(t, nil, "check", "--snapshot", snap, "--config", cfgPath, "--policy", filepath.Dir(rulePath), "--format", "json")
			file := cfgPath
			if tt.file == "rule" {
				file = rulePath
			}
			want := "posture check: " + file + ":" + tt.want
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if r.code != 2 || len(lines) != 1 || !strings.HasPrefix(lines[0], want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2 and one line starting %s", r.code, r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout is not empty: %.200s", r.stdout)
			}
		})
	}

	// The same rule and a valid config run, with the declared default and the org's value.
	dir := t.TempDir()
	rulePath := filepath.Join(dir, "policies", "few_guests.rego")
	if err := os.MkdirAll(filepath.Dir(rulePath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rulePath, []byte(rule), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ config, status string }{{"tenant: northwindtraders.onmicrosoft.com\n", `"status": "pass"`}, {"parameters:\n  maxGuests: 0\n", `"status": "warn"`}} {
		cfgPath := filepath.Join(dir, "posture.yaml")
		if err := os.WriteFile(cfgPath, []byte(tc.config), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runPosture(t, nil, "check", "--snapshot", snap, "--config", cfgPath, "--policy", filepath.Dir(rulePath), "--baseline", "org", "--format", "json")
		if r.code == 2 || !strings.Contains(r.stdout, `"ruleId": "org.few_guests"`) || !strings.Contains(r.stdout, tc.status) {
			t.Errorf("config %q: exit %d, want org.few_guests with %s\n%s%s", tc.config, r.code, tc.status, r.stdout, r.stderr)
		}
	}
}
