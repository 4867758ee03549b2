package graph

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestPacerNeverOverfills: whatever the order and timing of reservations, no window of a
// family's length plus the margin ever holds more than the family's limit.
func TestPacerNeverOverfills(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	targets := []string{"/auditLogs/signIns", "/users/u?$select=id,signInActivity", "/identity/conditionalAccess/policies", "/users?$select=id"}
	for round := range 200 {
		clock := &fakeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
		p := newPacer()
		p.now = clock.now
		type sent struct {
			at    time.Time
			costs []int
		}
		var all []sent
		for range 60 {
			clock.t = clock.t.Add(time.Duration(r.IntN(3000)) * time.Millisecond)
			var batch []string
			for range 1 + r.IntN(5) {
				batch = append(batch, targets[r.IntN(len(targets))])
			}
			if r.IntN(3) == 0 {
				batch = batch[:1]
			}
			at, _, err := p.reserve(batch)
			if err != nil {
				continue // over a whole limit (two Conditional Access items)
			}
			if at.Before(clock.t) {
				t.Fatalf("round %d: booked in the past", round)
			}
			costs := make([]int, len(families))
			for _, b := range batch {
				for i, c := range targetCosts(b) {
					costs[i] += c
				}
			}
			all = append(all, sent{at, costs})
		}
		for i, f := range families {
			w := f.window + paceMargin
			for _, x := range all {
				sum := 0
				for _, y := range all {
					if y.at.After(x.at.Add(-w)) && !y.at.After(x.at) {
						sum += y.costs[i]
					}
				}
				if sum > f.limit {
					t.Fatalf("round %d: %d of %s within %s up to %s, limit %d", round, sum, f.name, w, x.at, f.limit)
				}
			}
		}
	}
}
