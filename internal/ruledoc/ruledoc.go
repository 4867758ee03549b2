// Package ruledoc reads the examples a rule's page shows from the rule's own Rego tests: a test
// named for what it shows (test_fails_when_..., test_passes_when_...) becomes a sentence, with
// the input it sets when that input is small.
package ruledoc

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Outcome is what a test shows the rule doing.
type Outcome string

// The outcomes a test name may start with (after test_), in the order pages list them.
const (
	Fails         Outcome = "fails"
	Warns         Outcome = "warns"
	Passes        Outcome = "passes"
	Errors        Outcome = "errors"
	NotApplicable Outcome = "not_applicable"
)

// Outcomes lists the outcomes in page order.
var Outcomes = []Outcome{Fails, Warns, Passes, Errors, NotApplicable}

// prefixes are the test name prefixes of each outcome; "error" reads as well as "errors".
var prefixes = []struct {
	prefix  string
	outcome Outcome
}{
	{"test_fails_", Fails},
	{"test_warns_", Warns},
	{"test_passes_", Passes},
	{"test_errors_", Errors},
	{"test_error_", Errors},
	{"test_not_applicable_", NotApplicable},
}

// MaxInput is the longest input (as compact JSON) an example shows; larger inputs are left to
// the test file, which the page links.
const MaxInput = 240

// Example is one test that shows an outcome of its rule.
type Example struct {
	Outcome Outcome
	// Text is the rest of the test's name as words: "when the workflow is off", "for guests".
	Text string
	Test string // the test rule's name
	File string
	Line int
	// Inputs are the with modifiers the test sets, evaluated, each when MaxInput or shorter:
	// "input.entra.securityDefaults = {"isEnabled":false}".
	Inputs []string
}

// ParseName reads a test name by the convention: test_<outcome>_<words>. ok is false for a
// name that does not follow it.
func ParseName(name string) (Outcome, string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(name, p.prefix); ok && rest != "" {
			return p.outcome, strings.ReplaceAll(rest, "_", " "), true
		}
	}
	return "", "", false
}

// Examples reads the examples of the tests in the modules named by tests (paths, keys of
// modules), which hold everything the tests need (library, rules, tests). The inputs a test
// sets are evaluated in the test's package, from its assignments, in the sandbox caps with
// data.posture.defaults as defaults; an input that cannot be worked out alone is left out.
func Examples(ctx context.Context, modules map[string]*ast.Module, tests []string, caps *ast.Capabilities, defaults map[string]any) (map[string][]Example, error) {
	comp := ast.NewCompiler().WithCapabilities(caps).WithEnablePrintStatements(false)
	if comp.Compile(modules); comp.Failed() {
		return nil, fmt.Errorf("compile the tests: %w", comp.Errors)
	}
	store := inmem.NewFromObject(map[string]any{"posture": map[string]any{"defaults": defaults}})
	out := map[string][]Example{}
	for _, file := range tests {
		m, ok := modules[file]
		if !ok {
			return nil, fmt.Errorf("no module %s", file)
		}
		for _, r := range m.Rules {
			name := r.Head.Name.String()
			outcome, text, ok := ParseName(name)
			if !ok || len(r.Head.Args) > 0 {
				continue
			}
			ex := Example{Outcome: outcome, Text: text, Test: name, File: file, Line: r.Location.Row}
			ex.Inputs = inputs(ctx, comp, store, m, r)
			out[file] = append(out[file], ex)
		}
		sort.SliceStable(out[file], func(i, j int) bool { return out[file][i].Line < out[file][j].Line })
	}
	return out, nil
}

// inputs evaluates what the with modifiers of test r set: a query of the test's assignments
// (in order) and one capture per distinct modifier, in the test's package and imports.
func inputs(ctx context.Context, comp *ast.Compiler, store storage.Store, m *ast.Module, r *ast.Rule) []string {
	type capture struct{ target, v string }
	var caps []capture
	seen := map[string]bool{}
	var body ast.Body
	for _, e := range r.Body {
		if len(e.With) == 0 {
			if e.IsAssignment() {
				body.Append(e.Copy())
			}
			continue
		}
		for _, w := range e.With {
			key := w.Target.String() + " " + w.Value.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			v := fmt.Sprintf("__posture_with_%d", len(caps))
			caps = append(caps, capture{target: w.Target.String(), v: v})
			body.Append(ast.Assign.Expr(ast.VarTerm(v), w.Value.Copy()))
		}
	}
	if len(caps) == 0 {
		return nil
	}
	rs, err := rego.New(
		rego.ParsedQuery(body),
		rego.Compiler(comp),
		rego.ParsedPackage(m.Package),
		rego.ParsedImports(m.Imports),
		rego.Store(store),
		rego.StrictBuiltinErrors(true),
	).Eval(ctx)
	if err != nil || len(rs) != 1 {
		return nil
	}
	var out []string
	for _, c := range caps {
		b, err := json.Marshal(rs[0].Bindings[c.v])
		if err != nil || len(b) > MaxInput {
			continue
		}
		out = append(out, c.target+" = "+string(b))
	}
	return out
}
