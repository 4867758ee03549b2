// Package score estimates the Microsoft Secure Score a snapshot's configuration earns, from
// the findings of posture's rules, at once and with every point explained. Microsoft's own
// figure lags a change by 24-48 hours and never says which setting moved it.
package score

import (
	"cmp"
	"fmt"
	"html"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

// TrendWindow is how far back the trend of Microsoft's daily scores reaches.
const TrendWindow = 90 * 24 * time.Hour

// Compute estimates the Secure Score of snap from the findings evaluated on it (with the
// config's exceptions applied). Controls a rule maps to are evaluated; controls Microsoft reports
// that no rule evaluates keep Microsoft's points. Malformed secureScore data is an error naming
// its JSON path; secureScore data that was not collected only narrows the estimate (a note).
func Compute(snap *snapshot.Snapshot, findings []result.Finding, cat *baselines.Catalog) (*result.Score, error) {
	ms, err := readMicrosoft(snap)
	if err != nil {
		return nil, err
	}
	e := estimator{snap: snap, cat: cat, ms: ms, lic: readLicences(snap)}
	e.readProducts()
	e.evaluated(findings)
	e.reported()
	s := e.figures()
	s.Actions = actions(e.controls, s.Estimate.Max)
	s.Comparisons = ms.newest.Comparisons
	s.Trend = trend(ms.history)
	s.Notes = e.notes
	return s, nil
}

// estimator gathers the counted controls.
type estimator struct {
	snap       *snapshot.Snapshot
	cat        *baselines.Catalog
	ms         *microsoft
	lic        licences
	products   []*product
	controls   []*control
	notes      []string
	unknown    []string // control ids neither the catalog nor the live profiles know
	noMax      []string // control ids whose points neither the catalog nor the live profiles give
	deprecated []string
	// notOffered are evaluated catalog controls the tenant's live profiles do not list, and
	// notOfferedMax their points (see offered).
	notOffered    []string
	notOfferedMax float64
}

// control is one counted control while the estimate is built.
type control struct {
	result.ControlScore
	projected float64
	// exception is the config exception that decided the status, for the action's Blocked.
	exception   *result.Exception
	remediation string
	impact      string
	cost        string
	licences    []string // the catalog's plan names
}

// credit is what one finding earns its controls, now and once planned work is done.
type credit struct {
	now, projected float64
	status         string // "" for plain pass/fail, else a result.Control* status
	exception      *result.Exception
}

// creditOf returns what a finding earns. ok is false for a finding that says nothing about the
// control (not applicable).
//
// The estimate follows posture's own judgement, not a framework's: a finding that fails or
// warns only through warnings that break framework controls alone (result.Violation.FrameworkOnly:
// what posture accepts but a framework control does not) passes posture's rule, and earns what
// a pass earns; with violations an exception covers beside them, it earns what the exception
// earns.
func creditOf(f result.Finding) (c credit, ok bool) {
	status := f.Status
	if (status == result.Fail || status == result.Warn) && onlyFrameworkBreaches(f) {
		status = result.Pass
		if f.Exception != nil {
			status = result.Excepted
		}
	}
	switch status {
	case result.NotApplicable:
		return c, false
	case result.Error:
		return credit{status: result.ControlUnverified}, true
	case result.Excepted:
		c.exception = f.Exception
		st := ""
		if f.Exception != nil {
			st = f.Exception.Status
		}
		switch st {
		case result.ControlThirdParty, result.ControlAlternateMitigation:
			c.now, c.projected, c.status = 1, 1, st
		case result.ControlPlanned:
			c.now, c.projected, c.status = 0, 1, st
		default: // risk_accepted, or an exception posture does not know: no points
			c.status = result.ControlRiskAccepted
		}
		return c, true
	}
	switch {
	case f.Coverage != nil:
		c.now = f.Coverage.Ratio()
	case status == result.Pass:
		c.now = 1
	}
	c.projected = c.now
	return c, true
}

// onlyFrameworkBreaches reports whether every violation of f that no exception covers breaks
// framework controls only (result.Violation.FrameworkOnly), and there is at least one.
func onlyFrameworkBreaches(f result.Finding) bool {
	n := 0
	for _, v := range f.Violations {
		if v.Excepted {
			continue
		}
		if !v.FrameworkOnly() {
			return false
		}
		n++
	}
	return n > 0
}

// evaluated counts the controls the findings map to.
func (e *estimator) evaluated(findings []result.Finding) {
	byControl := map[string][]result.Finding{}
	var ids []string
	for _, f := range findings {
		for _, id := range f.SecureScore {
			if _, seen := byControl[id]; !seen {
				ids = append(ids, id)
			}
			byControl[id] = append(byControl[id], f)
		}
	}
	for _, id := range ids {
		c, known := e.base(id)
		if !known {
			e.unknown = append(e.unknown, id)
		}
		if c == nil || e.leaveOut(c) || e.leaveUnoffered(c) {
			continue
		}
		e.label(c)
		var credits []credit
		for _, f := range byControl[id] {
			f = forControl(f, id)
			c.Rules = append(c.Rules, f.RuleID)
			if cr, ok := creditOf(f); ok {
				credits = append(credits, cr)
				if c.remediation == "" && f.Status != result.Pass {
					c.remediation = f.Remediation
				}
				if f.Coverage != nil && (c.Coverage == nil || f.Coverage.Ratio() < c.Coverage.Ratio()) {
					cov := *f.Coverage
					c.Coverage = &cov
				}
			}
		}
		if len(credits) == 0 {
			// Every rule is not applicable. Without the licence that is why; otherwise
			// Microsoft's figure, when there is one, is the better word.
			if !c.Licensed {
				c.Status = result.ControlUnlicensed
				e.controls = append(e.controls, c)
			}
			continue
		}
		decide(c, credits)
		e.controls = append(e.controls, c)
	}
	if len(e.unknown) > 0 {
		e.notes = append(e.notes, fmt.Sprintf("left out control(s) %s: neither posture's catalog nor the snapshot's controlProfiles know them",
			strings.Join(e.unknown, ", ")))
	}
}

// forControl returns f as it bears on one control: a rule's coverage of that control
// (controlCoverage) replaces the rule's own coverage, because a rule that checks many settings
// may enforce all of those one control asks for and few of the rest.
func forControl(f result.Finding, id string) result.Finding {
	if cov, ok := f.ControlCoverage[id]; ok {
		f.Coverage = &cov
	}
	return f
}

// decide sets a control's status and points from the credits of its rules: the weakest rule
// decides, because Microsoft awards a control only for the whole of it.
func decide(c *control, credits []credit) {
	now, proj := 1.0, 1.0
	var has = map[string]bool{}
	for _, cr := range credits {
		now, proj = math.Min(now, cr.now), math.Min(proj, cr.projected)
		has[cr.status] = true
		if cr.exception != nil && (c.exception == nil || cr.status == result.ControlRiskAccepted) {
			c.exception = cr.exception
		}
	}
	switch {
	case has[result.ControlUnverified]:
		c.Status, now, proj = result.ControlUnverified, 0, 0
	case !c.Licensed:
		// Microsoft counts no points for a product the tenant has no licence for, even where
		// the setting is in place.
		c.Status, now, proj = result.ControlUnlicensed, 0, 0
	case has[result.ControlRiskAccepted]:
		c.Status = result.ControlRiskAccepted
	case has[result.ControlPlanned]:
		c.Status = result.ControlPlanned
	case now >= 1 && has[result.ControlThirdParty]:
		c.Status = result.ControlThirdParty
	case now >= 1 && has[result.ControlAlternateMitigation]:
		c.Status = result.ControlAlternateMitigation
	case now >= 1:
		c.Status = result.ControlAchieved
	case now > 0:
		c.Status = result.ControlPartial
	default:
		c.Status = result.ControlNotAchieved
	}
	c.Achieved = round2(c.Max * now)
	c.projected = round2(c.Max * proj)
}

// base returns a control with its catalog and live profile facts. It returns nil when the
// control is not counted: known is false when neither the catalog nor the profiles know it,
// true when Microsoft has deprecated it or no source gives its maximum.
func (e *estimator) base(id string) (c *control, known bool) {
	cc, inCatalog := e.cat.Control(id)
	p, live := e.ms.profiles[id]
	if !inCatalog && !live {
		return nil, false
	}
	if live && p.Deprecated {
		if !slices.Contains(e.deprecated, id) {
			e.deprecated = append(e.deprecated, id)
			e.notes = append(e.notes, fmt.Sprintf("left out control %s: Microsoft has deprecated it", id))
		}
		return nil, true
	}
	catMax, hasMax := cc.Max()
	if !live && !hasMax && e.offered(id) {
		// The catalog knows the control but not its points, and the tenant's profiles do not
		// say: counting it at a guessed maximum would move the percentage on no evidence.
		if !slices.Contains(e.noMax, id) {
			e.noMax = append(e.noMax, id)
		}
		return nil, true
	}
	c = &control{ControlScore: result.ControlScore{
		ID: id, Title: cc.Title, Category: cc.Category, Service: cc.Service, Max: catMax,
		Source: result.SourceEvaluated, Licensed: e.lic.has(cc, e.cat),
	}}
	c.impact, c.cost, c.licences = cc.UserImpact, cc.ImplementationCost, cc.Licenses
	if live {
		c.Max = p.Max
		c.Title = cmp.Or(p.Title, c.Title)
		c.Category = cmp.Or(category(p.Category), c.Category)
		c.Service = cmp.Or(p.Service, c.Service)
		if c.impact == "" || c.impact == "unknown" {
			c.impact = p.UserImpact
		}
		if c.cost == "" || c.cost == "unknown" {
			c.cost = p.Cost
		}
	}
	return c, true
}

// offered reports whether Microsoft offers the tenant control id: true when the tenant's
// controlProfiles were not read (nothing then says otherwise), when they list it, or when the
// newest secureScores object counts it. Graph's list of secureScoreControlProfiles returns the
// controls of the tenant ("Retrieves a list of secureScoreControlProfile objects for a tenant":
// https://learn.microsoft.com/graph/api/security-list-securescorecontrolprofiles), and
// Microsoft's maximum is the sum of those profiles: a tenant without Defender for Endpoint Plan 2
// has no scid_* profile (the catalog's source tenant-sample-2024), and a control Microsoft has
// not yet rolled out to the tenant is not among them either.
func (e *estimator) offered(id string) bool {
	if !e.ms.listed {
		return true
	}
	if _, ok := e.ms.profiles[id]; ok {
		return true
	}
	_, counted := e.ms.newest.Controls[id]
	return counted
}

// leaveUnoffered reports whether c leaves the maximum because Microsoft does not offer it to
// the tenant, and records it. A control whose product is absent is recorded on the product
// instead (leaveOut runs first).
func (e *estimator) leaveUnoffered(c *control) bool {
	if e.offered(c.ID) {
		return false
	}
	e.notOffered = append(e.notOffered, c.ID)
	e.notOfferedMax = round2(e.notOfferedMax + c.Max)
	return true
}

// reported counts the controls Microsoft reports that no rule evaluated, with Microsoft's
// points, and sets the reported points and their difference on the evaluated ones.
func (e *estimator) reported() {
	counted := map[string]*control{}
	for _, c := range e.controls {
		counted[c.ID] = c
	}
	names := make([]string, 0, len(e.ms.newest.Controls))
	for name := range e.ms.newest.Controls {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		cs := e.ms.newest.Controls[name]
		pts := round2(cs.Score)
		if c, ok := counted[name]; ok {
			c.Reported = &pts
			if d := round2(c.Achieved - pts); d != 0 {
				c.Difference = &d
				c.Reason = e.reason(c, cs)
			}
			continue
		}
		c, known := e.base(name)
		if c == nil && known && !slices.Contains(e.noMax, name) {
			continue // deprecated
		}
		if c == nil {
			if cs.Percent <= 0 {
				e.notes = append(e.notes, fmt.Sprintf("left out reported control %s: no maximum is known for it", name))
				continue
			}
			c = &control{ControlScore: result.ControlScore{ID: name, Title: cs.Description,
				Category: category(cs.Category), Max: round2(cs.Score * 100 / cs.Percent), Licensed: true}}
			c.impact, c.cost = "unknown", "unknown"
		}
		c.Source, c.Status = result.SourceReported, result.ControlReported
		c.remediation = plainText(e.ms.profiles[name].Remediation)
		c.Achieved, c.projected, c.Reported = pts, pts, &pts
		c.Category = cmp.Or(c.Category, category(cs.Category))
		c.Title = cmp.Or(c.Title, cs.Description)
		e.controls = append(e.controls, c)
	}
}

// category maps Microsoft's controlCategory to one of result.Categories, case-insensitively.
func category(s string) string {
	for _, c := range result.Categories() {
		if strings.EqualFold(s, c) {
			return c
		}
	}
	return s
}

// figures sums the controls into the score's figures and categories.
func (e *estimator) figures() *result.Score {
	slices.SortFunc(e.controls, func(a, b *control) int {
		return cmp.Or(cmp.Compare(categoryRank(a.Category), categoryRank(b.Category)), cmp.Compare(a.ID, b.ID))
	})
	var total, now, proj, achievable, accepted float64
	s := &result.Score{Controls: make([]result.ControlScore, 0, len(e.controls))}
	for _, c := range e.controls {
		total += c.Max
		now += c.Achieved
		proj += c.projected
		if c.Licensed {
			achievable += c.Max
			if c.Status != result.ControlRiskAccepted {
				accepted += c.Max
			}
		}
		s.Controls = append(s.Controls, c.ControlScore)
	}
	s.Estimate = figure(now, total)
	s.Projected = figure(proj, total)
	s.Achievable = figure(achievable, total)
	s.AchievableAccepted = figure(accepted, total)
	if !e.ms.newest.At.IsZero() {
		s.Reported = &result.Reported{Figure: figure(e.ms.newest.Points, e.ms.newest.Max), At: e.ms.newest.At}
	}
	s.Categories = e.categories()
	s.Products = e.productFigures()
	if len(e.notOffered) > 0 {
		s.NotOffered = slices.Sorted(slices.Values(e.notOffered))
		s.NotOfferedMax = e.notOfferedMax
	}
	var noMax []string
	for _, id := range e.noMax {
		if !slices.ContainsFunc(e.controls, func(c *control) bool { return c.ID == id }) {
			noMax = append(noMax, id)
		}
	}
	if len(noMax) > 0 {
		e.notes = append(e.notes, fmt.Sprintf("left out control(s) %s: no public source establishes their points and the snapshot's controlProfiles do not give them",
			strings.Join(noMax, ", ")))
	}
	if !e.lic.known {
		e.notes = append(e.notes, fmt.Sprintf("%s; every control counts as licensed, so the achievable score may be too high", sourceProblem(e.snap, skusKey)))
	}
	if e.ms.newest.At.IsZero() {
		why := strings.Join(e.ms.problems, "; ")
		if why == "" {
			why = "the snapshot has no secureScores object"
		}
		e.notes = append(e.notes, fmt.Sprintf("Microsoft's Secure Score was not read (%s): the estimate counts only the controls posture's rules evaluate, at the catalog's points, and nothing can be compared with Microsoft's figure", why))
	} else if len(e.ms.profiles) == 0 {
		e.notes = append(e.notes, fmt.Sprintf("Microsoft's control profiles were not read (%s): maximum points are the catalog's, which may differ from the tenant's", strings.Join(e.ms.problems, "; ")))
	}
	return s
}

var tags = regexp.MustCompile(`<[^>]*>`)

// plainText strips the HTML of a control profile's remediation.
func plainText(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(s, " "))), " ")
}

func categoryRank(c string) int {
	if i := slices.Index(result.Categories(), c); i >= 0 {
		return i
	}
	return len(result.Categories())
}

// categories breaks the estimate (and Microsoft's reported points) down by category.
func (e *estimator) categories() []result.CategoryScore {
	var out []result.CategoryScore
	for _, c := range e.controls {
		if len(out) == 0 || out[len(out)-1].Category != c.Category {
			out = append(out, result.CategoryScore{Category: c.Category})
		}
		cs := &out[len(out)-1]
		cs.Points += c.Achieved
		cs.Max += c.Max
		if c.Reported != nil {
			if cs.Reported == nil {
				cs.Reported = &result.Figure{}
			}
			cs.Reported.Points += *c.Reported
			cs.Reported.Max += c.Max
		}
	}
	for i := range out {
		out[i].Figure = figure(out[i].Points, out[i].Max)
		if r := out[i].Reported; r != nil {
			*r = figure(r.Points, r.Max)
		}
	}
	return out
}

func figure(points, max float64) result.Figure {
	f := result.Figure{Points: round2(points), Max: round2(max)}
	if max > 0 {
		f.Percent = round2(100 * points / max)
	}
	return f
}

// trend turns Microsoft's daily scores into points, oldest first, within TrendWindow of the
// newest.
func trend(history []daily) []result.TrendPoint {
	if len(history) == 0 {
		return nil
	}
	from := history[len(history)-1].At.Add(-TrendWindow)
	var out []result.TrendPoint
	for _, d := range history {
		if d.At.Before(from) {
			continue
		}
		f := figure(d.Points, d.Max)
		out = append(out, result.TrendPoint{At: d.At, Points: f.Points, Max: f.Max, Percent: f.Percent})
	}
	return out
}
