package engine

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/policies"
)

// TestBuiltinLayout: every embedded policy file holds the package its path names, and every
// rule has the id its path names, so that a partial catalog finds a rule's file from its id and
// a package's file from a reference to it.
func TestBuiltinLayout(t *testing.T) {
	lay, ok := readLayout(policies.FS)
	if !ok {
		t.Fatal("the embedded policy tree does not follow the layout convention")
	}
	fileOf := map[string]string{}
	for key, f := range lay.files {
		fileOf[f] = key
	}
	modules := builtinModules(t)
	if len(modules) != len(lay.files) {
		t.Errorf("%d embedded policy files, %d in the layout", len(modules), len(lay.files))
	}
	for file, m := range modules {
		key, _ := pkgKey(m.Package.Path)
		if want := fileOf[strings.TrimPrefix(file, "policies/")]; key != want {
			t.Errorf("%s holds package %s; its path says %s", file, m.Package.Path, strings.ReplaceAll(want, pkgSep, "."))
		}
	}
	cat, err := NewCatalog(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cat.Rules() {
		if f := lay.ruleFile(r.ID); "policies/"+f != r.File {
			t.Errorf("rule %s is in %s; its id says %s", r.ID, r.File, f)
		}
	}
	if len(cat.Rules()) != len(lay.rules) {
		t.Errorf("%d rules in the catalog, %d rule files in the layout", len(cat.Rules()), len(lay.rules))
	}
}

func TestReadLayoutRefusesOtherTrees(t *testing.T) {
	for _, files := range [][]string{
		{"lib/a.rego", "entra/x/y.rego"},          // a rule file named unlike its folder
		{"lib/a.rego", "entra/x.rego"},            // a rule outside a folder of its own
		{"lib/sub/a.rego"},                        // a library package in a subfolder
		{"lib/a-b.rego"},                          // not an identifier
		{"entra/x/x.rego", "exchange/1x/1x.rego"}, // not an identifier
	} {
		fsys := mapFS(files...)
		if _, ok := readLayout(fsys); ok {
			t.Errorf("readLayout accepted %v", files)
		}
	}
	if _, ok := readLayout(mapFS("lib/a.rego", "lib/a_test.rego", "entra/x/x.rego", "entra/x/x_test.rego", "entra/x/README.md")); !ok {
		t.Error("readLayout refused a tree that follows the convention")
	}
}

// TestPackageIndex: a reference names the packages it is a prefix of and the package it is
// inside, as OPA resolves it.
func TestPackageIndex(t *testing.T) {
	x := newPackageIndex([]string{"posture" + pkgSep + "lib" + pkgSep + "ca", "posture" + pkgSep + "lib" + pkgSep + "users", "posture" + pkgSep + "rules" + pkgSep + "entra" + pkgSep + "x"})
	tests := []struct {
		src  string
		want string
	}{
		{"import data.posture.lib.ca\n", "posture.lib.ca"},
		{"x := data.posture.lib.ca.policies[0]\n", "posture.lib.ca"},
		{"x := data.posture.lib\n", "posture.lib.ca posture.lib.users"},
		{"x := data.posture[k]\n", "posture.lib.ca posture.lib.users posture.rules.entra.x"},
		{"x := data.posture.lib[\"ca\"].y\n", "posture.lib.ca"},
		{"x := data.posture.lib[1]\n", ""},
		{"x := input.posture.lib.ca\n", ""},
		{"x := data\n", "posture.lib.ca posture.lib.users posture.rules.entra.x"},
	}
	for _, tt := range tests {
		m := ast.MustParseModuleWithOpts("package p\n\n"+tt.src, ast.ParserOptions{RegoVersion: ast.RegoV1})
		var got []string
		x.referenced(m, func(k string) { got = append(got, strings.ReplaceAll(k, pkgSep, ".")) })
		sort.Strings(got)
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%q refers to %v, want %s", tt.src, got, tt.want)
		}
	}
}

// TestPartialCatalog: an engine for some baselines reads their rules and the library packages
// those use, nothing else, and compiles what an engine made from the whole catalog compiles for
// them.
func TestPartialCatalog(t *testing.T) {
	ctx := context.Background()
	whole, err := NewCatalog(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range [][]string{{"azure-ad"}, {"m365"}, {"windows"}, {"azure-ad", "windows"}, {"org"}} {
		t.Run(strings.Join(sel, ","), func(t *testing.T) {
			eng, err := New(ctx, Options{Baselines: sel})
			if err != nil {
				t.Fatal(err)
			}
			if eng.only == nil {
				t.Fatal("the engine read the whole catalog")
			}
			rules, err := whole.Select(sel)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ruleIDs(eng.rules), ruleIDs(rules); got != want {
				t.Errorf("rules %s, want %s", got, want)
			}
			want := whole.modulesFor(rules)
			compiled := compiledModules(eng)
			for f := range want {
				if compiled[f] == nil {
					t.Errorf("%s is not compiled", f)
				}
			}
			for f := range compiled {
				if want[f] == nil {
					t.Errorf("%s is compiled; the selection does not need it", f)
				}
			}
			for _, s := range eng.srcs {
				if want[s.file] == nil {
					t.Errorf("%s was read; the selection does not need it", s.file)
				}
			}
			// Rules read a parameter's default from data.posture.defaults, which holds what the
			// read rules declare: every parameter the compiled modules read must be among them.
			declared := eng.Parameters()
			for f, m := range compiled {
				ast.WalkExprs(m, func(e *ast.Expr) bool {
					if e.IsCall() && e.Operator().String() == "data.posture.lib.params.value" {
						if s, ok := e.Operand(0).Value.(ast.String); ok {
							if _, ok := declared[string(s)]; !ok {
								t.Errorf("%s reads parameter %s, which no rule of the selection declares", f, s)
							}
						}
					}
					return false
				})
			}
		})
	}
	if _, err := New(ctx, Options{Baselines: []string{"azure-ad", "nist"}}); err == nil || err.Error() != `unknown baseline "nist"; expected one of azure-ad, m365, windows, org` {
		t.Errorf("an unknown baseline: %v", err)
	}
}

func ruleIDs(rules []Rule) string {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return strings.Join(ids, ",")
}

// TestPartialCatalogChecksTheConfigAgainstEveryRule: the config names rules and parameters of
// every baseline, and an engine for one baseline judges it as one for all would.
func TestPartialCatalogChecksTheConfigAgainstEveryRule(t *testing.T) {
	ctx := context.Background()
	partial, err := New(ctx, Options{Baselines: []string{"azure-ad"}})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, err string
	}{
		{"an exception for a rule of another baseline", "exceptions:\n  - {rule: intune.baseline_asr, status: planned, reason: r, expires: 2027-01-01}\n", ""},
		{"a rule of another baseline disabled", "disable: [exchange.dkim_enabled]\n", ""},
		{"a parameter only rules of other baselines declare", "parameters:\n  maxBulkThreshold: 6\n", ""},
		{"a parameter of the selection", "parameters:\n  globalAdminMax: 5\n", ""},
		{"a misspelt rule", "disable: [exchange.dkim_enable]\n", `posture.yaml:1: disable: unknown rule "exchange.dkim_enable"`},
		{"a misspelt parameter", "parameters:\n  maxBulkTreshold: 6\n", "posture.yaml:2: parameters.maxBulkTreshold is not a parameter of any rule; did you mean \"maxBulkThreshold\"?"},
		{"a parameter of another baseline of the wrong type", "parameters:\n  maxBulkThreshold: many\n", "posture.yaml:2: parameters.maxBulkThreshold "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse("posture.yaml", []byte(tt.yaml), ".")
			if err != nil {
				t.Fatal(err)
			}
			snap := doc(t, map[string]any{}, nil)
			for _, eng := range []*Engine{partial, whole} {
				_, err := eng.Evaluate(ctx, snap, cfg, EvalOptions{Baselines: []string{"azure-ad"}})
				switch {
				case tt.err == "" && err != nil:
					t.Errorf("%s: %v", selectionText(eng.selection), err)
				case tt.err != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.err)):
					t.Errorf("%s: error = %v, want %q", selectionText(eng.selection), err, tt.err)
				}
			}
		})
	}
}

// TestOtherParametersAreTheWholeCatalogs: the declarations a partial catalog reads from the
// heads of the other rules' files are those the whole catalog has, for each baseline alone.
func TestOtherParametersAreTheWholeCatalogs(t *testing.T) {
	ctx := context.Background()
	whole, err := NewCatalog(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := whole.Parameters()
	for _, name := range whole.BaselineNames() {
		t.Run(name, func(t *testing.T) {
			partial, err := newCatalog(ctx, nil, []string{name})
			if err != nil {
				t.Fatal(err)
			}
			if partial.only == nil {
				t.Fatal("not a partial catalog")
			}
			got, err := partial.otherParameters()
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Errorf("%d parameters, the whole catalog has %d", len(got), len(want))
			}
			for n, w := range want {
				g, ok := got[n]
				switch {
				case !ok:
					t.Errorf("parameter %s missing", n)
				case !reflect.DeepEqual(g, w):
					t.Errorf("parameter %s = %+v, the whole catalog's %+v", n, g, w)
				}
			}
		})
	}
}

// mapFS is a tree of the given files, each a one-line Rego module.
func mapFS(files ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, f := range files {
		fsys[f] = &fstest.MapFile{Data: []byte("package x\n")}
	}
	return fsys
}
