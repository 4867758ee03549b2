package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// referenceParse is the plain form of Parse: one Decode of the whole
// document, a search of the whole document for duplicate keys and bad
// strings, then the same checks. Parse streams the outer levels and only
// searches when it noticed something, and must give the same results.
func referenceParse(name string, data []byte) (*Snapshot, error) {
	base := 0
	if bytes.HasPrefix(data, []byte(utf8BOM)) {
		base = len(utf8BOM)
	} else if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return nil, &Error{File: name, Msg: "file is UTF-16 encoded: expected UTF-8 JSON (save it as UTF-8)"}
	}
	dec := json.NewDecoder(bytes.NewReader(data[base:]))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			line, col := position(data, base+int(se.Offset)-1)
			return nil, &Error{File: name, Line: line, Col: col, Msg: se.Error()}
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := position(data, len(data))
			return nil, &Error{File: name, Line: line, Col: col, Msg: "unexpected end of input (truncated file?)"}
		default:
			return nil, &Error{File: name, Msg: "empty file: expected a snapshot JSON object"}
		}
	}
	end := base + int(dec.InputOffset())
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, trailingError(name, end, func() ([]byte, error) { return data, nil })
	}
	if path, msg, found := problem(data[base:]); found {
		return nil, &Error{File: name, Path: path, Msg: msg}
	}
	s, e := build(name, doc)
	if e != nil {
		return nil, e
	}
	return s, nil
}

// FuzzParse checks that Parse never panics, that every failure is a one-line
// *Error, that it agrees with referenceParse and with ParseWith, and that
// whatever Parse accepts can be turned into a document, written, and read
// back to the same document, before and after Redact. The seed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		example,
		`{"schemaVersion": 1}`,
		utf8BOM + `{"schemaVersion": 1, "tenant": {"cloud": "china"}}`,
		`{"schemaVersion": 1, "entra": {"users": [{"id": "u", "passwordProfile": {"password": "x"}}], "groupMembers": {"g": ["u"]}}}`,
		`{"schemaVersion": 1, "exchange": {"dns": {"a.com": {"spf": null, "dmarc": ["v=DMARC1"]}}}}`,
		`{"schemaVersion": 1, "sources": {"intune.managedDevices": {"status": "ok", "count": 1e2}}}`,
		`{"schemaVersion": 2}`,
		`{"schemaVersion": 1,}`,
		`{"schemaVersion": 1, "collectedAt": "2026-11-22T10:00:00.5+05:30"}`,
		"{\n  \"schemaVersion\": 1,\n  \"entra\": {",
		`[]`,
		``,
		`{"schemaVersion": 1, "schemaVersion": 1}`,
		`{"schemaVersion": 1, "entra": {"users": [{"id": "a"}, {"id": "b", "id": "c"}]}}`,
		`{"schemaVersion": 1, "entra": {"users": [{"id": "a", "\u0069d": "b"}]}}`,
		`{"schemaVersion": 1, "tenant": {"displayName": "\ud83d\ude00 \ufffd \ud83d"}}`,
		"{\"schemaVersion\": 1, \"tenant\": {\"displayName\": \"Soci\xe9t\xe9\"}}",
		"{\"schemaVersion\": 1, \"entra\": {\"users\": [{\"displayName\": \"\xef\xbf\xbd \\udc00\"}]}}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.json", data)
		ref, refErr := referenceParse("fuzz.json", data)
		// Read a byte at a time, every token crosses the end of the decoder's buffer.
		slow, slowErr := parse("fuzz.json", iotest.OneByteReader(bytes.NewReader(data)), func() ([]byte, error) { return data, nil }, nil)
		switch {
		case (err == nil) != (slowErr == nil) || err != nil && err.Error() != slowErr.Error():
			t.Fatalf("Parse error %v, byte by byte %v", err, slowErr)
		case err == nil:
			got, _ := json.Marshal(s.Document())
			again, _ := json.Marshal(slow.Document())
			if !bytes.Equal(got, again) {
				t.Fatalf("Parse document\n%s\nbyte by byte\n%s", got, again)
			}
		}
		// Building the large collections changes neither the errors nor the snapshot.
		built, builtErr := ParseWith("fuzz.json", data, plainBuilder{bulkTestKeys})
		switch {
		case (err == nil) != (builtErr == nil) || err != nil && err.Error() != builtErr.Error():
			t.Fatalf("Parse error %v, ParseWith error %v", err, builtErr)
		case err == nil:
			if !reflect.DeepEqual(unmark(built.Document(), new(int)), unmark(s.Document(), new(int))) {
				t.Fatal("ParseWith's document differs from Parse's")
			}
			if g, w := built.Unusable(), s.Unusable(); !reflect.DeepEqual(g, w) {
				t.Fatalf("ParseWith's Unusable() = %v, Parse's %v", g, w)
			}
		}
		switch {
		case (err == nil) != (refErr == nil):
			t.Fatalf("Parse error %v, reference error %v", err, refErr)
		case err != nil && err.Error() != refErr.Error():
			t.Fatalf("Parse error\n%v\nreference error\n%v", err, refErr)
		case err == nil:
			got, _ := json.Marshal(s.Document())
			want, _ := json.Marshal(ref.Document())
			if !bytes.Equal(got, want) {
				t.Fatalf("Parse document\n%s\nreference document\n%s", got, want)
			}
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		doc, err := json.Marshal(s.Document())
		if err != nil {
			t.Fatalf("marshal Document: %v", err)
		}
		var buf bytes.Buffer
		if err := s.encode(&buf); err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, err := Parse("again.json", buf.Bytes())
		if err != nil {
			t.Fatalf("Parse of the saved form: %v\n%s", err, buf.Bytes())
		}
		doc2, err := json.Marshal(again.Document())
		if err != nil {
			t.Fatalf("marshal Document: %v", err)
		}
		if !bytes.Equal(doc, doc2) {
			t.Fatalf("document changed by save and load:\n%s\n%s", doc, doc2)
		}

		Redact(s)
		redacted, err := json.Marshal(s.Document())
		if err != nil {
			t.Fatalf("marshal Document after Redact: %v", err)
		}
		Redact(s)
		twice, _ := json.Marshal(s.Document())
		if !bytes.Equal(redacted, twice) {
			t.Fatalf("Redact is not idempotent:\n%s\n%s", redacted, twice)
		}
	})
}
