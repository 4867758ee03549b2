package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/regotest"
)

func runTest(ctx context.Context, args []string, e env) error {
	fs := newFlags("test", "test [DIR...] [flags]  (default DIR: ./policies)", e)
	var o regotest.Options
	var format string
	var verbose bool
	fs.BoolVar(&o.Coverage, "coverage", false, "report which lines of the org policies the tests reach")
	fs.StringVar(&o.Run, "run", "", "run only the tests whose package.name matches this regular `EXPR`")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "time limit per test")
	fs.StringVarP(&format, "format", "f", "text", "output format: text|json")
	fs.BoolVarP(&verbose, "verbose", "v", false, "print what each test printed (print()), passing ones too")
	if err := parse(fs, args); err != nil {
		return err
	}
	if format != "text" && format != "json" {
		return usageError{fmt.Errorf("--format %q; expected text or json", format)}
	}
	o.Dirs = fs.Args()
	if len(o.Dirs) == 0 {
		if info, err := os.Stat("policies"); err != nil || !info.IsDir() {
			return usageError{fmt.Errorf("no policy directory: give DIR (or run in a folder with policies/, as posture init writes it)")}
		}
		o.Dirs = []string{"policies"}
	}
	rep, err := regotest.Run(ctx, o)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := writeTests(e.stdout, rep, verbose); err != nil {
		return err
	}
	if rep.Failed() {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d test(s) failed", rep.Count(regotest.Fail)+rep.Count(regotest.Error), len(rep.Cases))}
	}
	return nil
}

// writeTests prints a line per test, the output of failing ones, a summary and the coverage.
func writeTests(w io.Writer, rep *regotest.Report, verbose bool) error {
	bw := bufio.NewWriter(w)
	for _, c := range rep.Cases {
		fmt.Fprintf(bw, "%-5s %s (%s:%d) %s\n", strings.ToUpper(string(c.Status)), c.Name, c.File, c.Line, c.Duration.Round(time.Microsecond))
		if c.Message != "" {
			fmt.Fprintf(bw, "      %s\n", c.Message)
		}
		if c.Output != "" && (verbose || c.Status == regotest.Fail || c.Status == regotest.Error) {
			for _, line := range strings.Split(strings.TrimRight(c.Output, "\n"), "\n") {
				fmt.Fprintf(bw, "      | %s\n", line)
			}
		}
	}
	fmt.Fprintf(bw, "\n%d tests: %d pass, %d fail, %d error, %d skip\n", len(rep.Cases),
		rep.Count(regotest.Pass), rep.Count(regotest.Fail), rep.Count(regotest.Error), rep.Count(regotest.Skip))
	if rep.Percent != nil {
		fmt.Fprintf(bw, "\ncoverage %.1f%%\n", *rep.Percent)
		for _, f := range rep.Coverage {
			var missed []string
			for _, r := range f.Missed {
				if r.Start == r.End {
					missed = append(missed, fmt.Sprint(r.Start))
				} else {
					missed = append(missed, fmt.Sprintf("%d-%d", r.Start, r.End))
				}
			}
			line := fmt.Sprintf("  %5.1f%%  %s", f.Percent, f.File)
			if len(missed) > 0 {
				line += "  not covered: lines " + strings.Join(missed, ", ")
			}
			fmt.Fprintln(bw, line)
		}
	}
	return bw.Flush()
}
