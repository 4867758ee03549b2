package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestIndenterWritesWhatTheEncoderWrites holds the indenter to json.Encoder's SetIndent output,
// the bytes result.json has always had, whole and written in pieces of every size.
func TestIndenterWritesWhatTheEncoderWrites(t *testing.T) {
	deep := any("leaf")
	for range 70 {
		deep = []any{deep, map[string]any{}}
	}
	var large []any
	for i := range 3000 {
		large = append(large, map[string]any{"id": i, "name": "user, \"quoted\" {x}", "tags": []any{}})
	}
	values := []struct {
		name string
		v    any
	}{
		{"scalar", 42},
		{"string with brackets and escapes", "a{b}[c],d:e \"q\" \\ \\\" </tag> é\u2028"},
		{"empty object and array", map[string]any{"a": map[string]any{}, "b": []any{}, "c": []any{map[string]any{}}}},
		{"nested", map[string]any{"findings": []any{map[string]any{"id": "x", "n": 1.5, "ok": true, "none": nil, "list": []any{"a", "b"}}}}},
		{"keys with colons and commas", map[string]any{"a:b,c": "d,e:f", "{": "}"}},
		{"deeper than the indentation table", deep},
		{"larger than a chunk", large},
	}
	for _, tc := range values {
		for _, escapeHTML := range []bool{false, true} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(escapeHTML)
			if err := enc.Encode(tc.v); err != nil {
				t.Fatal(err)
			}
			var compact bytes.Buffer
			enc = json.NewEncoder(&compact)
			enc.SetEscapeHTML(escapeHTML)
			if err := enc.Encode(tc.v); err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1, 2, 3, 7, 4096, compact.Len()} {
				var got bytes.Buffer
				ind := &indenter{w: &got}
				for rest := compact.Bytes(); len(rest) > 0; {
					k := min(size, len(rest))
					if n, err := ind.Write(rest[:k]); err != nil || n != k {
						t.Fatalf("%s: Write = %d, %v", tc.name, n, err)
					}
					rest = rest[k:]
				}
				if got.String() != want.String() {
					t.Errorf("%s (escapeHTML %v, pieces of %d):\ngot  %q\nwant %q", tc.name, escapeHTML, size, got.String(), want.String())
				}
			}
		}
	}
}

func TestJSONRenderIsTheEncodersIndentedOutput(t *testing.T) {
	v := map[string]any{"rule": "a<b", "list": []any{1, map[string]any{}}}
	for _, escapeHTML := range []bool{false, true} {
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(escapeHTML)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if err := (jsonFormat[map[string]any]{escapeHTML: escapeHTML}).Render(&got, v); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("escapeHTML %v:\ngot  %q\nwant %q", escapeHTML, got.String(), want.String())
		}
	}
}
