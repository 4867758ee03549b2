package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

// scoreOptions are what score does: estimate the Secure Score of a snapshot (or read it from
// a result), explain it and gate on it.
type scoreOptions struct {
	eval    evalFlags
	from    string // a result file instead of a snapshot
	gate    gateFlags
	out     outputFlags
	history string
	actions int
}

func runScore(ctx context.Context, args []string, e env) error {
	o, err := scoreFlags(args, e)
	if err != nil {
		return err
	}
	return o.run(ctx, e)
}

// scoreFlags reads score's command line into its options.
func scoreFlags(args []string, e env) (*scoreOptions, error) {
	fs := newFlags("score", "score (--snapshot FILE | --demo | --from RESULT) [flags]", e)
	var o scoreOptions
	o.eval.register(fs, true)
	fs.StringVar(&o.from, "from", "", "a result `FILE` from posture check --format json, instead of evaluating a snapshot")
	o.gate.register(fs, false, "exit 1 when the estimate is below `PERCENT` (0-100)")
	o.out.register(fs, report.Scores.Names(), "the estimate")
	fs.StringVar(&o.history, "history", "", "add posture's estimates of the last 90 days from history `DIR` (written by check --history) to the trend")
	addCountFlag(fs, &o.actions, "actions", "improvement actions to list in text (0: all)", 15, 0, "expected 0 (all) or more")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := noArgs(fs); err != nil {
		return nil, err
	}
	if o.from != "" {
		for _, name := range evalFlagNames {
			if fs.Changed(name) {
				return nil, usageError{fmt.Errorf("--from reads a finished result; --%s is for evaluating a snapshot", name)}
			}
		}
	} else if o.eval.SnapshotPath == "" && !o.eval.Demo {
		return nil, usageError{fmt.Errorf("nothing to score: give --snapshot FILE (from posture collect), --demo, or --from RESULT (from posture check --format json)")}
	}
	err := refuseInputs(o.out.path, input{"--snapshot", o.eval.SnapshotPath}, input{"--from", o.from}, input{"--config", o.eval.ConfigPath})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// run scores: it evaluates the snapshot or reads the result, adds the history to the trend,
// renders the estimate and gates on --min-score only (the findings are check's gate).
func (o *scoreOptions) run(ctx context.Context, e env) error {
	res, err := o.input(ctx, e)
	if err != nil {
		return err
	}
	if res.Score == nil {
		return fmt.Errorf("%s: the result has no score (it was written before posture estimated Secure Score); run posture check on its snapshot again", o.from)
	}
	s := *res.Score
	past, err := trendFrom(o.history, res, false)
	if err != nil {
		return err
	}
	s.Trend = mergeTrend(s.Trend, past)
	r, err := report.Scores.New(o.out.format, report.Options{Actions: o.actions})
	if err != nil {
		return err
	}
	if err := o.out.write(e, func(w io.Writer) error { return r.Render(w, &s) }); err != nil {
		return err
	}
	gate := result.Gate{Disabled: true, MinScore: o.gate.minScore}
	return verdict("gate", gate.Evaluate(res, res.Estimate()))
}

// input evaluates the snapshot, or reads the result given with --from.
func (o *scoreOptions) input(ctx context.Context, e env) (*result.Result, error) {
	if o.from != "" {
		return result.Load(o.from)
	}
	res, _, err := check.Run(ctx, o.eval.Options)
	if err != nil {
		return nil, err
	}
	announceDemoConfig(e, "score", o.eval.Options)
	return res, nil
}

// mergeTrend puts Microsoft's daily scores and posture's stored estimates on one time line.
func mergeTrend(ms, estimates []result.TrendPoint) []result.TrendPoint {
	out := append(slices.Clip(ms), estimates...)
	slices.SortStableFunc(out, func(a, b result.TrendPoint) int { return a.At.Compare(b.At) })
	return out
}
