package main

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/ruledoc"
	"github.com/m365posture/posture/policies"
)

// TestRulePages keeps docs/rules/<id>.md, a page per built-in rule, equal to what the rules'
// METADATA and tests give; with -update it rewrites them and removes pages of rules that no
// longer exist. The pages are generated here rather than by a posture command because they are
// the repository's documentation of its own rules, made from their test files, which posture
// does not ship in its rule catalog (org authors have posture rules and posture test).
func TestRulePages(t *testing.T) {
	pages := rulePages(t)
	dir := filepath.Join("..", "..", "docs", "rules")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	existing, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range existing {
		if _, ok := pages[strings.TrimSuffix(filepath.Base(f), ".md")]; ok {
			continue
		}
		if *update {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s documents no rule; run go test ./cmd/posture -run TestRulePages -update", f)
	}
	for id, page := range pages {
		// The convention gives every rule a failing and a passing example.
		if !bytes.Contains(page, []byte("\n### Passes\n")) || !(bytes.Contains(page, []byte("\n### Fails\n")) || bytes.Contains(page, []byte("\n### Warns\n"))) {
			t.Errorf("rule %s has no test named test_fails_... (or test_warns_...) and test_passes_...: name its tests for what they show (README, Writing a rule)", id)
		}
		file := filepath.Join(dir, id+".md")
		if *update {
			if err := os.WriteFile(file, page, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(file)
		if err != nil || !bytes.Equal(want, page) {
			t.Errorf("%s is missing or out of date with the rule's METADATA and tests; run go test ./cmd/posture -run TestRulePages -update", file)
		}
	}
}

// rulePages renders the page of every built-in rule, by rule id.
func rulePages(t *testing.T) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	cat, err := engine.NewCatalog(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := cat.ParameterDefaults()
	if err != nil {
		t.Fatal(err)
	}
	score, err := baselines.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	var tests []string
	err = fs.WalkDir(policies.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, p)
		if err != nil {
			return err
		}
		name := "policies/" + p
		m, err := engine.ParseModule(name, src)
		if err != nil {
			return err
		}
		modules[name] = m
		if strings.HasSuffix(p, "_test.rego") && !strings.HasPrefix(p, "lib/") {
			tests = append(tests, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	examples, err := ruledoc.Examples(ctx, modules, tests, engine.Capabilities(), defaults)
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.RulePages.New("markdown", report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string][]byte{}
	for _, rule := range cat.Rules() {
		// A rule's tests are the test files in its directory.
		var exs []ruledoc.Example
		for _, file := range slices.Sorted(maps.Keys(examples)) {
			if path.Dir(file) == path.Dir(rule.File) {
				exs = append(exs, examples[file]...)
			}
		}
		var buf bytes.Buffer
		if err := r.Render(&buf, report.RulePage{Rule: rule, Examples: exs, Frameworks: cat.Frameworks(), SecureScore: score, Root: "../.."}); err != nil {
			t.Fatal(err)
		}
		pages[rule.ID] = buf.Bytes()
	}
	return pages
}
