package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/m365posture/posture/internal/result"
)

// scoreText is a Secure Score estimate as text for `posture score`: the figures, the
// categories, the improvement actions (Options.Actions of them; 0: all), the controls with
// every difference to Microsoft's points explained, the comparisons, the trend and the notes.
type scoreText struct{ o Options }

func (st scoreText) Render(w io.Writer, s *result.Score) error {
	limit := st.o.Actions
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(tw, strings.Join(cells, "\t")) }
	flush := func() { tw.Flush() }

	fmt.Fprintln(bw, "Secure Score")
	row("  estimate", fraction(s.Estimate), pct(s.Estimate.Percent)+"%", "posture's rules on the snapshot")
	if r := s.Reported; r != nil {
		row("  Microsoft reported", fraction(r.Figure), pct(r.Percent)+"%", "on "+r.At.Format("2006-01-02"))
	}
	row("  projected", fraction(s.Projected), pct(s.Projected.Percent)+"%", "with the planned exceptions done")
	row("  achievable", fraction(s.Achievable), pct(s.Achievable.Percent)+"%", "with the current licences")
	row("  with risk acceptance", fraction(s.AchievableAccepted), pct(s.AchievableAccepted.Percent)+"%", "without the risks accepted")
	flush()

	fmt.Fprintln(bw, "\nBy category")
	for _, c := range s.Categories {
		ms := ""
		if c.Reported != nil {
			ms = fmt.Sprintf("Microsoft %s%%", pct(c.Reported.Percent))
		}
		row("  "+c.Category, fraction(c.Figure), pct(c.Percent)+"%", ms)
	}
	flush()

	if len(s.Products) > 0 {
		// Microsoft counts a product's controls only for a tenant that has the product, and then
		// all of them whatever the edition: say which products the estimate found, which
		// controls left the maximum and which stayed in it without points.
		fmt.Fprintln(bw, "\nProducts (Microsoft counts a product's controls only where the tenant has the product)")
		for _, p := range s.Products {
			why := p.Evidence
			if len(p.Editions) > 0 {
				why += "; editions: " + strings.Join(p.Editions, ", ")
			}
			row("  "+p.Name, p.Status, why)
		}
		flush()
		for _, p := range s.Products {
			if len(p.LeftOut) > 0 {
				fmt.Fprintf(bw, "  %s: %d control(s) worth %s points left out of the maximum: %s\n", p.Name, len(p.LeftOut), num(p.LeftOutMax), strings.Join(p.LeftOut, ", "))
			}
			if len(p.Labelled) > 0 {
				fmt.Fprintf(bw, "  %s: %d control(s) kept in the maximum without points, edition missing (%s): %s\n", p.Name, len(p.Labelled), strings.Join(p.MissingEditions, ", "), strings.Join(p.Labelled, ", "))
			}
		}
	}
	if len(s.NotOffered) > 0 {
		// The tenant's controlProfiles list the controls Microsoft offers it; the others are
		// not in Microsoft's maximum, so not in posture's.
		fmt.Fprintf(bw, "\nNot offered: %d control(s) worth %s points left out of the maximum, not in the tenant's controlProfiles: %s\n",
			len(s.NotOffered), num(s.NotOfferedMax), strings.Join(s.NotOffered, ", "))
	}

	if len(s.Comparisons) > 0 {
		fmt.Fprintln(bw, "\nSimilar organisations (Microsoft's averages)")
		for _, c := range s.Comparisons {
			row("  "+c.Basis, pct(c.Percent)+"%", num(c.Points)+" points")
		}
		flush()
	}

	fmt.Fprintln(bw, "\nImprovement actions (quick wins first: most points for least disruption)")
	if len(s.Actions) == 0 {
		fmt.Fprintln(bw, "  none: every counted control is at its maximum")
	}
	for i, a := range s.Actions {
		if limit > 0 && i == limit {
			fmt.Fprintf(tw, "  … and %d more (see --format json)\n", len(s.Actions)-limit)
			break
		}
		note := ""
		switch {
		case a.Blocked != "":
			note = "blocked: " + a.Blocked
		case a.QuickWin:
			note = "quick win"
		}
		row("  +"+num(a.Gain), "+"+pct(a.GainPercent)+"%", "impact "+a.UserImpact, "cost "+a.ImplementationCost, a.Control, a.Title, note)
	}
	flush()

	// Fixed widths rather than the tabwriter: a reason line under a control would end its
	// column block and misalign the rows after it.
	fmt.Fprintln(bw, "\nControls (points, status, source; differences to Microsoft's points explained)")
	idWidth := 0
	for _, c := range s.Controls {
		idWidth = max(idWidth, len(c.ID))
	}
	for _, c := range s.Controls {
		ms := ""
		if c.Reported != nil {
			ms = "Microsoft " + num(*c.Reported)
		}
		line := fmt.Sprintf("  %-14s %-*s %9s  %-20s %-9s  %s", c.Category, idWidth, c.ID, num(c.Achieved)+"/"+num(c.Max), c.Status, c.Source, ms)
		fmt.Fprintln(bw, strings.TrimRight(line, " "))
		if c.Difference != nil {
			fmt.Fprintf(bw, "      %s: %s\n", signed(*c.Difference), c.Reason)
		}
	}

	if len(s.Trend) > 0 {
		fmt.Fprintln(bw, "\nTrend (last 90 days)")
		for _, p := range s.Trend {
			who := "Microsoft"
			if p.Estimate {
				who = "posture estimate"
			}
			row("  "+p.At.Format("2006-01-02"), pct(p.Percent)+"%", num(p.Points)+"/"+num(p.Max), who)
		}
		flush()
	}
	if len(s.Notes) > 0 {
		fmt.Fprintln(bw, "\nNotes")
		for _, n := range s.Notes {
			fmt.Fprintf(bw, "  - %s\n", n)
		}
	}
	return bw.Flush()
}
