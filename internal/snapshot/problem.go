package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// encoding/json accepts two things a snapshot must not hold, and hides both: a key given twice
// in one object (the last wins, so a hand edit or a merge can silently change what a rule
// sees) and strings that are not UTF-8 or escape half a UTF-16 surrogate pair (each bad byte
// becomes U+FFFD, so a Latin-1 file loads with its names changed). RFC 8259 section 4 leaves
// duplicate names to the reader and section 8.1 requires UTF-8; posture refuses both.
//
// Parse notices them cheaply while it decodes (the decoder marks anything suspect), and only
// then reads the input again with problem to name the first one by its JSONPath.

// hex4 reads the four hex digits of a \u escape, which the decoder has checked.
func hex4(h []byte) rune {
	var r rune
	for _, c := range h[:4] {
		v, _ := unhex(c)
		r = r<<4 | v
	}
	return r
}

// unhex is the value of a hex digit; false for any other byte.
func unhex(c byte) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0'), true
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10, true
	}
	return 0, false
}

// problem finds the first duplicate key or bad string in data, a well-formed JSON document, in
// document order: its JSONPath (a key's is its object's) and what is wrong; ok is false when
// there is none. It is the slow, plain way (encoding/json's tokens and their bytes): Parse
// runs it only when its decoder saw a problem, and FuzzParse holds the two to each other.
func problem(data []byte) (path, msg string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		path   string
		object bool
		keys   map[string]bool
		key    string // the key of the value that comes next
		wantKV bool   // an object expects a key next
		index  int    // an array's next index
	}
	var stack []*frame
	next := func() { // the top frame has read one value
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.wantKV = true
		} else {
			f.index++
		}
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return "", "", false
		}
		if err != nil { // not after the decoder accepted the document
			return "$", fmt.Sprintf("cannot place the problem: %v", err), true
		}
		// The literal of a string token ends at the offset; before it come only whitespace
		// and a comma or colon.
		lit := data[before:dec.InputOffset()]
		lit = lit[bytes.IndexByte(lit, '"')+1:]
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKV {
			key, isKey := tok.(string)
			if !isKey { // the object's }
				stack = stack[:len(stack)-1]
				next()
				continue
			}
			if bad := badString(lit[:len(lit)-1]); bad != "" {
				return top.path, fmt.Sprintf("key %s %s", strconv.Quote(truncate(string(lit[:len(lit)-1]))), bad), true
			}
			if top.keys[key] {
				return top.path, fmt.Sprintf("duplicate key %s: a key may appear once in an object", quote(key)), true
			}
			top.keys[key] = true
			top.key, top.wantKV = key, false
			continue
		}
		if tok == json.Delim(']') {
			stack = stack[:len(stack)-1]
			next()
			continue
		}
		p := "$"
		switch {
		case top == nil:
		case top.object:
			p = pathKey(top.path, top.key)
		default:
			p = pathIndex(top.path, top.index)
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{path: p, object: true, keys: map[string]bool{}, wantKV: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{path: p})
			continue
		}
		if _, isString := tok.(string); isString {
			if bad := badString(lit[:len(lit)-1]); bad != "" {
				return p, "string " + bad, true
			}
		}
		next()
	}
}

// badString says what is wrong with the content of a well-formed string literal (between its
// quotes): a byte that is not UTF-8, or an escaped UTF-16 surrogate without its other half;
// "" when nothing is.
func badString(s []byte) string {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && s[i+1] == 'u':
			r := hex4(s[i+2:])
			if !utf16.IsSurrogate(r) {
				i += 6
				continue
			}
			if r < 0xdc00 && i+12 <= len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
				if r2 := hex4(s[i+8:]); r2 >= 0xdc00 && r2 < 0xe000 {
					i += 12
					continue
				}
			}
			return fmt.Sprintf("escapes half a UTF-16 surrogate pair (%s): expected both halves or the character itself", s[i:i+6])
		case c == '\\':
			i += 2
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n == 1 {
				return fmt.Sprintf("is not valid UTF-8 (byte 0x%02x): expected UTF-8 text (save the file as UTF-8)", c)
			}
			i += n
		}
	}
	return ""
}
