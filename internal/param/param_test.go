package param

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/yamldoc"
)

func f(x float64) *float64 { return &x }

func def(v any) *yamldoc.Value { return &yamldoc.Value{V: v} }

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want string // "" for a valid declaration
	}{
		{"integer with bounds and default", Spec{Name: "max", Type: Integer, Description: "d", Default: def(8), Minimum: f(0), Maximum: f(100)}, ""},
		{"array of strings", Spec{Name: "ids", Type: Array, Items: String, Description: "d", Default: def([]any{"a"})}, ""},
		{"string enum", Spec{Name: "mode", Type: String, Description: "d", Enum: []string{"on", "off"}, Default: def("on")}, ""},
		{"object without default", Spec{Name: "o", Type: Object, Description: "d"}, ""},
		{"bad name", Spec{Name: "max-count", Type: Integer, Description: "d"}, `name "max-count"; expected letters, digits and _`},
		{"no type", Spec{Name: "x", Description: "d"}, "no type; expected type: one of string, number, integer, boolean, array, object"},
		{"misspelt type", Spec{Name: "x", Type: "interger", Description: "d"}, `type "interger" is not a parameter type (did you mean "integer"?)`},
		{"no description", Spec{Name: "x", Type: String}, "no description"},
		{"array without items", Spec{Name: "x", Type: Array, Description: "d"}, "array without items"},
		{"items on a string", Spec{Name: "x", Type: String, Items: String, Description: "d"}, "items is only for type array, not string"},
		{"array of objects", Spec{Name: "x", Type: Array, Items: Object, Description: "d"}, `items "object"; expected one of string, number, integer, boolean`},
		{"bounds on a string", Spec{Name: "x", Type: String, Description: "d", Minimum: f(1)}, "minimum and maximum bound numbers, not string"},
		{"minimum above maximum", Spec{Name: "x", Type: Number, Description: "d", Minimum: f(5), Maximum: f(1)}, "minimum 5 is above maximum 1"},
		{"enum on a number", Spec{Name: "x", Type: Number, Description: "d", Enum: []string{"a"}}, "enum lists allowed strings, and this is number"},
		{"default of the wrong type", Spec{Name: "x", Type: Integer, Description: "d", Default: def("8")}, `default is the string "8"; expected an integer`},
		{"default out of range", Spec{Name: "x", Type: Integer, Description: "d", Default: def(0), Minimum: f(1)}, "default 0 is out of range; expected an integer of at least 1"},
		{"default item of the wrong type", Spec{Name: "x", Type: Array, Items: String, Description: "d", Default: def([]any{"a", 2})}, "default[1] is the number 2; expected a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Check() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Check() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	hours := Spec{Name: "h", Type: Integer, Minimum: f(1), Maximum: f(24)}
	ratio := Spec{Name: "r", Type: Number, Minimum: f(0)}
	ids := Spec{Name: "ids", Type: Array, Items: String}
	levels := Spec{Name: "l", Type: Array, Items: Integer, Minimum: f(1), Maximum: f(4)}
	mode := Spec{Name: "m", Type: String, Enum: []string{"block", "audit"}}
	tests := []struct {
		name  string
		spec  Spec
		value any
		path  string
		msg   string // "" when the value fits
	}{
		{"integer", hours, 4, "", ""},
		{"integral float is an integer", hours, 4.0, "", ""},
		{"big integer", Spec{Type: Integer}, json.Number("18446744073709551615"), "", ""},
		{"null uses the default", hours, nil, "", ""},
		{"integer as text", hours, "4", "", `is the string "4"; expected an integer from 1 to 24`},
		{"fraction for an integer", hours, 1.5, "", "is the number 1.5; expected an integer from 1 to 24"},
		{"below the minimum", hours, 0, "", "0 is out of range; expected an integer from 1 to 24"},
		{"above the maximum", hours, 25, "", "25 is out of range; expected an integer from 1 to 24"},
		{"NaN", ratio, math.NaN(), "", "NaN is not a finite number; expected a number of at least 0"},
		{"infinity", ratio, math.Inf(1), "", "+Inf is not a finite number; expected a number of at least 0"},
		{"number as a list", ratio, []any{1}, "", "is a list; expected a number of at least 0"},
		{"boolean as text", Spec{Type: Boolean}, "true", "", `is the string "true"; expected true or false`},
		{"string as a number", Spec{Type: String}, 10.5, "", "is the number 10.5; expected a string (put the value in quotes)"},
		{"string not allowed", mode, "blok", "", `"blok" is not allowed (did you mean "block"?); expected one of: block, audit`},
		{"list of strings", ids, []any{"a", "b"}, "", ""},
		{"lone string for a list", ids, "a, b", "", `is the string "a, b"; expected a list of strings`},
		{"item of the wrong type", ids, []any{"a", map[string]any{}}, "[1]", "is a mapping; expected a string"},
		{"empty item", ids, []any{nil}, "[0]", "is empty; expected a string"},
		{"item out of range", levels, []any{1, 5}, "[1]", "5 is out of range; expected an integer from 1 to 4"},
		{"object", Spec{Type: Object}, map[string]any{"a": 1}, "", ""},
		{"object as a list", Spec{Type: Object}, []any{}, "", "is a list; expected a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.spec.Validate(tt.value)
			switch {
			case tt.msg == "" && p != nil:
				t.Errorf("Validate(%v) = %+v, want nil", tt.value, p)
			case tt.msg != "" && (p == nil || p.Msg != tt.msg || p.Path != tt.path):
				t.Errorf("Validate(%v) = %+v, want {%s %s}", tt.value, p, tt.path, tt.msg)
			}
		})
	}
}

func TestAlike(t *testing.T) {
	base := Spec{Name: "n", Type: Integer, Description: "one", Default: def(8), Minimum: f(0)}
	tests := []struct {
		name  string
		other Spec
		want  bool
	}{
		{"another description", Spec{Name: "n", Type: Integer, Description: "two", Default: def(8), Minimum: f(0)}, true},
		{"an equal default of another Go type", Spec{Name: "n", Type: Integer, Description: "one", Default: def(8.0), Minimum: f(0)}, true},
		{"another default", Spec{Name: "n", Type: Integer, Description: "one", Default: def(9), Minimum: f(0)}, false},
		{"no default", Spec{Name: "n", Type: Integer, Description: "one", Minimum: f(0)}, false},
		{"another type", Spec{Name: "n", Type: Number, Description: "one", Default: def(8), Minimum: f(0)}, false},
		{"another bound", Spec{Name: "n", Type: Integer, Description: "one", Default: def(8), Minimum: f(1)}, false},
	}
	for _, tt := range tests {
		if got := base.Alike(tt.other); got != tt.want {
			t.Errorf("%s: Alike = %t, want %t", tt.name, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		spec Spec
		want string
	}{
		{Spec{Type: Integer, Minimum: f(1), Maximum: f(24)}, "integer, 1 to 24"},
		{Spec{Type: Number, Minimum: f(0)}, "number, at least 0"},
		{Spec{Type: Array, Items: String}, "array of strings"},
		{Spec{Type: String, Enum: []string{"a", "b"}}, "string: a | b"},
		{Spec{Type: Boolean}, "boolean"},
	}
	for _, tt := range tests {
		if got := tt.spec.Summary(); got != tt.want {
			t.Errorf("Summary(%+v) = %q, want %q", tt.spec, got, tt.want)
		}
	}
}
