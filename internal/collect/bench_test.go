package collect_test

import (
	"context"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

// BenchmarkCollect100k collects a synthetic 100,000-user tenant from the simulator with 50 ms
// of latency per request and Graph's maximum page sizes, and reports the requests made and the
// wall time against the lower bound: the longest chain of requests that must follow one
// another (each page needs the previous page's nextLink; groupMembers needs its inputs), times
// the latency.
func BenchmarkCollect100k(b *testing.B) {
	const latency = 50 * time.Millisecond
	snap, err := snapshot.Parse("synthetic tenant", synth.Generate(synth.Options{}))
	if err != nil {
		b.Fatal(err)
	}
	run, _ := startSim(b, snap, sim.Options{Latency: latency, PageSize: 999})
	var wall, bound time.Duration
	var requests int64
	for b.Loop() {
		_, c := clientFor(b, run, snap)
		start := time.Now()
		got, rep, err := collect.Run(context.Background(), c, collect.Options{})
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		bound += time.Duration(rep.LongestChain()) * latency
		requests += rep.Graph.Requests
		if n := *got.Sources["entra.users"].Count; n != 100000 {
			b.Fatalf("collected %d users, want 100000", n)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(requests)/n, "requests/op")
	b.ReportMetric(wall.Seconds()/n, "wall-s/op")
	b.ReportMetric(bound.Seconds()/n, "bound-s/op")
	b.ReportMetric(wall.Seconds()/bound.Seconds(), "x-bound")
}
