package engine

import (
	"context"
	"reflect"
	"testing"

	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

// TestResultSources checks that a result carries the snapshot's record of its sources as the
// snapshot wrote it, so a report re-rendered from the result says what was not collected.
func TestResultSources(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/orgrule"}})
	if err != nil {
		t.Fatal(err)
	}
	member := map[string]any{"id": "m1", "userPrincipalName": "ann@t.onmicrosoft.com", "userType": "Member", "accountEnabled": true}
	tests := []struct {
		name string
		snap *snapshot.Snapshot
		want map[string]result.Source
	}{
		{"every source ok", doc(t, map[string]any{"users": []any{member}, "roleAssignments": []any{}}, nil),
			map[string]result.Source{"entra.users": {Status: "ok"}, "entra.roleAssignments": {Status: "ok"}}},
		{"a forbidden and an unlicensed source", doc(t, map[string]any{"users": []any{member}},
			map[string]string{"entra.roleAssignments": "forbidden", "entra.riskyUsers": "unlicensed"}),
			map[string]result.Source{
				"entra.users":           {Status: "ok"},
				"entra.roleAssignments": {Status: "forbidden", Message: "needs something"},
				"entra.riskyUsers":      {Status: "unlicensed", Message: "needs something"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := eng.Evaluate(context.Background(), tt.snap, nil, EvalOptions{Baselines: []string{"org"}})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Snapshot.Sources, tt.want) {
				t.Errorf("result sources = %+v, want %+v", res.Snapshot.Sources, tt.want)
			}
		})
	}
}

// TestResultSourcesAsJudged checks that the result records a source as the rules saw it: a
// count copied (0 kept apart from none), a source whose objects cannot be counted or that is
// marked ok but absent recorded as error with the reason.
func TestResultSourcesAsJudged(t *testing.T) {
	member := map[string]any{"id": "m1", "userPrincipalName": "ann@t.onmicrosoft.com", "userType": "Member", "accountEnabled": true}
	withCount := doc(t, map[string]any{"users": []any{member}, "groups": []any{}}, map[string]string{"entra.roleAssignments": "error"})
	withCount.Sources["entra.groups"] = snapshot.Source{Status: snapshot.StatusOK, Count: new(0)}
	absent := doc(t, map[string]any{"users": []any{member}}, nil)
	absent.Sources["entra.groups"] = snapshot.Source{Status: snapshot.StatusOK}
	tests := []struct {
		name     string
		in       *Input
		key      string
		want     result.Source
		wantKeys int
	}{
		{"a count of 0", &Input{snap: withCount}, "entra.groups", result.Source{Status: "ok", Count: new(0)}, 3},
		{"no count", &Input{snap: withCount}, "entra.users", result.Source{Status: "ok"}, 3},
		{"a failed source", &Input{snap: withCount}, "entra.roleAssignments", result.Source{Status: "error", Message: "needs something"}, 3},
		{"objects that cannot be counted", &Input{snap: withCount, unusable: map[string]string{"entra.users": "entra.users: 1 of 1 users lack accountEnabled"}},
			"entra.users", result.Source{Status: "error", Message: "entra.users: 1 of 1 users lack accountEnabled"}, 3},
		{"marked ok but absent", &Input{snap: absent}, "entra.groups", result.Source{Status: "error", Message: "marked ok but missing from the snapshot"}, 2},
		{"no sources", &Input{snap: &snapshot.Snapshot{}}, "", result.Source{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resultSources(tt.in)
			if len(got) != tt.wantKeys {
				t.Fatalf("resultSources gave %d sources, want %d: %+v", len(got), tt.wantKeys, got)
			}
			if tt.key != "" && !reflect.DeepEqual(got[tt.key], tt.want) {
				t.Errorf("resultSources[%s] = %+v, want %+v", tt.key, got[tt.key], tt.want)
			}
		})
	}
}
