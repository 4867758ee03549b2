package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// text is the terminal report: findings grouped by baseline, one line a rule with its status
// and severity first, violations indented beneath, and a summary line.
type text struct{ o Options }

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiMagent = "\x1b[35m"
	ansiCyan   = "\x1b[36m"
)

var statusStyle = map[result.Status]struct{ label, color string }{
	result.Pass:          {"PASS", ansiGreen},
	result.Fail:          {"FAIL", ansiRed + ansiBold},
	result.Warn:          {"WARN", ansiYellow},
	result.Error:         {"ERROR", ansiMagent + ansiBold},
	result.NotApplicable: {"N/A", ansiDim},
	result.Excepted:      {"EXCEPT", ansiCyan},
}

func (t text) paint(color, s string) string {
	if !t.o.Color || color == "" {
		return s
	}
	return color + s + ansiReset
}

func (t text) Render(w io.Writer, r *result.Result) error {
	bw := bufio.NewWriter(w)
	limit := t.o.MaxViolations
	if limit <= 0 {
		limit = 10
	}
	tenant := r.Snapshot.Tenant.DisplayName
	if d := r.Snapshot.Tenant.DefaultDomain; d != "" {
		tenant += " (" + d + ")"
	}
	fmt.Fprintf(bw, "%s %s — %s, snapshot of %s, sha256 %s\n",
		r.Generator.Name, r.Generator.Version, tenant, r.Snapshot.CollectedAt.UTC().Format("2006-01-02 15:04 MST"), shortHash(r.Snapshot.SHA256))
	if ev := r.Evidence; ev != nil {
		cfg := "no config"
		if ev.Config != nil {
			cfg = fmt.Sprintf("config %s, sha256 %s", ev.Config.Path, shortHash(ev.Config.SHA256))
		}
		fmt.Fprintf(bw, "evidence: %s, digest %s; %s\n", policyFilesText(ev.Policies), shortHash(ev.Policies.Digest), cfg)
	}

	width := 0
	for _, f := range r.Findings {
		width = max(width, len(f.RuleID))
	}
	for _, b := range r.Baselines {
		fmt.Fprintf(bw, "\n%s\n", t.paint(ansiBold, b))
		for _, f := range r.Findings {
			if !has(f.Baselines, b) {
				continue
			}
			st := statusStyle[f.Status]
			fmt.Fprintf(bw, "  %s %s %-*s  %s\n",
				t.paint(st.color, fmt.Sprintf("%-6s", st.label)),
				t.paint(severityColor(f.Severity), fmt.Sprintf("%-8s", f.Severity)),
				width, f.RuleID, f.Title)
			indent := strings.Repeat(" ", 18)
			sole := len(f.Violations) == 1 && f.Violations[0].Msg == f.Message
			if f.Message != "" && !sole && (f.Status != result.Pass || f.Coverage != nil) {
				fmt.Fprintf(bw, "%s%s\n", indent, t.paint(ansiDim, f.Message))
			}
			if f.Status == result.Pass || f.Status == result.NotApplicable {
				continue
			}
			for i, v := range f.Violations {
				if i == limit {
					fmt.Fprintf(bw, "%s  … and %d more (see --format json)\n", indent, len(f.Violations)-limit)
					break
				}
				mark := "-"
				if v.Excepted {
					mark = "~"
				}
				fmt.Fprintf(bw, "%s%s %s\n", indent, mark, violationText(f, v))
			}
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "\n%d rules: %s, %s, %s, %s, %d not applicable, %d excepted\n", s.Total(),
		t.paint(ansiGreen, fmt.Sprintf("%d pass", s.Pass)),
		t.paint(ansiRed, fmt.Sprintf("%d fail", s.Fail)),
		t.paint(ansiYellow, fmt.Sprintf("%d warn", s.Warn)),
		t.paint(ansiMagent, fmt.Sprintf("%d error", s.Error)),
		s.NotApplicable, s.Excepted)
	if line := scoreLine(r.Score); line != "" {
		fmt.Fprintln(bw, line)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(bw, "%s %s\n", t.paint(ansiYellow, "warning:"), warn)
	}
	t.gate(bw, r.Gate)
	return bw.Flush()
}

// gate ends the report with the gate's verdict, where a terminal's reader looks last, each
// reason on its own line with every rule it names.
func (t text) gate(w io.Writer, g *result.GateVerdict) {
	if g == nil {
		return
	}
	outcome := t.paint(ansiGreen+ansiBold, "passed")
	if !g.Passed {
		outcome = t.paint(ansiRed+ansiBold, fmt.Sprintf("FAILED, exit %d", g.ExitCode))
	}
	fmt.Fprintf(w, "gate: %s (%s)\n", outcome, g.Settings())
	for _, reason := range gateReasons(g) {
		fmt.Fprintf(w, "  %s\n", reason)
	}
}

func severityColor(s result.Severity) string {
	switch s {
	case result.Critical:
		return ansiRed + ansiBold
	case result.High:
		return ansiRed
	case result.Medium:
		return ansiYellow
	}
	return ""
}

func has(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
