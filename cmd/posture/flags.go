package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/atomicfile"
	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

// newFlags returns a FlagSet that reports errors instead of exiting.
func newFlags(name, synopsis string, e env) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: posture %s\n\nFlags:\n", synopsis)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses args. --help prints the usage and returns errHelp; anything else wrong is a
// usageError, one line. A value posture's own flag types refuse reads "--NAME VALUE: what
// was expected".
func parse(fs *pflag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil {
		return nil
	}
	if errors.Is(err, pflag.ErrHelp) { // pflag has already printed the usage
		return errHelp
	}
	var iv *pflag.InvalidValueError
	var bad badValue
	if errors.As(err, &iv) && errors.As(err, &bad) {
		return usageError{fmt.Errorf("--%s %s: %s", iv.GetFlag().Name, showValue(iv.GetValue()), bad.expected)}
	}
	return usageError{err}
}

// noArgs refuses arguments a command does not take.
func noArgs(fs *pflag.FlagSet) error {
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// plainValue is a flag value shown as it is in an error; anything else is quoted.
var plainValue = regexp.MustCompile(`^[A-Za-z0-9._:/+-]+$`)

func showValue(v string) string {
	if plainValue.MatchString(v) {
		return v
	}
	return strconv.Quote(v)
}

// badValue is what posture's flag types say about a value they refuse: what was expected.
type badValue struct{ expected string }

func (b badValue) Error() string { return b.expected }

// choice is a flag that takes one of a list of names (--format, --fail-on), checked when the
// command line is parsed.
type choice struct {
	p     *string
	names []string
}

func (c *choice) Set(s string) error {
	if !slices.Contains(c.names, s) {
		return badValue{"expected one of " + strings.Join(c.names, ", ")}
	}
	*c.p = s
	return nil
}

func (c *choice) String() string {
	if c.p == nil {
		return ""
	}
	return *c.p
}

func (c *choice) Type() string { return "string" }

// addFormatFlag adds --format: one of names (the command's renderers), text by default.
func addFormatFlag(fs *pflag.FlagSet, p *string, names []string) {
	*p = "text"
	fs.VarP(&choice{p, names}, "format", "f", "output format: "+strings.Join(names, "|"))
}

// number is a float flag that takes only a finite number from min to max. strconv reads "NaN"
// and "Inf", and NaN fails every comparison, so a range check alone lets NaN through: that
// switched the score gate off (--min-score NaN).
type number struct {
	text     string
	store    func(float64)
	min, max float64
	expected string
}

func (n *number) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < n.min || v > n.max {
		return badValue{n.expected}
	}
	n.text = strconv.FormatFloat(v, 'g', -1, 64)
	n.store(v)
	return nil
}

func (n *number) String() string { return n.text }
func (n *number) Type() string   { return "float64" }

// addNumberFlag adds a float flag from min to max whose value goes to store; def is only
// shown in the help.
func addNumberFlag(fs *pflag.FlagSet, name, usage string, def, min, max float64, expected string, store func(float64)) {
	fs.Var(&number{text: strconv.FormatFloat(def, 'g', -1, 64), store: store, min: min, max: max, expected: expected}, name, usage)
}

// count is a whole-number flag of at least min.
type count struct {
	p        *int
	min      int
	expected string
}

func (c *count) Set(s string) error {
	v, err := strconv.ParseInt(s, 0, strconv.IntSize)
	if err != nil || int(v) < c.min {
		return badValue{c.expected}
	}
	*c.p = int(v)
	return nil
}

func (c *count) String() string {
	if c.p == nil {
		return "0"
	}
	return strconv.Itoa(*c.p)
}

func (c *count) Type() string { return "int" }

// addCountFlag adds a whole-number flag of at least min, def by default.
func addCountFlag(fs *pflag.FlagSet, p *int, name, usage string, def, min int, expected string) {
	*p = def
	fs.Var(&count{p: p, min: min, expected: expected}, name, usage)
}

// evalFlags are what to evaluate and with what, the same flags for every command that
// evaluates snapshots (check, score, diff).
type evalFlags struct{ check.Options }

// register adds --config, --baseline and --policy, and with snapshot --snapshot and --demo
// (diff takes its snapshots as arguments).
func (f *evalFlags) register(fs *pflag.FlagSet, snapshot bool) {
	if snapshot {
		fs.StringVarP(&f.SnapshotPath, "snapshot", "s", "", "snapshot `FILE` to evaluate (from posture collect)")
		fs.BoolVar(&f.Demo, "demo", false, "evaluate the demo tenant embedded in posture, with its org config "+demo.ConfigPath+" (unless --config)")
	}
	fs.StringVarP(&f.ConfigPath, "config", "c", "", "org config `FILE` (break-glass accounts, exceptions, parameters, policies, gate)")
	fs.StringSliceVarP(&f.Baselines, "baseline", "b", nil, "baseline(s) to evaluate, repeatable or comma-separated (default: the config's, else all)")
	fs.StringSliceVar(&f.PolicyDirs, "policy", nil, "org policy `DIR` in addition to the config's policies (repeatable)")
}

// evalFlagNames are the flags register adds, for commands that refuse them in a mode that
// evaluates nothing (score --from).
var evalFlagNames = []string{"snapshot", "demo", "config", "baseline", "policy"}

// gateFlags are the gate's flags; unset, the config's gate applies.
type gateFlags struct {
	failOn   string   // "": the config's gate.failOn
	minScore *float64 // nil: the config's gate.minScore
}

// register adds --min-score with usage, and with failOn --fail-on.
func (g *gateFlags) register(fs *pflag.FlagSet, failOn bool, minScoreUsage string) {
	if failOn {
		fs.Var(&choice{&g.failOn, result.FailOnNames()}, "fail-on", "least severity of a failing rule that fails the gate: "+
			strings.Join(result.FailOnNames(), "|")+" (default: the config's gate.failOn, else info)")
	}
	addNumberFlag(fs, "min-score", minScoreUsage, 0, 0, 100, "expected a percentage from 0 to 100", func(v float64) { g.minScore = &v })
}

// resolve is the gate to apply: the flags over the config's gate.
func (g gateFlags) resolve(cfg *config.Config) (result.Gate, error) {
	gate, err := result.ParseGate(cmp.Or(g.failOn, cfg.Gate.FailOn))
	if err != nil {
		return gate, fmt.Errorf("%s: gate.failOn: %v", cfg.Path, err)
	}
	gate.MinScore = cmp.Or(g.minScore, cfg.Gate.MinScore)
	return gate, nil
}

// outputFlags are --format and --output of a command that renders a document.
type outputFlags struct {
	format string
	path   string // "" or "-": stdout
}

// register adds --format with the command's formats and --output for what the command writes.
func (o *outputFlags) register(fs *pflag.FlagSet, formats []string, what string) {
	addFormatFlag(fs, &o.format, formats)
	fs.StringVarP(&o.path, "output", "o", "", "write "+what+" to `FILE` instead of stdout (a file atomically, through a symbolic link, "+
		"to a device or FIFO directly; - is stdout)")
}

// frameworkNames lists the frameworks --framework takes: the embedded framework catalogs.
func frameworkNames() []string {
	fws, err := baselines.Frameworks()
	if err != nil {
		return nil // the catalogs are embedded and tested; check itself reports the error
	}
	names := make([]string, 0, len(fws))
	for _, f := range fws {
		names = append(names, f.ID)
	}
	return names
}

// addFrameworkFlag adds --framework: a framework whose view the report shows.
func addFrameworkFlag(fs *pflag.FlagSet, p *string) {
	names := frameworkNames()
	fs.Var(&choice{p, names}, "framework", "report control by control for `FRAMEWORK` ("+strings.Join(names, "|")+
		"), in the framework's order, instead of rule by rule; formats "+strings.Join(report.FrameworkViews.Names(), "|"))
}

// checkFrameworkFormat refuses a --format that has no framework view.
func checkFrameworkFormat(format, framework string) error {
	if framework == "" || slices.Contains(report.FrameworkViews.Names(), format) {
		return nil
	}
	return usageError{fmt.Errorf("--format %s with --framework %s: expected one of %s (SARIF, JUnit, OCSF and the action plan report rules, not framework controls)",
		format, framework, strings.Join(report.FrameworkViews.Names(), ", "))}
}

// resultRenderer is the renderer of a result for --format, or of its framework view with
// --framework.
func resultRenderer(format, framework string, o report.Options) (report.Renderer[*result.Result], error) {
	if framework != "" {
		o.Framework = framework
		return report.FrameworkViews.New(format, o)
	}
	return report.Results.New(format, o)
}

// input is a file a command reads, named as the command line names it.
type input struct{ flag, path string }

// refuseInputs refuses an --output that is one of the command's inputs: rendering over the
// snapshot (or result, or config) would destroy the evidence the output is about. The same
// file is found through symbolic and hard links and relative paths.
func refuseInputs(out string, inputs ...input) error {
	if out == "" || out == "-" {
		return nil
	}
	for _, in := range inputs {
		if in.path != "" && atomicfile.Same(out, in.path) {
			return usageError{fmt.Errorf("--output %s is %s %s: refusing to write over an input", out, in.flag, in.path)}
		}
	}
	return nil
}

// write writes through fill to --output (see atomicfile.Write), or to stdout when it is "",
// "-" or the file stdout already is (/dev/stdout, /proc/self/fd/1, the file stdout was
// redirected to): opening that again would write from its start, over what stdout wrote.
func (o outputFlags) write(e env, fill func(w io.Writer) error) error {
	if o.path == "" || o.path == "-" || isStdout(o.path, e) {
		return fill(e.stdout)
	}
	if err := atomicfile.Write(o.path, 0o644, fill); err != nil {
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}

// isStdout reports whether path is the file the process's stdout is.
func isStdout(path string, e env) bool {
	f, ok := e.stdout.(*os.File)
	if !ok {
		return false
	}
	out, err := f.Stat()
	if err != nil {
		return false
	}
	fi, err := os.Stat(path)
	return err == nil && os.SameFile(out, fi)
}

// colorFor reports whether text for w may use colour: only on a terminal, and never when
// NO_COLOR is set (https://no-color.org) or TERM is dumb.
func colorFor(w io.Writer, e env) bool {
	if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}
