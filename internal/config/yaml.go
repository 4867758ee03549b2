package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

var (
	yamlLineError     = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)
	yamlUnknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
	yamlSaysExpected  = regexp.MustCompile(`\bexpected\b`) // not "unexpected"
)

// document parses data as exactly one YAML document and returns its root node, or nil for
// an empty file.
func (p *parser) document(data []byte) (root *yaml.Node, err error) {
	if err := p.checkText(data); err != nil {
		return nil, err
	}
	// The YAML library is third-party code fed untrusted input; a bug in it must still end
	// in a one-line error, never a crash of the whole run.
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, p.errorf(0, "invalid YAML: the parser failed (%s); expected a valid YAML document", clip(fmt.Sprint(r)))
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, p.syntaxError(data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, p.syntaxError(data, err)
	default:
		return nil, p.errorf(next.Line, "a second YAML document starts here; expected one document per config file")
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// checkText finds bytes YAML refuses (invalid UTF-8, control characters) so the message can
// name their line; the YAML library reports them without one. UTF-16 files (with a BOM) are
// left to the library, which decodes them.
func (p *parser) checkText(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil
	}
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return p.errorf(line, "invalid YAML: byte 0x%02x is not valid UTF-8; expected UTF-8 text", data[i])
		case !yamlPrintable(r):
			return p.errorf(line, "invalid YAML: control character %U is not allowed; expected printable text", r)
		case r == '\n':
			line++
		}
		i += size
	}
	return nil
}

// yamlPrintable is YAML 1.2's c-printable set, which the YAML library enforces.
func yamlPrintable(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// syntaxError turns the YAML library's error into FILE:LINE: invalid YAML: ... .
//
// The library's line numbers are 1-based for scanner errors but 0-based for parser errors
// (see parser.fail in its decode.go), and it omits "line N" when the 0-based mark is 0, so
// the line is corrected here rather than passed on.
func (p *parser) syntaxError(data []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineError.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if isParserProblem(msg) {
			line++
		}
	} else if m := yamlUnknownAnchor.FindStringSubmatch(msg); m != nil {
		line = aliasLine(data, m[1])
		msg = fmt.Sprintf("alias *%s refers to no anchor", m[1])
	} else {
		line = 1
	}
	if last := lastLine(data); line > last {
		line = last
	}
	msg = strings.Join(strings.Fields(msg), " ") // one line whatever the library says
	if yamlSaysExpected.MatchString(msg) {
		return p.errorf(line, "invalid YAML: %s", msg)
	}
	return p.errorf(line, "invalid YAML: %s; expected valid YAML", msg)
}

// isParserProblem reports whether msg is one of the YAML parser's (not scanner's) problems,
// whose line the library reports 0-based.
func isParserProblem(msg string) bool {
	return strings.HasPrefix(msg, "did not find expected ") ||
		strings.HasPrefix(msg, "expected ") ||
		msg == "found undefined tag handle" ||
		msg == "found duplicate %YAML directive" ||
		msg == "found incompatible YAML document" ||
		msg == "found duplicate %TAG directive"
}

// aliasLine returns the line of the first "*name" alias in data, or 1.
func aliasLine(data []byte, name string) int {
	needle := []byte("*" + name)
	for off := 0; ; {
		i := bytes.Index(data[off:], needle)
		if i < 0 {
			return 1
		}
		end := off + i + len(needle)
		if end == len(data) || strings.IndexByte(" \t\r\n,]}", data[end]) >= 0 {
			return 1 + bytes.Count(data[:off+i], []byte("\n"))
		}
		off = end
	}
}

// lastLine is the number of the last line with content, at least 1.
func lastLine(data []byte) int {
	return 1 + bytes.Count(bytes.TrimRight(data, " \t\r\n"), []byte("\n"))
}
