package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/m365posture/posture/internal/check"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/engine"
	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

// checkOptions are what check does: evaluate a snapshot (collected live first when live is
// set), gate the result and render it.
type checkOptions struct {
	eval    evalFlags
	gate    gateFlags
	out     outputFlags
	history string
	// framework, when set, renders the framework view of that framework.
	framework string
	live      liveFlags
	// collect is set when neither --snapshot nor --demo was given: the tenant is read live.
	collect bool
}

func runCheck(ctx context.Context, args []string, e env) error {
	o, err := checkFlags(args, e)
	if err != nil {
		return err
	}
	return o.run(ctx, e)
}

// checkFlags reads check's command line into its options.
func checkFlags(args []string, e env) (*checkOptions, error) {
	fs := newFlags("check", "check [--snapshot FILE | --demo] [flags]  (neither: collect the tenant live first)", e)
	var o checkOptions
	o.eval.register(fs, true)
	o.gate.register(fs, true, "fail the gate when the Secure Score estimate is below `PERCENT` (0-100; default: the config's gate.minScore)")
	o.out.register(fs, report.Results.Names(), "the report")
	o.live.register(fs)
	// check's --timeout also bounds the evaluation, so a runaway org rule cannot hang a job.
	fs.Lookup("timeout").Usage = "stop after `DURATION` (e.g. 45m, 2h): the live collection, sign-in included, and the evaluation each; nothing is written"
	fs.StringVar(&o.history, "history", "", "store the result in history `DIR` (one file per snapshot) and show the last 90 days of estimates in the HTML report")
	addFrameworkFlag(fs, &o.framework)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := noArgs(fs); err != nil {
		return nil, err
	}
	if err := checkFrameworkFormat(o.out.format, o.framework); err != nil {
		return nil, err
	}
	if err := refuseInputs(o.out.path, input{"--snapshot", o.eval.SnapshotPath}, input{"--config", o.eval.ConfigPath}); err != nil {
		return nil, err
	}
	if o.live.timeout <= 0 {
		return nil, usageError{fmt.Errorf("--timeout %s: expected a positive duration, e.g. 30m", o.live.timeout)}
	}
	o.collect = o.eval.SnapshotPath == "" && !o.eval.Demo
	if !o.collect {
		for _, name := range liveFlagNames {
			if fs.Changed(name) && name != "timeout" {
				return nil, usageError{fmt.Errorf("--%s is for live collection, without --snapshot or --demo", name)}
			}
		}
	}
	return &o, nil
}

// run checks: it collects first when asked to, then evaluates, renders, and gates.
func (o *checkOptions) run(ctx context.Context, e env) error {
	opts := o.eval.Options
	opts.Timeout = o.live.timeout
	opts.TuneGC = true // one check per process
	if o.collect {
		path, cleanup, err := o.collectFirst(ctx, e)
		if err != nil {
			return err
		}
		defer cleanup()
		opts.SnapshotPath = path
	}
	res, cfg, err := check.Run(ctx, opts)
	if err != nil {
		return evaluationStopped(err, opts.Timeout)
	}
	announceDemoConfig(e, "check", o.eval.Options)
	gate, err := o.gate.resolve(cfg)
	if err != nil {
		return err
	}
	// The verdict is part of the result (gate in result.json, every report shows it), so it
	// is reached before anything is rendered or stored.
	v := gate.Apply(res)
	trend, err := trendFrom(o.history, res, true)
	if err != nil {
		return err
	}
	r, err := resultRenderer(o.out.format, o.framework, report.Options{Color: o.out.path == "" && colorFor(e.stdout, e), History: trend, Source: o.source()})
	if err != nil {
		return err
	}
	if err := o.out.write(e, func(w io.Writer) error { return r.Render(w, res) }); err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "posture check: warning: %s\n", w)
	}
	return verdict("gate", v)
}

// announceDemoConfig says on stderr that --demo applies the demo tenant's org config, the
// published examples/demo/posture.yaml, unless --config names another: without the line, a
// collection of the demo tenant checked without that config gives other findings, and nothing
// would say why. It follows a successful evaluation, so bad input still gets its one line.
func announceDemoConfig(e env, cmd string, o check.Options) {
	if o.Demo && o.ConfigPath == "" {
		fmt.Fprintf(e.stderr, "posture %s: --demo applies the demo tenant's org config %s (embedded in posture; --config FILE to apply another)\n", cmd, demo.ConfigPath)
	}
}

// collectFirst reads the tenant live into a temporary snapshot. Bad flags, a bad config or an
// unwritable report fail first, not after minutes of collection.
func (o *checkOptions) collectFirst(ctx context.Context, e env) (string, func(), error) {
	if _, _, err := o.live.options(e); err != nil {
		return "", nil, err
	}
	if o.eval.ConfigPath != "" {
		cfg, err := config.Load(o.eval.ConfigPath)
		if err != nil {
			return "", nil, err
		}
		o.live.accounts = accountsOf(cfg)
	}
	if err := checkOutput(o.out.path, e); err != nil {
		return "", nil, err
	}
	path, cleanup, err := collectToTemp(ctx, &o.live, e)
	if err != nil {
		return "", nil, collectFailed(err, "nothing checked")
	}
	return path, cleanup, nil
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

// source names the snapshot file a report is about, for SARIF locations: "" for the demo
// tenant and for a live collection, whose snapshot is a temporary file.
func (o *checkOptions) source() string {
	if o.eval.Demo || o.collect {
		return ""
	}
	return o.eval.SnapshotPath
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
