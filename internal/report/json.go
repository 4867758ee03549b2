package report

import (
	"encoding/json"
	"io"
)

// jsonFormat writes a document as JSON indented by two spaces: result.json, the document
// other stages and tools read, and the JSON of the other documents. escapeHTML keeps the
// \u003c escapes the score and test JSON have always had; a result and the catalog keep
// strings as they are.
type jsonFormat[T any] struct{ escapeHTML bool }

// Render writes v compact through an indenter, which writes exactly what json.Encoder's
// SetIndent("", "  ") writes: a 100,000-user result is megabytes, and the encoder's own
// indenting copies it into a buffer that grows by doubling, garbage the collector must then
// find room for.
func (j jsonFormat[T]) Render(w io.Writer, v T) error {
	enc := json.NewEncoder(&indenter{w: w})
	enc.SetEscapeHTML(j.escapeHTML)
	return enc.Encode(v)
}
