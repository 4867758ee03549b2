package engine

import (
	"context"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

// benchTenant is the generated tenant of the benchmarks: 100,000 users, 300 Conditional
// Access policies, 20,000 groups, and the demo tenant's Exchange, Intune and Secure Score data
// with 50,000 managed devices (about 100 MB of JSON), so that every baseline has data.
func benchTenant(b *testing.B) *snapshot.Snapshot {
	b.Helper()
	snap, err := snapshot.Parse("synth.json", synth.Generate(synth.Options{
		Users: 100000, Groups: 20000, Policies: 300, Devices: 50000, Services: demo.Snapshot, Seed: 1,
	}))
	if err != nil {
		b.Fatal(err)
	}
	return snap
}

func benchConfig(b *testing.B) *config.Config {
	b.Helper()
	cfg, err := config.Parse("bench.yaml", []byte(synth.Config), ".")
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkEvaluate evaluates every rule on the prepared benchmark tenant, with the query
// already prepared (the first evaluation, outside the timer, prepares it).
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	in, err := Prepare(ctx, benchTenant(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg := benchConfig(b)
	eng, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	evaluate := func() {
		res, err := eng.EvaluateInput(ctx, in, cfg, EvalOptions{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.Error > 0 {
			b.Fatalf("%d rules errored on the synthetic tenant", res.Summary.Error)
		}
	}
	evaluate()
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		cpu0 := processCPU(b)
		evaluate()
		cpu += processCPU(b) - cpu0
	}
	// The process's CPU per evaluation: steadier than wall time on a busy machine.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkPrepare converts the benchmark tenant for evaluation, the step that precedes every
// Evaluate. It is measured apart so that each figure can be read on its own.
func BenchmarkPrepare(b *testing.B) {
	ctx := context.Background()
	snap := benchTenant(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Prepare(ctx, snap); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnusable checks the benchmark tenant against snapshot.Requirements, the part of
// Prepare that decides which sources are unusable. It is measured apart because the noise of
// Prepare's conversion hides it.
func BenchmarkUnusable(b *testing.B) {
	snap := benchTenant(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if u := snap.Unusable(); len(u) > 0 {
			b.Fatalf("the synthetic tenant has unusable sources: %v", u)
		}
	}
}

// The start-up of a check, step by step: reading the catalog (parsing every policy), compiling
// a selection, preparing its query, and evaluating the demo tenant.

func BenchmarkCatalog(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewCatalog(ctx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	cat, err := NewCatalog(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, sel := range []struct {
		name      string
		baselines []string
	}{{"azure-ad", []string{"azure-ad"}}, {"all", nil}} {
		b.Run(sel.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cat.Compile(ctx, sel.baselines); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPrepareQuery prepares the query of every rule, as the first evaluation of an engine
// does.
func BenchmarkPrepareQuery(b *testing.B) {
	ctx := context.Background()
	eng, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for g, s := range eng.shards {
			s.queries = queryCache{}
			var rules []Rule
			for _, r := range eng.rules {
				if eng.shardOf[r.ID] == g {
					rules = append(rules, r)
				}
			}
			if _, err := eng.prepared(ctx, s, rules); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEvaluateDemo evaluates every rule on the demo tenant with a prepared query.
func BenchmarkEvaluateDemo(b *testing.B) {
	ctx := context.Background()
	snap, err := snapshot.Parse("demo", demo.Snapshot)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Parse(demo.ConfigPath, demo.Config, ".")
	if err != nil {
		b.Fatal(err)
	}
	eng, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	in, err := Prepare(ctx, snap)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := eng.EvaluateInput(ctx, in, cfg, EvalOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eng.EvaluateInput(ctx, in, cfg, EvalOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
