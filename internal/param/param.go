// Package param describes rule parameters: the type, default and bounds a rule declares for
// each data.posture.config key it reads, and the check of a config value against them.
package param

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/m365posture/posture/internal/suggest"
	"github.com/m365posture/posture/internal/yamldoc"
)

// Type is a parameter's type, named as JSON Schema names them.
type Type string

// The types a parameter may have.
const (
	String  Type = "string"
	Number  Type = "number"
	Integer Type = "integer"
	Boolean Type = "boolean"
	Array   Type = "array"
	Object  Type = "object"
)

// Types lists the parameter types in documentation order.
func Types() []Type { return []Type{String, Number, Integer, Boolean, Array, Object} }

// scalarTypes are the types an array's items may have.
var scalarTypes = []Type{String, Number, Integer, Boolean}

var namePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// Spec is one parameter as a rule's METADATA declares it under custom.parameters.
type Spec struct {
	Name        string `yaml:"name" json:"name" expect:"a parameter name such as globalAdminMax"`
	Type        Type   `yaml:"type" json:"type" expect:"one of: string, number, integer, boolean, array, object"`
	Items       Type   `yaml:"items" json:"items,omitempty" expect:"the type of an array's items: string, number, integer or boolean"`
	Description string `yaml:"description" json:"description"`
	// Default is what the rule uses when the config does not set the parameter (nil: the
	// rule needs no value, or says in its description what it does without one).
	Default *yamldoc.Value `yaml:"default" json:"default,omitempty"`
	// Minimum and Maximum bound a number or integer, or each item of an array of them.
	Minimum *float64 `yaml:"minimum" json:"minimum,omitempty"`
	Maximum *float64 `yaml:"maximum" json:"maximum,omitempty"`
	// Enum lists the values a string (or each item of an array of strings) may take.
	Enum []string `yaml:"enum" json:"enum,omitempty"`
}

// Check checks the declaration itself; its errors complete "parameter <name>: ...". A
// default must satisfy the declaration.
func (s Spec) Check() error {
	switch {
	case !namePattern.MatchString(s.Name):
		return fmt.Errorf("name %s; expected letters, digits and _, starting with a letter, e.g. globalAdminMax", yamldoc.Quote(s.Name))
	case s.Type == "":
		return fmt.Errorf("no type; expected type: one of %s", typeList(Types()))
	case !slices.Contains(Types(), s.Type):
		return fmt.Errorf("type %s is not a parameter type%s; expected one of %s", yamldoc.Quote(string(s.Type)), didYouMean(string(s.Type), Types()), typeList(Types()))
	case strings.TrimSpace(s.Description) == "":
		return fmt.Errorf("no description; expected description: what the parameter changes")
	case s.Type == Array && s.Items == "":
		return fmt.Errorf("array without items; expected items: one of %s", typeList(scalarTypes))
	case s.Type != Array && s.Items != "":
		return fmt.Errorf("items is only for type array, not %s", s.Type)
	case s.Items != "" && !slices.Contains(scalarTypes, s.Items):
		return fmt.Errorf("items %s%s; expected one of %s", yamldoc.Quote(string(s.Items)), didYouMean(string(s.Items), scalarTypes), typeList(scalarTypes))
	}
	elem := s.elemType()
	if (s.Minimum != nil || s.Maximum != nil) && elem != Number && elem != Integer {
		return fmt.Errorf("minimum and maximum bound numbers, not %s", s.typeName())
	}
	if s.Minimum != nil && s.Maximum != nil && *s.Minimum > *s.Maximum {
		return fmt.Errorf("minimum %s is above maximum %s", num(*s.Minimum), num(*s.Maximum))
	}
	if len(s.Enum) > 0 && elem != String {
		return fmt.Errorf("enum lists allowed strings, and this is %s", s.typeName())
	}
	if s.Default != nil {
		if p := s.Validate(s.Default.V); p != nil {
			return fmt.Errorf("default%s %s", p.Path, p.Msg)
		}
	}
	return nil
}

// elemType is the type bounds and enums apply to: the item type of an array, else the type.
func (s Spec) elemType() Type {
	if s.Type == Array {
		return s.Items
	}
	return s.Type
}

// Alike reports whether two declarations of one parameter agree on everything a value is
// checked against and on the default; descriptions may differ.
func (s Spec) Alike(o Spec) bool {
	a, b := s, o
	a.Description, b.Description = "", ""
	if a.Default != nil && b.Default != nil {
		da, _ := json.Marshal(a.Default)
		db, _ := json.Marshal(b.Default)
		if string(da) != string(db) {
			return false
		}
		a.Default, b.Default = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

// Problem is why a value does not fit a declaration.
type Problem struct {
	Path string // where inside the value, e.g. "[2]"; "" for the value itself
	Msg  string // completes "<parameter><Path> ...", e.g. `is the string "4"; expected an integer`
}

// Validate checks a value as the config holds it (see yamldoc.Value) against the
// declaration. A null value means "use the default" and always fits.
func (s Spec) Validate(v any) *Problem {
	if v == nil {
		return nil
	}
	if s.Type == Array {
		items, ok := v.([]any)
		if !ok {
			return &Problem{Msg: fmt.Sprintf("is %s; expected %s", describe(v), s.Expectation())}
		}
		item := Spec{Type: s.Items, Minimum: s.Minimum, Maximum: s.Maximum, Enum: s.Enum}
		for i, x := range items {
			if x == nil {
				return &Problem{Path: fmt.Sprintf("[%d]", i), Msg: "is empty; expected " + item.Expectation()}
			}
			if p := item.Validate(x); p != nil {
				p.Path = fmt.Sprintf("[%d]%s", i, p.Path)
				return p
			}
		}
		return nil
	}
	want := s.Expectation()
	switch s.Type {
	case String:
		str, ok := v.(string)
		if !ok {
			return &Problem{Msg: fmt.Sprintf("is %s; expected %s%s", describe(v), want, quoteHint(v))}
		}
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			return &Problem{Msg: fmt.Sprintf("%s is not allowed%s; expected %s", yamldoc.Quote(str), didYouMean(str, s.Enum), want)}
		}
	case Boolean:
		if _, ok := v.(bool); !ok {
			return &Problem{Msg: fmt.Sprintf("is %s; expected %s", describe(v), want)}
		}
	case Number, Integer:
		f, ok := number(v)
		if !ok {
			return &Problem{Msg: fmt.Sprintf("is %s; expected %s", describe(v), want)}
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return &Problem{Msg: fmt.Sprintf("%s is not a finite number; expected %s", num(f), want)}
		}
		if s.Type == Integer && f != math.Trunc(f) {
			return &Problem{Msg: fmt.Sprintf("is %s; expected %s", describe(v), want)}
		}
		if (s.Minimum != nil && f < *s.Minimum) || (s.Maximum != nil && f > *s.Maximum) {
			return &Problem{Msg: fmt.Sprintf("%s is out of range; expected %s", num(f), want)}
		}
	case Object:
		if _, ok := v.(map[string]any); !ok {
			return &Problem{Msg: fmt.Sprintf("is %s; expected %s", describe(v), want)}
		}
	}
	return nil
}

// Expectation says what a value must be, for "expected ..." in messages: "an integer from 1
// to 100", "a list of strings".
func (s Spec) Expectation() string {
	var out string
	switch s.Type {
	case String:
		out = "a string"
		if len(s.Enum) > 0 {
			out = "one of: " + strings.Join(s.Enum, ", ")
		}
	case Number:
		out = "a number" + s.bounds()
	case Integer:
		out = "an integer" + s.bounds()
	case Boolean:
		out = "true or false"
	case Object:
		out = "a mapping"
	case Array:
		item := Spec{Type: s.Items, Minimum: s.Minimum, Maximum: s.Maximum, Enum: s.Enum}
		out = "a list of " + plural(s.Items)
		if b := item.bounds(); b != "" {
			out += ", each" + b
		} else if len(s.Enum) > 0 {
			out += ", each one of: " + strings.Join(s.Enum, ", ")
		}
	default:
		out = "a value"
	}
	return out
}

// Summary is the type as the rule catalog shows it: "integer, 1 to 100", "array of strings".
func (s Spec) Summary() string {
	out := s.typeName()
	switch {
	case s.Minimum != nil && s.Maximum != nil:
		out += fmt.Sprintf(", %s to %s", num(*s.Minimum), num(*s.Maximum))
	case s.Minimum != nil:
		out += ", at least " + num(*s.Minimum)
	case s.Maximum != nil:
		out += ", at most " + num(*s.Maximum)
	}
	if len(s.Enum) > 0 {
		out += ": " + strings.Join(s.Enum, " | ")
	}
	return out
}

func (s Spec) typeName() string {
	if s.Type == Array {
		return "array of " + plural(s.Items)
	}
	return string(s.Type)
}

func (s Spec) bounds() string {
	switch {
	case s.Minimum != nil && s.Maximum != nil:
		return fmt.Sprintf(" from %s to %s", num(*s.Minimum), num(*s.Maximum))
	case s.Minimum != nil:
		return " of at least " + num(*s.Minimum)
	case s.Maximum != nil:
		return " of at most " + num(*s.Maximum)
	}
	return ""
}

func plural(t Type) string {
	switch t {
	case Boolean:
		return "booleans"
	case "":
		return "values"
	}
	return string(t) + "s"
}

// number reads the numbers a config holds: int, float64 and json.Number (integers beyond int64).
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// describe names a config value, for "is <describe>; expected ..." messages.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "empty"
	case string:
		return "the string " + yamldoc.Quote(v)
	case bool:
		return "the boolean " + strconv.FormatBool(v)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	if f, ok := number(v); ok {
		return "the number " + num(f)
	}
	return fmt.Sprintf("a %T", v)
}

// quoteHint suggests quotes for a number or boolean meant as text ("10.0" is a YAML number).
func quoteHint(v any) string {
	if _, ok := v.(bool); ok {
		return " (put the value in quotes)"
	}
	if _, ok := number(v); ok {
		return " (put the value in quotes)"
	}
	return ""
}

func typeList(ts []Type) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func didYouMean[T ~string](s string, candidates []T) string {
	names := make([]string, len(candidates))
	for i, c := range candidates {
		names[i] = string(c)
	}
	if c := suggest.Closest(s, names); c != "" {
		return fmt.Sprintf(" (did you mean %s?)", yamldoc.Quote(c))
	}
	return ""
}
