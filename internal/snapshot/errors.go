package snapshot

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Error is a problem in a snapshot file: where it is and what was expected.
// Parse and Load return it (as error) for every syntax and validation failure.
type Error struct {
	File string // the name given to Parse, or Load's path
	Line int    // 1-based line of a syntax error; 0 when Path is used instead
	Col  int    // 1-based column (in characters) of a syntax error
	Path string // JSONPath of the offending value, e.g. $.entra.users
	Msg  string // what is wrong, one line
}

// Error returns one line: "FILE:LINE:COL: MSG" for a syntax error, else
// "FILE: PATH: MSG" (or "FILE: MSG" when there is no path).
func (e *Error) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Path != "":
		return fmt.Sprintf("%s: %s: %s", e.File, e.Path, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
}

// position returns the 1-based line and column of byte offset off in data;
// columns count characters, not bytes, so they match what an editor shows.
func position(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[lineStart:])
}

// pathKey appends an object key to a JSONPath, in dot form when the key is an
// identifier and in quoted bracket form otherwise (GUIDs, "entra.users",
// keys holding control characters), so the path stays on one line.
func pathKey(base, key string) string {
	if isIdent(key) {
		return base + "." + key
	}
	return base + "[" + strconv.Quote(key) + "]"
}

// pathIndex appends an array index to a JSONPath.
func pathIndex(base string, i int) string {
	return base + "[" + strconv.Itoa(i) + "]"
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// jsonType names the JSON type of a decoded value for messages.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		if isNumber(v) {
			return "number"
		}
		return fmt.Sprintf("%T", v)
	}
}
