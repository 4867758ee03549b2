package collect

import (
	"testing"
	"time"

	"github.com/m365posture/posture/internal/graph"
)

// TestLowerBound: the bound is the longest chain times the latency, or the time the most
// limited family's requests need under its documented limit, whichever is longer.
func TestLowerBound(t *testing.T) {
	const latency = 50 * time.Millisecond
	chain := []SourceReport{{Key: "entra.users", Chain: 101}} // 5.05 s
	reports := graph.Paced{Family: "identity and access reports", Limit: 5, Window: 10 * time.Second}
	signIn := graph.Paced{Family: "signInActivity", Limit: 10, Window: time.Minute}
	with := func(p graph.Paced, cost int) graph.Paced { p.Cost = cost; return p }
	tests := []struct {
		name  string
		paced []graph.Paced
		want  time.Duration
	}{
		{"no family fills: the chain", []graph.Paced{with(reports, 5)}, 101 * latency},
		{"one more than fits: a window later", []graph.Paced{with(reports, 6)}, 10*time.Second + latency},
		{"reports: 153 need 30 windows more", []graph.Paced{with(reports, 153)}, 300*time.Second + latency},
		{"signInActivity: 89 need 8 minutes more", []graph.Paced{with(reports, 153), with(signIn, 89)}, 8*time.Minute + latency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Sources: chain, Paced: tt.paced}
			if got := r.LowerBound(latency); got != tt.want {
				t.Errorf("LowerBound = %s, want %s", got, tt.want)
			}
		})
	}
}
