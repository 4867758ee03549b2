package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/m365posture/posture/internal/report"
	"github.com/m365posture/posture/internal/result"
)

func runReport(ctx context.Context, args []string, e env) error {
	fs := newFlags("report", "report --from RESULT --format FORMAT [flags]", e)
	var from, format, out, historyDir string
	fs.StringVar(&from, "from", "", "the result `FILE` to render (from posture check --format json)")
	fs.StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(report.Names(), "|"))
	fs.StringVarP(&out, "output", "o", "", "write the report to `FILE` (atomically) instead of stdout")
	fs.StringVar(&historyDir, "history", "", "show the last 90 days of estimates from history `DIR` (written by check --history) in the HTML report")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if from == "" {
		return usageError{fmt.Errorf("--from RESULT is required: the result of posture check --format json to render")}
	}
	if _, err := report.New(format, report.Options{}); err != nil {
		return usageError{fmt.Errorf("--format: %v", err)}
	}
	res, err := result.Load(from)
	if err != nil {
		return err
	}
	trend, err := trendFrom(historyDir, res, false)
	if err != nil {
		return err
	}
	r, err := report.New(format, report.Options{Color: out == "" && colorFor(e.stdout, e), History: trend, Source: from})
	if err != nil {
		return err
	}
	return output(out, e, func(w io.Writer) error { return r.Render(w, res) })
}
