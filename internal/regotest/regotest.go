// Package regotest runs the Rego unit tests of org policies, as `opa test` would, with
// posture's built-in library loaded and under the sandbox and strict compilation the rules
// themselves get.
package regotest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/policies"
)

// Options say which tests to run.
type Options struct {
	Dirs     []string // org policy directories: their rules, helpers and *_test.rego files
	Run      string   // a regular expression tests' package.name must match; "" for all
	Coverage bool     // measure which lines of the org policies the tests reach
	Timeout  time.Duration
}

// Status is the outcome of one test.
type Status string

// The outcomes of a test.
const (
	Pass  Status = "pass"
	Fail  Status = "fail"
	Error Status = "error"
	Skip  Status = "skip" // a todo_ test
)

// Case is one test's outcome.
type Case struct {
	Name     string        `json:"name"` // package.rule, e.g. posture.rules.org.x.test_guest_denied
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Status   Status        `json:"status"`
	Message  string        `json:"message,omitempty"` // why it failed or errored
	Output   string        `json:"output,omitempty"`  // what print() wrote
	Duration time.Duration `json:"durationNs"`
}

// FileCoverage is the coverage of one org policy file.
type FileCoverage struct {
	File       string  `json:"file"`
	Covered    int     `json:"coveredLines"`
	NotCovered int     `json:"notCoveredLines"`
	Percent    float64 `json:"percent"`
	Missed     []Range `json:"notCovered,omitempty"`
}

// Range is a span of lines, inclusive.
type Range struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Report is the outcome of a run.
type Report struct {
	Cases    []Case         `json:"tests"`
	Coverage []FileCoverage `json:"coverage,omitempty"`
	// Percent is the coverage of all org policy files together, when measured.
	Percent *float64 `json:"percent,omitempty"`
}

// Count returns the number of cases with status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, c := range r.Cases {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Failed reports whether any test failed or could not run.
func (r *Report) Failed() bool { return r.Count(Fail)+r.Count(Error) > 0 }

// Verdict is the tests' gate: a test that failed or could not run fails it (exit 1).
func (r *Report) Verdict() result.Verdict {
	if !r.Failed() {
		return result.Verdict{Code: result.ExitPassed}
	}
	return result.Verdict{Code: result.ExitFailed, Reasons: []string{
		fmt.Sprintf("%d of %d test(s) failed", r.Count(Fail)+r.Count(Error), len(r.Cases))}}
}

// Run checks the org policies as `posture check` would load them (METADATA, sandbox, strict
// compilation: a problem is an error naming file and line), then runs their tests.
func Run(ctx context.Context, o Options) (*Report, error) {
	if len(o.Dirs) == 0 {
		return nil, errors.New("no policy directory to test")
	}
	eng, err := engine.New(ctx, engine.Options{PolicyDirs: o.Dirs})
	if err != nil {
		return nil, err
	}
	// Rules read a parameter's default from data.posture.defaults, as they do in posture check.
	defaults, err := eng.ParameterDefaults()
	if err != nil {
		return nil, err
	}
	modules, err := libraryModules()
	if err != nil {
		return nil, err
	}
	var org []string
	for _, dir := range o.Dirs {
		files, err := loadDir(dir, modules)
		if err != nil {
			return nil, err
		}
		org = append(org, files...)
	}
	compiler := ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(engine.Capabilities()).
		WithEnablePrintStatements(true)
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(inmem.NewFromObject(map[string]any{"posture": map[string]any{"defaults": defaults}})).
		SetModules(modules).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		Filter(o.Run)
	if o.Timeout > 0 {
		runner = runner.SetTimeout(o.Timeout)
	}
	var cov *cover.Cover
	if o.Coverage {
		cov = cover.New()
		runner = runner.SetCoverageQueryTracer(cov)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		var astErrs ast.Errors
		if errors.As(err, &astErrs) {
			return nil, engine.OneLine(astErrs)
		}
		return nil, fmt.Errorf("run tests: %w", err)
	}
	rep := &Report{Cases: []Case{}}
	for r := range ch {
		rep.Cases = append(rep.Cases, newCase(r))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The runner runs tests in parallel; the report lists them as the files do.
	slices.SortFunc(rep.Cases, func(a, b Case) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Name, b.Name))
	})
	if len(rep.Cases) == 0 {
		what := "no tests"
		if o.Run != "" {
			what = fmt.Sprintf("no tests matching %q", o.Run)
		}
		return nil, fmt.Errorf("%s in %s; expected test_ rules in *_test.rego files", what, strings.Join(o.Dirs, ", "))
	}
	if cov != nil {
		rep.coverage(cov.Report(modules), org)
	}
	return rep, nil
}

func newCase(r *tester.Result) Case {
	c := Case{Name: strings.TrimPrefix(r.Package, "data.") + "." + r.Name, Duration: r.Duration, Output: string(r.Output)}
	if r.Location != nil {
		c.File, c.Line = r.Location.File, r.Location.Row
	}
	switch {
	case r.Skip:
		c.Status = Skip
	case r.Error != nil:
		c.Status = Error
		c.Message = oneLine(r.Error.Error())
	case r.Fail:
		c.Status = Fail
	default:
		c.Status = Pass
	}
	return c
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// coverage keeps the report's figures for the org files: the library is posture's to test.
func (rep *Report) coverage(cr cover.Report, org []string) {
	covered, missed := 0, 0
	for _, file := range org {
		fr := cr.Files[file]
		fc := FileCoverage{File: file}
		if fr != nil {
			fc.Covered, fc.NotCovered = fr.CoveredLines, fr.NotCoveredLines
			for _, r := range fr.NotCovered {
				fc.Missed = append(fc.Missed, Range{Start: r.Start.Row, End: r.End.Row})
			}
			fc.Missed = merge(fc.Missed)
		}
		if n := fc.Covered + fc.NotCovered; n > 0 {
			fc.Percent = round1(100 * float64(fc.Covered) / float64(n))
		}
		covered += fc.Covered
		missed += fc.NotCovered
		rep.Coverage = append(rep.Coverage, fc)
	}
	p := 0.0
	if covered+missed > 0 {
		p = round1(100 * float64(covered) / float64(covered+missed))
	}
	rep.Percent = &p
}

// merge sorts line ranges and joins the ones that overlap or touch: OPA reports a range per
// expression, several on one line.
func merge(rs []Range) []Range {
	slices.SortFunc(rs, func(a, b Range) int { return cmp.Compare(a.Start, b.Start) })
	var out []Range
	for _, r := range rs {
		if n := len(out); n > 0 && r.Start <= out[n-1].End+1 {
			out[n-1].End = max(out[n-1].End, r.End)
			continue
		}
		out = append(out, r)
	}
	return out
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// libraryModules parses posture's built-in library (not its tests): the helpers org rules use.
func libraryModules() (map[string]*ast.Module, error) {
	mods := map[string]*ast.Module{}
	err := fs.WalkDir(policies.FS, "lib", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		data, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		name := "policies/" + path
		m, err := engine.ParseModule(name, data)
		if err != nil {
			return err
		}
		mods[name] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load the built-in library: %w", err)
	}
	return mods, nil
}

// loadDir parses every .rego file of an org directory, tests included, into mods and returns
// the names of the non-test files (the ones coverage is about).
func loadDir(dir string, mods map[string]*ast.Module) ([]string, error) {
	var policyFiles []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("policy directory %s: %w", dir, err)
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		m, err := engine.ParseModule(path, data)
		if err != nil {
			return err
		}
		mods[path] = m
		if !strings.HasSuffix(path, "_test.rego") {
			policyFiles = append(policyFiles, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(policyFiles)
	return slices.Compact(policyFiles), nil
}
