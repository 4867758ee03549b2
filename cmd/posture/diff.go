package main

import (
	"context"
	"fmt"
	"io"

	"github.com/m365posture/posture/internal/diff"
)

// diffOptions are what diff does: compare two snapshots or results of one tenant.
type diffOptions struct {
	eval             evalFlags
	out              outputFlags
	old, new         string
	failOnRegression bool
}

func runDiff(ctx context.Context, args []string, e env) error {
	o, err := diffFlags(args, e)
	if err != nil {
		return err
	}
	return o.run(ctx, e)
}

// diffFlags reads diff's command line into its options.
func diffFlags(args []string, e env) (*diffOptions, error) {
	fs := newFlags("diff", "diff OLD NEW [flags]  (each a snapshot from posture collect, evaluated with the flags below, or a result from posture check --format json, used as it is)", e)
	var o diffOptions
	o.eval.register(fs, false)
	o.out.register(fs, diff.Formats(), "the diff")
	fs.BoolVar(&o.failOnRegression, "fail-on-regression", false, "exit 1 when anything got worse: a rule regressed or has new violations, Secure Score points were lost, or data is no longer collected")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() != 2 {
		return nil, usageError{fmt.Errorf("expected two files, OLD and NEW; got %d argument(s)", fs.NArg())}
	}
	o.old, o.new = fs.Arg(0), fs.Arg(1)
	if err := refuseInputs(o.out.path, input{"OLD", o.old}, input{"NEW", o.new}, input{"--config", o.eval.ConfigPath}); err != nil {
		return nil, err
	}
	return &o, nil
}

// run compares, writes the diff, and fails on a regression when asked to.
func (o *diffOptions) run(ctx context.Context, e env) error {
	d, err := diff.Files(ctx, o.old, o.new, diff.Options{ConfigPath: o.eval.ConfigPath, Baselines: o.eval.Baselines, PolicyDirs: o.eval.PolicyDirs})
	if err != nil {
		return err
	}
	if err := o.out.write(e, func(w io.Writer) error { return d.Write(w, o.out.format) }); err != nil {
		return err
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(e.stderr, "posture diff: warning: %s\n", w)
	}
	return verdict("regression", d.Verdict(o.failOnRegression))
}
