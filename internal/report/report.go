// Package report renders posture results in the formats users ask for.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// Renderer writes one result in one format.
type Renderer interface {
	Render(w io.Writer, r *result.Result) error
}

// Options tune renderers that have a choice to make.
type Options struct {
	// Color enables ANSI colours in the text format; callers set it only for terminals.
	Color bool
	// MaxViolations caps the violations the text format lists per finding (0 = 10).
	MaxViolations int
}

var formats = map[string]func(Options) Renderer{
	"text": func(o Options) Renderer { return text{o} },
	"json": func(Options) Renderer { return jsonFormat{} },
}

// Names lists the formats, for --format help and errors.
func Names() []string {
	var out []string
	for n := range formats {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// New returns the renderer for a format name.
func New(name string, o Options) (Renderer, error) {
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q; expected one of %s", name, strings.Join(Names(), ", "))
	}
	return f(o), nil
}
