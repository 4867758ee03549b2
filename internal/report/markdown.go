package report

import (
	"errors"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// markdownFormat is a placeholder until the renderer lands.
type markdownFormat struct{ o Options }

func (markdownFormat) Render(io.Writer, *result.Result) error {
	return errors.New("markdown: not implemented yet")
}
