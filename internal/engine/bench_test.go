package engine

import (
	"context"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

// benchTenant is the generated tenant of the benchmarks: 100,000 users, 300 Conditional
// Access policies and 20,000 groups (about 80 MB of JSON).
func benchTenant(b *testing.B) *snapshot.Snapshot {
	b.Helper()
	snap, err := snapshot.Parse("synth.json", synth.Generate(synth.Options{Users: 100000, Groups: 20000, Policies: 300, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	return snap
}

// BenchmarkEvaluate evaluates the rules of the azure-ad baseline on the prepared benchmark
// tenant. Target: under 1 s and 1 GB per run.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	in, err := Prepare(ctx, benchTenant(b))
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Parse("bench.yaml", []byte("breakGlass:\n  groups: [Emergency access]\n"), ".")
	if err != nil {
		b.Fatal(err)
	}
	eng, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		// The synthetic tenant holds Entra data only: the other baselines' rules would be errors.
		res, err := eng.EvaluateInput(ctx, in, cfg, EvalOptions{Now: now, Baselines: []string{"azure-ad"}})
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.Error > 0 {
			b.Fatalf("%d rules errored on the synthetic tenant: %+v", res.Summary.Error, res.Findings)
		}
	}
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
