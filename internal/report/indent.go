package report

import (
	"bytes"
	"io"
)

// indenter rewrites the compact JSON written to it with two spaces per level, as json.Indent
// with prefix "" and indent "  " does: a newline and the indentation after an opening bracket
// or comma, ": " after a colon, an empty object or array kept as "{}" or "[]". Its input may
// arrive in pieces of any size, and it writes on in pieces of about indentChunk bytes.
type indenter struct {
	w        io.Writer
	depth    int
	inString bool
	escaped  bool // the byte before was a backslash inside a string
	opened   bool // an opening bracket waits for its first element (or its closing bracket)
	out      []byte
}

func (ind *indenter) Write(p []byte) (int, error) {
	out := ind.out[:0]
	for _, c := range p {
		if len(out) >= indentChunk {
			if _, err := ind.w.Write(out); err != nil {
				return 0, err
			}
			out = out[:0]
		}
		if ind.inString {
			out = append(out, c)
			switch {
			case ind.escaped:
				ind.escaped = false
			case c == '\\':
				ind.escaped = true
			case c == '"':
				ind.inString = false
			}
			continue
		}
		if ind.opened {
			ind.opened = false
			if c == '}' || c == ']' {
				ind.depth--
				out = append(out, c)
				continue
			}
			out = ind.newline(out)
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			if ind.depth == 0 && c == '\n' {
				out = append(out, c) // the encoder's newline after the value
			}
		case '"':
			ind.inString = true
			out = append(out, c)
		case '{', '[':
			ind.depth++
			ind.opened = true
			out = append(out, c)
		case ',':
			out = ind.newline(append(out, c))
		case ':':
			out = append(out, ':', ' ')
		case '}', ']':
			ind.depth--
			out = append(ind.newline(out), c)
		default:
			out = append(out, c)
		}
	}
	ind.out = out
	if _, err := ind.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// indentChunk is how much indented output the indenter gathers before writing it.
const indentChunk = 32 << 10

var indentation = bytes.Repeat([]byte("  "), 64)

func (ind *indenter) newline(out []byte) []byte {
	out = append(out, '\n')
	for n := ind.depth * 2; n > 0; {
		k := min(n, len(indentation))
		out = append(out, indentation[:k]...)
		n -= k
	}
	return out
}
