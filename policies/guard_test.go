package policies_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"
)

var fix = flag.Bool("fix", false, "rewrite the .rego files that are not opa fmt clean (TestRegoFormatted)")

// notRego are the .rego files of the repository that are meant not to parse: test data for
// posture's own error messages. Every other .rego file must be opa fmt clean.
var notRego = []string{
	"internal/engine/testdata/syntaxerror/broken.rego",
}

// TestRegoFormatted checks that every .rego file of the repository (built-in rules and their
// tests, the library, examples, the starter files, test data) is formatted as `opa fmt`
// formats it, with OPA's own format package. `go test ./policies -run TestRegoFormatted -args
// -fix` rewrites the files that are not.
func TestRegoFormatted(t *testing.T) {
	root := filepath.Join("..")
	problems, err := unformatted(root, notRego, *fix)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 && !*fix {
		t.Log("run go test ./policies -run TestRegoFormatted -args -fix to format them")
	}
}

// unformatted walks root for .rego files (hidden directories left out) and returns one line
// per file that is not opa fmt clean or does not parse, unless it is listed in skip (paths
// relative to root, slash-separated). With rewrite it formats the unclean files in place.
func unformatted(root string, skip []string, rewrite bool) ([]string, error) {
	var problems []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".rego") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if slices.Contains(skip, rel) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, err := format.SourceWithOpts(rel, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: does not parse as Rego v1: %v", rel, oneLine(err)))
			return nil
		}
		if bytes.Equal(out, src) {
			return nil
		}
		problems = append(problems, fmt.Sprintf("%s:%d: not opa fmt clean", rel, firstDifference(src, out)))
		if rewrite {
			return os.WriteFile(path, out, 0o644)
		}
		return nil
	})
	return problems, err
}

// firstDifference is the line of a where a and b first differ.
func firstDifference(a, b []byte) int {
	line := 1
	for i := 0; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		if a[i] == '\n' {
			line++
		}
	}
	return line
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// TestGuardsRefuse feeds files the guards must refuse through the same checks TestRego and
// TestRegoFormatted apply to the repository, so `go test ./...` fails on an unformatted .rego
// file, on a rule or test that uses a built-in the production sandbox refuses, and on a test
// that passes only because a built-in error was read as undefined.
func TestGuardsRefuse(t *testing.T) {
	t.Run("an unformatted file", func(t *testing.T) {
		dir := t.TempDir()
		files := map[string]string{
			"clean/clean.rego":     "package clean\n\nallow if input.x == 1\n",
			"messy/messy.rego":     "package messy\n\nallow   if {\n  input.x == 1 }\n",
			"broken/broken.rego":   "package broken\n\nallow if {\n",
			".hidden/hidden.rego":  "package  hidden\n",
			"skipped/skipped.rego": "package  skipped\n",
		}
		for name, src := range files {
			path := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		problems, err := unformatted(dir, []string{"skipped/skipped.rego"}, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"broken/broken.rego: does not parse as Rego v1", "messy/messy.rego:3: not opa fmt clean"}
		if len(problems) != len(want) {
			t.Fatalf("problems %q, want %q", problems, want)
		}
		for i, w := range want {
			if !strings.HasPrefix(problems[i], w) {
				t.Errorf("problem %q, want it to start with %q", problems[i], w)
			}
		}
		if _, err := unformatted(dir, []string{"skipped/skipped.rego", "broken/broken.rego"}, true); err != nil {
			t.Fatal(err)
		}
		if again, _ := unformatted(dir, []string{"skipped/skipped.rego", "broken/broken.rego"}, false); len(again) != 0 {
			t.Errorf("after -fix: %q", again)
		}
	})

	tests := []struct {
		name    string
		src     string
		compile string // the compile error runTests must return
		failing string // else the test that must fail or error
	}{
		{
			name: "a rule that calls http.send",
			src: `package posture.rules.org.leak

deny contains "sent" if http.send({"method": "GET", "url": "https://example.invalid"}).status_code == 200

test_leak if count(deny) == 0
`,
			compile: "leak.rego:3:25: http.send is not allowed in posture policies",
		},
		{
			name: "a test that calls net.lookup_ip_addr",
			src: `package posture.rules.org.dns_test

test_lookup if count(net.lookup_ip_addr("example.invalid")) == 0
`,
			compile: "leak.rego:3:22: net.lookup_ip_addr is not allowed in posture policies",
		},
		{
			name: "a rule that reads the environment",
			src: `package posture.rules.org.env

deny contains "env" if opa.runtime().env.HOME

test_env if count(deny) == 0
`,
			compile: "leak.rego:3:24: opa.runtime is not allowed in posture policies",
		},
		{
			// Without strict built-in errors to_number("x") is undefined, deny is empty and the
			// test passes; posture check would report the rule as an error.
			name: "a test that passes only on a swallowed built-in error",
			src: `package posture.rules.org.numbers

deny contains "too many" if to_number(input.count) > 3

test_not_a_number if count(deny) == 0 with input as {"count": "many"}
`,
			failing: "test_not_a_number",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ast.ParseModuleWithOpts("leak.rego", tt.src, ast.ParserOptions{RegoVersion: ast.RegoV1})
			if err != nil {
				t.Fatal(err)
			}
			results, err := runTests(context.Background(), map[string]*ast.Module{"leak.rego": m}, nil)
			if tt.compile != "" {
				if err == nil || !strings.Contains(err.Error(), tt.compile) {
					t.Fatalf("err = %v, want %q", err, tt.compile)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 || results[0].Name != tt.failing || results[0].Pass() {
				t.Fatalf("results %+v, want %s to fail or error", results, tt.failing)
			}
		})
	}
}
