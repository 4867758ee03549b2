package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// plainBuilder builds what the decoder builds, but marks objects with a type of its own, so
// that a test can tell built values from decoded ones, and undo the marks to compare.
type plainBuilder struct{ keys []string }

type builtObject map[string]any

func (b plainBuilder) Keys() []string      { return b.keys }
func (b plainBuilder) New() ElementBuilder { return plainElements{} }

type plainElements struct{}

func (plainElements) Null() any                { return nil }
func (plainElements) Bool(v bool) any          { return v }
func (plainElements) Number(n json.Number) any { return n }
func (plainElements) String(s string) any      { return s }
func (plainElements) Array(elems []any) any    { return append([]any{}, elems...) }
func (plainElements) Object(keys []string, values []any) any {
	m := builtObject{}
	for i, k := range keys {
		m[k] = values[i]
	}
	return m
}

// unmark turns built objects back into decoded ones, and counts them.
func unmark(v any, n *int) any {
	switch x := v.(type) {
	case builtObject:
		*n++
		m := map[string]any{}
		for k, v := range x {
			m[k] = unmark(v, n)
		}
		return m
	case map[string]any:
		m := map[string]any{}
		for k, v := range x {
			m[k] = unmark(v, n)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = unmark(v, n)
		}
		return out
	}
	return v
}

var bulkTestKeys = []string{"entra.users", "entra.groups", "entra.userRegistrationDetails", "intune.managedDevices", "entra.domains",
	"entra.conditionalAccessPolicies", "entra.groupMembers"}

// TestParseWithMatchesParse: building the large collections gives the snapshot Parse gives,
// with the same verdict on every source's shape, for the test tenants, the demo, a large tenant
// read by several goroutines and tenants whose objects lack what the rules count on.
func TestParseWithMatchesParse(t *testing.T) {
	inputs := map[string][]byte{"big": bigSnapshot(3000)}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*.json"))
	paths = append(paths, filepath.Join("..", "demo", "contoso.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(p)] = data
	}
	// Users without accountEnabled, with userType null (which the service returns) and with
	// accountEnabled null (which it does not), in every batch.
	const rest = `,
        "onPremisesSyncEnabled": null,
        "assignedLicenses": [{"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "disabledPlans": []}],
        "signInActivity": {"lastSignInDateTime": "2026-11-`
	lacking := bytes.ReplaceAll(bigSnapshot(5000), []byte(`"accountEnabled": false,`), nil)
	lacking = bytes.ReplaceAll(lacking, []byte(`"userType": "Member"`+rest+`01`), []byte(`"userType": null`+rest+`01`))
	lacking = bytes.ReplaceAll(lacking, []byte(`"accountEnabled": true,
        "userType": "Member"`+rest+`02`), []byte(`"accountEnabled": null,
        "userType": "Member"`+rest+`02`))
	inputs["lacking"] = lacking
	for name, data := range inputs {
		for _, procs := range []int{1, 3} {
			t.Run(name, func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				want, err := Parse(name, data)
				if err != nil {
					t.Fatal(err)
				}
				got, err := ParseWith(name, data, plainBuilder{bulkTestKeys})
				if err != nil {
					t.Fatal(err)
				}
				if got.counted == nil {
					t.Fatal("nothing was built")
				}
				if g, w := got.Unusable(), want.Unusable(); !reflect.DeepEqual(g, w) {
					t.Errorf("Unusable() = %v, want %v", g, w)
				}
				if name == "lacking" && len(want.Unusable()) == 0 {
					t.Error("the lacking tenant is usable; the test checks nothing")
				}
				n := 0
				doc := unmark(got.Document(), &n)
				if !reflect.DeepEqual(doc, unmark(want.Document(), new(int))) {
					t.Error("ParseWith's document differs from Parse's")
				}
				users, _ := want.Entra["users"].([]any)
				if len(users) > 0 && n == 0 {
					t.Error("no object was built")
				}
				// Keys whose requirements look inside objects, and keys that are not arrays of
				// objects, are decoded as always.
				if pols, ok := got.Entra["conditionalAccessPolicies"].([]any); ok && len(pols) > 0 {
					if _, ok := pols[0].(map[string]any); !ok {
						t.Errorf("entra.conditionalAccessPolicies was built: %T", pols[0])
					}
				}
				if m, ok := got.Entra["groupMembers"]; ok {
					if _, ok := m.(map[string]any); !ok {
						t.Errorf("entra.groupMembers was built: %T", m)
					}
				}
			})
		}
	}
}

// TestParseWithErrors: input that a collection cannot be built from fails as Parse fails.
func TestParseWithErrors(t *testing.T) {
	head := `{"schemaVersion": 1, "entra": {"users": [`
	tests := map[string]string{
		"a string among the users":        head + `{"id": "a"}, "b"]}}`,
		"a number first":                  head + `1, {"id": "a"}]}}`,
		"a duplicate key":                 head + `{"id": "a"}, {"id": "b", "id": "c"}]}}`,
		"a duplicate key, escaped":        head + `{"id": "a", "\u0069d": "b"}]}}`,
		"a duplicate key, nested":         head + `{"id": "a", "x": {"k": 1, "k": 2}}]}}`,
		"bytes that are not UTF-8":        head + "{\"id\": \"Soci\xe9t\xe9\"}]}}",
		"half a surrogate pair":           head + `{"id": "\ud83d"}]}}`,
		"a syntax error inside a user":    head + `{"id": "a",}]}}`,
		"a bracket for a brace":           head + `{"id": "a"]]}}`,
		"a missing comma":                 head + `{"id": "a"} {"id": "b"}]}}`,
		"a trailing comma":                head + `{"id": "a"},]}}`,
		"the file ends in a user":         head + `{"id": "a"`,
		"the file ends in a string":       head + `{"id": "a`,
		"the file ends after a user":      head + `{"id": "a"}`,
		"users is an object":              `{"schemaVersion": 1, "entra": {"users": {"id": "a"}}}`,
		"an error before the users":       `{"schemaVersion": 2, "entra": {"users": [{"id": "a"}]}}`,
		"a control character in a string": head + "{\"id\": \"a\tb\"}]}}",
		"a bad literal":                   head + `{"id": nul}]}}`,
		"a bad number":                    head + `{"id": 01}]}}`,
		"deep nesting":                    head + `{"id": ` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}]}}`,
		"a valid snapshot":                head + `{"id": "a", "accountEnabled": true}]}, "sources": {"entra.users": {"status": "ok"}}}`,
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			want, wantErr := Parse("x.json", []byte(doc))
			got, err := ParseWith("x.json", []byte(doc), plainBuilder{bulkTestKeys})
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("error %v, want %v", err, wantErr)
			}
			if err == nil && !reflect.DeepEqual(unmark(got.Document(), new(int)), unmark(want.Document(), new(int))) {
				t.Error("document differs")
			}
		})
	}
}

// TestLoadWith: a file loads as Load loads it, hash included; a bad one fails as Load fails.
func TestLoadWith(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.json"), filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, bigSnapshot(2000), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, bytes.Replace(bigSnapshot(2000), []byte(`"userType": "Member",`), []byte(`"userType": "Member", "userType": "Guest",`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	want, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadWith(good, plainBuilder{bulkTestKeys})
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != want.SHA256 || got.SHA256 == "" {
		t.Errorf("hash %s, want %s", got.SHA256, want.SHA256)
	}
	if !reflect.DeepEqual(unmark(got.Document(), new(int)), want.Document()) {
		t.Error("document differs")
	}
	_, wantErr := Load(bad)
	_, err = LoadWith(bad, plainBuilder{bulkTestKeys})
	if err == nil || wantErr == nil || err.Error() != wantErr.Error() {
		t.Errorf("error %v, want %v", err, wantErr)
	}
	if _, err := LoadWith(filepath.Join(dir, "missing.json"), plainBuilder{bulkTestKeys}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a missing file: %v", err)
	}
}

// parseWithReader is ParseWith, reading data through r.
func parseWithReader(data []byte, r io.Reader) (*Snapshot, error) {
	source := func() ([]byte, error) { return data, nil }
	s, err := parse("x.json", r, source, plainBuilder{bulkTestKeys})
	if errors.Is(err, errBulk) {
		return parse("x.json", bytes.NewReader(data), source, nil)
	}
	return s, err
}

// TestParseWithAcrossChunks: strings with escaped quotes and backslashes, braces and brackets
// inside strings, read a byte at a time and in halves, so that every token crosses the end of
// the decoder's buffer.
func TestParseWithAcrossChunks(t *testing.T) {
	doc := `{"schemaVersion": 1, "entra": {"users": [` +
		`{"id": "a\"b", "displayName": "\\", "x": "\\\"}", "y": "{[", "z": ["]", {"k": "}"}]},` +
		`{"id": "\\\\", "displayName": "q\"\\\"\\\\\"", "n": -1.5e3, "t": true, "f": false, "u": null},` +
		`{"id": "é\u00e9\ud83d\ude00", "e": {}, "a": []}` +
		`]}, "sources": {"entra.users": {"status": "ok"}}}`
	inputs := map[string]string{"whole": doc, "truncated": doc[:len(doc)/2], "bad at the end": doc[:len(doc)-3] + "}"}
	readers := map[string]func([]byte) io.Reader{
		"at once":      func(b []byte) io.Reader { return bytes.NewReader(b) },
		"byte by byte": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
		"in halves":    func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
	}
	for in, text := range inputs {
		for rd, reader := range readers {
			t.Run(in+", "+rd, func(t *testing.T) {
				data := []byte(text)
				got, err := parseWithReader(data, reader(data))
				want, wantErr := Parse("x.json", data)
				if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
					t.Fatalf("error %v, want %v", err, wantErr)
				}
				if err != nil {
					return
				}
				n := 0
				if !reflect.DeepEqual(unmark(got.Document(), &n), unmark(want.Document(), new(int))) || n == 0 {
					t.Errorf("document differs (%d objects built)", n)
				}
			})
		}
	}
}
