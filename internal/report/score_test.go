package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/result"
)

func scoreSample() *result.Score {
	diff, ms := 0.75, 6.75
	return &result.Score{
		Estimate:           result.Figure{Points: 258.9, Max: 507, Percent: 51.07},
		Reported:           &result.Reported{Figure: result.Figure{Points: 261.15, Max: 507, Percent: 51.51}, At: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)},
		Projected:          result.Figure{Points: 266.9, Max: 507, Percent: 52.64},
		Achievable:         result.Figure{Points: 500, Max: 507, Percent: 98.62},
		AchievableAccepted: result.Figure{Points: 493, Max: 507, Percent: 97.24},
		Categories:         []result.CategoryScore{{Category: "Identity", Figure: result.Figure{Points: 55.46, Max: 85, Percent: 65.25}}},
		Controls: []result.ControlScore{{ID: "MFARegistrationV2", Category: "Identity", Max: 9, Achieved: 7.5, Status: result.ControlPartial,
			Source: result.SourceEvaluated, Reported: &ms, Difference: &diff, Reason: "posture counts 20 of 24 covered"}},
		Actions: []result.Action{
			{Control: "scid_102", Title: "LSA protection", Gain: 8, GainPercent: 1.58, UserImpact: "low", ImplementationCost: "low", QuickWin: true},
			{Control: "UserRiskPolicy", Title: "User risk policy", Gain: 7, GainPercent: 1.38, UserImpact: "moderate", ImplementationCost: "moderate", Blocked: "needs a licence the tenant lacks: AAD_PREMIUM_P2"},
		},
		Comparisons: []result.Comparison{{Basis: "AllTenants", Points: 268, Percent: 52.86}},
		Products: []result.ProductScore{
			{ID: "entra", Name: "Microsoft Entra ID", Status: result.ProductPresent, Evidence: "every Microsoft 365 tenant has it", Editions: []string{"Entra ID P1"},
				MissingEditions: []string{"Entra ID P2"}, Counted: 12, Labelled: []string{"SigninRiskPolicy", "UserRiskPolicy"}},
			{ID: "defender-vulnerability-management", Name: "Microsoft Defender Vulnerability Management", Status: result.ProductAbsent,
				Evidence: "no usable subscription carries WINDEFATP, TVM_PREMIUM_1 (MDE_LITE is there, but does not bring this product)",
				LeftOut:  []string{"scid_2012", "scid_2013"}, LeftOutMax: 19},
		},
		NotOffered: []string{"scid_27", "scid_28"}, NotOfferedMax: 16,
		Trend: []result.TrendPoint{{At: time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC), Percent: 49.24, Points: 249.65, Max: 507}, {At: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), Percent: 51.07, Points: 258.9, Max: 507, Estimate: true}},
		Notes: []string{"a note"},
	}
}

func TestScoreText(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *result.Score)
		limit  int
		want   []string
		absent []string
	}{
		{name: "every part", want: []string{
			"estimate              258.9/507", "51.07%", "Microsoft reported    261.15/507  51.51%  on 2026-11-21",
			"with risk acceptance  493/507", "Identity  55.46/85  65.25%",
			"AllTenants  52.86%  268 points",
			"+8  +1.58%  impact low       cost low       scid_102", "quick win", "blocked: needs a licence the tenant lacks: AAD_PREMIUM_P2",
			"  Identity       MFARegistrationV2     7.5/9  partial              evaluated  Microsoft 6.75", "      +0.75: posture counts 20 of 24 covered",
			"2026-11-18  49.24%  249.65/507  Microsoft", "2026-11-22  51.07%  258.9/507   posture estimate",
			"  - a note",
			"  Microsoft Entra ID                           present  every Microsoft 365 tenant has it",
			"  Microsoft Defender Vulnerability Management: 2 control(s) worth 19 points left out of the maximum: scid_2012, scid_2013",
			"  Microsoft Entra ID: 2 control(s) kept in the maximum without points, edition missing (Entra ID P2): SigninRiskPolicy, UserRiskPolicy",
			"Not offered: 2 control(s) worth 16 points left out of the maximum, not in the tenant's controlProfiles: scid_27, scid_28"}},
		{name: "actions capped", limit: 1, want: []string{"… and 1 more (see --format json)"}, absent: []string{"User risk policy"}},
		{name: "nothing to do, nothing reported", change: func(s *result.Score) {
			s.Actions, s.Reported, s.Comparisons, s.Trend, s.Notes, s.Products, s.NotOffered = nil, nil, nil, nil, nil, nil, nil
		}, want: []string{"none: every counted control is at its maximum"},
			absent: []string{"Microsoft reported", "Similar organisations", "Trend", "Notes", "Products", "Not offered"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := scoreSample()
			if tt.change != nil {
				tt.change(s)
			}
			var b bytes.Buffer
			if err := (scoreText{Options{Actions: tt.limit}}).Render(&b, s); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, b.String())
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(b.String(), a) {
					t.Errorf("output has %q:\n%s", a, b.String())
				}
			}
		})
	}
}

func TestScoreLine(t *testing.T) {
	s := scoreSample()
	want := "Secure Score estimate 258.9/507 (51.07%), Microsoft reported 51.51% on 2026-11-21, projected 52.64%; `posture score` explains every point"
	if got := scoreLine(s); got != want {
		t.Errorf("scoreLine = %q, want %q", got, want)
	}
	if got := scoreLine(nil); got != "" {
		t.Errorf("scoreLine(nil) = %q, want nothing", got)
	}
}
