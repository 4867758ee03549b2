// Package ocsfschema validates OCSF Compliance Finding events against the class as OCSF
// publishes it, for the tests of posture's ocsf format.
package ocsfschema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The OCSF release and class the events follow.
const (
	Version  = "1.8.0"
	ClassUID = 2003
)

// File is the stored schema, relative to this package: github.com/ocsf/ocsf-schema at the
// release tag Version, compiled by OCSF's own compiler and cut down by Extract. To refresh it
// (the compiler declares Python 3.14; 3.13 runs it):
//
//	git clone --branch 1.8.0 https://github.com/ocsf/ocsf-schema
//	git clone https://github.com/ocsf/ocsf-schema-compiler
//	(cd ocsf-schema-compiler/src && python3 -m ocsf_schema_compiler -i ../../ocsf-schema) > compiled.json
//	go test ./internal/ocsfschema -run TestFile -ocsf-compiled compiled.json -ocsf-commit <ocsf-schema sha> -ocsf-compiler "<version> (commit <sha>)"
const File = "testdata/compliance_finding-" + Version + ".json"

//go:embed testdata/compliance_finding-1.8.0.json
var stored []byte

// Load returns the stored schema.
func Load() (*Schema, error) {
	return parse(stored)
}

func parse(data []byte) (*Schema, error) {
	var s Schema
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("read %s: %w", File, err)
	}
	return &s, nil
}

// Schema is the part of a compiled OCSF schema that validates Compliance Finding events.
type Schema struct {
	Source   string          `json:"source"`
	Version  string          `json:"version"`
	Profiles []string        `json:"profiles"`
	Types    map[string]Type `json:"types"`
	Class    Item            `json:"class"`
	Objects  map[string]Item `json:"objects"`
}

// Item is a class or an object.
type Item struct {
	Name        string              `json:"name"`
	UID         int                 `json:"uid,omitempty"`
	Deprecated  bool                `json:"deprecated,omitempty"`
	Constraints map[string][]string `json:"constraints,omitempty"`
	Attributes  map[string]Attr     `json:"attributes"`
}

// Attr is an attribute of a class or object as the compiler resolved it.
type Attr struct {
	Type        string `json:"type"`
	ObjectType  string `json:"object_type,omitempty"`
	IsArray     bool   `json:"is_array,omitempty"`
	Requirement string `json:"requirement,omitempty"`
	// Enum maps each value (as JSON text without quotes) to its caption.
	Enum    map[string]string `json:"enum,omitempty"`
	Sibling string            `json:"sibling,omitempty"`
	// Profiles are the profiles that bring the attribute in; nil for one that is always there.
	Profiles   []string `json:"profiles,omitempty"`
	Deprecated bool     `json:"deprecated,omitempty"`
}

// Type is a dictionary type: a primitive (no Type) or a subtype with its constraints.
type Type struct {
	Type   string    `json:"type,omitempty"`
	Regex  string    `json:"regex,omitempty"`
	MaxLen int       `json:"max_len,omitempty"`
	Range  []float64 `json:"range,omitempty"`
	Values []any     `json:"values,omitempty"`
}

// Extract keeps the Compliance Finding class of a compiled OCSF schema (the output of
// github.com/ocsf/ocsf-schema-compiler) and every object it reaches, with what validation
// needs (types, arrays, requirements, enums, siblings, profiles, constraints, deprecation) and
// nothing else, and records where it came from: the ocsf-schema commit and the compiler.
func Extract(data []byte, commit, compiler string) ([]byte, error) {
	type rawAttr struct {
		Type        string                     `json:"type"`
		ObjectType  string                     `json:"object_type"`
		IsArray     bool                       `json:"is_array"`
		Requirement string                     `json:"requirement"`
		Enum        map[string]json.RawMessage `json:"enum"`
		Sibling     string                     `json:"sibling"`
		Profiles    []string                   `json:"profiles"`
		Deprecated  json.RawMessage            `json:"@deprecated"`
	}
	type rawItem struct {
		Name        string              `json:"name"`
		UID         int                 `json:"uid"`
		Deprecated  json.RawMessage     `json:"@deprecated"`
		Constraints map[string][]string `json:"constraints"`
		Attributes  map[string]rawAttr  `json:"attributes"`
	}
	var compiled struct {
		Version    string                     `json:"version"`
		Profiles   map[string]json.RawMessage `json:"profiles"`
		Classes    map[string]rawItem         `json:"classes"`
		Objects    map[string]rawItem         `json:"objects"`
		Dictionary struct {
			Types struct {
				Attributes map[string]Type `json:"attributes"`
			} `json:"types"`
		} `json:"dictionary"`
	}
	if err := json.Unmarshal(data, &compiled); err != nil {
		return nil, fmt.Errorf("read compiled schema: %w", err)
	}
	if compiled.Version != Version {
		return nil, fmt.Errorf("the compiled schema is OCSF %s; posture emits %s", compiled.Version, Version)
	}
	var convErr error
	convert := func(r rawItem) Item {
		it := Item{Name: r.Name, UID: r.UID, Deprecated: len(r.Deprecated) > 0, Constraints: r.Constraints, Attributes: map[string]Attr{}}
		for name, a := range r.Attributes {
			out := Attr{Type: a.Type, ObjectType: a.ObjectType, IsArray: a.IsArray, Requirement: a.Requirement,
				Sibling: a.Sibling, Profiles: a.Profiles, Deprecated: len(a.Deprecated) > 0}
			if len(a.Enum) > 0 {
				out.Enum = map[string]string{}
				for v, raw := range a.Enum {
					var e struct {
						Caption string `json:"caption"`
					}
					if err := json.Unmarshal(raw, &e); err != nil && convErr == nil {
						convErr = fmt.Errorf("enum %s of %s.%s: %w", v, r.Name, name, err)
					}
					out.Enum[v] = e.Caption
				}
			}
			it.Attributes[name] = out
		}
		return it
	}
	class, ok := compiled.Classes["compliance_finding"]
	if !ok {
		return nil, fmt.Errorf("the compiled schema has no compliance_finding class")
	}
	s := Schema{
		Source: fmt.Sprintf("github.com/ocsf/ocsf-schema, tag %s (commit %s), compiled by github.com/ocsf/ocsf-schema-compiler %s "+
			"with -i (no platform extensions); class compliance_finding and the objects it reaches, descriptions left out", Version, commit, compiler),
		Version: compiled.Version,
		Types:   compiled.Dictionary.Types.Attributes,
		Class:   convert(class),
		Objects: map[string]Item{},
	}
	for p := range compiled.Profiles {
		s.Profiles = append(s.Profiles, p)
	}
	sort.Strings(s.Profiles)
	queue := []Item{s.Class}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		for _, a := range it.Attributes {
			if a.Type != "object_t" {
				continue
			}
			if _, done := s.Objects[a.ObjectType]; done {
				continue
			}
			raw, ok := compiled.Objects[a.ObjectType]
			if !ok {
				return nil, fmt.Errorf("object %s is not defined", a.ObjectType)
			}
			s.Objects[a.ObjectType] = convert(raw)
			queue = append(queue, s.Objects[a.ObjectType])
		}
	}
	if convErr != nil {
		return nil, convErr
	}
	out, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return nil, fmt.Errorf("write schema: %w", err)
	}
	return append(out, '\n'), nil
}

// Validate validates one event against the schema, as OCSF's own validator (ocsf-server,
// lib/schema/validator2.ex) does, and stricter where posture controls the output: errors for
// an unknown or deprecated attribute, a required one missing, a null, a value of the wrong
// type or outside its type's constraints, an enum value the schema does not list, a sibling
// caption that differs from its enum's, a failed constraint, an attribute of a profile the
// event does not declare, a wrong type_uid or version. missing lists the recommended
// attributes left out.
func (s *Schema) Validate(event map[string]any) (errs, missing []string) {
	v := &validator{s: s, profiles: map[string]bool{}}
	meta, _ := event["metadata"].(map[string]any)
	if ps, ok := meta["profiles"].([]any); ok {
		for _, p := range ps {
			name, _ := p.(string)
			if !slices.Contains(s.Profiles, name) {
				v.fail("metadata.profiles", "unknown profile %v", p)
			}
			v.profiles[name] = true
		}
	}
	if version, _ := meta["version"].(string); version != s.Version {
		v.fail("metadata.version", "%q; the schema is %s", meta["version"], s.Version)
	}
	if uid, ok := number(event["class_uid"]); !ok || uid != float64(s.Class.UID) {
		v.fail("class_uid", "%v; want %d", event["class_uid"], s.Class.UID)
	}
	class, _ := number(event["class_uid"])
	activity, _ := number(event["activity_id"])
	if typ, ok := number(event["type_uid"]); !ok || typ != class*100+activity {
		v.fail("type_uid", "%v; want class_uid * 100 + activity_id = %v", event["type_uid"], class*100+activity)
	}
	v.item("", event, s.Class)
	return v.errs, v.missing
}

type validator struct {
	s        *Schema
	profiles map[string]bool
	errs     []string
	missing  []string
}

func (v *validator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

// applies reports whether an attribute belongs to the event: it comes with no profile, or
// with one the event declares.
func (v *validator) applies(a Attr) bool {
	if a.Profiles == nil {
		return true
	}
	for _, p := range a.Profiles {
		if v.profiles[p] {
			return true
		}
	}
	return false
}

func attrPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// item validates a JSON object against a class or an object definition.
func (v *validator) item(path string, m map[string]any, it Item) {
	if it.Deprecated {
		v.fail(path, "object %s is deprecated", it.Name)
	}
	if len(it.Attributes) == 0 {
		return // OCSF's "object": any attributes (unmapped)
	}
	for _, name := range slices.Sorted(maps.Keys(m)) {
		p := attrPath(path, name)
		a, ok := it.Attributes[name]
		switch {
		case !ok:
			v.fail(p, "unknown attribute of %s", it.Name)
			continue
		case !v.applies(a):
			v.fail(p, "attribute of profile %v, which metadata.profiles does not declare", a.Profiles)
			continue
		case a.Deprecated:
			v.fail(p, "deprecated attribute")
		}
		v.value(p, a, m[name])
		if a.Sibling != "" && len(a.Enum) > 0 && !a.IsArray {
			if sib, ok := m[a.Sibling]; ok {
				key := enumKey(m[name])
				if caption, known := a.Enum[key]; known && key != "99" && sib != caption {
					v.fail(attrPath(path, a.Sibling), "%q; the caption of %s %s is %q", sib, name, key, caption)
				}
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(it.Attributes)) {
		a := it.Attributes[name]
		if _, ok := m[name]; ok || !v.applies(a) {
			continue
		}
		switch a.Requirement {
		case "required":
			v.fail(attrPath(path, name), "required attribute missing")
		case "recommended":
			v.missing = append(v.missing, attrPath(path, name))
		}
	}
	for kind, names := range it.Constraints {
		n := 0
		for _, name := range names {
			if _, ok := m[name]; ok {
				n++
			}
		}
		switch {
		case kind == "at_least_one" && n == 0:
			v.fail(path, "%s needs at least one of %v", it.Name, names)
		case kind == "just_one" && n != 1:
			v.fail(path, "%s needs exactly one of %v, has %d", it.Name, names, n)
		case kind != "at_least_one" && kind != "just_one":
			v.fail(path, "unknown constraint %s", kind)
		}
	}
}

func (v *validator) value(path string, a Attr, x any) {
	if a.IsArray {
		arr, ok := x.([]any)
		if !ok {
			v.fail(path, "%s; want an array", kindOf(x))
			return
		}
		for i, e := range arr {
			v.one(fmt.Sprintf("%s[%d]", path, i), a, e)
		}
		return
	}
	v.one(path, a, x)
}

func (v *validator) one(path string, a Attr, x any) {
	if x == nil {
		v.fail(path, "null; OCSF leaves an attribute out instead")
		return
	}
	if a.Type == "object_t" {
		m, ok := x.(map[string]any)
		if !ok {
			v.fail(path, "%s; want object %s", kindOf(x), a.ObjectType)
			return
		}
		v.item(path, m, v.s.Objects[a.ObjectType])
		return
	}
	v.typed(path, a.Type, x)
	if len(a.Enum) > 0 {
		if _, ok := a.Enum[enumKey(x)]; !ok {
			v.fail(path, "%v is not one of the enum values %v", x, slices.Sorted(maps.Keys(a.Enum)))
		}
	}
}

// typed checks a value against a dictionary type and, for a subtype, its base type.
func (v *validator) typed(path, typ string, x any) {
	t, ok := v.s.Types[typ]
	if !ok {
		v.fail(path, "type %s is not in the dictionary", typ)
		return
	}
	if t.Type != "" {
		v.typed(path, t.Type, x)
	}
	if len(t.Values) > 0 && !slices.ContainsFunc(t.Values, func(val any) bool { return fmt.Sprint(val) == fmt.Sprint(x) }) {
		v.fail(path, "%v is not one of %s's values %v", x, typ, t.Values)
	}
	switch typ {
	case "string_t":
		if _, ok := x.(string); !ok {
			v.fail(path, "%s; want a string", kindOf(x))
		}
	case "boolean_t":
		if _, ok := x.(bool); !ok {
			v.fail(path, "%s; want a boolean", kindOf(x))
		}
	case "integer_t", "long_t":
		n, ok := number(x)
		limit := math.Pow(2, 31)
		if typ == "long_t" {
			limit = math.Pow(2, 63)
		}
		switch {
		case !ok:
			v.fail(path, "%s; want %s", kindOf(x), typ)
		case n != math.Trunc(n) || n < -limit || n >= limit:
			v.fail(path, "%v; want %s", x, typ)
		}
	case "float_t":
		if _, ok := number(x); !ok {
			v.fail(path, "%s; want a number", kindOf(x))
		}
	}
	if s, ok := x.(string); ok {
		if t.MaxLen > 0 && len(s) > t.MaxLen {
			v.fail(path, "longer than %s's %d", typ, t.MaxLen)
		}
		if t.Regex != "" {
			re, err := regexp.Compile(t.Regex)
			if err != nil {
				v.fail(path, "%s's pattern does not compile here: %v", typ, err)
			} else if !re.MatchString(s) {
				v.fail(path, "%q does not match %s's pattern", s, typ)
			}
		}
	}
	if n, ok := number(x); ok && len(t.Range) == 2 && (n < t.Range[0] || n > t.Range[1]) {
		v.fail(path, "%v is outside %s's range %v", x, typ, t.Range)
	}
}

// number reads a JSON number decoded with UseNumber (or a Go number).
func number(x any) (float64, bool) {
	switch n := x.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// enumKey is a value as the schema's enum keys spell it.
func enumKey(x any) string {
	if n, ok := number(x); ok && n == math.Trunc(n) {
		return strconv.FormatInt(int64(n), 10)
	}
	return fmt.Sprint(x)
}

func kindOf(x any) string {
	switch x.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("string %q", x)
	}
	return fmt.Sprintf("%T %v", x, x)
}

// DecodeLines reads JSON Lines, each line one event, numbers kept as written (json.Number).
func DecodeLines(out string) ([]map[string]any, error) {
	var events []map[string]any
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" && i == 0 && out == "" {
			break
		}
		dec := json.NewDecoder(strings.NewReader(line))
		dec.UseNumber()
		var e map[string]any
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("line %d is not a JSON object: %w", i+1, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("line %d holds more than one JSON value", i+1)
		}
		events = append(events, e)
	}
	return events, nil
}
