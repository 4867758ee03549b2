package report

import (
	"html/template"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// htmlMaxViolations caps the evidence listed per finding so a tenant with tens of thousands
// of users still gets a report a browser opens; the result JSON keeps every violation.
const htmlMaxViolations = 1000

// htmlView is everything the page template shows, worked out beforehand so the template
// only lays it out. The page follows an auditor's reading order: the verdict and the score,
// the findings, the framework view, the sources, the Secure Score in detail, the evidence.
type htmlView struct {
	R          *result.Result
	Name       string // the tenant's best name
	Source     string
	CSP        string
	CSS        template.CSS
	JS         template.JS
	Verdict    *htmlVerdict // nil when the result records no gate verdict
	Tiles      []htmlTile
	Score      *htmlScore
	Trend      *htmlTrend
	Findings   []htmlFinding
	Baselines  []string // every baseline a finding belongs to, for the baseline filter
	Frameworks []htmlFrameworkView
	Sources    htmlSources
}

// htmlVerdict is the gate's verdict in words.
type htmlVerdict struct {
	G        *result.GateVerdict
	State    string // passed | failed | unverified: the class that colours it
	Label    string
	Headline string
	FailOn   string
	MinScore string
	Reasons  []htmlReason
	Off      bool // the gate judged nothing: --fail-on none and no minimum score
}

// htmlReason is one reason of the gate: a reason that ends in a long list ("37 failing rules
// at or above info: a, b, ...") shows its head and folds the list.
type htmlReason struct {
	Head, List string
}

// htmlReasonFold is the length above which a reason's list is folded.
const htmlReasonFold = 140

func newHTMLVerdict(g *result.GateVerdict) *htmlVerdict {
	v := &htmlVerdict{G: g, FailOn: g.FailOn, MinScore: "none"}
	// Exit 2 is a failure too (passed is false), the one that says posture did not see
	// everything: its own colour and words, the same stamp.
	switch {
	case g.Passed:
		v.State, v.Label, v.Headline = "passed", "PASSED", "The gate passed (exit 0)"
	case g.ExitCode == result.ExitUnverified:
		v.State, v.Label, v.Headline = "unverified", "FAILED", "Not every rule could be verified (exit 2)"
	default:
		v.State, v.Label, v.Headline = "failed", "FAILED", "The gate failed (exit "+strconv.Itoa(g.ExitCode)+")"
	}
	v.Off = g.FailOn == "none" && g.MinScore == nil
	if v.FailOn == "" {
		v.FailOn = "—"
	}
	if g.MinScore != nil {
		v.MinScore = htmlPercent(*g.MinScore)
	}
	for _, r := range gateReasons(g) {
		head, list, ok := strings.Cut(r, ": ")
		if !ok || len(r) <= htmlReasonFold {
			head, list = r, ""
		}
		v.Reasons = append(v.Reasons, htmlReason{Head: head, List: list})
	}
	return v
}

// htmlTile is one status in the summary and in the status filter.
type htmlTile struct {
	Status result.Status
	Label  string
	Count  int
}

// htmlScore is the Secure Score part of the page.
type htmlScore struct {
	S          *result.Score
	Gauge      htmlGauge
	Figures    []htmlFigure
	Categories []htmlCategory
	Actions    []result.Action
}

// htmlFigure is one row of the score figures table.
type htmlFigure struct {
	Label, Detail string
	Figure        result.Figure
	Headline      bool
}

// htmlFinding is a finding with what its folded details need.
type htmlFinding struct {
	result.Finding
	Rank       int // severity rank, for the severity filter
	Shown      []htmlViolation
	More       int // violations left out of Shown
	Frameworks []htmlFramework
	References []htmlReference
	Meter      string // width of the coverage bar, out of 100
	CoverPct   string
}

// htmlViolation is a violation with its kind and the controls it breaks in words.
type htmlViolation struct {
	result.Violation
	Kind     string // deny | warn (results before kinds read as deny)
	Controls string // "" when it breaks every control its rule cites
}

type htmlFramework struct {
	Name string
	IDs  []string
}

// htmlReference is a reference shown as a link when it is a web address and as text
// otherwise; links are not followed by anything, they only print and click.
type htmlReference struct {
	URL  string
	Link bool
}

// htmlFrameworkView is one framework of the result's framework view, control by control.
type htmlFrameworkView struct {
	Key   string
	F     *result.FrameworkResult
	Link  bool
	Tiles []frameworkTile
	Table htmlControlTable
}

// htmlControlTable is the table of a framework's controls, shared by the report and the
// framework page; Prefix starts the id of every control's row.
type htmlControlTable struct {
	ID, Prefix string
	Rows       []frameworkRow
}

// htmlSources is the snapshot's sources: what was collected and what was not.
type htmlSources struct {
	Rows   []htmlSource
	Counts []htmlSourceCount // per status, problems first
	NotOK  int
}

type htmlSource struct {
	Key string
	result.Source
}

type htmlSourceCount struct {
	Status string
	Count  int
}

// htmlSourceOrder lists the source statuses problems first: a source that failed or was
// forbidden left rules unverified, so it leads.
var htmlSourceOrder = []string{"error", "forbidden", "unlicensed", "skipped", "ok"}

func htmlSourceRank(s string) int {
	if i := slices.Index(htmlSourceOrder, s); i >= 0 {
		return i
	}
	return -1 // a status this posture does not know leads: it is certainly not ok
}

func newHTMLSources(in map[string]result.Source) htmlSources {
	var h htmlSources
	counts := map[string]int{}
	for k, s := range in {
		h.Rows = append(h.Rows, htmlSource{Key: k, Source: s})
		counts[s.Status]++
		if s.Status != "ok" {
			h.NotOK++
		}
	}
	sort.Slice(h.Rows, func(i, j int) bool {
		a, b := h.Rows[i], h.Rows[j]
		if ra, rb := htmlSourceRank(a.Status), htmlSourceRank(b.Status); ra != rb {
			return ra < rb
		}
		return a.Key < b.Key
	})
	statuses := make([]string, 0, len(counts))
	for s := range counts {
		statuses = append(statuses, s)
	}
	sort.Slice(statuses, func(i, j int) bool {
		if ri, rj := htmlSourceRank(statuses[i]), htmlSourceRank(statuses[j]); ri != rj {
			return ri < rj
		}
		return statuses[i] < statuses[j]
	})
	for _, s := range statuses {
		h.Counts = append(h.Counts, htmlSourceCount{Status: s, Count: counts[s]})
	}
	return h
}

// htmlStatusOrder puts what needs attention first: failures, then what could not be
// verified, then warnings, exceptions, passes and what does not apply.
var htmlStatusOrder = []result.Status{result.Fail, result.Error, result.Warn, result.Excepted, result.Pass, result.NotApplicable}

func htmlStatusRank(s result.Status) int {
	for i, x := range htmlStatusOrder {
		if x == s {
			return i
		}
	}
	return len(htmlStatusOrder)
}

func newHTMLView(r *result.Result, o Options) htmlView {
	t := r.Snapshot.Tenant
	v := htmlView{
		R:       r,
		Name:    htmlFirst(t.DisplayName, t.DefaultDomain, t.ID, "Unnamed tenant"),
		Source:  o.Source,
		CSP:     htmlCSP(htmlCSS, htmlJS),
		CSS:     template.CSS(htmlCSS),
		JS:      template.JS(htmlJS),
		Trend:   newHTMLTrend(r, o.History),
		Sources: newHTMLSources(r.Snapshot.Sources),
	}
	if r.Gate != nil {
		v.Verdict = newHTMLVerdict(r.Gate)
	}
	for _, s := range htmlStatusOrder {
		v.Tiles = append(v.Tiles, htmlTile{Status: s, Label: htmlStatusLabel(s), Count: r.Summary.Count(s)})
	}
	if r.Score != nil {
		v.Score = newHTMLScore(r.Score)
	}
	baselines := map[string]bool{}
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, newHTMLFinding(f))
		for _, b := range f.Baselines {
			baselines[b] = true
		}
	}
	for _, b := range r.Baselines {
		baselines[b] = true
	}
	for b := range baselines {
		v.Baselines = append(v.Baselines, b)
	}
	sort.Strings(v.Baselines)
	sort.SliceStable(v.Findings, func(i, j int) bool {
		a, b := v.Findings[i], v.Findings[j]
		if ra, rb := htmlStatusRank(a.Status), htmlStatusRank(b.Status); ra != rb {
			return ra < rb
		}
		if a.Rank != b.Rank {
			return a.Rank > b.Rank
		}
		return a.RuleID < b.RuleID
	})
	for _, key := range frameworkNames(r) {
		fw := r.Frameworks[key]
		if fw == nil {
			continue
		}
		v.Frameworks = append(v.Frameworks, htmlFrameworkView{
			Key: key, F: fw, Link: htmlWebURL(fw.URL), Tiles: newFrameworkTiles(fw),
			Table: htmlControlTable{ID: "framework-" + key + "-table", Prefix: "control-" + key + "-", Rows: newFrameworkRows(fw)},
		})
	}
	return v
}

func newHTMLScore(s *result.Score) *htmlScore {
	h := &htmlScore{S: s, Gauge: newHTMLGauge(s)}
	h.Figures = append(h.Figures, htmlFigure{Label: "posture estimate", Detail: "from this snapshot's configuration", Figure: s.Estimate, Headline: true})
	if rep := s.Reported; rep != nil {
		h.Figures = append(h.Figures, htmlFigure{Label: "Microsoft reported", Detail: "Secure Score on " + htmlDay(rep.At), Figure: rep.Figure})
	}
	h.Figures = append(h.Figures,
		htmlFigure{Label: "Projected", Detail: "with the planned work done", Figure: s.Projected},
		htmlFigure{Label: "Achievable", Detail: "with the current licences", Figure: s.Achievable},
		htmlFigure{Label: "Achievable with risk acceptance", Detail: "leaving out accepted risks", Figure: s.AchievableAccepted},
	)
	for _, c := range s.Categories {
		h.Categories = append(h.Categories, newHTMLCategory(c))
	}
	h.Actions = append([]result.Action(nil), s.Actions...)
	// Quick wins first, then the most points; blocked actions last since nobody can do
	// them now.
	sort.SliceStable(h.Actions, func(i, j int) bool {
		a, b := h.Actions[i], h.Actions[j]
		if (a.Blocked == "") != (b.Blocked == "") {
			return a.Blocked == ""
		}
		if a.QuickWin != b.QuickWin {
			return a.QuickWin
		}
		if a.Gain != b.Gain {
			return a.Gain > b.Gain
		}
		return a.Control < b.Control
	})
	return h
}

func newHTMLFinding(f result.Finding) htmlFinding {
	h := htmlFinding{Finding: f, Rank: f.Severity.Rank()}
	shown := f.Violations
	if len(shown) > htmlMaxViolations {
		shown, h.More = shown[:htmlMaxViolations], len(shown)-htmlMaxViolations
	}
	for _, v := range shown {
		h.Shown = append(h.Shown, newHTMLViolation(v))
	}
	names := make([]string, 0, len(f.Frameworks))
	for n, ids := range f.Frameworks {
		if len(ids) > 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		ids := append([]string(nil), f.Frameworks[n]...)
		sort.Strings(ids)
		h.Frameworks = append(h.Frameworks, htmlFramework{Name: htmlFrameworkName(n), IDs: ids})
	}
	for _, ref := range f.References {
		h.References = append(h.References, htmlReference{URL: ref, Link: htmlWebURL(ref)})
	}
	if c := f.Coverage; c != nil {
		h.Meter = num(100 * c.Ratio())
		h.CoverPct = htmlPercent(100 * c.Ratio())
	}
	return h
}

func newHTMLViolation(v result.Violation) htmlViolation {
	h := htmlViolation{Violation: v, Kind: result.KindDeny}
	if v.IsWarning() {
		h.Kind = result.KindWarn
	}
	var ids []string
	for _, c := range v.Controls {
		if c == result.PostureControl {
			c = "posture's own judgement"
		}
		ids = append(ids, c)
	}
	h.Controls = strings.Join(ids, ", ")
	return h
}

// htmlFrameworkName turns a framework key such as cis_m365 into a heading.
func htmlFrameworkName(key string) string {
	switch key {
	case "cis_m365":
		return "CIS Microsoft 365"
	case "cisa_scuba":
		return "CISA SCuBA"
	}
	return key
}

// htmlWebURL reports whether s is an absolute http(s) address worth a link.
func htmlWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func htmlFirst(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
