package policies_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/m365posture/posture/policies"
)

// TestRego runs every *_test.rego beside the built-in rules, so `go test ./...` covers Rego too.
func TestRego(t *testing.T) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{ProcessAnnotation: true})
		if err != nil {
			return err
		}
		modules[path] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	compiler := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(true)
	ch, err := tester.NewRunner().SetCompiler(compiler).SetModules(modules).EnableTracing(false).RunTests(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		name := r.Package + "." + r.Name
		if r.Error != nil {
			t.Errorf("%s (%s): error: %v", name, r.Location, r.Error)
		} else if r.Fail {
			t.Errorf("%s (%s): fail%s", name, r.Location, printed(r.Output))
		} else if r.Skip {
			t.Errorf("%s (%s): skipped tests are not allowed", name, r.Location)
		}
	}
	if n == 0 {
		t.Fatal("no Rego tests found")
	}
	t.Logf("%d Rego tests", n)
}

func printed(out []byte) string {
	if len(out) == 0 {
		return ""
	}
	return "\n" + string(out)
}
