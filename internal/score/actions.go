package score

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// effort weighs user impact and implementation cost; an unknown rating weighs as moderate.
func effort(impact, cost string) float64 {
	w := func(s string) float64 {
		switch s {
		case "low":
			return 1
		case "high":
			return 3
		}
		return 2
	}
	return w(impact) + w(cost)
}

// actions lists the improvement actions of the controls below their maximum. Actions that can be
// done now come first, quick wins (low impact, low cost) first among them, then by points per
// unit of effort, then by points; blocked actions (no licence, accepted risk) come last.
func actions(controls []*control, total float64) []result.Action {
	out := []result.Action{}
	for _, c := range controls {
		gain := round2(c.Max - c.Achieved)
		if gain <= 0 {
			continue
		}
		a := result.Action{
			Control: c.ID, Title: c.Title, Category: c.Category, Gain: gain,
			UserImpact: c.impact, ImplementationCost: c.cost, Rules: c.Rules, Remediation: c.remediation,
			QuickWin: c.impact == "low" && c.cost == "low",
		}
		if total > 0 {
			a.GainPercent = round2(100 * gain / total)
		}
		switch c.Status {
		case result.ControlUnlicensed:
			a.Blocked = "needs a licence the tenant lacks: " + strings.Join(c.licences, " or ")
			if len(c.MissingEditions) > 0 {
				a.Blocked = fmt.Sprintf("needs an edition the tenant lacks: %s (%s)", strings.Join(c.MissingEditions, " or "), strings.Join(c.licences, " or "))
			}
		case result.ControlRiskAccepted:
			a.Blocked = "risk accepted"
			if ex := c.exception; ex != nil {
				a.Blocked = fmt.Sprintf("risk accepted until %s: %s", ex.Expires, ex.Reason)
			}
		}
		if a.Blocked != "" {
			a.QuickWin = false
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b result.Action) int {
		return cmp.Or(
			boolRank(a.Blocked != "", b.Blocked != ""),
			boolRank(!a.QuickWin, !b.QuickWin),
			cmp.Compare(b.Gain/effort(b.UserImpact, b.ImplementationCost), a.Gain/effort(a.UserImpact, a.ImplementationCost)),
			cmp.Compare(b.Gain, a.Gain),
			cmp.Compare(a.Control, b.Control),
		)
	})
	return out
}

// boolRank orders false before true.
func boolRank(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
