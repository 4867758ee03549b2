package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/regotest"
)

// testText is a line per test, the output of failing ones (of every one with
// Options.Verbose), a summary and the coverage.
type testText struct{ o Options }

func (t testText) Render(w io.Writer, rep *regotest.Report) error {
	verbose := t.o.Verbose
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
