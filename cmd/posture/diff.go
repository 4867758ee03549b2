package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/m365posture/posture/internal/diff"
)

func runDiff(ctx context.Context, args []string, e env) error {
	fs := newFlags("diff", "diff OLD NEW [flags]  (each a snapshot from posture collect or a result from posture check --format json)", e)
	var o diff.Options
	var format, out string
	var failOnRegression bool
	fs.StringVarP(&o.ConfigPath, "config", "c", "", "org config `FILE` to evaluate a snapshot with (a result is used as it is)")
	fs.StringSliceVarP(&o.Baselines, "baseline", "b", nil, "baseline(s) to evaluate a snapshot against, repeatable or comma-separated (default: the config's, else all)")
	fs.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(diff.Formats(), "|"))
	fs.StringVarP(&out, "output", "o", "", "write the diff to `FILE` (atomically) instead of stdout")
	fs.BoolVar(&failOnRegression, "fail-on-regression", false, "exit 1 when anything got worse: a rule regressed or has new violations, Secure Score points were lost, or data is no longer collected")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError{fmt.Errorf("expected two files, OLD and NEW; got %d argument(s)", fs.NArg())}
	}
	if err := diff.CheckFormat(format); err != nil {
		return usageError{fmt.Errorf("--format: %v", err)}
	}
	d, err := diff.Files(ctx, fs.Arg(0), fs.Arg(1), o)
	if err != nil {
		return err
	}
	if err := output(out, e, func(w io.Writer) error { return d.Write(w, format) }); err != nil {
		return err
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(e.stderr, "posture diff: warning: %s\n", w)
	}
	if failOnRegression && len(d.Regressions) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("regression: %s", strings.Join(d.Regressions, "; "))}
	}
	return nil
}
