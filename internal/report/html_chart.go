package report

import (
	"math"
	"sort"
	"time"

	"github.com/m365posture/posture/internal/result"
)

// The charts are inline SVG drawn here, so the page needs no charting library. Every number
// is rounded to two decimals so the same result always draws the same bytes.

// htmlGauge is the half-circle score gauge: a track, the achievable share in a light tone,
// the estimate over it, and a tick where Microsoft's reported figure is.
type htmlGauge struct {
	Track, Achievable, Value string // path data
	Marker                   *htmlLine
}

type htmlLine struct{ X1, Y1, X2, Y2 string }

// The gauge geometry, in the units of its viewBox (0 0 220 132).
const (
	gaugeCX, gaugeCY, gaugeR = 110.0, 114.0, 90.0
)

func newHTMLGauge(s *result.Score) htmlGauge {
	g := htmlGauge{
		Track:      gaugeArc(100),
		Achievable: gaugeArc(s.Achievable.Percent),
		Value:      gaugeArc(s.Estimate.Percent),
	}
	if rep := s.Reported; rep != nil {
		x1, y1 := gaugePoint(rep.Percent, gaugeR-15)
		x2, y2 := gaugePoint(rep.Percent, gaugeR+15)
		g.Marker = &htmlLine{num(x1), num(y1), num(x2), num(y2)}
	}
	return g
}

// gaugePoint is the point at percent p along the half circle of radius r, 0 on the left
// and 100 on the right.
func gaugePoint(p, r float64) (x, y float64) {
	a := math.Pi * (1 - clampPercent(p)/100)
	return gaugeCX + r*math.Cos(a), gaugeCY - r*math.Sin(a)
}

// gaugeArc is the path from 0 to p percent; "" for nothing to draw.
func gaugeArc(p float64) string {
	p = clampPercent(p)
	if p <= 0 {
		return ""
	}
	x0, y0 := gaugePoint(0, gaugeR)
	x1, y1 := gaugePoint(p, gaugeR)
	// Never more than half a circle, so the large-arc flag stays 0; sweep 1 runs clockwise
	// over the top.
	return "M " + num(x0) + " " + num(y0) + " A " + num(gaugeR) + " " + num(gaugeR) +
		" 0 0 1 " + num(x1) + " " + num(y1)
}

func clampPercent(p float64) float64 {
	if math.IsNaN(p) {
		return 0
	}
	return math.Max(0, math.Min(100, p))
}

// htmlCategory is one category bar: the estimate's share of the category's maximum, and a
// tick at Microsoft's reported share when known.
type htmlCategory struct {
	result.CategoryScore
	Fill   string // bar width out of 100
	Marker string // x of the reported tick out of 100, "" when not reported
}

func newHTMLCategory(c result.CategoryScore) htmlCategory {
	h := htmlCategory{CategoryScore: c, Fill: num(clampPercent(c.Percent))}
	if c.Reported != nil {
		// A 0.8-wide tick centred on the figure, kept inside the bar.
		h.Marker = num(math.Min(99.2, math.Max(0, clampPercent(c.Reported.Percent)-0.4)))
	}
	return h
}

// htmlTrend is the score over the last 90 days: Microsoft's daily reported figure and
// posture's own estimates, as lines over a 0-100 % grid.
type htmlTrend struct {
	Days    int
	YTicks  []htmlTick
	XTicks  []htmlTick // each at a data point: its label names the point's day
	Series  []htmlSeries
	Points  []result.TrendPoint // every point drawn, for the data table
	Width   int
	Height  int
	LabelY  int
	TickY   int // where the tick below an x label ends
	YLabelX int
	DotR    string
	PlotX0  string
	PlotX1  string
	PlotY1  string // the bottom of the plot, where the x ticks start
	Caption string
}

type htmlTick struct {
	Pos   string
	Label string
}

type htmlSeries struct {
	Class string // reported | estimate
	Name  string
	Line  string // polyline points
	Dots  []htmlDot
}

type htmlDot struct {
	X, Y, Title string
}

// The trend geometry, in the units of its viewBox. The plot leaves room on both sides for half
// a date label, since a label is centred on its point and the first and last points sit on the
// plot's edges, and for a dot with its outline above 100 % and at either end.
const (
	trendW, trendH          = 1120, 250
	trendX0, trendX1        = 60.0, 1072.0
	trendYTop, trendYBottom = 16.0, 212.0
	trendTickY              = 218
	trendLabelY             = 234
	trendYLabelX            = 50
	trendDotR               = 3.5
	trendDays               = 90
	// trendLabelGap is the least distance between two date labels' centres: a label
	// ("2026-11-22" at 12 px) is about 70 units wide.
	trendLabelGap = 110.0
)

// newHTMLTrend draws Microsoft's trend from the score and posture's estimates from the
// history plus this result's own; nil when fewer than two points fall in the window, since
// one point is not a trend.
func newHTMLTrend(r *result.Result, history []result.TrendPoint) *htmlTrend {
	var all []result.TrendPoint
	if r.Score != nil {
		all = append(all, r.Score.Trend...)
	}
	for _, p := range history {
		p.Estimate = true // History holds posture's estimates by definition.
		all = append(all, p)
	}
	// The estimate is of the configuration when it was collected (as history stores it), not
	// of the moment it was evaluated.
	at := r.Snapshot.CollectedAt
	if at.IsZero() {
		at = r.EvaluatedAt
	}
	if r.Score != nil && !at.IsZero() {
		e := r.Score.Estimate
		all = append(all, result.TrendPoint{At: at, Percent: e.Percent, Points: e.Points, Max: e.Max, Estimate: true})
	}
	// The window ends at the newest thing known, never at the clock, so a report
	// rendered again later is the same report.
	end := at
	for _, p := range all {
		if p.At.After(end) {
			end = p.At
		}
	}
	start := end.AddDate(0, 0, -trendDays)
	seen := map[[2]int64]bool{}
	var kept []result.TrendPoint
	for _, p := range all {
		key := [2]int64{p.At.UnixNano(), 0}
		if p.Estimate {
			key[1] = 1
		}
		if p.At.Before(start) || p.At.IsZero() || seen[key] {
			continue
		}
		seen[key] = true
		kept = append(kept, p)
	}
	if len(kept) < 2 {
		return nil
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if !kept[i].At.Equal(kept[j].At) {
			return kept[i].At.Before(kept[j].At)
		}
		return !kept[i].Estimate && kept[j].Estimate
	})
	t0, t1 := kept[0].At, kept[len(kept)-1].At
	x := func(t time.Time) float64 {
		span := t1.Sub(t0)
		if span <= 0 {
			return (trendX0 + trendX1) / 2
		}
		return trendX0 + (trendX1-trendX0)*float64(t.Sub(t0))/float64(span)
	}
	y := func(p float64) float64 {
		return trendYBottom - (trendYBottom-trendYTop)*clampPercent(p)/100
	}
	h := &htmlTrend{
		Days: trendDays, Points: kept, Width: trendW, Height: trendH, LabelY: trendLabelY, TickY: trendTickY,
		YLabelX: trendYLabelX, DotR: num(trendDotR),
		PlotX0: num(trendX0), PlotX1: num(trendX1), PlotY1: num(trendYBottom),
		Caption: "Secure Score from " + htmlDay(t0) + " to " + htmlDay(t1),
	}
	for _, p := range []float64{0, 25, 50, 75, 100} {
		h.YTicks = append(h.YTicks, htmlTick{Pos: num(y(p)), Label: num(p) + "%"})
	}
	xs := make([]float64, len(kept))
	for i, p := range kept {
		xs[i] = x(p.At)
	}
	for _, i := range trendLabelled(xs, kept) {
		h.XTicks = append(h.XTicks, htmlTick{Pos: num(xs[i]), Label: htmlDay(kept[i].At)})
	}
	for _, s := range []struct {
		estimate    bool
		class, name string
	}{
		{false, "reported", "Microsoft Secure Score (reported)"},
		{true, "estimate", "posture estimate"},
	} {
		series := htmlSeries{Class: s.class, Name: s.name}
		for _, p := range kept {
			if p.Estimate != s.estimate {
				continue
			}
			px, py := num(x(p.At)), num(y(p.Percent))
			if series.Line != "" {
				series.Line += " "
			}
			series.Line += px + "," + py
			series.Dots = append(series.Dots, htmlDot{X: px, Y: py, Title: htmlDay(p.At) + ": " + htmlPercent(p.Percent) + " (" + s.name + ")"})
		}
		if len(series.Dots) > 0 {
			h.Series = append(h.Series, series)
		}
	}
	return h
}

// trendLabelled picks the points whose day is labelled on the x axis, in order: the last point
// (the newest figure) and the first, then as many between as fit without two labels
// overlapping, each day once. xs are the points' x positions, ascending.
func trendLabelled(xs []float64, points []result.TrendPoint) []int {
	n := len(xs)
	if n == 0 {
		return nil
	}
	last := n - 1
	picked := []int{}
	days := map[string]bool{htmlDay(points[last].At): true}
	prev := math.Inf(-1)
	for i := 0; i < last; i++ {
		day := htmlDay(points[i].At)
		if days[day] || xs[i]-prev < trendLabelGap || xs[last]-xs[i] < trendLabelGap {
			continue
		}
		picked = append(picked, i)
		days[day] = true
		prev = xs[i]
	}
	return append(picked, last)
}
