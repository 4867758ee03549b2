package report

import (
	"errors"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// junitFormat is a placeholder until the renderer lands.
type junitFormat struct{ o Options }

func (junitFormat) Render(io.Writer, *result.Result) error {
	return errors.New("junit: not implemented yet")
}
