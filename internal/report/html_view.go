package report

import (
	"html/template"
	"net/url"
	"sort"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// htmlMaxViolations caps the evidence listed per finding so a tenant with tens of thousands
// of users still gets a report a browser opens; the result JSON keeps every violation.
const htmlMaxViolations = 1000

// htmlView is everything the page template shows, worked out beforehand so the template
// only lays it out.
type htmlView struct {
	R        *result.Result
	Name     string // the tenant's best name
	Source   string
	CSP      string
	CSS      template.CSS
	JS       template.JS
	Tiles    []htmlTile
	Score    *htmlScore
	Trend    *htmlTrend
	Findings []htmlFinding
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
	Shown      []result.Violation
	More       int  // violations left out of Shown
	Mixed      bool // deny and warn violations: each warning is marked
	Frameworks []htmlFramework
	References []htmlReference
	Meter      string // width of the coverage bar, out of 100
	CoverPct   string
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
		R:      r,
		Name:   htmlFirst(t.DisplayName, t.DefaultDomain, t.ID, "Unnamed tenant"),
		Source: o.Source,
		CSP:    htmlCSP(htmlCSS, htmlJS),
		CSS:    template.CSS(htmlCSS),
		JS:     template.JS(htmlJS),
		Trend:  newHTMLTrend(r, o.History),
	}
	for _, s := range htmlStatusOrder {
		v.Tiles = append(v.Tiles, htmlTile{Status: s, Label: htmlStatusLabel(s), Count: r.Summary.Count(s)})
	}
	if r.Score != nil {
		v.Score = newHTMLScore(r.Score)
	}
	for _, f := range r.Findings {
		v.Findings = append(v.Findings, newHTMLFinding(f))
	}
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
	h := htmlFinding{Finding: f, Rank: f.Severity.Rank(), Shown: f.Violations, Mixed: f.MixedKinds()}
	if len(h.Shown) > htmlMaxViolations {
		h.Shown, h.More = h.Shown[:htmlMaxViolations], len(h.Shown)-htmlMaxViolations
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
