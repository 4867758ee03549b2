package diff

import (
	"fmt"
	"math"
	"sort"

	"github.com/m365posture/posture/internal/result"
)

// ScoreChange is the change of the Secure Score estimate.
type ScoreChange struct {
	// Old and New are the estimates; nil when that side has no score.
	Old *result.Figure `json:"old"`
	New *result.Figure `json:"new"`
	// Change is New minus Old, when both have a score.
	Change *Delta `json:"change,omitempty"`
	// PointsLost sums Lost: what the controls that lost points cost.
	PointsLost float64       `json:"pointsLost"`
	Lost       []ControlLoss `json:"lost"`
	// Note says why a side has no score.
	Note string `json:"note,omitempty"`
}

// Delta is a difference of two figures.
type Delta struct {
	Points  float64 `json:"points"`
	Percent float64 `json:"percent"`
}

// ControlLoss is a control that achieves fewer points in NEW than in OLD.
type ControlLoss struct {
	Control  string   `json:"control"`
	Title    string   `json:"title"`
	Category string   `json:"category"`
	Source   string   `json:"source"`
	Old      float64  `json:"old"`
	New      float64  `json:"new"`
	Lost     float64  `json:"lost"`
	Rules    []string `json:"rules"`
}

// compareScore compares the estimates. Points lost are counted per control present on both
// sides, max(0, old achieved - new achieved), so gains elsewhere do not hide a loss; a
// control only one side has (a new posture version's catalog) is in the estimate change only.
// Controls scored from Microsoft's reported points count too: a loss there is the tenant's.
func compareScore(old, new *Input) ScoreChange {
	sc := ScoreChange{Lost: []ControlLoss{}}
	o, n := old.Result.Score, new.Result.Score
	if o != nil {
		sc.Old = rounded(o.Estimate)
	}
	if n != nil {
		sc.New = rounded(n.Estimate)
	}
	switch {
	case o == nil && n == nil:
		sc.Note = fmt.Sprintf("no score: neither %s nor %s has a Secure Score estimate", old.File, new.File)
		return sc
	case o == nil:
		sc.Note = fmt.Sprintf("no score in %s: the score change is not known", old.File)
		return sc
	case n == nil:
		sc.Note = fmt.Sprintf("no score in %s: the score change is not known", new.File)
		return sc
	}
	sc.Change = &Delta{
		Points:  round2(n.Estimate.Points - o.Estimate.Points),
		Percent: round2(n.Estimate.Percent - o.Estimate.Percent),
	}
	olds := map[string]result.ControlScore{}
	for _, c := range o.Controls {
		olds[c.ID] = c
	}
	total := 0.0
	for _, c := range n.Controls {
		oc, ok := olds[c.ID]
		if !ok || oc.Achieved <= c.Achieved {
			continue
		}
		lost := oc.Achieved - c.Achieved
		total += lost
		sc.Lost = append(sc.Lost, ControlLoss{
			Control: c.ID, Title: c.Title, Category: c.Category, Source: c.Source,
			Old: round2(oc.Achieved), New: round2(c.Achieved), Lost: round2(lost),
			Rules: union(oc.Rules, c.Rules),
		})
	}
	sc.PointsLost = round2(total)
	sort.Slice(sc.Lost, func(i, j int) bool {
		if sc.Lost[i].Lost != sc.Lost[j].Lost {
			return sc.Lost[i].Lost > sc.Lost[j].Lost
		}
		return sc.Lost[i].Control < sc.Lost[j].Control
	})
	return sc
}

func rounded(f result.Figure) *result.Figure {
	return &result.Figure{Points: round2(f.Points), Max: round2(f.Max), Percent: round2(f.Percent)}
}

// round2 rounds to hundredths, so float noise (0.30000000000000004) never reaches a report.
func round2(x float64) float64 {
	r := math.Round(x*100) / 100
	if r == 0 {
		return 0 // not -0
	}
	return r
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
