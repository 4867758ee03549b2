package engine

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/policies"
)

// builtinModules parses every embedded policy.
func builtinModules(t *testing.T) map[string]*ast.Module {
	t.Helper()
	srcs, err := loadFS(policies.FS, "policies", true)
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	for _, s := range srcs {
		modules[s.file] = s.module
	}
	return modules
}

// TestEmbeddedPoliciesPassEveryCheck compiles every embedded policy with every stage of OPA's
// compiler, strict, in the production sandbox: the engine skips the verification-only stages
// for these policies at run time, and this test is what lets it.
func TestEmbeddedPoliciesPassEveryCheck(t *testing.T) {
	c := ast.NewCompiler().WithStrict(true).WithCapabilities(Capabilities()).WithEnablePrintStatements(false)
	if c.Compile(builtinModules(t)); c.Failed() {
		t.Fatalf("the embedded policies fail a check: %v", c.Errors)
	}
	if n := len(c.Modules); n < 100 {
		t.Fatalf("compiled %d modules; expected every embedded policy", n)
	}
}

// TestSkippedStagesChangeNothing compiles the embedded policies with and without the stages
// the engine skips for them (verification-only and unused): every compiled module must come out
// the same, so skipping them cannot change a result. The annotation set is not part of a
// module; only rego.metadata calls read it, and the policies make none.
func TestSkippedStagesChangeNothing(t *testing.T) {
	full := newCompiler(capabilities())
	if full.Compile(builtinModules(t)); full.Failed() {
		t.Fatal(full.Errors)
	}
	fast := newCompiler(capabilities()).WithSkipStages(builtinSkipped...)
	if fast.Compile(builtinModules(t)); fast.Failed() {
		t.Fatal(fast.Errors)
	}
	if len(full.Modules) != len(fast.Modules) {
		t.Fatalf("%d modules with every stage, %d without the skipped stages", len(full.Modules), len(fast.Modules))
	}
	for name, m := range full.Modules {
		if got, want := fast.Modules[name].String(), m.String(); got != want {
			t.Errorf("%s compiles differently without the skipped stages", name)
		}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if e.IsCall() && strings.HasPrefix(e.Operator().String(), "rego.metadata.") {
				t.Errorf("%s calls %s, which needs the annotation set the engine does not build", name, e.Operator())
			}
			return false
		})
	}
	for _, id := range builtinSkipped {
		if !slices.Contains(ast.AllStages(), id) {
			t.Errorf("skipped stage %s is not a stage of this OPA", id)
		}
	}
}

// TestCompileSelection checks which modules a baseline selection compiles: its rules, the
// packages they import (transitively), every org policy, and nothing else.
func TestCompileSelection(t *testing.T) {
	cat, err := NewCatalog(context.Background(), Options{PolicyDirs: []string{"testdata/orgrule"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		baselines []string
		has       []string // files that must be compiled
		hasNot    []string // files that must not be
	}{
		{
			baselines: []string{"azure-ad"},
			has: []string{
				"policies/entra/admin_mfa/admin_mfa.rego", "policies/lib/ca.rego", "policies/lib/users.rego",
				"policies/lib/groups.rego", // imported by lib/ca.rego, not by the rule
				"testdata/orgrule/no_guest_admins.rego",
			},
			hasNot: []string{"policies/intune/baseline_asr/baseline_asr.rego", "policies/exchange/dkim_enabled/dkim_enabled.rego", "policies/lib/intune.rego"},
		},
		{
			baselines: []string{"windows"},
			has:       []string{"policies/intune/baseline_asr/baseline_asr.rego", "policies/lib/intune.rego", "testdata/orgrule/no_guest_admins.rego"},
			hasNot:    []string{"policies/entra/admin_mfa/admin_mfa.rego", "policies/exchange/dkim_enabled/dkim_enabled.rego"},
		},
		{
			baselines: nil, // every baseline
			has:       []string{"policies/entra/admin_mfa/admin_mfa.rego", "policies/intune/baseline_asr/baseline_asr.rego", "policies/exchange/dkim_enabled/dkim_enabled.rego"},
		},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.baselines, ","), func(t *testing.T) {
			rules, err := cat.Select(tt.baselines)
			if err != nil {
				t.Fatal(err)
			}
			modules := cat.modulesFor(rules)
			for _, f := range tt.has {
				if modules[filepath.FromSlash(f)] == nil {
					t.Errorf("%s is not compiled", f)
				}
			}
			for _, f := range tt.hasNot {
				if modules[filepath.FromSlash(f)] != nil {
					t.Errorf("%s is compiled; baselines %v do not need it", f, tt.baselines)
				}
			}
			if _, err := cat.Compile(context.Background(), tt.baselines); err != nil {
				t.Errorf("compile: %v", err)
			}
		})
	}
}

// TestSelectionGivesTheSameFindings evaluates the demo and every test tenant with an engine
// compiled for one baseline (which reads only that baseline's rules) and with one compiled for
// all: each rule's finding must be the same.
func TestSelectionGivesTheSameFindings(t *testing.T) {
	ctx := context.Background()
	type tenant struct {
		name string
		snap *snapshot.Snapshot
		cfg  *config.Config
	}
	snap, err := snapshot.Parse("demo", demo.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(demo.ConfigPath, demo.Config, ".")
	if err != nil {
		t.Fatal(err)
	}
	tenants := []tenant{{"demo", snap, cfg}}
	for _, name := range []string{"weak", "hardened", "e3-no-p2", "lockout"} {
		snap, err := snapshot.Load("../../testdata/snapshots/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load("../../testdata/configs/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, tenant{name, snap, cfg})
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	all, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"azure-ad", "m365", "windows"} {
		one, err := New(ctx, Options{Baselines: []string{b}})
		if err != nil {
			t.Fatal(err)
		}
		for _, tn := range tenants {
			t.Run(b+"/"+tn.name, func(t *testing.T) {
				want, err := all.Evaluate(ctx, tn.snap, tn.cfg, EvalOptions{Baselines: []string{b}, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				got, err := one.Evaluate(ctx, tn.snap, tn.cfg, EvalOptions{Now: now})
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Findings) == 0 || len(got.Findings) != len(want.Findings) {
					t.Fatalf("%d findings, want %d", len(got.Findings), len(want.Findings))
				}
				for i := range got.Findings {
					if g, w := findingText(got.Findings[i]), findingText(want.Findings[i]); g != w {
						t.Errorf("finding %s differs:\n got %s\nwant %s", got.Findings[i].RuleID, g, w)
					}
				}
				if g, w := strings.Join(got.Baselines, ","), strings.Join(want.Baselines, ","); g != w {
					t.Errorf("baselines %s, want %s", g, w)
				}
			})
		}
	}
	// An engine evaluates only what it compiled.
	one, err := New(ctx, Options{Baselines: []string{"windows"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := one.Evaluate(ctx, snap, cfg, EvalOptions{Baselines: []string{"azure-ad"}}); err == nil || !strings.Contains(err.Error(), "was not compiled") {
		t.Errorf("evaluating a baseline the engine was not compiled for: %v; want an error", err)
	}
}

func findingText(f result.Finding) string {
	var b strings.Builder
	b.WriteString(string(f.Status) + " " + f.Level + " " + f.Message)
	for _, v := range f.Violations {
		b.WriteString("|" + v.Msg + "@" + v.Entity.ID)
	}
	return b.String()
}

// TestQueryPreparedOnce evaluates one prepared snapshot three times: the engine prepares one
// query and reuses it, and the results are the same.
func TestQueryPreparedOnce(t *testing.T) {
	ctx := context.Background()
	eng, err := New(ctx, Options{Baselines: []string{"azure-ad"}})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := snapshot.Load("../../testdata/snapshots/weak.json")
	if err != nil {
		t.Fatal(err)
	}
	in, err := Prepare(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	var first string
	for i := range 3 {
		res, err := eng.EvaluateInput(ctx, in, nil, EvalOptions{Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, f := range res.Findings {
			texts = append(texts, f.RuleID+":"+findingText(f))
		}
		sort.Strings(texts)
		got := strings.Join(texts, "\n")
		if i == 0 {
			first = got
		} else if got != first {
			t.Errorf("evaluation %d differs from the first", i+1)
		}
	}
	for i, s := range eng.shards {
		if n := len(s.queries.queries); n != 1 {
			t.Errorf("shard %d: %d queries prepared for three evaluations of one selection; want 1", i, n)
		}
	}
}

// compiledInOne is New, with every rule compiled in one shard.
func compiledInOne(t *testing.T, opts Options) (*Engine, error) {
	t.Helper()
	c, err := newCatalog(context.Background(), opts.PolicyDirs, opts.Baselines)
	if err != nil {
		return nil, err
	}
	rules, err := c.Select(opts.Baselines)
	if err != nil {
		return nil, err
	}
	return c.compileIn(context.Background(), opts.Baselines, rules, 1)
}

// compiledModules are the modules of every shard of e, by file; a module compiled in two shards
// is one of them.
func compiledModules(e *Engine) map[string]*ast.Module {
	out := map[string]*ast.Module{}
	for _, s := range e.shards {
		maps.Copy(out, s.compiler.Modules)
	}
	return out
}

// writePolicy writes an org policy file into a fresh directory and returns the directory.
func writePolicy(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
