package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/m365posture/posture/internal/engine"
)

// catalogText lists the rules for a terminal: id and title, then severity, baselines,
// Secure Score controls, frameworks and the snapshot keys each reads, and a count.
type catalogText struct{}

func (catalogText) Render(w io.Writer, rules []engine.Rule) error {
	bw := bufio.NewWriter(w)
	for _, r := range rules {
		fmt.Fprintf(bw, "%s  %s\n", r.ID, r.Title)
		fmt.Fprintf(bw, "    %s, %s · baselines %s · Secure Score %s\n", r.Severity, r.Level,
			strings.Join(r.Baselines, ", "), dash(strings.Join(r.SecureScore, ", ")))
		fmt.Fprintf(bw, "    frameworks: %s\n", dash(frameworkIDs(r)))
		fmt.Fprintf(bw, "    requires: %s\n", dash(strings.Join(r.Requires, ", ")))
	}
	fmt.Fprintf(bw, "\n%d rules\n", len(rules))
	return bw.Flush()
}
