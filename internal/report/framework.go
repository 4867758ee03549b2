package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// The framework view (check and report --framework F) reports a result control by control, in
// the framework's own order, as an auditor lays it beside the framework's document and its own
// tool's report (ScubaGear's, a CIS audit): each control's id, level, verdict, the rules behind
// it and the violations that break it, or why posture has no verdict. The verdicts are
// computed once, in internal/framework, and read here from result.json's frameworks.

// frameworkView returns the view of framework name in r, or an error a user can act on.
func frameworkView(r *result.Result, name string) (*result.FrameworkResult, error) {
	if name == "" {
		return nil, fmt.Errorf("no framework named; expected --framework %s", strings.Join(frameworkNames(r), "|"))
	}
	if len(r.Frameworks) == 0 {
		return nil, fmt.Errorf("the result has no framework view: it was written by a posture without one; run posture check on its snapshot again")
	}
	fw, ok := r.Frameworks[name]
	if !ok || fw == nil {
		return nil, fmt.Errorf("the result has no framework %q; it has %s", name, strings.Join(frameworkNames(r), ", "))
	}
	return fw, nil
}

func frameworkNames(r *result.Result) []string {
	names := make([]string, 0, len(r.Frameworks))
	for n := range r.Frameworks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// verdictLabel is a verdict in words, as every framework format shows it.
func verdictLabel(v result.ControlVerdict) string {
	switch v {
	case result.VerdictPass:
		return "PASS"
	case result.VerdictFail:
		return "FAIL"
	case result.VerdictError:
		return "ERROR"
	case result.VerdictNotApplicable:
		return "N/A"
	case result.VerdictExcepted:
		return "EXCEPTED"
	case result.VerdictNotChecked:
		return "NOT CHECKED"
	}
	return strings.ToUpper(string(v))
}

var verdictColor = map[result.ControlVerdict]string{
	result.VerdictPass:          ansiGreen,
	result.VerdictFail:          ansiRed + ansiBold,
	result.VerdictError:         ansiMagent + ansiBold,
	result.VerdictNotApplicable: ansiDim,
	result.VerdictExcepted:      ansiCyan,
	result.VerdictNotChecked:    ansiDim,
}

// controlGroup is the part of a control id that groups controls in a framework's document: a
// SCuBA baseline (MS.AAD), a CIS section (5).
func controlGroup(id string) string {
	parts := strings.Split(id, ".")
	var text []string
	for _, p := range parts {
		if p != "" && p[0] >= '0' && p[0] <= '9' {
			break
		}
		text = append(text, p)
	}
	if len(text) > 0 {
		return strings.Join(text, ".")
	}
	return "Section " + parts[0]
}

// ruleLine is a rule behind a control with its status: "entra.admin_mfa (fail)".
func ruleLine(r result.ControlRule) string {
	return fmt.Sprintf("%s (%s)", r.RuleID, r.Status)
}

// controlDetail is what explains a control's verdict beside it: the reason of a not_checked
// one, the messages of the rules that could not verify an error one.
func controlDetail(c result.ControlResult) string {
	switch c.Verdict {
	case result.VerdictNotChecked:
		return c.Reason
	case result.VerdictError:
		var msgs []string
		for _, r := range c.Rules {
			if r.Status == result.Error {
				msgs = append(msgs, r.RuleID+": "+r.Message)
			}
		}
		return strings.Join(msgs, "; ")
	case result.VerdictNotApplicable:
		var msgs []string
		for _, r := range c.Rules {
			if r.Message != "" && !slices.Contains(msgs, r.Message) {
				msgs = append(msgs, r.Message)
			}
		}
		return strings.Join(msgs, "; ")
	}
	return ""
}

// frameworkText is the framework view for a terminal: a line per control with its verdict,
// level, id and title; beneath it the rules behind it, then the violations that break it or
// why it has no verdict; a summary line at the end.
type frameworkText struct{ o Options }

func (t frameworkText) Render(w io.Writer, r *result.Result) error {
	fw, err := frameworkView(r, t.o.Framework)
	if err != nil {
		return err
	}
	p := text{t.o}
	bw := bufio.NewWriter(w)
	limit := violationLimit(t.o)
	fmt.Fprintf(bw, "%s\n", p.paint(ansiBold, fmt.Sprintf("%s, %s", fw.Title, fw.Version)))
	fmt.Fprintf(bw, "%s\n", resultLine(r))
	idw, lw := 0, 0
	for _, c := range fw.Controls {
		idw, lw = max(idw, len(c.ID)), max(lw, len(c.Level))
	}
	indent := strings.Repeat(" ", 2+11+1+idw+2+lw+2) // under the title
	group := ""
	for _, c := range fw.Controls {
		if g := controlGroup(c.ID); g != group {
			group = g
			fmt.Fprintf(bw, "\n%s\n", p.paint(ansiBold, g))
		}
		fmt.Fprintf(bw, "  %s %-*s  %-*s  %s\n", p.paint(verdictColor[c.Verdict], fmt.Sprintf("%-11s", verdictLabel(c.Verdict))),
			idw, c.ID, lw, c.Level, c.Title)
		if len(c.Rules) > 0 {
			var rules []string
			for _, r := range c.Rules {
				rules = append(rules, ruleLine(r))
			}
			fmt.Fprintf(bw, "%s%s\n", indent, p.paint(ansiDim, "rules: "+strings.Join(rules, ", ")))
		}
		if d := controlDetail(c); d != "" {
			fmt.Fprintf(bw, "%s%s\n", indent, p.paint(ansiDim, d))
		}
		for i, v := range c.Violations {
			if i == limit {
				fmt.Fprintf(bw, "%s  … and %d more (see --format json)\n", indent, len(c.Violations)-limit)
				break
			}
			mark := "-"
			if v.Excepted {
				mark = "~"
			}
			by := ""
			if len(c.Rules) > 1 {
				by = " (" + v.RuleID + ")"
			}
			fmt.Fprintf(bw, "%s%s %s%s\n", indent, mark, v.Msg, by)
		}
	}
	fmt.Fprintf(bw, "\n%s: %d controls: %s, %s, %s, %d not applicable, %d excepted, %d not checked\n", fw.Title, fw.Summary.Total(),
		p.paint(ansiGreen, fmt.Sprintf("%d pass", fw.Summary.Pass)),
		p.paint(ansiRed, fmt.Sprintf("%d fail", fw.Summary.Fail)),
		p.paint(ansiMagent, fmt.Sprintf("%d error", fw.Summary.Error)),
		fw.Summary.NotApplicable, fw.Summary.Excepted, fw.Summary.NotChecked)
	for _, n := range fw.Notes {
		fmt.Fprintf(bw, "%s %s\n", p.paint(ansiYellow, "note:"), n)
	}
	return bw.Flush()
}

// resultLine names what the view is about: the tenant, the snapshot and its hash.
func resultLine(r *result.Result) string {
	tenant := orDefault(r.Snapshot.Tenant.DisplayName, r.Snapshot.Tenant.ID)
	if d := r.Snapshot.Tenant.DefaultDomain; d != "" && d != tenant {
		tenant += " (" + d + ")"
	}
	return fmt.Sprintf("%s %s — %s, snapshot of %s, sha256 %s", r.Generator.Name, r.Generator.Version, tenant,
		r.Snapshot.CollectedAt.UTC().Format("2006-01-02 15:04 MST"), r.Snapshot.SHA256)
}

// frameworkCSV is the framework view as CSV, one row per control in the framework's order, for
// a spreadsheet beside the framework's own checklist. Cells that hold lists join them with
// "; "; the evidence cell lists the first violations (the JSON has all of them).
type frameworkCSV struct{ o Options }

var frameworkCSVHeader = []string{
	"framework", "version", "control", "title", "level", "profile", "verdict", "reason", "rules", "violations",
	"evidence", "tenant", "snapshotSha256", "configSha256", "policiesDigest",
}

func (c frameworkCSV) Render(w io.Writer, r *result.Result) error {
	fw, err := frameworkView(r, c.o.Framework)
	if err != nil {
		return err
	}
	limit := violationLimit(c.o)
	rows := [][]string{frameworkCSVHeader}
	configSHA, digest := evidenceCells(r)
	for _, ctl := range fw.Controls {
		var rules, evidence []string
		for _, r := range ctl.Rules {
			rules = append(rules, ruleLine(r))
		}
		for i, v := range ctl.Violations {
			if i == limit {
				evidence = append(evidence, fmt.Sprintf("… and %d more", len(ctl.Violations)-limit))
				break
			}
			e := v.Msg + " (" + v.RuleID + ")"
			if v.Excepted {
				e = "excepted: " + e
			}
			evidence = append(evidence, e)
		}
		rows = append(rows, []string{
			c.o.Framework, fw.Version, ctl.ID, ctl.Title, ctl.Level, ctl.Profile, string(ctl.Verdict), controlDetail(ctl),
			cellList(rules), fmt.Sprint(len(ctl.Violations)), cellList(evidence), r.Snapshot.Tenant.ID, r.Snapshot.SHA256, configSHA, digest,
		})
	}
	return writeCSV(w, rows)
}

// frameworkMarkdown is the framework view as GitHub Markdown: the summary line, then a table
// of every control in the framework's order. Text from the result is escaped as in the
// markdown report.
type frameworkMarkdown struct{ o Options }

func (m frameworkMarkdown) Render(w io.Writer, r *result.Result) error {
	fw, err := frameworkView(r, m.o.Framework)
	if err != nil {
		return err
	}
	limit := violationLimit(m.o)
	var b strings.Builder
	fmt.Fprintf(&b, "## %s, %s\n\n", mdEscape(fw.Title), mdEscape(fw.Version))
	t := r.Snapshot.Tenant
	fmt.Fprintf(&b, "%s · snapshot of %s · sha256 %s\n\n", mdEscape(orDefault(t.DisplayName, orDefault(t.DefaultDomain, t.ID))),
		r.Snapshot.CollectedAt.UTC().Format("2006-01-02 15:04 MST"), mdCode(r.Snapshot.SHA256))
	s := fw.Summary
	fmt.Fprintf(&b, "**%d controls:** %d pass, %d fail, %d error, %d not applicable, %d excepted, %d not checked\n\n",
		s.Total(), s.Pass, s.Fail, s.Error, s.NotApplicable, s.Excepted, s.NotChecked)
	b.WriteString("| control | level | verdict | title | rules | evidence or reason |\n|---|---|---|---|---|---|\n")
	for _, c := range fw.Controls {
		var rules []string
		for _, r := range c.Rules {
			rules = append(rules, mdCode(r.RuleID)+" ("+string(r.Status)+")")
		}
		var detail []string
		if d := controlDetail(c); d != "" {
			detail = append(detail, mdEscape(d))
		}
		for i, v := range c.Violations {
			if i == limit {
				detail = append(detail, fmt.Sprintf("… and %d more", len(c.Violations)-limit))
				break
			}
			mark := "-"
			if v.Excepted {
				mark = "~"
			}
			detail = append(detail, mark+" "+mdEscape(v.Msg))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdCode(c.ID), mdEscape(c.Level), verdictLabel(c.Verdict), mdEscape(c.Title),
			strings.Join(rules, "<br>"), strings.Join(detail, "<br>"))
	}
	if len(fw.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range fw.Notes {
			fmt.Fprintf(&b, "- note: %s\n", mdEscape(n))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}
