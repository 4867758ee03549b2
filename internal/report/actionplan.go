package report

import (
	"errors"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// actionPlanFormat is a placeholder until the renderer lands.
type actionPlanFormat struct{ o Options }

func (actionPlanFormat) Render(io.Writer, *result.Result) error {
	return errors.New("actionplan: not implemented yet")
}
