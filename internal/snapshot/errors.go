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

// closest returns the candidate nearest to s when it is a plausible typo
// (edit distance at most 2, ignoring case), else "".
func closest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(lower(s), lower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// editDistance is the Levenshtein distance between a and b, in bytes; it
// gives up (returns a large value) for long inputs, which are never typos of
// the short names it is used for.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
