package main

import (
	"context"
	"fmt"
	"io"

	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

// reportOptions are what report does: render a stored result again.
type reportOptions struct {
	from      string
	out       outputFlags
	history   string
	framework string // set: render the framework view of that framework
}

func runReport(ctx context.Context, args []string, e env) error {
	o, err := reportFlags(args, e)
	if err != nil {
		return err
	}
	return o.run(e)
}

// reportFlags reads report's command line into its options.
func reportFlags(args []string, e env) (*reportOptions, error) {
	fs := newFlags("report", "report --from RESULT --format FORMAT [flags]", e)
	var o reportOptions
	fs.StringVar(&o.from, "from", "", "the result `FILE` to render (from posture check --format json)")
	o.out.register(fs, report.Results.Names(), "the report")
	fs.StringVar(&o.history, "history", "", "show the last 90 days of estimates from history `DIR` (written by check --history) in the HTML report")
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
	if o.from == "" {
		return nil, usageError{fmt.Errorf("--from RESULT is required: the result of posture check --format json to render")}
	}
	if err := refuseInputs(o.out.path, input{"--from", o.from}); err != nil {
		return nil, err
	}
	return &o, nil
}

// run renders the result.
func (o *reportOptions) run(e env) error {
	res, err := result.Load(o.from)
	if err != nil {
		return err
	}
	trend, err := trendFrom(o.history, res, false)
	if err != nil {
		return err
	}
	r, err := resultRenderer(o.out.format, o.framework, report.Options{Color: o.out.path == "" && colorFor(e.stdout, e), History: trend, Source: o.from})
	if err != nil {
		return err
	}
	return o.out.write(e, func(w io.Writer) error { return r.Render(w, res) })
}
