package yamldoc

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkText finds bytes YAML refuses (invalid UTF-8, control characters) so the message can
// name their line; the YAML library reports them without one. UTF-16 files (with a BOM) are
// left to the library, which decodes them.
func checkText(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil
	}
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return errorf(line, "invalid YAML: byte 0x%02x is not valid UTF-8; expected UTF-8 text", data[i])
		case !yamlPrintable(r):
			return errorf(line, "invalid YAML: control character %U is not allowed; expected printable text", r)
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

// syntaxError turns the YAML library's syntax error into LINE: invalid YAML: ... .
//
// The library reports syntax errors only as text ("yaml: line N: problem"), and its line
// numbers are 1-based for scanner errors but 0-based for parser errors (see parser.fail in its
// decode.go); it omits "line N" when the 0-based mark is 0. So the text is read here and the
// line corrected rather than passed on.
func syntaxError(data []byte, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, problem, ok := strings.Cut(rest, ": "); ok {
			if n, err := strconv.Atoi(num); err == nil {
				line, msg = n, problem
				if isParserProblem(msg) {
					line++
				}
			}
		}
	} else if name, ok := unknownAnchor(msg); ok {
		line = aliasLine(data, name)
		msg = fmt.Sprintf("alias *%s refers to no anchor", name)
	}
	if last := lastLine(data); line > last {
		line = last
	}
	msg = oneLine(msg)
	if saysExpected(msg) {
		return errorf(line, "invalid YAML: %s", msg)
	}
	return errorf(line, "invalid YAML: %s; expected valid YAML", msg)
}

// unknownAnchor reads the anchor name from the library's "unknown anchor 'x' referenced".
func unknownAnchor(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "unknown anchor '")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, "' referenced")
}

// saysExpected reports whether msg already says what was expected (the word "expected", not
// "unexpected").
func saysExpected(msg string) bool {
	for _, w := range strings.FieldsFunc(msg, func(r rune) bool { return r == ' ' || r == '\'' || r == ',' }) {
		if w == "expected" {
			return true
		}
	}
	return false
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

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
