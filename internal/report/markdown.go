package report

import (
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/m365posture/posture/internal/result"
)

// markdownFormat is GitHub-flavoured Markdown for a job's step summary or a pull-request
// comment: a summary, the score, the findings to act on, the top improvement actions and
// every finding folded away. Text from the result is escaped so a tenant's data cannot
// inject HTML, links or mentions, and the whole stays under GitHub's 1 MiB summary limit.
type markdownFormat struct{ o Options }

// markdownLimit keeps the output under GitHub's 1 MiB step summary limit, with room for
// whatever else the job appends.
const markdownLimit = 1000 * 1024

func (m markdownFormat) Render(w io.Writer, r *result.Result) error {
	if _, err := io.WriteString(w, m.render(r, markdownLimit)); err != nil {
		return fmt.Errorf("write markdown: %w", err)
	}
	return nil
}

// render builds the document within limit bytes: the head always, then as many findings to
// act on as fit, then the full list when it fits too.
func (m markdownFormat) render(r *result.Result, limit int) string {
	var head strings.Builder
	m.header(&head, r)
	m.score(&head, r.Score)
	m.actions(&head, r.Score)
	if len(r.Warnings) > 0 {
		head.WriteString("### Warnings\n\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&head, "- %s\n", mdEscape(w))
		}
		head.WriteString("\n")
	}
	const reserve = 512 // for the notes that say what was left out
	act := m.actOn(r, limit-head.Len()-reserve)
	out := head.String() + act
	all := m.allFindings(r)
	if len(out)+len(all) <= limit-reserve {
		out += all
	} else {
		out += "The full list of findings does not fit in a step summary; see the result JSON or `posture report --format html`.\n"
	}
	if files := m.policyFiles(r.Evidence); len(out)+len(files) <= limit-reserve {
		out += files
	}
	return out
}

func (m markdownFormat) header(b *strings.Builder, r *result.Result) {
	t := r.Snapshot.Tenant
	name := orDefault(t.DisplayName, orDefault(t.DefaultDomain, t.ID))
	fmt.Fprintf(b, "## posture: %s", mdEscape(name))
	if t.DefaultDomain != "" && t.DefaultDomain != name {
		fmt.Fprintf(b, " (%s)", mdEscape(t.DefaultDomain))
	}
	b.WriteString("\n\n")
	m.gate(b, r.Gate)
	var facts []string
	if !r.Snapshot.CollectedAt.IsZero() {
		facts = append(facts, "snapshot of "+r.Snapshot.CollectedAt.UTC().Format("2006-01-02 15:04 MST"))
	}
	if sha := r.Snapshot.SHA256; sha != "" {
		facts = append(facts, "sha256 "+mdCode(sha))
	}
	if len(r.Baselines) > 0 {
		var bs []string
		for _, x := range r.Baselines {
			bs = append(bs, mdEscape(x))
		}
		facts = append(facts, "baselines "+strings.Join(bs, ", "))
	}
	if v := r.Generator.Version; v != "" {
		facts = append(facts, mdEscape(orDefault(r.Generator.Name, "posture")+" "+v))
	}
	if len(facts) > 0 {
		s := strings.Join(facts, " · ")
		if s[0] >= 'a' && s[0] <= 'z' {
			s = string(s[0]-'a'+'A') + s[1:]
		}
		b.WriteString(s + "\n\n")
	}
	if ev := r.Evidence; ev != nil {
		cfg := "no config"
		if c := ev.Config; c != nil {
			cfg = "config " + mdCode(c.Path) + " sha256 " + mdCode(c.SHA256)
		}
		fmt.Fprintf(b, "Evidence: %s · rules digest %s over %s\n\n", cfg, mdCode(ev.Policies.Digest), policyFilesText(ev.Policies))
	}
	s := r.Summary
	fmt.Fprintf(b, "**%d rules:** %d fail, %d warn, %d error, %d pass, %d not applicable, %d excepted\n\n",
		s.Total(), s.Fail, s.Warn, s.Error, s.Pass, s.NotApplicable, s.Excepted)
	if s.Error > 0 {
		fmt.Fprintf(b, "**%d %s could not be verified**: a source %s is missing, forbidden or failed, and posture never counts missing data as passing.\n\n",
			s.Error, plural(s.Error, "rule", "rules"), plural(s.Error, "it needs", "they need"))
	}
}

// gate states the gate's verdict first, as a step summary's reader (and a reviewer of the pull
// request) looks for it: passed or failed, with its exit code, failOn and minScore, and every
// reason.
func (markdownFormat) gate(b *strings.Builder, g *result.GateVerdict) {
	if g == nil {
		b.WriteString("**Gate: not recorded** (a result written before posture recorded the gate's verdict; check the snapshot again to record it)\n\n")
		return
	}
	minScore := "no minScore"
	if g.MinScore != nil {
		minScore = fmt.Sprintf("minScore %.1f%%", *g.MinScore)
	}
	outcome := "**Gate passed**"
	if !g.Passed {
		outcome = fmt.Sprintf("**Gate failed** (exit %d)", g.ExitCode)
	}
	fmt.Fprintf(b, "%s · failOn %s · %s\n\n", outcome, mdCode(g.FailOn), minScore)
	reasons := gateReasons(g)
	for _, reason := range reasons {
		fmt.Fprintf(b, "- %s\n", mdEscape(reason))
	}
	if len(reasons) > 0 {
		b.WriteString("\n")
	}
}

// policyFiles folds the list of policy files that judged the snapshot, with their hashes, into
// a details block; "" without evidence.
func (markdownFormat) policyFiles(ev *result.Evidence) string {
	if ev == nil || len(ev.Policies.Files) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n<details>\n<summary>%s, digest %s</summary>\n\n| policy file | sha256 | |\n|---|---|---|\n",
		mdEscape(policyFilesText(ev.Policies)), mdCode(ev.Policies.Digest))
	for _, f := range ev.Policies.Files {
		kind := "org"
		if f.Builtin {
			kind = "built-in"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCode(f.Path), mdCode(f.SHA256), kind)
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

func (markdownFormat) score(b *strings.Builder, sc *result.Score) {
	if sc == nil {
		return
	}
	b.WriteString("### Secure Score\n\n| figure | percent | points |\n|---|---:|---:|\n")
	row := func(label string, f result.Figure) {
		fmt.Fprintf(b, "| %s | %.1f%% | %s / %s |\n", label, f.Percent, num(f.Points), num(f.Max))
	}
	row("posture estimate", sc.Estimate)
	if rep := sc.Reported; rep != nil {
		label := "Microsoft reported"
		if !rep.At.IsZero() {
			label += " (" + rep.At.UTC().Format("2006-01-02") + ")"
		}
		row(label, rep.Figure)
	}
	row("projected, with planned work done", sc.Projected)
	row("achievable with current licences", sc.Achievable)
	row("achievable, leaving out accepted risks", sc.AchievableAccepted)
	b.WriteString("\n")
	// Products change the maximum: say which left it and which controls stay in it without
	// points, so the percentage can be read against Microsoft's.
	for _, p := range sc.Products {
		if len(p.LeftOut) > 0 {
			fmt.Fprintf(b, "Not in the maximum: %s is absent (%s), so its %d %s (%s points) are left out.\n\n",
				mdEscape(p.Name), mdEscape(p.Evidence), len(p.LeftOut), plural(len(p.LeftOut), "control", "controls"), num(p.LeftOutMax))
		}
		if len(p.Labelled) > 0 {
			fmt.Fprintf(b, "In the maximum without points: %d %s of %s %s %s, which the tenant lacks.\n\n",
				len(p.Labelled), plural(len(p.Labelled), "control", "controls"), mdEscape(p.Name),
				plural(len(p.Labelled), "needs", "need"), mdEscape(strings.Join(p.MissingEditions, " or ")))
		}
	}
	if n := len(sc.NotOffered); n > 0 {
		fmt.Fprintf(b, "Not in the maximum: %d %s (%s points) that the tenant's controlProfiles do not list, so Microsoft does not offer %s to this tenant.\n\n",
			n, plural(n, "control", "controls"), num(sc.NotOfferedMax), plural(n, "it", "them"))
	}
}

// actions lists the five improvement actions to do first: quick wins, then by points.
func (markdownFormat) actions(b *strings.Builder, sc *result.Score) {
	if sc == nil {
		return
	}
	var acts []result.Action
	for _, a := range sc.Actions {
		if a.Blocked == "" && a.Gain > 0 {
			acts = append(acts, a)
		}
	}
	if len(acts) == 0 {
		return
	}
	sort.SliceStable(acts, func(i, j int) bool {
		if acts[i].QuickWin != acts[j].QuickWin {
			return acts[i].QuickWin
		}
		return acts[i].Gain > acts[j].Gain
	})
	b.WriteString("### Top improvement actions\n\n| # | action | points to gain | user impact | cost | rules |\n|---:|---|---:|---|---|---|\n")
	for i, a := range acts {
		if i == 5 {
			break
		}
		title := mdEscape(orDefault(a.Title, a.Control))
		if a.QuickWin {
			title += " (quick win)"
		}
		var rules []string
		for _, id := range a.Rules {
			rules = append(rules, mdCode(id))
		}
		fmt.Fprintf(b, "| %d | %s | +%s (%.1f%%) | %s | %s | %s |\n", i+1, title, num(a.Gain), a.GainPercent,
			mdEscape(a.UserImpact), mdEscape(a.ImplementationCost), strings.Join(rules, ", "))
	}
	b.WriteString("\n")
}

// actOn is the table of failing, unverifiable and warning findings, as many rows as fit in
// budget bytes.
func (m markdownFormat) actOn(r *result.Result, budget int) string {
	rank := map[result.Status]int{result.Fail: 0, result.Error: 1, result.Warn: 2}
	var fs []result.Finding
	for _, f := range r.Findings {
		if _, ok := rank[f.Status]; ok {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return "No rule fails, warns or could not be verified.\n\n"
	}
	sort.SliceStable(fs, func(i, j int) bool {
		if rank[fs[i].Status] != rank[fs[j].Status] {
			return rank[fs[i].Status] < rank[fs[j].Status]
		}
		return fs[i].Severity.Rank() > fs[j].Severity.Rank()
	})
	var b strings.Builder
	b.WriteString("### Findings to act on\n\n| status | severity | rule | title | details |\n|---|---|---|---|---|\n")
	limit := violationLimit(m.o)
	for i, f := range fs {
		details := []string{mdEscape(f.Message)}
		if f.Status == result.Error {
			details[0] = "could not be verified: " + mdEscape(orDefault(f.Message, "a source it needs is missing"))
		}
		for _, l := range violationLines(f, limit) {
			details = append(details, mdEscape(l))
		}
		row := fmt.Sprintf("| %s | %s | %s | %s | %s |\n", statusLabel(f.Status), f.Severity, mdCode(f.RuleID),
			mdEscape(f.Title), strings.Join(details, "<br>"))
		if b.Len()+len(row) > budget {
			fmt.Fprintf(&b, "\n%d more %s not shown: the step summary would exceed GitHub's size limit.\n", len(fs)-i, plural(len(fs)-i, "finding", "findings"))
			break
		}
		b.WriteString(row)
	}
	b.WriteString("\n")
	return b.String()
}

// allFindings folds every finding, with its message, into a details block.
func (markdownFormat) allFindings(r *result.Result) string {
	if len(r.Findings) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<details>\n<summary>All %d findings</summary>\n\n| status | severity | level | rule | title | message |\n|---|---|---|---|---|---|\n", len(r.Findings))
	for _, f := range r.Findings {
		msg := mdEscape(f.Message)
		if f.Status == result.Excepted && f.Exception != nil {
			msg += "<br>excepted: " + mdEscape(exceptionText(f.Exception))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", statusLabel(f.Status), f.Severity, mdEscape(f.Level),
			mdCode(f.RuleID), mdEscape(f.Title), msg)
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

// statusLabel is the status in words, as the text report shows it.
func statusLabel(s result.Status) string {
	if st, ok := statusStyle[s]; ok {
		return st.label
	}
	return strings.ToUpper(mdEscape(string(s)))
}

// mdEscape makes text from a result inert in GitHub Markdown, in a table cell or a line:
// HTML characters become entities, Markdown punctuation is backslash-escaped, a leading @
// cannot mention anyone, and line breaks become <br>.
func mdEscape(s string) string {
	var b strings.Builder
	prev := ' '
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, c := range s {
		switch {
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '&':
			b.WriteString("&amp;")
		case c == '@' && !unicode.IsLetter(prev) && !unicode.IsDigit(prev):
			b.WriteString("&#64;")
		case c == '\n' || c == '\r':
			b.WriteString("<br>")
		case strings.ContainsRune("\\`*_[]|~#", c):
			b.WriteByte('\\')
			b.WriteRune(c)
		case unicode.IsControl(c):
			b.WriteRune(' ')
		default:
			b.WriteRune(c)
		}
		prev = c
	}
	return b.String()
}

// mdCode shows an identifier as code; one with a backtick or line break is escaped text.
func mdCode(s string) string {
	if s == "" || strings.ContainsAny(s, "`\r\n|") || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return mdEscape(s)
	}
	return "`" + s + "`"
}

// mdLink shows a web address as an autolink, and anything else as text.
func mdLink(s string) string {
	if !webURL(s) {
		return mdEscape(s)
	}
	u, _ := url.Parse(s)
	link := u.String()
	if strings.ContainsAny(link, "<> ") || strings.IndexFunc(link, unicode.IsControl) >= 0 {
		return mdEscape(s)
	}
	return "<" + link + ">"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
