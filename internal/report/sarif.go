package report

import (
	"errors"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// sarifFormat is a placeholder until the renderer lands.
type sarifFormat struct{ o Options }

func (sarifFormat) Render(io.Writer, *result.Result) error {
	return errors.New("sarif: not implemented yet")
}
