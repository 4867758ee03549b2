package report

import (
	"errors"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// htmlFormat is a placeholder until the renderer lands.
type htmlFormat struct{ o Options }

func (htmlFormat) Render(io.Writer, *result.Result) error {
	return errors.New("html: not implemented yet")
}
