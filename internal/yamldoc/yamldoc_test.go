package yamldoc

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// doc exercises every kind the checker knows.
type doc struct {
	Name    string           `yaml:"name" expect:"a short name"`
	Count   int              `yaml:"count"`
	Ratio   float64          `yaml:"ratio"`
	On      bool             `yaml:"on"`
	Tags    []string         `yaml:"tags"`
	Items   []item           `yaml:"items" expectItem:"an item with id and size"`
	Inner   *inner           `yaml:"inner"`
	Groups  map[string][]int `yaml:"groups"`
	Free    Value            `yaml:"free"`
	Maybe   *Value           `yaml:"maybe"`
	Ignored string           `yaml:"-"`
}

type item struct {
	ID   string `yaml:"id"`
	Size int8   `yaml:"size"`
}

type inner struct {
	Depth int    `yaml:"depth"`
	Label string `yaml:"label"`
}

func decodeDoc(t *testing.T, src string, o Options) (doc, Lines, error) {
	t.Helper()
	var d doc
	if o.File == "" {
		o.File = "f.yaml"
	}
	lines, err := Decode([]byte(src), &d, o)
	return d, lines, err
}

func TestDecodeAccepts(t *testing.T) {
	src := `name: 2024
count: 0x10
ratio: 1.5
on: true
tags: [a, b]
items:
  - {id: x, size: 7}
inner: {depth: 2}
groups: {g: [1, 2]}
free: {when: 2026-01-02, big: 18446744073709551615, list: [1, 2.5, null, yes]}
`
	d, lines, err := decodeDoc(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := doc{
		Name: "2024", Count: 16, Ratio: 1.5, On: true, Tags: []string{"a", "b"},
		Items: []item{{"x", 7}}, Inner: &inner{Depth: 2}, Groups: map[string][]int{"g": {1, 2}},
		Free: Value{map[string]any{"when": "2026-01-02", "big": json.Number("18446744073709551615"), "list": []any{1, 2.5, nil, "yes"}}},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("decoded %#v\nwant %#v", d, want)
	}
	for path, line := range map[string]int{"": 1, "name": 1, "items[0].size": 7, "inner.depth": 8, "groups.g[1]": 9, "free.list[2]": 10} {
		if lines[path] != line {
			t.Errorf("lines[%q] = %d, want %d", path, lines[path], line)
		}
	}
	if lines.Has("maybe") || lines.Has("inner.label") {
		t.Errorf("absent keys have lines: %v", lines)
	}
}

func TestDecodeEmpty(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n~\n"} {
		d, lines, err := decodeDoc(t, src, Options{})
		if err != nil || lines != nil || !reflect.DeepEqual(d, doc{}) {
			t.Errorf("Decode(%q) = %+v, %v, %v; want nothing", src, d, lines, err)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name, src string
		opts      Options
		want      string
	}{
		// keys
		{"unknown key with a suggestion", "nmae: x\n", Options{}, `f.yaml:1: unknown key "nmae"; did you mean "name"? (expected one of: name, count, ratio, on, tags, items, inner, groups, free, maybe)`},
		{"nested key at the top level", "depht: 1\n", Options{}, `f.yaml:1: unknown key "depht"; did you mean "inner.depth"?`},
		{"unrelated key with a hint", "colour: red\n", Options{Hint: "(see the docs)"}, `f.yaml:1: unknown key "colour"; expected one of: name, count, ratio, on, tags, items, inner, groups, free, maybe (see the docs)`},
		{"unknown nested key", "items:\n  - {id: x, sise: 1}\n", Options{}, `f.yaml:2: unknown key "sise" in items[0]; did you mean "size"? (expected one of: id, size)`},
		{"a key yaml ignores", "Ignored: x\n", Options{}, `f.yaml:1: unknown key "Ignored"`},
		{"duplicate key", "name: a\ncount: 1\nname: b\n", Options{}, `f.yaml:3: duplicate key "name" (first at line 1); expected each key once`},
		{"duplicate map key", "groups:\n  g: [1]\n  g: [2]\n", Options{}, `f.yaml:3: duplicate key "g" in groups (first at line 2); expected each key once`},
		{"merge key", "inner:\n  <<: {depth: 1}\n", Options{}, `f.yaml:2: merge key "<<" in inner is not supported; expected plain keys`},
		{"number key", "free: {1: x}\n", Options{}, `f.yaml:1: key 1 in free is a number; expected a string key (quote it: "1")`},
		{"list key", "? [a]\n: b\n", Options{}, `f.yaml:1: a key is a list; expected a string key`},
		// kinds
		{"root is a list", "- a\n", Options{Name: "the thing"}, `f.yaml:1: the thing is a list; expected a mapping with keys name, count, ratio, on, tags, items, inner, groups, free and maybe`},
		{"root with its own expectation", "x\n", Options{Name: "the thing", Expect: "a mapping of things"}, `f.yaml:1: the thing is the string "x"; expected a mapping of things`},
		{"string is a list", "name: [a]\n", Options{}, `f.yaml:1: name is a list; expected a short name`},
		{"integer is text", "count: many\n", Options{}, `f.yaml:1: count is the string "many"; expected an integer`},
		{"integer is fractional", "count: 1.5\n", Options{}, `f.yaml:1: count is the number 1.5; expected an integer`},
		{"integer out of range", "items: [{id: x, size: 300}]\n", Options{}, `f.yaml:1: items[0].size 300 is out of range; expected an integer`},
		{"NaN", "ratio: .nan\n", Options{}, `f.yaml:1: ratio .nan is not a finite number; expected a number`},
		{"infinity", "ratio: -.Inf\n", Options{}, `f.yaml:1: ratio -.Inf is not a finite number; expected a number`},
		{"boolean is text", "on: \"true\"\n", Options{}, `f.yaml:1: on is the string "true"; expected true or false`},
		{"lone string for a list", "tags: a, b\n", Options{}, `f.yaml:1: tags is the string "a, b"; expected a list of strings, e.g. [a, b]`},
		{"empty list item", "tags: [a, \" \"]\n", Options{}, `f.yaml:1: tags[1] is empty; expected a non-empty string`},
		{"null struct item", "items:\n  -\n", Options{}, `f.yaml:2: items[0] is empty; expected an item with id and size`},
		{"struct item is a string", "items: [x]\n", Options{}, `f.yaml:1: items[0] is the string "x"; expected an item with id and size`},
		{"struct is a list", "inner: []\n", Options{}, `f.yaml:1: inner is a list; expected a mapping with keys depth and label`},
		{"map value of the wrong kind", "groups: {g: [x]}\n", Options{}, `f.yaml:1: groups.g[0] is the string "x"; expected an integer`},
		// values
		{"NaN in a value", "free: [1, .nan]\n", Options{}, `f.yaml:1: free[1] ".nan" is not a finite number; expected a number JSON can carry`},
		{"bad explicit integer", "free: !!int x\n", Options{}, `f.yaml:1: free "x" is not an integer; expected a whole number`},
		{"bool key in a value", "free:\n  a:\n    true: x\n", Options{}, `f.yaml:3: key true in free.a is a boolean; expected a string key (quote it: "true")`},
		// tags and aliases
		{"custom tag", "name: !env NAME\n", Options{}, `f.yaml:1: name has the unsupported YAML tag "!env"; expected a plain value without a tag`},
		{"binary tag", "free: !!binary aGVsbG8=\n", Options{}, `f.yaml:1: free has the unsupported YAML tag "!!binary"; expected a plain value without a tag`},
		{"alias cycle", "free: &a [*a]\n", Options{}, `f.yaml:1: free[0] is an alias to a value that contains it; expected a value without cycles`},
		{"alias expansion bomb", bomb(), Options{}, `expands to more than 100000 values through aliases; expected a smaller value`},
		{"alias to a list of the wrong kind", "tags: &t [a]\ngroups: {g: *t}\n", Options{}, `f.yaml:1: groups.g[0] is the string "a"; expected an integer`},
		// the text
		{"syntax error line", "name: x\ntags: [a\n", Options{}, `f.yaml:2: invalid YAML: did not find expected ',' or ']'`},
		{"unknown anchor", "name: x\ntags: *t\n", Options{}, `f.yaml:2: invalid YAML: alias *t refers to no anchor; expected valid YAML`},
		{"two documents", "name: x\n---\nname: y\n", Options{}, `f.yaml:2: a second YAML document starts here; expected one document per file`},
		{"invalid UTF-8", "name: x\nname: \xff\n", Options{}, `f.yaml:2: invalid YAML: byte 0xff is not valid UTF-8; expected UTF-8 text`},
		{"control character", "name: \x01\n", Options{}, `f.yaml:1: invalid YAML: control character U+0001 is not allowed; expected printable text`},
		// lines of a block inside a larger file
		{"mapped lines", "name: a\nnmae: b\n", Options{Line: func(l int) int { return l + 10 }}, `f.yaml:12: unknown key "nmae"`},
		{"mapped first line", "name: a\nname: b\n", Options{Line: func(l int) int { return l + 10 }}, `f.yaml:12: duplicate key "name" (first at line 11)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeDoc(t, tt.src, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error = %v\nwant one line containing %s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "f.yaml" {
				t.Errorf("error %T does not name the file", err)
			}
		})
	}
}

// bomb is a "billion laughs" document: 10 levels of 10 aliases each.
func bomb() string {
	var b strings.Builder
	b.WriteString("free:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		prev := "*l" + string(rune('0'+i-1))
		b.WriteString("  l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [")
		b.WriteString(strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	return b.String()
}

func TestDecodeNeedsAPointer(t *testing.T) {
	if _, err := Decode([]byte("name: x\n"), doc{}, Options{File: "f.yaml"}); err == nil {
		t.Fatal("Decode into a non-pointer succeeded")
	}
}

func TestValueJSON(t *testing.T) {
	b, err := json.Marshal(Value{map[string]any{"a": []any{1, "x"}}})
	if err != nil || string(b) != `{"a":[1,"x"]}` {
		t.Errorf("json = %s, %v", b, err)
	}
}
