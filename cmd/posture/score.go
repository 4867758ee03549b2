package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

func runScore(ctx context.Context, args []string, e env) error {
	fs := newFlags("score", "score (--snapshot FILE | --demo | --from RESULT) [flags]", e)
	var o check.Options
	var from, format, out, historyDir string
	var min float64
	var limit int
	fs.StringVarP(&o.SnapshotPath, "snapshot", "s", "", "snapshot `FILE` to evaluate (from posture collect)")
	fs.BoolVar(&o.Demo, "demo", false, "score the demo tenant embedded in posture (with its demo config)")
	fs.StringVar(&from, "from", "", "a result `FILE` from posture check --format json, instead of evaluating a snapshot")
	fs.StringVarP(&o.ConfigPath, "config", "c", "", "org config `FILE` (exceptions decide third-party, planned and risk-accepted points)")
	fs.StringSliceVarP(&o.Baselines, "baseline", "b", nil, "baseline(s) to evaluate, repeatable or comma-separated (default: the config's, else all)")
	fs.StringSliceVar(&o.PolicyDirs, "policy", nil, "org policy `DIR` in addition to the config's policies (repeatable)")
	fs.StringVarP(&format, "format", "f", "text", "output format: text|json")
	fs.StringVarP(&out, "output", "o", "", "write to `FILE` (atomically) instead of stdout")
	fs.StringVar(&historyDir, "history", "", "add posture's estimates of the last 90 days from history `DIR` (written by check --history) to the trend")
	fs.IntVar(&limit, "actions", 15, "improvement actions to list in text (0: all)")
	fs.Float64Var(&min, "min-score", 0, "exit 1 when the estimate is below `PERCENT` (0-100)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if format != "text" && format != "json" {
		return usageError{fmt.Errorf("--format: %q is not a score format; expected text or json", format)}
	}
	if limit < 0 {
		return usageError{fmt.Errorf("--actions %d: expected 0 (all) or more", limit)}
	}
	minFlag, err := minScore(fs.Changed("min-score"), min)
	if err != nil {
		return err
	}
	res, err := scoreInput(ctx, fs.Changed, from, o)
	if err != nil {
		return err
	}
	if res.Score == nil {
		return fmt.Errorf("%s: the result has no score (it was written before posture estimated Secure Score); run posture check on its snapshot again", from)
	}
	s := *res.Score
	past, err := trendFrom(historyDir, res, false)
	if err != nil {
		return err
	}
	s.Trend = mergeTrend(s.Trend, past)
	err = output(out, e, func(w io.Writer) error {
		if format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(s)
		}
		return report.WriteScore(w, &s, limit)
	})
	if err != nil {
		return err
	}
	if minFlag != nil && s.Estimate.Percent < *minFlag {
		return &exitError{code: result.ExitFailed, err: fmt.Errorf("gate: score %.1f%% is below the minimum %.1f%%", s.Estimate.Percent, *minFlag)}
	}
	return nil
}

// scoreInput evaluates the snapshot, or reads the result given with --from.
func scoreInput(ctx context.Context, changed func(string) bool, from string, o check.Options) (*result.Result, error) {
	if from == "" {
		if o.SnapshotPath == "" && !o.Demo {
			return nil, usageError{fmt.Errorf("nothing to score: give --snapshot FILE (from posture collect), --demo, or --from RESULT (from posture check --format json)")}
		}
		res, _, err := check.Run(ctx, o)
		return res, err
	}
	for _, name := range []string{"snapshot", "demo", "config", "baseline", "policy"} {
		if changed(name) {
			return nil, usageError{fmt.Errorf("--from reads a finished result; --%s is for evaluating a snapshot", name)}
		}
	}
	return result.Load(from)
}

// mergeTrend puts Microsoft's daily scores and posture's stored estimates on one time line.
func mergeTrend(ms, estimates []result.TrendPoint) []result.TrendPoint {
	out := append(slices.Clip(ms), estimates...)
	slices.SortStableFunc(out, func(a, b result.TrendPoint) int { return a.At.Compare(b.At) })
	return out
}
