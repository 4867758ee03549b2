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
// of latency per request, Graph's maximum page sizes and Microsoft's documented limits on the
// real clock, and reports the requests made and the wall time against the lower bound
// (Report.LowerBound): the longest chain of requests that must follow one another (each page
// needs the previous page's nextLink; groupMembers needs its inputs) times the latency, or,
// when longer, the time a family's requests need under its documented limit (the identity
// and access reports' five per ten seconds: userRegistrationDetails' pages and the
// signInActivity reads; signInActivity's ten per minute). No request may be over a limit.
// It takes about nine minutes, most of them the ten signInActivity reads a minute allows: give
// go test a -timeout above its default ten minutes.
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
		bound += rep.LowerBound(latency)
		requests += rep.Graph.Requests
		if n := *got.Sources["entra.users"].Count; n != 100000 {
			b.Fatalf("collected %d users, want 100000", n)
		}
		for _, p := range rep.Paced {
			b.Logf("%s: cost %d, limit %d per %s, waited %s", p.Family, p.Cost, p.Limit, p.Window, p.Waited.Round(time.Millisecond))
		}
		b.Logf("entra.users: %s", usersMessage(rep))
	}
	if st := run.Server.Stats(); st.Limited > 0 {
		b.Errorf("%d requests over Microsoft's documented limits; the client's pacing must keep within them", st.Limited)
	}
	n := float64(b.N)
	b.ReportMetric(float64(requests)/n, "requests/op")
	b.ReportMetric(wall.Seconds()/n, "wall-s/op")
	b.ReportMetric(bound.Seconds()/n, "bound-s/op")
	b.ReportMetric(wall.Seconds()/bound.Seconds(), "x-bound")
}
