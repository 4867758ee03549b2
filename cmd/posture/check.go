package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

func runCheck(ctx context.Context, args []string, e env) error {
	fs := newFlags("check", "check [--snapshot FILE | --demo] [flags]  (neither: collect the tenant live first)", e)
	var o check.Options
	var live liveFlags
	var format, out, failOn, historyDir string
	var min float64
	fs.StringVarP(&o.SnapshotPath, "snapshot", "s", "", "snapshot `FILE` to evaluate (from posture collect)")
	fs.BoolVar(&o.Demo, "demo", false, "evaluate the demo tenant embedded in posture (with its demo config)")
	fs.StringVarP(&o.ConfigPath, "config", "c", "", "org config `FILE` (break-glass accounts, exceptions, parameters, policies, gate)")
	fs.StringSliceVarP(&o.Baselines, "baseline", "b", nil, "baseline(s) to evaluate, repeatable or comma-separated (default: the config's, else all)")
	fs.StringSliceVar(&o.PolicyDirs, "policy", nil, "org policy `DIR` in addition to the config's policies (repeatable)")
	fs.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.Names(), "|"))
	fs.StringVarP(&out, "output", "o", "", "write the report to `FILE` (atomically) instead of stdout")
	live.register(fs)
	// check's --timeout also bounds the evaluation, so a runaway org rule cannot hang a job.
	fs.Lookup("timeout").Usage = "stop after `DURATION` (e.g. 45m, 2h): the live collection, sign-in included, and the evaluation each; nothing is written"
	fs.StringVar(&historyDir, "history", "", "store the result in history `DIR` (one file per snapshot) and show the last 90 days of estimates in the HTML report")
	fs.Float64Var(&min, "min-score", 0, "fail the gate when the Secure Score estimate is below `PERCENT` (0-100; default: the config's gate.minScore)")
	fs.StringVar(&failOn, "fail-on", "", "least severity of a failing rule that fails the gate: critical|high|medium|low|info|none (default: the config's gate.failOn, else info)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if _, err := report.New(format, report.Options{}); err != nil {
		return usageError{fmt.Errorf("--format: %v", err)}
	}
	if _, err := result.ParseGate(failOn); err != nil {
		return usageError{err}
	}
	minFlag, err := minScore(fs.Changed("min-score"), min)
	if err != nil {
		return err
	}
	if live.timeout <= 0 {
		return usageError{fmt.Errorf("--timeout %s: expected a positive duration, e.g. 30m", live.timeout)}
	}
	o.Timeout = live.timeout
	o.TuneGC = true // one check per process
	collected := o.SnapshotPath == "" && !o.Demo
	if !collected {
		for _, name := range liveFlagNames {
			if fs.Changed(name) && name != "timeout" {
				return usageError{fmt.Errorf("--%s is for live collection, without --snapshot or --demo", name)}
			}
		}
	} else {
		// Bad flags, a bad config or an unwritable report fail now, not after minutes of
		// collection.
		if _, _, err := live.options(e); err != nil {
			return err
		}
		if o.ConfigPath != "" {
			cfg, err := config.Load(o.ConfigPath)
			if err != nil {
				return err
			}
			live.accounts = accountsOf(cfg)
		}
		if out != "" && out != "-" {
			if err := checkOutput(out); err != nil {
				return err
			}
		}
		path, cleanup, err := collectToTemp(ctx, &live, e)
		if err != nil {
			return collectFailed(err, "nothing checked")
		}
		defer cleanup()
		o.SnapshotPath = path
	}

	res, cfg, err := check.Run(ctx, o)
	if err != nil {
		return evaluationStopped(err, o.Timeout)
	}
	if failOn == "" {
		failOn = cfg.Gate.FailOn
	}
	gate, err := result.ParseGate(failOn)
	if err != nil {
		return fmt.Errorf("%s: gate.failOn: %v", cfg.Path, err)
	}
	gate.MinScore = cmp.Or(minFlag, cfg.Gate.MinScore)
	trend, err := trendFrom(historyDir, res, true)
	if err != nil {
		return err
	}
	r, err := report.New(format, report.Options{Color: out == "" && colorFor(e.stdout, e), History: trend, Source: source(o, collected)})
	if err != nil {
		return err
	}
	if err := output(out, e, func(w io.Writer) error { return r.Render(w, res) }); err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "posture check: warning: %s\n", w)
	}
	v := gate.Evaluate(res, estimate(res))
	if v.Code == 0 {
		return nil
	}
	return &exitError{code: v.Code, err: fmt.Errorf("gate: %s", strings.Join(v.Reasons, "; "))}
}

// evaluationStopped words an evaluation that --timeout or an interrupt ended, naming the rules it
// did not finish; other errors pass through.
func evaluationStopped(err error, timeout time.Duration) error {
	var stopped *engine.StoppedError
	var where string
	switch {
	case errors.As(err, &stopped):
		where = " " + stopped.Where()
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		where = " before the rules ran"
	default:
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &exitError{code: result.ExitUnverified, err: fmt.Errorf("timed out after %s (--timeout)%s; nothing checked", timeout, where)}
	}
	return &exitError{code: result.ExitUnverified, err: fmt.Errorf("interrupted%s; nothing checked", where)}
}

// estimate is the result's Secure Score estimate in percent, for the gate; nil without one.
func estimate(res *result.Result) *float64 {
	if res.Score == nil {
		return nil
	}
	p := res.Score.Estimate.Percent
	return &p
}

// source names the snapshot file a report is about, for SARIF locations: "" for the demo
// tenant and for a live collection, whose snapshot is a temporary file.
func source(o check.Options, live bool) string {
	if o.Demo || live {
		return ""
	}
	return o.SnapshotPath
}

// collectToTemp collects the tenant live into a private temporary snapshot file, so check
// evaluates (and fingerprints) exactly the bytes a `posture collect` would have written.
func collectToTemp(ctx context.Context, live *liveFlags, e env) (string, func(), error) {
	snap, _, err := live.collect(ctx, "check", e)
	if err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp("", "posture-snapshot-*.json")
	if err != nil {
		return "", nil, fmt.Errorf("create temporary snapshot: %w", err)
	}
	path := f.Name()
	cleanup := func() { os.Remove(path) }
	if err := f.Close(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("create temporary snapshot: %w", err)
	}
	if err := snap.Save(path); err != nil {
		cleanup()
		return "", nil, err
	}
	return path, cleanup, nil
}
