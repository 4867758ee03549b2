package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"slices"
	"sync"
)

// A Builder builds the elements of a snapshot's large collections in a form of the caller's,
// instead of map[string]any, as they are decoded: the engine builds the OPA values its rules
// read, so that a 100,000-user tenant is decoded once, into what evaluation needs. LoadWith and
// ParseWith decode such collections on every processor.
type Builder interface {
	// Keys lists the source keys ("entra.users") whose elements it builds. Only keys whose
	// objects' required properties (Requirements) are top-level properties qualify; the others
	// are decoded as Parse decodes them.
	Keys() []string
	// New returns a builder for one decoding goroutine.
	New() ElementBuilder
}

// An ElementBuilder makes the values of one collection element, from the leaves up. It is used
// by one goroutine at a time. Object's keys are unique; the slices passed to Array and Object
// are reused after the call. Its values are shared: the decoder may use the value String made
// for a string wherever the string occurs again.
type ElementBuilder interface {
	Null() any
	Bool(b bool) any
	Number(n json.Number) any
	String(s string) any
	Array(elems []any) any
	Object(keys []string, values []any) any
}

// LoadWith is Load, with the elements of b's keys built by b: in the returned snapshot those
// arrays hold b's values, and Unusable judges them by what it counted while decoding. Such a
// snapshot is for evaluation: Save, Redact and the comparisons of diff expect decoded JSON. A
// problem with the input is reported exactly as Load reports it.
func LoadWith(path string, b Builder) (*Snapshot, error) {
	s, err := load(path, b)
	if errors.Is(err, errBulk) {
		return load(path, nil) // the collections were not what a snapshot holds: say where, as Load does
	}
	return s, err
}

// ParseWith is Parse, with the elements of b's keys built by b (see LoadWith).
func ParseWith(name string, data []byte, b Builder) (*Snapshot, error) {
	s, err := parseData(name, data, b)
	if errors.Is(err, errBulk) {
		return parseData(name, data, nil)
	}
	return s, err
}

// errBulk ends a parse whose collections a Builder was to build but that did not decode as
// arrays of well-formed, strict JSON objects; the snapshot is then parsed as Parse parses it, for
// the error.
var errBulk = errors.New("a collection is not an array of objects")

// bulkKey is a source key whose elements a Builder builds, and what decoding them counted.
type bulkKey struct {
	names    []string // the required properties, all top-level
	nullable []bool   // per property: null is what the service returns (Property.Nullable)
	mu       sync.Mutex
	counts   []lack // per property
	total    int
}

// bulkKeys returns the keys of b that qualify (see Builder.Keys), by source key.
func bulkKeys(b Builder) map[string]*bulkKey {
	if b == nil {
		return nil
	}
	reqs := map[string]Requirement{}
	for _, r := range Requirements() {
		reqs[r.Key] = r
	}
	kinds := map[string]Kind{}
	for _, k := range Keys() {
		kinds[k.String()] = k.Kind
	}
	out := map[string]*bulkKey{}
	for _, key := range b.Keys() {
		if kinds[key] != KindArray {
			continue
		}
		r := reqs[key] // a key without requirements counts nothing
		bk := &bulkKey{counts: make([]lack, len(r.Properties))}
		for _, p := range r.Properties {
			if path := splitPath(p.Path); len(path) == 1 {
				bk.names = append(bk.names, path[0])
				bk.nullable = append(bk.nullable, p.Nullable)
			}
		}
		if len(bk.names) == len(r.Properties) {
			out[key] = bk
		}
	}
	return out
}

// bulkBatch is a run of consecutive elements of a collection, as raw JSON.
type bulkBatch struct {
	data []byte
	ends []int // the end of each element in data
	out  []any // the elements built
	err  error
}

// bulkBatchSize bounds the bytes of a batch: large enough that handing it over costs nothing,
// small enough that every processor has some.
const bulkBatchSize = 256 << 10

// bulkArray decodes the array at buf[i] whose elements b's ElementBuilder builds: this
// goroutine finds where each element ends and hands runs of them to one decoder per processor.
// Anything but an array of objects, and every problem of syntax or strictness, is errBulk.
func (d *decoder) bulkArray(bk *bulkKey) (any, error) {
	d.i++ // [
	workers := max(runtime.GOMAXPROCS(0), 1)
	todo := make(chan *bulkBatch, 2*workers)
	// The raw JSON of a batch is done with once built: its buffer goes back for another batch,
	// of this collection or the next, so that the collections are copied through a few
	// buffers rather than into garbage.
	if d.bulkFree == nil {
		d.bulkFree = make(chan []byte, 2*workers+2)
	}
	free := d.bulkFree
	buffer := func() []byte {
		select {
		case b := <-free:
			return b
		default:
			return make([]byte, 0, bulkBatchSize+bulkBatchSize/4)
		}
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			w := &decoder{r: eofReader{}, builder: d.bulkBuilder.New(), keys: map[string]string{}, strs: map[string]any{}}
			for batch := range todo {
				batch.out, batch.err = w.buildBatch(bk, batch, d.depth+1)
				select {
				case free <- batch.data[:0]:
				default:
				}
				batch.data, batch.ends = nil, nil
			}
		})
	}
	var batches []*bulkBatch
	batch := &bulkBatch{data: buffer()}
	send := func() {
		batches = append(batches, batch)
		todo <- batch
		batch = &bulkBatch{data: buffer()}
	}
	err := d.bulkElements(func(element func([]byte) ([]byte, error)) error {
		var err error
		if batch.data, err = element(batch.data); err != nil {
			return err
		}
		batch.ends = append(batch.ends, len(batch.data))
		if len(batch.data) >= bulkBatchSize {
			send()
		}
		return nil
	})
	if len(batch.ends) > 0 {
		send()
	}
	close(todo)
	wg.Wait()
	if err != nil {
		return nil, errBulk // Parse says what, and where
	}
	n := 0
	for _, b := range batches {
		if b.err != nil {
			return nil, errBulk
		}
		n += len(b.out)
	}
	out := make([]any, 0, n)
	for _, b := range batches {
		out = append(out, b.out...)
	}
	return out, nil
}

// bulkElements reads the elements of the array after its "[", calling each with a function that
// appends the next element's bytes to a buffer, and the closing "]".
func (d *decoder) bulkElements(each func(element func([]byte) ([]byte, error)) error) error {
	c, ok := d.space()
	if !ok {
		return d.ended()
	}
	if c == ']' {
		d.i++
		return nil
	}
	for {
		if c, ok = d.space(); !ok {
			return d.ended()
		} else if c != '{' {
			return errBulk
		}
		if err := each(d.skipObject); err != nil {
			return err
		}
		if c, ok = d.space(); !ok {
			return d.ended()
		}
		d.i++
		switch c {
		case ']':
			return nil
		case ',':
		default:
			return errBulk
		}
	}
}

// skipObject appends the object at buf[i] to dst, as raw bytes, and moves past it. It follows
// strings and nesting only (the element's decoder checks the rest), and jumps through strings
// to their closing quote, which is most of the input.
func (d *decoder) skipObject(dst []byte) ([]byte, error) {
	depth, inString := 0, false
	for {
		start := d.i
		for d.i < len(d.buf) {
			if inString {
				q := bytes.IndexByte(d.buf[d.i:], '"')
				if q < 0 {
					d.i = len(d.buf)
					break
				}
				d.i += q + 1
				// A quote after an odd number of backslashes is part of the string.
				inString = backslashesBefore(d.buf[start:d.i-1], dst)%2 == 1
				continue
			}
			switch d.buf[d.i] {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					d.i++
					return append(dst, d.buf[start:d.i]...), nil
				}
			}
			d.i++
		}
		dst = append(dst, d.buf[start:d.i]...)
		if !d.more() {
			return dst, d.ended()
		}
	}
}

// backslashesBefore counts the backslashes that end b, and, when b is all backslashes, those
// that end before (what precedes b).
func backslashesBefore(b, before []byte) int {
	n := 0
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != '\\' {
			return n
		}
		n++
	}
	for i := len(before) - 1; i >= 0 && before[i] == '\\'; i-- {
		n++
	}
	return n
}

// buildBatch decodes the elements of a batch with d, a worker's decoder, counting the required
// properties of each into bk. depth is the nesting of the elements in the document.
func (d *decoder) buildBatch(bk *bulkKey, b *bulkBatch, depth int) ([]any, error) {
	out := make([]any, 0, len(b.ends))
	counts := make([]lack, len(bk.names))
	start := 0
	for _, end := range b.ends {
		d.buf, d.i, d.off, d.err = b.data[start:end:end], 0, start, nil
		d.depth, d.counting, d.counted = depth, bk, counts
		v, err := d.build()
		if err != nil || d.suspect {
			return nil, errBulk
		}
		if _, more := d.space(); more {
			return nil, errBulk
		}
		out = append(out, v)
		start = end
	}
	bk.add(counts, len(out))
	return out, nil
}

// add merges a batch's counts.
func (bk *bulkKey) add(counts []lack, n int) {
	bk.mu.Lock()
	defer bk.mu.Unlock()
	for i, c := range counts {
		bk.counts[i].missing += c.missing
		bk.counts[i].null += c.null
	}
	bk.total += n
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// build decodes the value at buf[i] with the decoder's ElementBuilder. The outermost object's
// required properties (counting) are tallied into counted.
func (d *decoder) build() (any, error) {
	c, ok := d.space()
	if !ok {
		return nil, d.ended()
	}
	switch c {
	case '{':
		return d.buildObject()
	case '[':
		return d.buildArray()
	case '"':
		return d.buildString()
	case 't':
		return d.builder.Bool(true), d.literal("true")
	case 'f':
		return d.builder.Bool(false), d.literal("false")
	case 'n':
		return d.builder.Null(), d.literal("null")
	}
	if c == '-' || isDigit(c) {
		n, err := d.number()
		if err != nil {
			return nil, err
		}
		return d.builder.Number(n.(json.Number)), nil
	}
	return nil, errSyntax
}

// buildObject is object, building with the ElementBuilder. Keys and values wait on the
// decoder's stacks until the object is built, so that decoding allocates only what is built.
func (d *decoder) buildObject() (any, error) {
	// Only the outermost object's properties count. Arrays use the value stack alone, so the
	// stacks have bases of their own.
	counting := d.counting
	d.counting = nil
	base, valBase := len(d.keyStack), len(d.valStack)
	defer func() {
		clear(d.valStack[valBase:])
		d.keyStack, d.valStack, d.nullStack = d.keyStack[:base], d.valStack[:valBase], d.nullStack[:base]
	}()
	err := d.members(d.key, func(key string) error {
		if slices.Contains(d.keyStack[base:], key) {
			d.suspect = true
		}
		c, _ := d.space()
		d.keyStack, d.nullStack = append(d.keyStack, key), append(d.nullStack, c == 'n')
		v, err := d.build()
		if err != nil {
			return err
		}
		d.valStack = append(d.valStack, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys, nulls := d.keyStack[base:], d.nullStack[base:]
	if counting != nil {
		for i, name := range counting.names {
			at := slices.Index(keys, name)
			switch {
			case at < 0:
				d.counted[i].missing++
			case nulls[at] && !counting.nullable[i]:
				d.counted[i].null++
			}
		}
	}
	return d.builder.Object(keys, d.valStack[valBase:]), nil
}

// buildArray is array, building with the ElementBuilder.
func (d *decoder) buildArray() (any, error) {
	var out any
	if err := d.elements(d.build, func(elems []any) { out = d.builder.Array(elems) }); err != nil {
		return nil, err
	}
	return out, nil
}

// key reads an object key: a key read before, without escapes, is the same string again,
// without allocating one.
func (d *decoder) key() (string, error) {
	for k, c := range d.buf[d.i+1:] {
		if c == '"' {
			if s, ok := d.keys[string(d.buf[d.i+1:d.i+1+k])]; ok {
				d.i += k + 2
				return s, nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	s, err := d.string()
	if err == nil && len(d.keys) < maxKeys {
		d.keys[s] = s
	}
	return s, err
}

// maxKeys bounds the keys a worker's decoder remembers: the keys of a collection's objects
// repeat, and a collection of objects with ever new keys must not grow the table for ever.
const maxKeys = 4096

// buildString builds a string value. A short string read before without escapes is the value
// built for it then, found without allocating: values repeat ("Member", a date, a state), and
// an ElementBuilder's values are shared, never changed.
func (d *decoder) buildString() (any, error) {
	for k, c := range d.buf[d.i+1:] {
		if k > maxShared {
			break
		}
		if c == '"' {
			if v, ok := d.strs[string(d.buf[d.i+1:d.i+1+k])]; ok {
				d.i += k + 2
				return v, nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	s, err := d.string()
	if err != nil {
		return nil, err
	}
	v := d.builder.String(s)
	if len(s) <= maxShared && len(d.strs) < maxStrings {
		d.strs[s] = v
	}
	return v, nil
}

// maxShared is the longest string value shared, and maxStrings how many a worker's decoder
// remembers: ids, names and addresses rarely repeat.
const (
	maxShared  = 24
	maxStrings = 1 << 16
)

// counted returns, for the keys a Builder built, the counts Unusable reads instead of the
// objects.
func countedKeys(bulk map[string]*bulkKey) map[string]bulkCount {
	if len(bulk) == 0 {
		return nil
	}
	out := make(map[string]bulkCount, len(bulk))
	for key, bk := range bulk {
		out[key] = bulkCount{counts: bk.counts, total: bk.total}
	}
	return out
}

// bulkCount is what decoding a built key's objects counted: per required property, the
// objects that lack it or hold null, and the number of objects.
type bulkCount struct {
	counts []lack
	total  int
}

// built reports whether x is a value an ElementBuilder made rather than decoded JSON.
func built(x any) bool {
	switch x.(type) {
	case map[string]any, []any, string, bool, nil, json.Number, float64, int, int64:
		return false
	}
	return true
}
