package report

import (
	"encoding/json"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// jsonFormat writes result.json, the document other stages and tools read.
type jsonFormat struct{}

func (jsonFormat) Render(w io.Writer, r *result.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
