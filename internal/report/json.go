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

func (j jsonFormat[T]) Render(w io.Writer, v T) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(j.escapeHTML)
	return enc.Encode(v)
}
