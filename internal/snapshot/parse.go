package snapshot

import (
	"github.com/m365posture/posture/internal/suggest"

	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Parse decodes and validates a snapshot. name is used in error messages
// (usually the file's path). Every failure is a single *Error naming the
// place: line and column for JSON syntax, a JSONPath for validation.
//
// Validation rules (schema version 1):
//   - The document is one JSON object (RFC 8259), in UTF-8: no key appears
//     twice in one object, and no string holds bytes that are not UTF-8 or
//     escapes half a UTF-16 surrogate pair (encoding/json would keep the
//     last key and turn such bytes into U+FFFD, silently).
//   - Only the keys schemaVersion, generator, collectedAt, tenant, sources,
//     entra, exchange, intune and secureScore are allowed at the top (a typo like "entraa" is an error).
//   - schemaVersion is required and must be 1.
//   - generator, tenant and each source entry accept only their own keys.
//     collectedAt is an RFC 3339 timestamp. tenant.cloud is one of global,
//     usgov, usgovdod, china; when absent it is "global", an empty string is
//     an error.
//   - sources keys are "<section>.<key>"; status is required and one of the
//     five statuses; count is a non-negative integer; message a string.
//   - Each known key (see Keys) must have its Kind; the elements of an array
//     key must be objects. Unknown keys inside sections are kept as they are
//     (forward compatibility).
//   - null for an optional field means "absent": a null known key is removed
//     from its section (so it is unknown to Known), as are null spf/dmarc
//     entries of exchange.dns; null generator, collectedAt, tenant, sources or
//     section is the same as the key missing.
//
// A UTF-8 byte order mark at the start is skipped (PowerShell writes one).
func Parse(name string, data []byte) (*Snapshot, error) {
	return parseData(name, data, nil)
}

// parseData is Parse, with the elements of b's keys built by b (nil: none).
func parseData(name string, data []byte, b Builder) (*Snapshot, error) {
	return parse(name, bytes.NewReader(data), func() ([]byte, error) { return data, nil }, b)
}

// Load reads the snapshot file at path, parses it as Parse does, and sets
// SHA256 to the hash of the exact bytes read. The file is streamed through
// the hash into the decoder, never held in memory whole (a 100,000-user
// snapshot is about 60 MB). I/O failures are returned wrapped; syntax and
// validation failures as *Error.
func Load(path string) (*Snapshot, error) {
	return load(path, nil)
}

// load is Load, with the elements of b's keys built by b (nil: none).
func load(path string, b Builder) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	// Error positions need the bytes; they are read again only on failure.
	s, err := parse(path, io.TeeReader(f, h), func() ([]byte, error) { return os.ReadFile(path) }, b)
	if err != nil {
		return nil, err
	}
	s.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

const utf8BOM = "\xef\xbb\xbf"

// parse decodes the single JSON value in r once and validates it. source
// returns the complete input and is called only to place an error. With b,
// the elements of b's keys are built by b; input those cannot take is
// errBulk, for the caller to parse again without b.
func parse(name string, r io.Reader, source func() ([]byte, error), b Builder) (*Snapshot, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	base := 0 // bytes skipped before the decoder starts, for error positions
	head, err := br.Peek(len(utf8BOM))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	switch {
	case string(head) == utf8BOM:
		_, _ = br.Discard(len(utf8BOM))
		base = len(utf8BOM)
	case len(head) >= 2 && (head[0] == 0xff && head[1] == 0xfe || head[0] == 0xfe && head[1] == 0xff):
		return nil, &Error{File: name, Msg: "file is UTF-16 encoded: expected UTF-8 JSON (save it as UTF-8)"}
	}

	d := newDecoder(br)
	if b != nil {
		d.bulk, d.bulkBuilder = bulkKeys(b), b
	}
	doc, err := d.document()
	if errors.Is(err, errBulk) {
		return nil, err
	}
	if err != nil {
		return nil, decodeError(name, err, base, base+d.offset(), source)
	}
	end := base + d.offset()
	// Only whitespace may follow the value; reading to the end also lets Load
	// hash the whole file.
	if _, ok := d.space(); ok {
		return nil, trailingError(name, end, source)
	}
	if err := d.readErr(); err != nil {
		return nil, fmt.Errorf("load snapshot: %w", err)
	}
	if d.suspect {
		return nil, placeProblem(name, base, source)
	}
	s, e := build(name, doc)
	if e != nil {
		return nil, e
	}
	s.counted = countedKeys(d.bulk)
	return s, nil
}

// placeProblem names the first duplicate key or bad string of the input by
// its JSONPath. The decoder saw one, so it fails closed even when the input
// cannot be read again or the problem cannot be found.
func placeProblem(name string, base int, source func() ([]byte, error)) *Error {
	const unplaced = "a key appears twice in an object, or a string is not UTF-8"
	data, err := source()
	if err != nil {
		return &Error{File: name, Msg: unplaced + " (the file could not be read again to say where)"}
	}
	path, msg, found := problem(data[min(base, len(data)):])
	if !found {
		return &Error{File: name, Msg: unplaced}
	}
	return &Error{File: name, Path: path, Msg: msg}
}

// decodeError places what the decoder refused; at is the input offset where it stopped.
func decodeError(name string, err error, base, at int, source func() ([]byte, error)) error {
	switch {
	case errors.Is(err, errSyntax):
		const msg = "invalid JSON"
		return placed(name, source, func(data []byte) (int, string) { return syntaxError(data, base, at, msg) }, msg)
	case errors.Is(err, io.ErrUnexpectedEOF):
		const msg = "unexpected end of input (truncated file?)"
		return placed(name, source, func(data []byte) (int, string) { return len(data), msg }, msg)
	case errors.Is(err, errEmpty):
		return &Error{File: name, Msg: "empty file: expected a snapshot JSON object"}
	default:
		return fmt.Errorf("load snapshot: %w", err)
	}
}

// syntaxError returns the offset and message of the first syntax error in
// data: the input is scanned again (without building values) by the scanner
// that json.Unmarshal runs first, whose Offset counts the offending byte, so
// messages read as encoding/json's. at and fallback are the decoder's own,
// should encoding/json find no error.
func syntaxError(data []byte, base, at int, fallback string) (int, string) {
	var discard struct{}
	var se *json.SyntaxError
	if err := json.Unmarshal(data[min(base, len(data)):], &discard); errors.As(err, &se) {
		return base + int(se.Offset) - 1, se.Error()
	}
	return at, fallback
}

func trailingError(name string, end int, source func() ([]byte, error)) error {
	const msg = "unexpected data after the snapshot object"
	at := func(data []byte) (int, string) {
		i := min(max(end, 0), len(data))
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		return i, msg
	}
	return placed(name, source, at, msg)
}

// placed builds an Error at the offset and with the message that at finds
// in the input. When the input cannot be read again (a pipe), the Error has
// fallback as its message and no position.
func placed(name string, source func() ([]byte, error), at func([]byte) (int, string), fallback string) *Error {
	data, err := source()
	if err != nil {
		return &Error{File: name, Msg: fallback}
	}
	off, msg := at(data)
	line, col := position(data, off)
	return &Error{File: name, Line: line, Col: col, Msg: msg}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// Names for messages.
const (
	statusList = "ok, error, forbidden, unlicensed, skipped"
	cloudList  = "global, usgov, usgovdod, china"
)

func validCloud(c string) bool {
	switch c {
	case CloudGlobal, CloudUSGov, CloudUSGovDoD, CloudChina:
		return true
	}
	return false
}

func isSection(name string) bool {
	switch name {
	case SectionEntra, SectionExchange, SectionIntune, SectionSecureScore:
		return true
	}
	return false
}

// validSourceKey reports whether k is "<section>.<key>" with a known section
// and an identifier key.
func validSourceKey(k string) bool {
	sec, name, ok := strings.Cut(k, ".")
	return ok && isSection(sec) && isIdent(name)
}

// validator turns decoded JSON into a Snapshot; its methods return the first
// problem as an *Error naming the file and the JSONPath.
type validator struct{ file string }

func (v validator) errorf(path, format string, args ...any) *Error {
	return &Error{File: v.file, Path: path, Msg: fmt.Sprintf(format, args...)}
}

func build(file string, doc any) (*Snapshot, *Error) {
	v := validator{file: file}
	top, ok := doc.(map[string]any)
	if !ok {
		return nil, v.errorf("$", "expected a snapshot JSON object, got %s", describe(doc))
	}
	s := &Snapshot{}

	raw, ok := top["schemaVersion"]
	if !ok {
		return nil, v.errorf("$", "missing schemaVersion: expected %d", SchemaVersion)
	}
	ver, ok := integer(raw)
	switch {
	case !ok:
		return nil, v.errorf("$.schemaVersion", "expected an integer, got %s", describe(raw))
	case ver > SchemaVersion:
		return nil, v.errorf("$.schemaVersion", "schemaVersion %d is not supported by this posture (supports %d); upgrade posture", ver, SchemaVersion)
	case ver != SchemaVersion:
		return nil, v.errorf("$.schemaVersion", "schemaVersion %d is not a valid version (supports %d)", ver, SchemaVersion)
	}
	s.SchemaVersion = int(ver)

	topKeys := append([]string{"schemaVersion", "generator", "collectedAt", "tenant", "sources"}, sectionNames()...)
	if e := v.onlyKeys("$", top, topKeys); e != nil {
		return nil, e
	}

	if m, e := v.optObject("$.generator", top["generator"]); e != nil {
		return nil, e
	} else if m != nil {
		if e := v.onlyKeys("$.generator", m, []string{"name", "version"}); e != nil {
			return nil, e
		}
		if s.Generator.Name, e = v.optString("$.generator", m, "name"); e != nil {
			return nil, e
		}
		if s.Generator.Version, e = v.optString("$.generator", m, "version"); e != nil {
			return nil, e
		}
	}

	if raw := top["collectedAt"]; raw != nil {
		str, ok := raw.(string)
		t, err := time.Parse(time.RFC3339, str)
		if !ok || err != nil {
			return nil, v.errorf("$.collectedAt", "expected an RFC 3339 timestamp such as 2026-11-22T10:00:00Z, got %s", describe(raw))
		}
		s.CollectedAt = t
	}

	if e := v.tenant(s, top["tenant"]); e != nil {
		return nil, e
	}
	if e := v.sources(s, top["sources"]); e != nil {
		return nil, e
	}
	if e := v.sections(s, top); e != nil {
		return nil, e
	}
	return s, nil
}

func (v validator) tenant(s *Snapshot, raw any) *Error {
	s.Tenant.Cloud = CloudGlobal
	m, e := v.optObject("$.tenant", raw)
	if e != nil || m == nil {
		return e
	}
	if e := v.onlyKeys("$.tenant", m, []string{"id", "displayName", "defaultDomain", "cloud"}); e != nil {
		return e
	}
	t := &s.Tenant
	if t.ID, e = v.optString("$.tenant", m, "id"); e != nil {
		return e
	}
	if t.DisplayName, e = v.optString("$.tenant", m, "displayName"); e != nil {
		return e
	}
	if t.DefaultDomain, e = v.optString("$.tenant", m, "defaultDomain"); e != nil {
		return e
	}
	if c, ok := m["cloud"]; ok && c != nil {
		str, ok := c.(string)
		if !ok || !validCloud(str) {
			return v.errorf("$.tenant.cloud", "expected one of %s, got %s", cloudList, describe(c))
		}
		t.Cloud = str
	}
	return nil
}

func (v validator) sources(s *Snapshot, raw any) *Error {
	m, e := v.optObject("$.sources", raw)
	if e != nil {
		return e
	}
	s.Sources = make(map[string]Source, len(m))
	for _, key := range sortedKeys(m) {
		path := pathKey("$.sources", key)
		if !validSourceKey(key) {
			return v.errorf(path, "invalid source key: expected <section>.<key> with section one of entra, exchange, intune, secureScore")
		}
		entry, ok := m[key].(map[string]any)
		if !ok {
			return v.errorf(path, "expected an object, got %s", describe(m[key]))
		}
		if e := v.onlyKeys(path, entry, []string{"status", "count", "message"}); e != nil {
			return e
		}
		var src Source
		st, ok := entry["status"]
		if !ok || st == nil {
			return v.errorf(path, "missing status: expected one of %s", statusList)
		}
		if str, ok := st.(string); !ok || !Status(str).Valid() {
			return v.errorf(path+".status", "expected one of %s, got %s", statusList, describe(st))
		}
		src.Status = Status(st.(string))
		if c := entry["count"]; c != nil {
			n, ok := integer(c)
			if !ok || n < 0 || n > math.MaxInt {
				return v.errorf(path+".count", "expected a non-negative integer, got %s", describe(c))
			}
			count := int(n)
			src.Count = &count
		}
		if src.Message, e = v.optString(path, entry, "message"); e != nil {
			return e
		}
		s.Sources[key] = src
	}
	return nil
}

func (v validator) sections(s *Snapshot, top map[string]any) *Error {
	for _, name := range sectionNames() {
		m, e := v.optObject("$."+name, top[name])
		if e != nil {
			return e
		}
		switch name {
		case SectionEntra:
			s.Entra = m
		case SectionExchange:
			s.Exchange = m
		case SectionIntune:
			s.Intune = m
		case SectionSecureScore:
			s.SecureScore = m
		}
	}
	for _, k := range Keys() {
		sec := s.section(k.Section)
		val, ok := sec[k.Name]
		if !ok {
			continue
		}
		if val == nil {
			delete(sec, k.Name) // null means unknown: the same as absent
			continue
		}
		if e := v.kind(pathKey("$."+k.Section, k.Name), k.Kind, val); e != nil {
			return e
		}
	}
	return nil
}

// kind checks that val has the shape k.
func (v validator) kind(path string, k Kind, val any) *Error {
	switch k {
	case KindObject:
		if _, ok := val.(map[string]any); !ok {
			return v.errorf(path, "expected an object, got %s", describe(val))
		}
	case KindArray:
		arr, ok := val.([]any)
		if !ok {
			return v.errorf(path, "expected an array, got %s", describe(val))
		}
		for i, el := range arr {
			// A Builder builds only objects (see bulkArray).
			if _, ok := el.(map[string]any); !ok && !built(el) {
				return v.errorf(pathIndex(path, i), "expected an object, got %s", describe(el))
			}
		}
	case KindStringArrays:
		m, ok := val.(map[string]any)
		if !ok {
			return v.errorf(path, "expected an object, got %s", describe(val))
		}
		return firstError(m, func(key string, x any) *Error {
			return v.strings(pathKey(path, key), x)
		})
	case KindDNS:
		m, ok := val.(map[string]any)
		if !ok {
			return v.errorf(path, "expected an object, got %s", describe(val))
		}
		return firstError(m, func(domain string, x any) *Error {
			p := pathKey(path, domain)
			rec, ok := x.(map[string]any)
			if !ok {
				return v.errorf(p, "expected an object, got %s", describe(x))
			}
			for _, field := range []string{"spf", "dmarc"} {
				txt, ok := rec[field]
				if ok && txt == nil {
					delete(rec, field)
					continue
				}
				if ok {
					if e := v.strings(pathKey(p, field), txt); e != nil {
						return e
					}
				}
			}
			return nil
		})
	}
	return nil
}

// strings checks that x is an array of strings.
func (v validator) strings(path string, x any) *Error {
	arr, ok := x.([]any)
	if !ok {
		return v.errorf(path, "expected an array of strings, got %s", describe(x))
	}
	for i, el := range arr {
		if _, ok := el.(string); !ok {
			return v.errorf(pathIndex(path, i), "expected a string, got %s", describe(el))
		}
	}
	return nil
}

// firstError runs check on every entry of m and returns the error of the
// smallest failing key, so the message does not depend on map order; the
// (possibly large) map is not sorted unless something failed.
func firstError(m map[string]any, check func(key string, x any) *Error) *Error {
	var first *Error
	firstKey := ""
	for k, x := range m {
		if first != nil && k > firstKey {
			continue
		}
		if e := check(k, x); e != nil {
			first, firstKey = e, k
		}
	}
	return first
}

// optObject returns raw as an object; nil when raw is absent or null.
func (v validator) optObject(path string, raw any) (map[string]any, *Error) {
	if raw == nil {
		return nil, nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, v.errorf(path, "expected an object, got %s", describe(raw))
	}
	return m, nil
}

// optString returns m[key] as a string; "" when absent or null.
func (v validator) optString(path string, m map[string]any, key string) (string, *Error) {
	raw := m[key]
	if raw == nil {
		return "", nil
	}
	str, ok := raw.(string)
	if !ok {
		return "", v.errorf(pathKey(path, key), "expected a string, got %s", describe(raw))
	}
	return str, nil
}

// onlyKeys rejects the first (in sorted order) key of m not in allowed.
func (v validator) onlyKeys(path string, m map[string]any, allowed []string) *Error {
	var unknown []string
	for k := range m {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	k := slices.Min(unknown)
	if near := suggest.Closest(k, allowed); near != "" {
		return v.errorf(pathKey(path, k), "unknown key %s (did you mean %q?)", quote(k), near)
	}
	return v.errorf(pathKey(path, k), "unknown key %s (expected one of %s)", quote(k), strings.Join(allowed, ", "))
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// integer returns a number's value when it is integral and fits an int64
// exactly enough for counts and versions (1, 1.0 and 1e0 are all 1).
func integer(x any) (int64, bool) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, false
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func isNumber(x any) bool {
	switch x.(type) {
	case json.Number, float64, float32, int, int64, int32, uint, uint64, uint32:
		return true
	}
	return false
}

// describe names a value for a message: a number as written, a short string
// quoted, anything else by its JSON type.
func describe(x any) string {
	switch x := x.(type) {
	case json.Number:
		return truncate(string(x))
	case string:
		return "string " + quote(x)
	}
	return jsonType(x)
}

// quote quotes s on one line, shortened when long.
func quote(s string) string {
	return strconv.Quote(truncate(s))
}

func truncate(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
