package diff

import (
	"reflect"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

func withScore(s *result.Score) *Input {
	return &Input{File: "x.json", Result: &result.Result{Score: s}}
}

func TestCompareScore(t *testing.T) {
	old := &result.Score{
		Estimate: result.Figure{Points: 50, Max: 80, Percent: 62.5},
		Controls: []result.ControlScore{
			{ID: "AdminMFAV2", Title: "Require MFA for admins", Category: "Identity", Source: result.SourceEvaluated, Max: 10, Achieved: 10, Rules: []string{"ca.mfa_admins"}},
			{ID: "MFARegistrationV2", Category: "Identity", Source: result.SourceEvaluated, Max: 9, Achieved: 4.5, Rules: []string{"auth.registered"}},
			{ID: "BlockLegacyAuth", Category: "Identity", Source: result.SourceEvaluated, Max: 8, Achieved: 0, Rules: []string{"ca.legacy"}},
			{ID: "OldOnly", Category: "Data", Source: result.SourceReported, Max: 5, Achieved: 5},
			{ID: "Reported", Title: "Reported control", Category: "Apps", Source: result.SourceReported, Max: 3, Achieved: 3},
		},
	}
	new := &result.Score{
		Estimate: result.Figure{Points: 44.3, Max: 75, Percent: 59.07},
		Controls: []result.ControlScore{
			{ID: "AdminMFAV2", Title: "Require MFA for admins", Category: "Identity", Source: result.SourceEvaluated, Max: 10, Achieved: 0, Rules: []string{"ca.mfa_admins", "ca.mfa_admins_v2"}},
			{ID: "MFARegistrationV2", Category: "Identity", Source: result.SourceEvaluated, Max: 9, Achieved: 3.6, Rules: []string{"auth.registered"}},
			// A gain elsewhere does not offset a loss.
			{ID: "BlockLegacyAuth", Category: "Identity", Source: result.SourceEvaluated, Max: 8, Achieved: 8, Rules: []string{"ca.legacy"}},
			{ID: "Reported", Title: "Reported control", Category: "Apps", Source: result.SourceReported, Max: 3, Achieved: 1},
		},
	}
	got := compareScore(withScore(old), withScore(new))
	want := ScoreChange{
		Old:        &result.Figure{Points: 50, Max: 80, Percent: 62.5},
		New:        &result.Figure{Points: 44.3, Max: 75, Percent: 59.07},
		Change:     &Delta{Points: -5.7, Percent: -3.43},
		PointsLost: 12.9,
		Lost: []ControlLoss{
			{Control: "AdminMFAV2", Title: "Require MFA for admins", Category: "Identity", Source: result.SourceEvaluated, Old: 10, New: 0, Lost: 10, Rules: []string{"ca.mfa_admins", "ca.mfa_admins_v2"}},
			{Control: "Reported", Title: "Reported control", Category: "Apps", Source: result.SourceReported, Old: 3, New: 1, Lost: 2, Rules: []string{}},
			{Control: "MFARegistrationV2", Category: "Identity", Source: result.SourceEvaluated, Old: 4.5, New: 3.6, Lost: 0.9, Rules: []string{"auth.registered"}},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestCompareScoreMissing(t *testing.T) {
	s := &result.Score{Estimate: result.Figure{Points: 1, Max: 2, Percent: 50}}
	tests := []struct {
		name     string
		old, new *result.Score
		note     string
	}{
		{"neither", nil, nil, "no score: neither old.json nor new.json has a Secure Score estimate"},
		{"old", nil, s, "no score in old.json: the score change is not known"},
		{"new", s, nil, "no score in new.json: the score change is not known"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compareScore(&Input{File: "old.json", Result: &result.Result{Score: tt.old}}, &Input{File: "new.json", Result: &result.Result{Score: tt.new}})
			if got.Note != tt.note || got.Change != nil || got.PointsLost != 0 || len(got.Lost) != 0 {
				t.Errorf("got %+v; want note %q and no change", got, tt.note)
			}
			if (got.Old == nil) != (tt.old == nil) || (got.New == nil) != (tt.new == nil) {
				t.Errorf("figures %v, %v; want present as the scores are", got.Old, got.New)
			}
		})
	}
}
