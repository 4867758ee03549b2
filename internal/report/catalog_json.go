package report

import (
	"io"

	"github.com/m365posture/posture/internal/engine"
)

// catalogJSON is the catalog as a JSON array of rules; no rules is [], never null.
type catalogJSON struct{}

func (catalogJSON) Render(w io.Writer, rules []engine.Rule) error {
	if rules == nil {
		rules = []engine.Rule{}
	}
	return jsonFormat[[]engine.Rule]{}.Render(w, rules)
}
