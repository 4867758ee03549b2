package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/synth"
)

func TestToValueMatchesInterfaceToValue(t *testing.T) {
	big := make([]any, parallelMin+3)
	for i := range big {
		big[i] = map[string]any{"id": fmt.Sprint(i), "n": json.Number(fmt.Sprint(i)), "f": json.Number("1.5e300"), "ok": i%2 == 0,
			"tags": []any{"a", nil, json.Number("-7")}, "kind": []any{"Member", "Guest"}[i%2],
			"long": fmt.Sprintf("a string longer than the interned ones, number %d", i)}
	}
	tests := []struct {
		name string
		doc  map[string]any
	}{
		{"empty", map[string]any{}},
		{"small", map[string]any{"entra": map[string]any{"users": []any{map[string]any{"id": "u1"}}}, "schemaVersion": json.Number("1"), "version": 1}},
		{"large array", map[string]any{"entra": map[string]any{"users": big, "groupMembers": map[string]any{"g": []any{"u1"}}}}},
		{"values of every kind", map[string]any{"tenant": map[string]any{"id": "t"}, "x": []any{true, false, nil, 3.25, json.Number("12345678901234567890")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toValue(tt.doc, false)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ast.InterfaceToValue(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got.Compare(want) != 0 {
				t.Errorf("toValue differs from ast.InterfaceToValue")
			}
		})
	}
}

// TestConsumeMatchesPrepare prepares a generated tenant both ways: the inputs are the same, and
// Consume leaves the large arrays of the snapshot empty and everything else as it was.
func TestConsumeMatchesPrepare(t *testing.T) {
	ctx := context.Background()
	data := synth.Generate(synth.Options{Users: 5000, Groups: 50, Policies: 10, Seed: 3})
	parse := func() *snapshot.Snapshot {
		s, err := snapshot.Parse("synthetic", data)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	kept, consumed := parse(), parse()
	want, err := Prepare(ctx, kept)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Consume(ctx, consumed)
	if err != nil {
		t.Fatal(err)
	}
	if got.value.Compare(want.value) != 0 {
		t.Error("Consume's input differs from Prepare's")
	}
	tests := []struct {
		key      string
		released bool
	}{
		{"users", true},                   // 5000 objects
		{"userRegistrationDetails", true}, // 5000 objects
		{"groups", false},
		{"conditionalAccessPolicies", false},
		{"subscribedSkus", false},
	}
	for _, tt := range tests {
		before := kept.Entra[tt.key].([]any)
		after := consumed.Entra[tt.key].([]any)
		if len(after) != len(before) {
			t.Errorf("entra.%s: %d elements after Consume, %d before", tt.key, len(after), len(before))
		}
		nils := 0
		for _, x := range after {
			if x == nil {
				nils++
			}
		}
		if tt.released && nils != len(after) || !tt.released && nils != 0 {
			t.Errorf("entra.%s: %d of %d elements released; want released %v", tt.key, nils, len(after), tt.released)
		}
		if !consumed.Known("entra." + tt.key) {
			t.Errorf("entra.%s is no longer known after Consume", tt.key)
		}
	}
	if len(got.unusable) != len(want.unusable) {
		t.Errorf("unusable sources %v, want %v", got.unusable, want.unusable)
	}
}

// TestBuiltSnapshotMatchesDecoded: a snapshot whose large collections were built as OPA terms
// while decoding gives the Input a decoded one gives, prepared or consumed, with the same
// verdict on the shape of every source.
func TestBuiltSnapshotMatchesDecoded(t *testing.T) {
	ctx := context.Background()
	data := synth.Generate(synth.Options{Users: 6000, Groups: 300, Policies: 20, Devices: 5000, Services: demo.Snapshot, Seed: 3})
	for _, consume := range []bool{false, true} {
		decoded, err := snapshot.Parse("synth", data)
		if err != nil {
			t.Fatal(err)
		}
		built, err := snapshot.ParseWith("synth", data, SnapshotBuilder())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := built.Entra["users"].([]any)[0].(*ast.Term); !ok {
			t.Fatalf("users were not built: %T", built.Entra["users"].([]any)[0])
		}
		prepare := Prepare
		if consume {
			prepare = Consume
		}
		want, err := prepare(ctx, decoded)
		if err != nil {
			t.Fatal(err)
		}
		got, err := prepare(ctx, built)
		if err != nil {
			t.Fatal(err)
		}
		if got.value.Compare(want.value) != 0 {
			t.Errorf("consume %t: the built snapshot's input differs", consume)
		}
		if fmt.Sprint(got.unusable) != fmt.Sprint(want.unusable) {
			t.Errorf("consume %t: unusable %v, want %v", consume, got.unusable, want.unusable)
		}
	}
}
