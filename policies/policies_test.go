package policies_test

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/policies"
)

var only = flag.String("only", "", "comma-separated policy directories (besides lib) to test, e.g. entra/admin_mfa; empty means all")

// TestRego runs every *_test.rego beside the built-in rules, so `go test ./...` covers Rego too.
// While one rule is being written, `go test ./policies -args -only entra/admin_mfa` tests it
// with the library alone.
func TestRego(t *testing.T) {
	modules := map[string]*ast.Module{}
	err := fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || !selected(path) {
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
	// Rules read a parameter's default from data.posture.defaults, which the engine fills from
	// the rules' METADATA; the tests see the same defaults.
	eng, err := engine.New(ctx, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := eng.ParameterDefaults()
	if err != nil {
		t.Fatal(err)
	}
	results, err := runTests(ctx, modules, defaults)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range results {
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

// runTests runs the Rego tests of modules as rules run in production: compiled strict, in
// the engine's sandbox (engine.Capabilities: no http.send, net.*, rand.*, ...), with built-in
// errors raised rather than read as undefined, as the engine evaluates with
// rego.StrictBuiltinErrors. So a rule cannot pass its tests and fail in posture check. A module
// that calls a refused built-in is a compile error naming it.
func runTests(ctx context.Context, modules map[string]*ast.Module, defaults map[string]any) ([]*tester.Result, error) {
	store := inmem.NewFromObject(map[string]any{"posture": map[string]any{"defaults": defaults}})
	compiler := ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(engine.Capabilities()).
		WithEnablePrintStatements(true)
	ch, err := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(store).
		SetModules(modules).
		RaiseBuiltinErrors(true).
		CapturePrintOutput(true).
		EnableTracing(false).
		RunTests(ctx, nil)
	if err != nil {
		var errs ast.Errors
		if errors.As(err, &errs) {
			return nil, engine.OneLine(errs)
		}
		return nil, err
	}
	var out []*tester.Result
	for r := range ch {
		out = append(out, r)
	}
	return out, nil
}

func selected(path string) bool {
	if *only == "" || strings.HasPrefix(path, "lib/") {
		return true
	}
	for _, dir := range strings.Split(*only, ",") {
		if dir = strings.Trim(dir, "/ "); dir != "" && strings.HasPrefix(path, dir+"/") {
			return true
		}
	}
	return false
}

func printed(out []byte) string {
	if len(out) == 0 {
		return ""
	}
	return "\n" + string(out)
}
