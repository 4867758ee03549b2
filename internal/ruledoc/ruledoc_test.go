package ruledoc

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		name    string
		outcome Outcome
		text    string
		ok      bool
	}{
		{"test_fails_when_break_glass_not_excluded", Fails, "when break glass not excluded", true},
		{"test_fails_for_guests", Fails, "for guests", true},
		{"test_passes_with_a_group_reviewer", Passes, "with a group reviewer", true},
		{"test_errors_when_users_are_missing", Errors, "when users are missing", true},
		{"test_error_when_users_are_missing", Errors, "when users are missing", true},
		{"test_warns_on_soft_fail", Warns, "on soft fail", true},
		{"test_not_applicable_without_defender", NotApplicable, "without defender", true},
		{"test_fails_", "", "", false},
		{"test_lists_each_role", "", "", false},
		{"fails_when_x", "", "", false},
	}
	for _, tt := range tests {
		o, text, ok := ParseName(tt.name)
		if o != tt.outcome || text != tt.text || ok != tt.ok {
			t.Errorf("ParseName(%q) = %q, %q, %v; want %q, %q, %v", tt.name, o, text, ok, tt.outcome, tt.text, tt.ok)
		}
	}
}

const rule = `package posture.rules.org.ex

deny contains "off" if input.entra.securityDefaults.isEnabled == false
`

const tests = `package posture.rules.org.ex_test

import data.posture.rules.org.ex

_policy(on) := {"isEnabled": on}

_big := {"values": numbers.range(1, 200)}

test_passes_when_on if {
	p := _policy(true)
	count(ex.deny) == 0 with input.entra.securityDefaults as p
	count(ex.deny) == 0 with input.entra.securityDefaults as p
}

test_fails_when_off if {
	count(ex.deny) == 1 with input.entra.securityDefaults as _policy(false) with data.posture.config as {"x": data.posture.defaults.limit}
}

test_errors_when_the_input_is_too_big_to_show if {
	count(ex.deny) == 0 with input.entra.securityDefaults as _big
}

test_fails_when_the_input_comes_from_a_loop if {
	some on in [false]
	count(ex.deny) == 1 with input.entra.securityDefaults as {"isEnabled": on}
}

test_something_else if {
	count(ex.deny) == 0
}
`

func TestExamples(t *testing.T) {
	modules := map[string]*ast.Module{}
	for name, src := range map[string]string{"ex.rego": rule, "ex_test.rego": tests} {
		m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatal(err)
		}
		modules[name] = m
	}
	got, err := Examples(context.Background(), modules, []string{"ex_test.rego"}, ast.CapabilitiesForThisVersion(), map[string]any{"limit": 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		test   string
		line   int
		inputs string
	}{
		{"test_passes_when_on", 9, `input.entra.securityDefaults = {"isEnabled":true}`},
		{"test_fails_when_off", 15, `input.entra.securityDefaults = {"isEnabled":false}` + "\n" + `data.posture.config = {"x":3}`},
		{"test_errors_when_the_input_is_too_big_to_show", 19, ""},
		{"test_fails_when_the_input_comes_from_a_loop", 23, ""}, // on is bound by some, which the query leaves out
	}
	exs := got["ex_test.rego"]
	if len(exs) != len(want) {
		t.Fatalf("examples %+v; want %d", exs, len(want))
	}
	for i, w := range want {
		e := exs[i]
		if e.Test != w.test || e.Line != w.line || e.File != "ex_test.rego" || strings.Join(e.Inputs, "\n") != w.inputs {
			t.Errorf("example %d = %+v; want %s at line %d with inputs %q", i, e, w.test, w.line, w.inputs)
		}
	}
	if _, err := Examples(context.Background(), modules, []string{"missing_test.rego"}, ast.CapabilitiesForThisVersion(), nil); err == nil {
		t.Error("a test file that is not among the modules was not refused")
	}
}
