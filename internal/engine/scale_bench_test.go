//go:build unix

package engine

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

// scaleSizes are the user counts of BenchmarkEvaluateScale, smallest first.
var scaleSizes = []int{25000, 50000, 100000}

// BenchmarkEvaluateScale evaluates every rule on generated tenants of 25,000, 50,000 and
// 100,000 users (the same 300 Conditional Access policies; one group per 5 users and one managed
// device per 2) and reports, in one run, each size's evaluation cost per user, as wall time
// (us/user-Nk) and as the process's CPU time (cpu-us/user-Nk: user and system, all goroutines,
// garbage collection included), which another program on the machine disturbs far less. From
// the CPU times it reports ratio-100k/25k (per-user cost at 100,000 over that at 25,000: 1 when
// cost is proportional to users, above 1 when it grows faster) and the line through the 25,000
// and 100,000 points, cpu = fixed + marginal x users (cpu-fixed-ms, cpu-us/user-marginal). Most
// of an evaluation does not depend on the number of users (policies, classes of sign-ins,
// baseline settings, the demo's services), so the per-user figure falls as users grow.
func BenchmarkEvaluateScale(b *testing.B) {
	ctx := context.Background()
	cfg := benchConfig(b)
	eng, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	inputs := make([]*Input, len(scaleSizes))
	for i, n := range scaleSizes {
		snap, err := snapshot.Parse("synth.json", synth.Generate(synth.Options{
			Users: n, Groups: n / 5, Policies: 300, Devices: n / 2, Services: demo.Snapshot, Seed: 1,
		}))
		if err != nil {
			b.Fatal(err)
		}
		if inputs[i], err = Prepare(ctx, snap); err != nil {
			b.Fatal(err)
		}
	}
	// Each evaluation starts from a collected heap. Otherwise a collection that the previous
	// evaluation's garbage set off runs, concurrently, into the next one's figures: marking the
	// three tenants held here (over a gigabyte) costs more CPU than evaluating 25,000 users, and it
	// was the smallest tenant, evaluated right after the largest, that paid for it (25,000 users
	// then took longer than 50,000). posture check itself leaves the collector off until the heap
	// nears a limit (see cmd/posture), so the figures without it are the ones that matter.
	evaluate := func(in *Input) (wall, cpu time.Duration) {
		runtime.GC()
		start, cpu0 := time.Now(), processCPU(b)
		res, err := eng.EvaluateInput(ctx, in, cfg, EvalOptions{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		wall, cpu = time.Since(start), processCPU(b)-cpu0
		if res.Summary.Error > 0 {
			b.Fatalf("%d rules errored on the synthetic tenant", res.Summary.Error)
		}
		return wall, cpu
	}
	for _, in := range inputs {
		evaluate(in) // prepares the query, outside the figures
	}
	walls, cpus := make([]time.Duration, len(scaleSizes)), make([]time.Duration, len(scaleSizes))
	for b.Loop() {
		for i, in := range inputs {
			w, c := evaluate(in)
			walls[i] += w
			cpus[i] += c
		}
	}
	perUser := func(d time.Duration, i int) float64 {
		return d.Seconds() / float64(b.N) / float64(scaleSizes[i]) * 1e6
	}
	for i, n := range scaleSizes {
		b.ReportMetric(perUser(walls[i], i), fmt.Sprintf("us/user-%dk", n/1000))
		b.ReportMetric(perUser(cpus[i], i), fmt.Sprintf("cpu-us/user-%dk", n/1000))
	}
	last := len(scaleSizes) - 1
	b.ReportMetric(perUser(cpus[last], last)/perUser(cpus[0], 0), "ratio-100k/25k")
	c0, c1 := cpus[0].Seconds()/float64(b.N), cpus[last].Seconds()/float64(b.N)
	marginal := (c1 - c0) / float64(scaleSizes[last]-scaleSizes[0])
	b.ReportMetric(marginal*1e6, "cpu-us/user-marginal")
	b.ReportMetric((c0-marginal*float64(scaleSizes[0]))*1e3, "cpu-fixed-ms")
}

// processCPU is the CPU time (user and system) the process has used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
