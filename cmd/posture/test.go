package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/m365posture/posture/internal/regotest"
	"github.com/m365posture/posture/internal/report"
)

// testOptions are what test does: run the org policies' Rego unit tests.
type testOptions struct {
	regotest.Options
	format  string
	verbose bool
}

func runTest(ctx context.Context, args []string, e env) error {
	o, err := testFlags(args, e)
	if err != nil {
		return err
	}
	return o.run(ctx, e)
}

// testFlags reads test's command line into its options.
func testFlags(args []string, e env) (*testOptions, error) {
	fs := newFlags("test", "test [DIR...] [flags]  (default DIR: ./policies)", e)
	var o testOptions
	fs.BoolVar(&o.Coverage, "coverage", false, "report which lines of the org policies the tests reach")
	fs.StringVar(&o.Run, "run", "", "run only the tests whose package.name matches this regular `EXPR`")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "time limit per test")
	addFormatFlag(fs, &o.format, report.Tests.Names())
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "print what each test printed (print()), passing ones too")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	o.Dirs = fs.Args()
	if len(o.Dirs) == 0 {
		if info, err := os.Stat("policies"); err != nil || !info.IsDir() {
			return nil, usageError{fmt.Errorf("no policy directory: give DIR (or run in a folder with policies/, as posture init writes it)")}
		}
		o.Dirs = []string{"policies"}
	}
	return &o, nil
}

// run runs the tests, renders them, and fails when one failed.
func (o *testOptions) run(ctx context.Context, e env) error {
	rep, err := regotest.Run(ctx, o.Options)
	if err != nil {
		return err
	}
	r, err := report.Tests.New(o.format, report.Options{Verbose: o.verbose})
	if err != nil {
		return err
	}
	if err := r.Render(e.stdout, rep); err != nil {
		return err
	}
	return verdict("", rep.Verdict())
}
