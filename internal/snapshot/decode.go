package snapshot

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is encoding/json's limit on nesting (its scanner's maxNestingDepth): deeper
// documents are a syntax error there, and so here.
const maxDepth = 10000

// errSyntax reports input that is not JSON. It carries no message: Parse asks encoding/json
// for its message and place, so errors read as they always have.
var errSyntax = errors.New("syntax error")

// errEmpty reports input with no JSON value at all.
var errEmpty = errors.New("empty input")

// decoder reads one JSON value from r in one pass, in chunks: it never holds more of the
// input than the chunk and the token being read (a 100,000-user snapshot is about 60 MB). It
// accepts exactly what encoding/json accepts and builds the tree Decode into an any builds
// with UseNumber (FuzzParse holds it to both), in about half the time (one pass, no
// reflection). It sets suspect for a duplicate key or a string that is not UTF-8 or escapes
// half a surrogate pair, which Decode would take silently (see strict.go).
type decoder struct {
	r       io.Reader
	buf     []byte
	i       int   // the next byte to read in buf
	off     int   // the input offset of buf[0]
	err     error // why the input ended: io.EOF, or a read error
	depth   int
	suspect bool

	// bulk are the source keys whose arrays bulkBuilder's element builders build (see
	// Builder); nil for none. section is the section whose keys are being read.
	bulk        map[string]*bulkKey
	bulkBuilder Builder
	section     string
	// bulkFree holds the batch buffers done with, for the next batch of any collection.
	bulkFree chan []byte
	// An element's decoder builds with builder, and tallies the required properties of the
	// element's object (counting's) into counted.
	builder  ElementBuilder
	counting *bulkKey
	counted  []lack
	// keys and strs are the keys and short string values read so far, to share; the stacks
	// hold what an object or array being built has read.
	keys      map[string]string
	strs      map[string]any
	keyStack  []string
	valStack  []any
	nullStack []bool
}

func newDecoder(r io.Reader) *decoder {
	return &decoder{r: r, buf: make([]byte, 0, 64<<10)}
}

// offset is the input offset of the next byte to read.
func (d *decoder) offset() int { return d.off + d.i }

// more reads more input after buf[i:], which it moves to the front first (so offsets
// relative to i stay valid); false when the input has ended.
func (d *decoder) more() bool {
	if d.err != nil {
		return false
	}
	if d.i > 0 {
		n := copy(d.buf, d.buf[d.i:])
		d.off += d.i
		d.buf, d.i = d.buf[:n], 0
	}
	if len(d.buf) == cap(d.buf) { // a token longer than the buffer
		d.buf = append(d.buf, make([]byte, len(d.buf))...)[:len(d.buf)]
	}
	for {
		n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
		d.buf = d.buf[:len(d.buf)+n]
		if err != nil {
			d.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// at returns the byte k after buf[i], reading more input as needed; false at the end.
func (d *decoder) at(k int) (byte, bool) {
	for d.i+k >= len(d.buf) {
		if !d.more() {
			return 0, false
		}
	}
	return d.buf[d.i+k], true
}

// ended is the error for input that ends inside a value: a read error, or a truncated file.
func (d *decoder) ended() error {
	if d.err != nil && !errors.Is(d.err, io.EOF) {
		return d.err
	}
	return io.ErrUnexpectedEOF
}

// readErr is the read error that ended the input, nil at its end.
func (d *decoder) readErr() error {
	if errors.Is(d.err, io.EOF) {
		return nil
	}
	return d.err
}

// space skips whitespace and returns the next byte; false at the end of input.
func (d *decoder) space() (byte, bool) {
	for {
		for ; d.i < len(d.buf); d.i++ {
			if c := d.buf[d.i]; !isSpace(c) {
				return c, true
			}
		}
		if !d.more() {
			return 0, false
		}
	}
}

// document reads the input's value.
func (d *decoder) document() (any, error) {
	if _, ok := d.space(); !ok {
		if err := d.readErr(); err != nil {
			return nil, err
		}
		return nil, errEmpty
	}
	return d.value()
}

func (d *decoder) value() (any, error) {
	c, ok := d.space()
	if !ok {
		return nil, d.ended()
	}
	switch c {
	case '{':
		return d.object()
	case '[':
		return d.array()
	case '"':
		return d.string()
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.literal("null")
	}
	if c == '-' || isDigit(c) {
		return d.number()
	}
	return nil, errSyntax
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (d *decoder) literal(word string) error {
	for k := range len(word) {
		c, ok := d.at(k)
		if !ok {
			return d.ended()
		}
		if c != word[k] {
			return errSyntax
		}
	}
	d.i += len(word)
	return nil
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? as a json.Number.
func (d *decoder) number() (any, error) {
	k := 0
	c, ok := d.at(k)
	if c == '-' {
		k++
		if c, ok = d.at(k); !ok {
			return nil, d.ended()
		}
	}
	switch {
	case c == '0':
		k++
	case isDigit(c):
		k = d.digits(k)
	default:
		return nil, errSyntax
	}
	c, ok = d.at(k)
	if ok && c == '.' {
		k++
		if c, ok = d.at(k); !ok {
			return nil, d.ended()
		}
		if !isDigit(c) {
			return nil, errSyntax
		}
		k = d.digits(k)
		c, ok = d.at(k)
	}
	if ok && (c == 'e' || c == 'E') {
		k++
		if c, ok = d.at(k); ok && (c == '+' || c == '-') {
			k++
			c, ok = d.at(k)
		}
		if !ok {
			return nil, d.ended()
		}
		if !isDigit(c) {
			return nil, errSyntax
		}
		k = d.digits(k)
	}
	n := json.Number(d.buf[d.i : d.i+k])
	d.i += k
	return n, nil
}

// digits returns the index after the digits from k.
func (d *decoder) digits(k int) int {
	for {
		c, ok := d.at(k)
		if !ok || !isDigit(c) {
			return k
		}
		k++
	}
}

// string reads a string literal; buf[i] is its opening quote.
func (d *decoder) string() (string, error) {
	k := 1
	ascii := true
	for {
		for _, c := range d.buf[d.i+k:] {
			switch {
			case c == '"':
				s := d.buf[d.i+1 : d.i+k]
				if !ascii && !utf8.Valid(s) {
					d.suspect = true
				}
				d.i += k + 1
				return string(s), nil
			case c == '\\':
				return d.escaped(k)
			case c < 0x20:
				return "", errSyntax
			case c >= utf8.RuneSelf:
				ascii = false
			}
			k++
		}
		if !d.more() {
			return "", d.ended()
		}
	}
}

// escaped reads the rest of a string literal from its first backslash, k after the quote.
func (d *decoder) escaped(k int) (string, error) {
	b := append(make([]byte, 0, k+32), d.buf[d.i+1:d.i+k]...)
	for {
		c, ok := d.at(k)
		switch {
		case !ok:
			return "", d.ended()
		case c == '"':
			d.i += k + 1
			if !utf8.Valid(b) { // escapes add only valid UTF-8; this finds raw bytes
				d.suspect = true
			}
			return string(b), nil
		case c < 0x20:
			return "", errSyntax
		case c != '\\':
			b = append(b, c)
			k++
			continue
		}
		e, ok := d.at(k + 1)
		if !ok {
			return "", d.ended()
		}
		k += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, err := d.hex(k)
			if err != nil {
				return "", err
			}
			k += 4
			if utf16.IsSurrogate(r) {
				// The other half must follow as \uXXXX; a lone half is U+FFFD, as Decode has it.
				pair := utf8.RuneError
				if c, _ := d.at(k); c == '\\' {
					if c, _ := d.at(k + 1); c == 'u' {
						if r2, err := d.hex(k + 2); err == nil {
							pair = utf16.DecodeRune(r, r2)
						}
					}
				}
				if pair == utf8.RuneError {
					d.suspect = true
				} else {
					k += 6
				}
				r = pair
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", errSyntax
		}
	}
}

// hex reads the four hex digits of a \u escape at k.
func (d *decoder) hex(k int) (rune, error) {
	var r rune
	for j := range 4 {
		c, ok := d.at(k + j)
		if !ok {
			return 0, d.ended()
		}
		v, ok := unhex(c)
		if !ok {
			return 0, errSyntax
		}
		r = r<<4 | v
	}
	return r, nil
}

func (d *decoder) object() (any, error) {
	m := map[string]any{}
	err := d.members(d.string, func(key string) error {
		v, err := d.member(key)
		if err != nil {
			return err
		}
		if _, dup := m[key]; dup {
			d.suspect = true
		}
		m[key] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// member reads the value of an object's member key: a collection a Builder builds (a key of a
// section, two levels down) goes to bulkArray.
func (d *decoder) member(key string) (any, error) {
	switch {
	case d.bulk == nil:
	case d.depth == 1:
		d.section = key
	case d.depth == 2 && d.bulk[d.section+"."+key] != nil:
		if c, ok := d.space(); ok && c == '[' {
			return d.bulkArray(d.bulk[d.section+"."+key])
		}
	}
	return d.value()
}

// members reads the object at buf[i], from its "{" to its "}": key reads each member's key,
// and each, called with the key once its colon is read, reads the member's value.
func (d *decoder) members(key func() (string, error), each func(key string) error) error {
	d.i++ // {
	if d.depth++; d.depth > maxDepth {
		return errSyntax
	}
	c, ok := d.space()
	if ok && c == '}' {
		d.i++
		d.depth--
		return nil
	}
	for {
		switch {
		case !ok:
			return d.ended()
		case c != '"':
			return errSyntax
		}
		k, err := key()
		if err != nil {
			return err
		}
		if c, ok = d.space(); !ok {
			return d.ended()
		} else if c != ':' {
			return errSyntax
		}
		d.i++
		if err := each(k); err != nil {
			return err
		}
		if c, ok = d.space(); !ok {
			return d.ended()
		}
		d.i++
		switch c {
		case '}':
			d.depth--
			return nil
		case ',':
			c, ok = d.space()
		default:
			return errSyntax
		}
	}
}

func (d *decoder) array() (any, error) {
	var out []any
	err := d.elements(d.value, func(elems []any) { out = slices.Clone(elems) })
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []any{} // as encoding/json decodes []
	}
	return out, nil
}

// elements reads the array at buf[i], from its "[" to its "]", each element with elem onto
// the value stack, and hands them to done before the stack is reused: the stack is shared
// with the arrays inside, so that a long array is copied once, at its end, rather than grown
// through ever larger slices.
func (d *decoder) elements(elem func() (any, error), done func(elems []any)) error {
	d.i++ // [
	if d.depth++; d.depth > maxDepth {
		return errSyntax
	}
	base := len(d.valStack)
	defer func() {
		clear(d.valStack[base:])
		d.valStack = d.valStack[:base]
	}()
	if c, ok := d.space(); ok && c == ']' {
		d.i++
		d.depth--
		done(nil)
		return nil
	}
	for {
		v, err := elem()
		if err != nil {
			return err
		}
		d.valStack = append(d.valStack, v)
		c, ok := d.space()
		if !ok {
			return d.ended()
		}
		d.i++
		switch c {
		case ']':
			d.depth--
			done(d.valStack[base:])
			return nil
		case ',':
		default:
			return errSyntax
		}
	}
}
