package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md and docs/rules/*.md from the rule catalog")

// TestRulesDoc keeps docs/rules.md equal to `posture rules --format markdown`.
func TestRulesDoc(t *testing.T) {
	stdout, stderr, code := runIn(t, nil, "rules", "--format", "markdown")
	if code != 0 {
		t.Fatalf("rules --format markdown: exit %d: %s", code, stderr)
	}
	path := filepath.Join("..", "..", "docs", "rules.md")
	if *update {
		if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(want) {
		t.Errorf("docs/rules.md is out of date with the rules' METADATA; run go test ./cmd/posture -run TestRulesDoc -update")
	}
}

func TestRulesMarkdown(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"a built-in rule's sections", []string{"--baseline", "azure-ad"}, 0, []string{
			"| [`entra.admin_mfa`](rules/entra.admin_mfa.md) |", "| Page | [rules/entra.admin_mfa.md](rules/entra.admin_mfa.md) |", "## entra.admin_mfa", "### Why it matters", "### How to fix",
			"### Parameters", "- `privilegedRoles` (array of strings; default `[", "### References", "| Secure Score | `AdminMFAV2` |"}},
		{"an org rule joins the catalog", []string{"--policy", filepath.Join("..", "..", "internal", "engine", "testdata", "orgrule")}, 0, []string{
			"## org.no_guest_admins", "Guest accounts are managed by another organisation", "| [`org.no_guest_admins`](#orgno_guest_admins) |"}},
		{"an unknown format", []string{"--format", "pdf"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"rules", "--format", "markdown"}, tt.args...)
			stdout, stderr, code := runIn(t, nil, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q", w)
				}
			}
		})
	}
}
