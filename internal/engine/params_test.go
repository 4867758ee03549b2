package engine

import (
	"context"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/param"
	"github.com/m365posture/posture/internal/yamldoc"
	"github.com/m365posture/posture/policies"
)

var paramRead = regexp.MustCompile(`params\.value\("([A-Za-z_]+)"\)`)

// TestBuiltinRulesDocumentTheirParameters: a parameter a rule reads itself must be in its
// METADATA with a type and a description, so `posture rules` and docs/rules.md tell the org it
// exists and the config is checked against it; and every parameter read anywhere in the
// policies, library included, has a declared default, which is what params.value falls back to.
func TestBuiltinRulesDocumentTheirParameters(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range eng.Rules() {
		src, err := fs.ReadFile(policies.FS, strings.TrimPrefix(r.File, "policies/"))
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		documented := map[string]bool{}
		for _, p := range r.Parameters {
			documented[p.Name] = true
			if strings.TrimSpace(p.Description) == "" || p.Type == "" {
				t.Errorf("%s: parameter %s has no description or type", r.ID, p.Name)
			}
		}
		for _, m := range paramRead.FindAllStringSubmatch(string(src), -1) {
			checked++
			if !documented[m[1]] {
				t.Errorf("%s reads parameter %s but its METADATA does not document it", r.ID, m[1])
			}
		}
	}
	if checked == 0 {
		t.Fatal("no rule reads a parameter; the pattern no longer matches how rules read them")
	}
	defaults, err := eng.ParameterDefaults()
	if err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(policies.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		for _, m := range paramRead.FindAllStringSubmatch(string(src), -1) {
			if _, ok := defaults[m[1]]; !ok {
				t.Errorf("%s reads parameter %s, which no rule declares with a default", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBuiltinParametersAreDeclaredAlike: rules that share a parameter share its value and its
// default, so they must declare the same type, bounds and default.
func TestBuiltinParametersAreDeclaredAlike(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]Rule{}
	shared := 0
	for _, r := range eng.Rules() {
		for _, p := range r.Parameters {
			f, ok := first[p.Name]
			if !ok {
				first[p.Name] = r
				continue
			}
			shared++
			if !f.parameter(p.Name).Alike(p) {
				t.Errorf("parameter %s: %s declares %s, %s declares %s", p.Name, f.ID, f.parameter(p.Name).Summary(), r.ID, p.Summary())
			}
		}
	}
	if shared == 0 {
		t.Fatal("no parameter is shared by two rules; this test checks nothing")
	}
}

func TestCheckParameterDeclarations(t *testing.T) {
	zero, one := 0.0, 1.0
	declare := func(id, file string, p Parameter) Rule {
		return Rule{ID: id, File: file, Parameters: []Parameter{p}}
	}
	ints := Parameter{Name: "n", Type: param.Integer, Description: "a", Minimum: &zero, Default: &yamldoc.Value{V: 5}}
	tests := []struct {
		name  string
		other Parameter
		want  string
	}{
		{"alike, other description", Parameter{Name: "n", Type: param.Integer, Description: "b", Minimum: &zero, Default: &yamldoc.Value{V: 5}}, ""},
		{"another type", Parameter{Name: "n", Type: param.Number, Description: "a", Minimum: &zero, Default: &yamldoc.Value{V: 5}},
			"b.rego: rule org.b declares parameter n as number, at least 0 with default 5, but rule org.a (a.rego) as integer, at least 0 with default 5; declare it alike"},
		{"another bound", Parameter{Name: "n", Type: param.Integer, Description: "a", Minimum: &one, Default: &yamldoc.Value{V: 5}},
			"b.rego: rule org.b declares parameter n as integer, at least 1 with default 5"},
		{"another default", Parameter{Name: "n", Type: param.Integer, Description: "a", Minimum: &zero, Default: &yamldoc.Value{V: 6}},
			"with default 6, but rule org.a (a.rego) as integer, at least 0 with default 5"},
		{"no default", Parameter{Name: "n", Type: param.Integer, Description: "a", Minimum: &zero},
			"as integer, at least 0 without a default, but rule org.a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkParameterDeclarations([]Rule{declare("org.a", "a.rego", ints), declare("org.b", "b.rego", tt.other)})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error = %v\nwant it to contain %s", err, tt.want)
			}
		})
	}
}
