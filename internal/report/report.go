// Package report renders posture's documents in the formats users ask for: a result, a
// Secure Score estimate, the rule catalog and the results of Rego tests.
package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/regotest"
	"github.com/m365posture/posture/internal/result"
)

// Renderer writes one document of type T in one format.
type Renderer[T any] interface {
	Render(w io.Writer, v T) error
}

// Options tune renderers that have a choice to make; each reads the fields it needs.
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
	// Actions caps the improvement actions the score's text lists (0: all).
	Actions int
	// Verbose makes the tests' text show what every test printed, passing ones too.
	Verbose bool
	// Framework is the framework whose view FrameworkViews renders (cisa_scuba, cis_m365).
	Framework string
}

// Formats are the renderers of one kind of document, by format name: the one lookup of a
// format, and the one list of names that --format's help and errors show.
type Formats[T any] struct {
	names []string // in the order help shows them
	make  map[string]func(Options) Renderer[T]
}

// format is one entry of a Formats.
type format[T any] struct {
	name string
	make func(Options) Renderer[T]
}

func newFormats[T any](fs ...format[T]) Formats[T] {
	out := Formats[T]{make: map[string]func(Options) Renderer[T]{}}
	for _, f := range fs {
		out.names = append(out.names, f.name)
		out.make[f.name] = f.make
	}
	return out
}

// Names lists the formats.
func (f Formats[T]) Names() []string { return slices.Clone(f.names) }

// New returns the renderer of a format.
func (f Formats[T]) New(name string, o Options) (Renderer[T], error) {
	mk, ok := f.make[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q; expected one of %s", name, strings.Join(f.names, ", "))
	}
	return mk(o), nil
}

// The documents posture renders, each with its formats.
var (
	// Results renders a result, for check and report; sorted by name.
	Results = newFormats(
		format[*result.Result]{"action-plan", func(o Options) Renderer[*result.Result] { return actionPlanFormat{o} }},
		format[*result.Result]{"csv", func(o Options) Renderer[*result.Result] { return csvFormat{o} }},
		format[*result.Result]{"html", func(o Options) Renderer[*result.Result] { return htmlFormat{o} }},
		format[*result.Result]{"json", func(Options) Renderer[*result.Result] { return jsonFormat[*result.Result]{} }},
		format[*result.Result]{"junit", func(o Options) Renderer[*result.Result] { return junitFormat{o} }},
		format[*result.Result]{"markdown", func(o Options) Renderer[*result.Result] { return markdownFormat{o} }},
		format[*result.Result]{"ocsf", func(o Options) Renderer[*result.Result] { return ocsfFormat{o} }},
		format[*result.Result]{"sarif", func(o Options) Renderer[*result.Result] { return sarifFormat{o} }},
		format[*result.Result]{"text", func(o Options) Renderer[*result.Result] { return text{o} }},
	)
	// FrameworkViews renders a result's framework view (Options.Framework) control by control,
	// for check and report --framework. json is the result itself, frameworks included. SARIF
	// and JUnit have no framework view: their results and test cases are rules, which the code
	// scanning and CI dashboards that read them track, and a result per control would repeat
	// each failing rule once for every control it cites. OCSF has none either: its events are
	// findings, and each carries the controls its rule cites as compliance checks.
	FrameworkViews = newFormats(
		format[*result.Result]{"csv", func(o Options) Renderer[*result.Result] { return frameworkCSV{o} }},
		format[*result.Result]{"html", func(o Options) Renderer[*result.Result] { return frameworkHTML{o} }},
		format[*result.Result]{"json", func(Options) Renderer[*result.Result] { return jsonFormat[*result.Result]{} }},
		format[*result.Result]{"markdown", func(o Options) Renderer[*result.Result] { return frameworkMarkdown{o} }},
		format[*result.Result]{"text", func(o Options) Renderer[*result.Result] { return frameworkText{o} }},
	)
	// Scores renders a Secure Score estimate, for score.
	Scores = newFormats(
		format[*result.Score]{"text", func(o Options) Renderer[*result.Score] { return scoreText{o} }},
		format[*result.Score]{"json", func(Options) Renderer[*result.Score] { return jsonFormat[*result.Score]{escapeHTML: true} }},
	)
	// Catalog renders the rule catalog, for rules.
	Catalog = newFormats(
		format[[]engine.Rule]{"text", func(Options) Renderer[[]engine.Rule] { return catalogText{} }},
		format[[]engine.Rule]{"json", func(Options) Renderer[[]engine.Rule] { return catalogJSON{} }},
		format[[]engine.Rule]{"markdown", func(Options) Renderer[[]engine.Rule] { return catalogMarkdown{} }},
	)
	// RulePages renders one rule's page, docs/rules/<id>.md (TestRulePages in cmd/posture
	// writes and checks them).
	RulePages = newFormats(
		format[RulePage]{"markdown", func(Options) Renderer[RulePage] { return rulePage{} }},
	)
	// Tests renders the results of Rego unit tests, for test.
	Tests = newFormats(
		format[*regotest.Report]{"text", func(o Options) Renderer[*regotest.Report] { return testText{o} }},
		format[*regotest.Report]{"json", func(Options) Renderer[*regotest.Report] { return jsonFormat[*regotest.Report]{escapeHTML: true} }},
	)
)
