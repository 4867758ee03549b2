package yamldoc

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/m365posture/posture/internal/suggest"
)

var (
	unmarshalerType     = reflect.TypeFor[yaml.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	valueType           = reflect.TypeFor[Value]()
)

// checker walks the parsed document beside the Go type it will be decoded into, so that every
// problem is found with its path and line before yaml.v3 decodes the values.
type checker struct {
	opts   Options
	lines  Lines
	active map[*yaml.Node]bool // collections being checked, to refuse an alias to an ancestor
	budget int                 // values still allowed to be reached through aliases
	site   struct {            // where the current alias expansion started
		path string
		line int
	}
}

// want says what a value should be, for messages; "" means the type's default.
type want struct {
	expect string // the value
	item   string // each item of a list
}

// value checks node n at path against type t; aliased says n was reached through an alias.
func (c *checker) value(n *yaml.Node, t reflect.Type, path string, w want, aliased bool) error {
	if n.Kind == yaml.AliasNode && !aliased {
		aliased = true
		c.site.path, c.site.line = path, n.Line
	}
	if aliased {
		if c.budget--; c.budget < 0 {
			return errorf(c.site.line, "%s expands to more than %d values through aliases; expected a smaller value", c.name(c.site.path), MaxAliased)
		}
	}
	c.lines[path] = n.Line
	r, err := c.resolve(n, path)
	if err != nil || isNull(r) {
		return err
	}
	if c.active[r] {
		return errorf(n.Line, "%s is an alias to a value that contains it; expected a value without cycles", c.name(path))
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	expect := w.expect
	if expect == "" {
		expect = expectation(t)
	}
	switch {
	case t == valueType:
		return c.json(n, r, path, aliased)
	case reflect.PointerTo(t).Implements(unmarshalerType), reflect.PointerTo(t).Implements(textUnmarshalerType):
		return nil // the type checks what it decodes
	}
	switch t.Kind() {
	case reflect.Struct:
		return c.structure(n, r, t, path, expect, aliased)
	case reflect.Map:
		return c.mapping(n, r, t, path, expect, aliased)
	case reflect.Slice:
		return c.list(n, r, t, path, expect, w.item, aliased)
	case reflect.Interface:
		return errorf(n.Line, "%s cannot be decoded into %s; use yamldoc.Value", c.name(path), t)
	}
	if r.Kind != yaml.ScalarNode {
		return c.kindError(n, r, path, expect)
	}
	return c.scalar(n, r, t, path, expect)
}

// resolve follows an alias and refuses tags other than YAML's core ones, which could not be
// represented in JSON (or would silently mean something else).
func (c *checker) resolve(n *yaml.Node, path string) (*yaml.Node, error) {
	r := n
	for i := 0; r.Kind == yaml.AliasNode; i++ {
		if r.Alias == nil || i > 8 {
			return nil, errorf(n.Line, "%s is an alias that does not resolve; expected an anchor defined earlier", c.name(path))
		}
		r = r.Alias
	}
	return r, c.resolveTag(r, path)
}

func (c *checker) resolveTag(r *yaml.Node, path string) error {
	tag := r.ShortTag()
	ok := false
	switch r.Kind {
	case yaml.MappingNode:
		ok = tag == "!!map"
	case yaml.SequenceNode:
		ok = tag == "!!seq"
	case yaml.ScalarNode:
		switch tag {
		case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp":
			ok = true
		}
	}
	if !ok {
		return errorf(r.Line, "%s has the unsupported YAML tag %s; expected a plain value without a tag", c.name(path), Quote(r.Tag))
	}
	return nil
}

// structure checks a mapping decoded into struct t: its keys must name t's fields.
func (c *checker) structure(n, r *yaml.Node, t reflect.Type, path, expect string, aliased bool) error {
	if r.Kind != yaml.MappingNode {
		return c.kindError(n, r, path, expect)
	}
	fields := fieldsOf(t)
	return c.keys(r, path, func(k string, kn, v *yaml.Node) error {
		f, ok := fields.byName[k]
		if !ok {
			return errorf(kn.Line, "unknown key %s%s%s", Quote(k), c.in(path), c.unknownKeyHint(k, path, t))
		}
		return c.value(v, f.typ, join(path, k), f.want, aliased)
	})
}

// mapping checks a mapping decoded into a map with string keys.
func (c *checker) mapping(n, r *yaml.Node, t reflect.Type, path, expect string, aliased bool) error {
	if r.Kind != yaml.MappingNode {
		return c.kindError(n, r, path, expect)
	}
	if t.Key().Kind() != reflect.String {
		return errorf(n.Line, "%s cannot be decoded into %s; expected string keys", c.name(path), t)
	}
	return c.keys(r, path, func(k string, _, v *yaml.Node) error {
		return c.value(v, t.Elem(), join(path, k), want{}, aliased)
	})
}

// keys checks that every key of mapping m is a unique, plain string and calls each for the
// pairs in file order.
func (c *checker) keys(m *yaml.Node, path string, each func(k string, kn, v *yaml.Node) error) error {
	c.active[m] = true
	defer delete(c.active, m)
	first := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		k, err := c.key(kn, path)
		if err != nil {
			return err
		}
		if line, dup := first[k]; dup {
			return errorf(kn.Line, "duplicate key %s%s (first at line %d); expected each key once", Quote(k), c.in(path), c.mapLine(line))
		}
		first[k] = kn.Line
		if err := each(k, kn, m.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// mapLine shows a line inside a message as Options.Line would.
func (c *checker) mapLine(line int) int {
	if c.opts.Line != nil {
		return c.opts.Line(line)
	}
	return line
}

// key returns a mapping key's text; keys must be plain strings (JSON object keys).
func (c *checker) key(k *yaml.Node, path string) (string, error) {
	in := c.in(path)
	if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
		return "", errorf(k.Line, "merge key \"<<\"%s is not supported; expected plain keys", in)
	}
	r, err := c.resolve(k, "a key"+in)
	if err != nil {
		return "", err
	}
	switch {
	case r.Kind != yaml.ScalarNode:
		return "", errorf(k.Line, "a key%s is %s; expected a string key", in, describe(r))
	case isNull(r):
		return "", errorf(k.Line, "a key%s is empty; expected a string key", in)
	case r.ShortTag() != "!!str":
		return "", errorf(k.Line, "key %s%s is %s; expected a string key (quote it: %s)", clip(r.Value), in, kindName(r), strconv.Quote(r.Value))
	}
	return r.Value, nil
}

// list checks a sequence decoded into slice t. A lone string where a list of strings belongs
// is refused: "users: a, b" would silently become one user "a, b".
func (c *checker) list(n, r *yaml.Node, t reflect.Type, path, expect, itemExpect string, aliased bool) error {
	elem := t.Elem()
	for elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	strs := elem.Kind() == reflect.String && !reflect.PointerTo(elem).Implements(unmarshalerType)
	if r.Kind != yaml.SequenceNode {
		if strs && expect == expectation(t) {
			example := "[a, b]"
			if r.Kind == yaml.ScalarNode && len(r.Value) <= 60 && !strings.ContainsAny(r.Value, "[]{}\"'\n\r#") {
				example = "[" + r.Value + "]"
			}
			expect += ", e.g. " + example
		}
		return c.kindError(n, r, path, expect)
	}
	c.active[r] = true
	defer delete(c.active, r)
	if itemExpect == "" {
		itemExpect = expectation(elem)
	}
	for i, item := range r.Content {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		if ir, err := c.resolve(item, ipath); err != nil {
			return err
		} else if isNull(ir) || (strs && ir.Kind == yaml.ScalarNode && strings.TrimSpace(ir.Value) == "") {
			what := itemExpect
			if strs {
				what = "a non-empty string"
			}
			return errorf(item.Line, "%s is empty; expected %s", ipath, what)
		}
		if err := c.value(item, t.Elem(), ipath, want{expect: itemExpect}, aliased); err != nil {
			return err
		}
	}
	return nil
}

// scalar checks a scalar decoded into a string, number or boolean.
func (c *checker) scalar(n, r *yaml.Node, t reflect.Type, path, expect string) error {
	tag := r.ShortTag()
	switch t.Kind() {
	case reflect.String:
		return nil // any scalar reads as its text: a group may well be called 2024
	case reflect.Bool:
		if tag != "!!bool" {
			return c.kindError(n, r, path, expect)
		}
	case reflect.Float32, reflect.Float64:
		if tag != "!!int" && tag != "!!float" {
			return c.kindError(n, r, path, expect)
		}
		var f float64
		if err := r.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return errorf(n.Line, "%s %s is not a finite number; expected %s", c.name(path), clip(r.Value), expect)
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if tag != "!!int" {
			return c.kindError(n, r, path, expect)
		}
	default:
		return errorf(n.Line, "%s cannot be decoded into %s", c.name(path), t)
	}
	if err := r.Decode(reflect.New(t).Interface()); err != nil {
		return errorf(n.Line, "%s %s is out of range; expected %s", c.name(path), clip(r.Value), expect)
	}
	return nil
}

// json checks a Value: any JSON value, with string keys and finite numbers.
func (c *checker) json(n, r *yaml.Node, path string, aliased bool) error {
	switch r.Kind {
	case yaml.MappingNode:
		return c.keys(r, path, func(k string, _, v *yaml.Node) error {
			return c.value(v, valueType, join(path, k), want{}, aliased)
		})
	case yaml.SequenceNode:
		c.active[r] = true
		defer delete(c.active, r)
		for i, item := range r.Content {
			if err := c.value(item, valueType, fmt.Sprintf("%s[%d]", path, i), want{}, aliased); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := scalarValue(r); err != nil {
		return errorf(n.Line, "%s %s", c.name(path), err)
	}
	return nil
}

func (c *checker) kindError(n, r *yaml.Node, path, expect string) error {
	return errorf(n.Line, "%s is %s; expected %s", c.name(path), describe(r), expect)
}

// name is how a path is called in messages.
func (c *checker) name(path string) string {
	if path == "" {
		if c.opts.Name != "" {
			return c.opts.Name
		}
		return "the document"
	}
	return path
}

// in is " in <path>" for messages about keys, "" at the root.
func (c *checker) in(path string) string {
	if path == "" {
		return ""
	}
	return " in " + path
}

// unknownKeyHint suggests the closest known key, or, at the top level, the section a nested
// key belongs in.
func (c *checker) unknownKeyHint(key, path string, t reflect.Type) string {
	fields := fieldsOf(t)
	expected := "expected one of: " + strings.Join(fields.names, ", ")
	if s := suggest.Closest(key, fields.names); s != "" {
		return fmt.Sprintf("; did you mean %s? (%s)", Quote(s), expected)
	}
	if path == "" {
		for _, name := range fields.names {
			sub := fields.byName[name].typ
			for sub.Kind() == reflect.Pointer {
				sub = sub.Elem()
			}
			if sub.Kind() != reflect.Struct || sub == valueType {
				continue
			}
			if s := suggest.Closest(key, fieldsOf(sub).names); s != "" {
				return fmt.Sprintf("; did you mean %s? (%s)", Quote(name+"."+s), expected)
			}
		}
		if c.opts.Hint != "" {
			return "; " + expected + " " + c.opts.Hint
		}
	}
	return "; " + expected
}

// field is one struct field as the YAML document names it.
type field struct {
	typ  reflect.Type
	want want
}

type structFields struct {
	names  []string // in declaration order
	byName map[string]field
}

var fieldCache sync.Map // reflect.Type -> structFields

// fieldsOf lists the fields of struct t by their yaml names, as yaml.v3 names them.
func fieldsOf(t reflect.Type) structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(structFields)
	}
	fs := structFields{byName: map[string]field{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = strings.ToLower(sf.Name)
		}
		fs.names = append(fs.names, name)
		fs.byName[name] = field{typ: sf.Type, want: want{expect: sf.Tag.Get("expect"), item: sf.Tag.Get("expectItem")}}
	}
	fieldCache.Store(t, fs)
	return fs
}

// expectation is what a value of type t looks like, for "expected ..." in messages.
func expectation(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == valueType {
		return "a value"
	}
	switch t.Kind() {
	case reflect.Struct:
		names := fieldsOf(t).names
		switch len(names) {
		case 0:
			return "a mapping"
		case 1:
			return "a mapping with key " + names[0]
		}
		return "a mapping with keys " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	case reflect.Map:
		return "a mapping"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "a list of strings"
		}
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	}
	return "a value"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what a node is, for "X is <describe>; expected Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!null":
		return "empty"
	case "!!str", "!!timestamp":
		return "the string " + Quote(n.Value)
	case "!!int", "!!float":
		return "the number " + clip(n.Value)
	case "!!bool":
		return "the boolean " + clip(n.Value)
	default:
		return "the value " + Quote(n.Value)
	}
}

// kindName names a scalar's type, for keys that must be strings.
func kindName(n *yaml.Node) string {
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "null"
	case "!!timestamp":
		return "a date"
	}
	return "a value"
}

// Quote quotes s for a one-line message, shortening long values.
func Quote(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		return strconv.Quote(string(r[:max])) + "..."
	}
	return strconv.Quote(s)
}

// clip keeps an unquoted value to one short line.
func clip(s string) string {
	q := Quote(s)
	if q == `"`+s+`"` {
		return s
	}
	return q
}
