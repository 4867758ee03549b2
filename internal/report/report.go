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
	// History holds posture's earlier estimates for the tenant (from --history), oldest
	// first; the HTML report draws them beside Microsoft's own trend.
	History []result.TrendPoint
	// Source is the snapshot or result file the report is about, as the user named it; SARIF
	// points its results at it. "" when unknown.
	Source string
}

var formats = map[string]func(Options) Renderer{
	"text": func(o Options) Renderer { return text{o} },
	"json": func(Options) Renderer { return jsonFormat{} },
	// The formats for CI and auditors, one file each.
	"sarif":       func(o Options) Renderer { return sarifFormat{o} },
	"junit":       func(o Options) Renderer { return junitFormat{o} },
	"csv":         func(o Options) Renderer { return csvFormat{o} },
	"action-plan": func(o Options) Renderer { return actionPlanFormat{o} },
	"markdown":    func(o Options) Renderer { return markdownFormat{o} },
	"html":        func(o Options) Renderer { return htmlFormat{o} },
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
