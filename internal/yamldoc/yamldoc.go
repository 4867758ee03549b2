// Package yamldoc decodes one YAML document into Go types, refusing unknown keys, wrong kinds and
// unsupported tags with one-line errors that name the file and line.
package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a problem at a line of a YAML file. Its message is one line:
// "FILE:LINE: what is wrong; expected what".
type Error struct {
	File string
	Line int // 0 when the problem has no line
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// errorf returns an *Error at a line of the document; Decode fills in the file. Value's
// UnmarshalYAML returns it to stop decoding with a one-line message.
func errorf(line int, format string, args ...any) *Error {
	return &Error{Line: line, Msg: oneLine(fmt.Sprintf(format, args...))}
}

// Lines maps the path of every value in the document to its line: "tenant", "gate.failOn",
// "exceptions[0].rule"; "" is the root. A key whose value is null is present.
type Lines map[string]int

// Has reports whether the document has a value (null included) at path.
func (l Lines) Has(path string) bool {
	_, ok := l[path]
	return ok
}

// Options say how the document is named in messages.
type Options struct {
	// File names the document in errors.
	File string
	// Name is what the whole document is called in messages, e.g. "the config".
	Name string
	// Expect is what the root should be, for a root of another kind; the default is
	// derived from the type.
	Expect string
	// Hint is added to the message for an unknown top-level key that is close to no key,
	// e.g. "(rule parameters go under parameters)".
	Hint string
	// Line maps a line of the data to the line shown in messages and Lines, for documents
	// that are part of a larger file (a Rego METADATA block); nil keeps the lines.
	Line func(int) int
}

// MaxAliased bounds the values reached through aliases, because aliases can make a small
// document expand exponentially (a "billion laughs" document). Values written out literally are
// bounded by the file's size and do not count.
const MaxAliased = 100_000

// Decode decodes data, which must hold at most one YAML document, into out, a pointer to a
// struct. Before the values are decoded (by yaml.v3, from the parsed document), the document's
// shape is checked against out's type: keys must be known strings and unique, values of the
// right kind, with no tags beyond YAML's core ones, numbers finite. Struct fields are named by
// their yaml tag; an `expect` tag says what the field's value should be and an `expectItem` tag
// what each item of a list should be, for messages. Lists of strings refuse empty items. A type
// that implements yaml.Unmarshaler checks itself, except Value, which is checked as a JSON value.
//
// It returns the line of every value, or nil (leaving out untouched) for an empty document.
// Errors are *Error values whose message is one line.
func Decode(data []byte, out any, o Options) (Lines, error) {
	if pv := reflect.ValueOf(out); pv.Kind() != reflect.Pointer || pv.IsNil() {
		return nil, fmt.Errorf("yamldoc.Decode needs a non-nil pointer, got %T", out)
	}
	lines, err := decode(data, out, o)
	if err == nil {
		if o.Line != nil {
			for k, v := range lines {
				lines[k] = o.Line(v)
			}
		}
		return lines, nil
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Msg: "invalid YAML: " + oneLine(strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	e.File = o.File
	if o.Line != nil && e.Line > 0 {
		e.Line = o.Line(e.Line)
	}
	return nil, e
}

func decode(data []byte, out any, o Options) (lines Lines, err error) {
	if err := checkText(data); err != nil {
		return nil, err
	}
	// The YAML library is third-party code fed untrusted input; a bug in it must still end
	// in a one-line error, never a crash of the whole run.
	defer func() {
		if r := recover(); r != nil {
			lines, err = nil, errorf(0, "invalid YAML: the parser failed (%s); expected a valid YAML document", clip(fmt.Sprint(r)))
		}
	}()
	root, err := document(data)
	if err != nil || root == nil {
		return nil, err
	}
	c := &checker{opts: o, lines: Lines{}, active: map[*yaml.Node]bool{}, budget: MaxAliased}
	if isNull(root) {
		return nil, c.resolveTag(root, "")
	}
	if err := c.value(root, reflect.TypeOf(out).Elem(), "", want{expect: o.Expect}, false); err != nil {
		return nil, err
	}
	// The values come from the parsed document: parsing the text again for the decoder would
	// double the cost. Unknown keys never reach the decoder: the check above refused them.
	if err := root.Decode(out); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			// The check above should have caught every type error; if one slips through,
			// the library's own text still names the line.
			return nil, errorf(0, "%s; expected a value of the documented type", te.Errors[0])
		}
		return nil, err
	}
	return c.lines, nil
}

// document parses data as exactly one YAML document and returns its root node, or nil for an
// empty document.
func document(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntaxError(data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(data, err)
	default:
		return nil, errorf(next.Line, "a second YAML document starts here; expected one document per file")
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}
