package report

import (
	"errors"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// csvFormat is a placeholder until the renderer lands.
type csvFormat struct{ o Options }

func (csvFormat) Render(io.Writer, *result.Result) error {
	return errors.New("csv: not implemented yet")
}
