package score

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

const testCatalog = `
sources:
  - {id: doc, what: a document, url: "https://learn.microsoft.com/x"}
servicePlans:
  AAD_PREMIUM: 41781fb2-bc02-4b7c-bd55-b576c07bb09d
  AAD_PREMIUM_P2: eec0eb4f-6444-4f95-aba0-50c24d67f998
  EXCHANGE_S_ENTERPRISE: efb87545-963c-4e0d-99df-69c6916d9eb0
  WINDEFATP: 871d91ec-ec1a-452b-a83f-bd76c7d770ef
  MDE_LITE: 292cc034-7b7c-4950-aaf5-943befd3f1d4
  TVM_PREMIUM_1: 36810a13-b903-490a-aa45-afbeb7540832
products:
  - id: entra
    name: Microsoft Entra ID
    services: [AzureAD]
    always: true
    servicePlans: []
    enabledServices: []
    editions: [{name: Entra ID P2, servicePlans: [AAD_PREMIUM_P2]}]
    from: [doc]
  - {id: mdo, name: Defender for Office 365, services: [MDO], servicePlans: [EXCHANGE_S_ENTERPRISE], enabledServices: [HasMDOP2], from: [doc]}
  - id: dvm
    name: Defender Vulnerability Management
    services: [MDATP]
    servicePlans: [WINDEFATP, TVM_PREMIUM_1]
    enabledServices: [HasMDEP2]
    insufficient: [MDE_LITE]
    editions: [{name: Defender for Endpoint Plan 2, servicePlans: [WINDEFATP]}, {name: Defender Vulnerability Management, servicePlans: [TVM_PREMIUM_1]}]
    from: [doc]
controls:
  - {id: AdminMFAV2, title: MFA for admins, category: Identity, service: AzureAD, maxScore: 10, licenses: [], userImpact: low, implementationCost: low, actionType: Config, from: [doc]}
  - {id: UserRiskPolicy, title: User risk policy, category: Identity, service: AzureAD, maxScore: 7, licenses: [AAD_PREMIUM_P2], userImpact: moderate, implementationCost: moderate, actionType: Config, from: [doc]}
  - {id: mdo_safelinks, title: Safe Links, category: Apps, service: MDO, maxScore: 8, licenses: [], userImpact: low, implementationCost: moderate, actionType: Config, from: [doc]}
  - {id: mdo_zap, title: ZAP, category: Apps, service: MDO, maxScore: 4, licenses: [], userImpact: low, implementationCost: low, actionType: Config, from: [doc]}
  - {id: mdo_new, title: New control, category: Apps, service: MDO, maxScore: null, licenses: [], userImpact: low, implementationCost: low, actionType: Config, from: [doc]}
  - {id: scid_2012, title: Real-time protection, category: Device, service: MDATP, maxScore: 10, licenses: [WINDEFATP, TVM_PREMIUM_1], userImpact: low, implementationCost: low, actionType: Config, from: [doc]}
  - {id: scid_2013, title: PUA protection, category: Device, service: MDATP, maxScore: 9, licenses: [WINDEFATP, TVM_PREMIUM_1], userImpact: low, implementationCost: low, actionType: Config, from: [doc]}
`

func testCat(t *testing.T) *baselines.Catalog {
	t.Helper()
	c, err := baselines.ParseCatalog("test.yaml", []byte(testCatalog))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tenant builds a snapshot; p2 says whether it holds Entra ID P2, ms whether it carries
// Microsoft's secureScore data. It always holds Entra ID P1 and Exchange Online.
func tenant(t *testing.T, p2, ms bool) *snapshot.Snapshot {
	t.Helper()
	plans := []string{"41781fb2-bc02-4b7c-bd55-b576c07bb09d", "efb87545-963c-4e0d-99df-69c6916d9eb0"}
	if p2 {
		plans = append(plans, "eec0eb4f-6444-4f95-aba0-50c24d67f998")
	}
	return tenantWith(t, plans, msSources(ms), msData(ms))
}

// tenantWith builds a snapshot whose one subscription carries the given servicePlanIds (nil:
// subscribedSkus were not read), with the given secureScore sources and data.
func tenantWith(t *testing.T, plans []string, sources, data string) *snapshot.Snapshot {
	t.Helper()
	skus, entra := `, "entra.subscribedSkus": {"status": "forbidden"}`, `{}`
	if plans != nil {
		var ps []string
		for _, id := range plans {
			ps = append(ps, `{"servicePlanId": "`+id+`", "provisioningStatus": "Success"}`)
		}
		skus = `, "entra.subscribedSkus": {"status": "ok"}`
		entra = `{"subscribedSkus": [{"capabilityStatus": "Enabled", "servicePlans": [` + strings.Join(ps, ", ") + `]}]}`
	}
	doc := `{"schemaVersion": 1, "collectedAt": "2026-11-22T12:00:00Z",
	  "tenant": {"id": "00000000-0000-4000-8000-000000000001", "displayName": "T", "defaultDomain": "t.onmicrosoft.com"},
	  "sources": {"entra.users": {"status": "ok"}` + skus + sources + `},
	  "entra": ` + entra + data + `}`
	s, err := snapshot.Parse("test.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func msSources(ms bool) string {
	if !ms {
		return `, "secureScore.scores": {"status": "forbidden", "message": "needs SecurityEvents.Read.All"}, "secureScore.controlProfiles": {"status": "forbidden"}`
	}
	return `, "secureScore.scores": {"status": "ok"}, "secureScore.controlProfiles": {"status": "ok"}`
}

func msData(ms bool) string {
	if !ms {
		return ""
	}
	return `, "secureScore": {
	  "scores": [
	    {"createdDateTime": "2026-11-21T00:00:00Z", "currentScore": 17, "maxScore": 40,
	     "controlScores": [
	       {"controlName": "AdminMFAV2", "controlCategory": "Identity", "score": 10, "scoreInPercentage": 100, "lastSynced": "2026-11-21T06:00:00Z"},
	       {"controlName": "mdo_safelinks", "controlCategory": "Apps", "score": 0, "scoreInPercentage": 0, "lastSynced": "2026-11-21T06:00:00Z"},
	       {"controlName": "aad_linkedin", "controlCategory": "Identity", "description": "LinkedIn off", "score": 2, "scoreInPercentage": 50, "count": "1", "total": "2"}],
	     "averageComparativeScores": [{"basis": "AllTenants", "averageScore": 50, "identityScore": 12, "appsScore": "8"}]},
	    {"createdDateTime": "2026-08-01T00:00:00Z", "currentScore": 1, "maxScore": 40},
	    {"createdDateTime": "2026-11-20T00:00:00Z", "currentScore": 15, "maxScore": 40}],
	  "controlProfiles": [
	    {"id": "AdminMFAV2", "title": "Live title", "controlCategory": "Identity", "maxScore": 12, "deprecated": false},
	    {"id": "mdo_zap", "maxScore": 4, "deprecated": true}]}`
}

func finding(rule string, st result.Status, controls []string, opts ...func(*result.Finding)) result.Finding {
	f := result.Finding{RuleID: rule, Status: st, SecureScore: controls, Remediation: "fix " + rule}
	for _, o := range opts {
		o(&f)
	}
	return f
}

func coverage(c, t int) func(*result.Finding) {
	return func(f *result.Finding) { f.Coverage = &result.Coverage{Covered: c, Total: t} }
}

func excepted(status string) func(*result.Finding) {
	return func(f *result.Finding) {
		f.Status = result.Excepted
		f.Exception = &result.Exception{Status: status, Reason: "because", Expires: "2027-01-31"}
	}
}

func TestCompute(t *testing.T) {
	type want struct {
		status           string
		achieved, max    float64
		licensed         bool
		source           string
		reportedPoints   *float64
		reasonContaining string
	}
	pts := func(f float64) *float64 { return &f }
	tests := []struct {
		name                                      string
		p2, ms                                    bool
		findings                                  []result.Finding
		controls                                  map[string]want
		estimate, projected, achievable, accepted result.Figure
		notes                                     []string // substrings each expected in some note
	}{
		{
			name: "catalog only: pass, coverage, unlicensed, note on missing Microsoft data",
			findings: []result.Finding{
				finding("entra.admin_mfa", result.Fail, []string{"AdminMFAV2"}, coverage(3, 4)),
				finding("ca.user_risk", result.NotApplicable, []string{"UserRiskPolicy"}),
				finding("mdo.safe_links", result.Pass, []string{"mdo_safelinks"}),
				finding("mdo.zap", result.Warn, []string{"mdo_zap"}),
			},
			controls: map[string]want{
				"AdminMFAV2":     {status: result.ControlPartial, achieved: 7.5, max: 10, licensed: true, source: result.SourceEvaluated},
				"UserRiskPolicy": {status: result.ControlUnlicensed, achieved: 0, max: 7, licensed: false, source: result.SourceEvaluated},
				"mdo_safelinks":  {status: result.ControlAchieved, achieved: 8, max: 8, licensed: true, source: result.SourceEvaluated},
				"mdo_zap":        {status: result.ControlNotAchieved, achieved: 0, max: 4, licensed: true, source: result.SourceEvaluated},
			},
			estimate:   result.Figure{Points: 15.5, Max: 29, Percent: 53.45},
			projected:  result.Figure{Points: 15.5, Max: 29, Percent: 53.45},
			achievable: result.Figure{Points: 22, Max: 29, Percent: 75.86},
			accepted:   result.Figure{Points: 22, Max: 29, Percent: 75.86},
			notes:      []string{"secureScore.scores is forbidden (needs SecurityEvents.Read.All)"},
		},
		{
			name: "exceptions: third party earns, planned projects, risk accepted leaves the achievable score",
			p2:   true,
			findings: []result.Finding{
				finding("entra.admin_mfa", result.Fail, []string{"AdminMFAV2"}, excepted(result.ControlThirdParty)),
				finding("ca.user_risk", result.Fail, []string{"UserRiskPolicy"}, excepted(result.ControlRiskAccepted)),
				finding("mdo.safe_links", result.Fail, []string{"mdo_safelinks"}, excepted(result.ControlPlanned)),
				finding("mdo.zap", result.Pass, []string{"mdo_zap"}, excepted(result.ControlAlternateMitigation)),
			},
			controls: map[string]want{
				"AdminMFAV2":     {status: result.ControlThirdParty, achieved: 10, max: 10, licensed: true, source: result.SourceEvaluated},
				"UserRiskPolicy": {status: result.ControlRiskAccepted, achieved: 0, max: 7, licensed: true, source: result.SourceEvaluated},
				"mdo_safelinks":  {status: result.ControlPlanned, achieved: 0, max: 8, licensed: true, source: result.SourceEvaluated},
				"mdo_zap":        {status: result.ControlAlternateMitigation, achieved: 4, max: 4, licensed: true, source: result.SourceEvaluated},
			},
			estimate:   result.Figure{Points: 14, Max: 29, Percent: 48.28},
			projected:  result.Figure{Points: 22, Max: 29, Percent: 75.86},
			achievable: result.Figure{Points: 29, Max: 29, Percent: 100},
			accepted:   result.Figure{Points: 22, Max: 29, Percent: 75.86},
		},
		{
			name: "no points without the licence, even where the rule passes",
			findings: []result.Finding{
				finding("ca.user_risk", result.Pass, []string{"UserRiskPolicy"}),
				finding("entra.admin_mfa", result.Pass, []string{"AdminMFAV2"}),
			},
			controls: map[string]want{
				"UserRiskPolicy": {status: result.ControlUnlicensed, achieved: 0, max: 7, licensed: false, source: result.SourceEvaluated},
				"AdminMFAV2":     {status: result.ControlAchieved, achieved: 10, max: 10, licensed: true, source: result.SourceEvaluated},
			},
			estimate:   result.Figure{Points: 10, Max: 17, Percent: 58.82},
			projected:  result.Figure{Points: 10, Max: 17, Percent: 58.82},
			achievable: result.Figure{Points: 10, Max: 17, Percent: 58.82},
			accepted:   result.Figure{Points: 10, Max: 17, Percent: 58.82},
		},
		{
			name: "fail closed: an error in any rule of a control leaves it unverified with no points",
			p2:   true,
			findings: []result.Finding{
				finding("entra.admin_mfa", result.Pass, []string{"AdminMFAV2"}),
				finding("entra.admin_mfa_b", result.Error, []string{"AdminMFAV2"}),
				finding("mdo.safe_links", result.Pass, []string{"mdo_safelinks"}),
				finding("mdo.safe_links_b", result.Fail, []string{"mdo_safelinks"}, coverage(1, 4)),
			},
			controls: map[string]want{
				"AdminMFAV2":    {status: result.ControlUnverified, achieved: 0, max: 10, licensed: true, source: result.SourceEvaluated},
				"mdo_safelinks": {status: result.ControlPartial, achieved: 2, max: 8, licensed: true, source: result.SourceEvaluated},
			},
			estimate:   result.Figure{Points: 2, Max: 18, Percent: 11.11},
			projected:  result.Figure{Points: 2, Max: 18, Percent: 11.11},
			achievable: result.Figure{Points: 18, Max: 18, Percent: 100},
			accepted:   result.Figure{Points: 18, Max: 18, Percent: 100},
		},
		{
			name: "live profiles and reported controls: live max wins, unevaluated controls keep Microsoft's points, deprecated left out",
			p2:   true,
			ms:   true,
			findings: []result.Finding{
				finding("entra.admin_mfa", result.Fail, []string{"AdminMFAV2"}),
				finding("mdo.safe_links", result.Pass, []string{"mdo_safelinks"}),
				finding("mdo.zap", result.Pass, []string{"mdo_zap"}),
			},
			controls: map[string]want{
				"AdminMFAV2":    {status: result.ControlNotAchieved, achieved: 0, max: 12, licensed: true, source: result.SourceEvaluated, reportedPoints: pts(10), reasonContaining: "30 hours before the snapshot"},
				"mdo_safelinks": {status: result.ControlAchieved, achieved: 8, max: 8, licensed: true, source: result.SourceEvaluated, reportedPoints: pts(0), reasonContaining: "24-48 hours"},
				"aad_linkedin":  {status: result.ControlReported, achieved: 2, max: 4, licensed: true, source: result.SourceReported, reportedPoints: pts(2)},
			},
			estimate:   result.Figure{Points: 10, Max: 24, Percent: 41.67},
			projected:  result.Figure{Points: 10, Max: 24, Percent: 41.67},
			achievable: result.Figure{Points: 24, Max: 24, Percent: 100},
			accepted:   result.Figure{Points: 24, Max: 24, Percent: 100},
			notes:      []string{"mdo_zap: Microsoft has deprecated it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute(tenant(t, tt.p2, tt.ms), tt.findings, testCat(t))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]result.ControlScore{}
			for _, c := range s.Controls {
				got[c.ID] = c
			}
			if len(got) != len(tt.controls) {
				t.Errorf("counted %d controls %v, want %d", len(got), s.Controls, len(tt.controls))
			}
			for id, w := range tt.controls {
				c, ok := got[id]
				if !ok {
					t.Errorf("control %s not counted", id)
					continue
				}
				if c.Status != w.status || c.Achieved != w.achieved || c.Max != w.max || c.Licensed != w.licensed || c.Source != w.source {
					t.Errorf("%s = %s %g/%g licensed=%t %s, want %s %g/%g licensed=%t %s", id, c.Status, c.Achieved, c.Max, c.Licensed, c.Source,
						w.status, w.achieved, w.max, w.licensed, w.source)
				}
				if (c.Reported == nil) != (w.reportedPoints == nil) || (c.Reported != nil && *c.Reported != *w.reportedPoints) {
					t.Errorf("%s reported = %v, want %v", id, c.Reported, w.reportedPoints)
				}
				if !strings.Contains(c.Reason, w.reasonContaining) {
					t.Errorf("%s reason = %q, want it to contain %q", id, c.Reason, w.reasonContaining)
				}
			}
			for _, f := range []struct {
				name      string
				got, want result.Figure
			}{{"estimate", s.Estimate, tt.estimate}, {"projected", s.Projected, tt.projected},
				{"achievable", s.Achievable, tt.achievable}, {"achievableWithRiskAcceptance", s.AchievableAccepted, tt.accepted}} {
				if f.got != f.want {
					t.Errorf("%s = %+v, want %+v", f.name, f.got, f.want)
				}
			}
			for _, n := range tt.notes {
				if !strings.Contains(strings.Join(s.Notes, "\n"), n) {
					t.Errorf("notes %q lack %q", s.Notes, n)
				}
			}
		})
	}
}

func TestComputeMicrosoftFigures(t *testing.T) {
	s, err := Compute(tenant(t, true, true), []result.Finding{finding("entra.admin_mfa", result.Pass, []string{"AdminMFAV2"})}, testCat(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Reported == nil || s.Reported.Points != 17 || s.Reported.Percent != 42.5 || s.Reported.At.Format("2006-01-02") != "2026-11-21" {
		t.Errorf("reported = %+v, want 17/40 = 42.5%% from the newest object (2026-11-21)", s.Reported)
	}
	// The August score is more than 90 days before the newest: outside the trend.
	if len(s.Trend) != 2 || s.Trend[0].Points != 15 || s.Trend[1].Points != 17 {
		t.Errorf("trend = %+v, want the 20 and 21 November scores, oldest first", s.Trend)
	}
	if len(s.Comparisons) != 1 || s.Comparisons[0].Points != 20 || s.Comparisons[0].Percent != 50 || s.Comparisons[0].Categories["apps"] != 8 {
		t.Errorf("comparisons = %+v, want AllTenants 50%% of 20 points (identity 12 + apps \"8\")", s.Comparisons)
	}
	if len(s.Categories) != 2 || s.Categories[0].Category != "Identity" || s.Categories[1].Category != "Apps" {
		t.Fatalf("categories = %+v, want Identity then Apps", s.Categories)
	}
	// Identity: AdminMFAV2 12/12 and aad_linkedin 2/4; Microsoft reports 10 + 2.
	if id := s.Categories[0]; id.Points != 14 || id.Max != 16 || id.Reported == nil || id.Reported.Points != 12 {
		t.Errorf("identity = %+v (reported %+v), want 14/16, reported 12", id, id.Reported)
	}
}

func TestComputeRejectsMalformedData(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"score not a number", `"currentScore": 17`, `"currentScore": "lots"`, `$.secureScore.scores[0].currentScore: lots; expected a number`},
		{"negative points", `"score": 10,`, `"score": -1,`, `$.secureScore.scores[0].controlScores[0].score: -1; expected a number`},
		{"bad time", `"createdDateTime": "2026-11-20T00:00:00Z"`, `"createdDateTime": "yesterday"`, `$.secureScore.scores[2].createdDateTime: yesterday; expected an RFC 3339 time`},
		{"profile without id", `{"id": "mdo_zap",`, `{`, `$.secureScore.controlProfiles[1].id: missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tenant(t, true, true)
			doc := strings.Replace(msData(true), tt.old, tt.new, 1)
			if doc == msData(true) {
				t.Fatalf("test data lacks %q", tt.old)
			}
			fixed, err := snapshot.Parse("test.json", []byte(`{"schemaVersion": 1, "tenant": {"id": "x"}, "sources": {"secureScore.scores": {"status": "ok"}, "secureScore.controlProfiles": {"status": "ok"}}`+doc+`}`))
			if err != nil {
				t.Fatalf("test snapshot: %v", err)
			}
			s.SecureScore = fixed.SecureScore
			_, err = Compute(s, nil, testCat(t))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestActions(t *testing.T) {
	s, err := Compute(tenant(t, false, false), []result.Finding{
		finding("entra.admin_mfa", result.Fail, []string{"AdminMFAV2"}),              // 10, low/low: quick win
		finding("ca.user_risk", result.Fail, []string{"UserRiskPolicy"}),             // 7, unlicensed: blocked
		finding("mdo.safe_links", result.Fail, []string{"mdo_safelinks"}),            // 8, low/moderate: 8/3
		finding("mdo.zap", result.Fail, []string{"mdo_zap"}, coverage(1, 2)),         // 2, low/low: quick win
		finding("entra.other", result.Pass, []string{"AdminMFAV2", "mdo_safelinks"}), // does not lift a failing control
	}, testCat(t))
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, a := range s.Actions {
		order = append(order, a.Control)
	}
	if got, want := strings.Join(order, " "), "AdminMFAV2 mdo_zap mdo_safelinks UserRiskPolicy"; got != want {
		t.Fatalf("actions = %s, want %s (quick wins by points, then points per effort, blocked last)", got, want)
	}
	a := s.Actions
	if !a[0].QuickWin || a[2].QuickWin || a[3].QuickWin {
		t.Errorf("quick wins = %t %t %t %t, want true true false false", a[0].QuickWin, a[1].QuickWin, a[2].QuickWin, a[3].QuickWin)
	}
	if a[3].Blocked != "needs an edition the tenant lacks: Entra ID P2 (AAD_PREMIUM_P2)" {
		t.Errorf("blocked = %q", a[3].Blocked)
	}
	if a[1].Gain != 2 || a[1].GainPercent != 6.9 || a[0].Remediation != "fix entra.admin_mfa" {
		t.Errorf("mdo_zap gain = %g (%g%%), AdminMFAV2 remediation %q; want 2 (6.9%%) and the failing rule's remediation", a[1].Gain, a[1].GainPercent, a[0].Remediation)
	}
}

func TestReason(t *testing.T) {
	cnt, tot := 18.0, 24.0
	synced := func(s string) controlScore {
		ms := controlScore{}
		ms.LastSynced, _ = time.Parse(time.RFC3339, s)
		return ms
	}
	tests := []struct {
		name   string
		status string
		state  string // Microsoft's control state
		cov    *result.Coverage
		ms     controlScore
		want   string
	}{
		{"unverified", result.ControlUnverified, "", nil, synced("2026-11-22T00:00:00Z"), "could not evaluate r1 (status error)"},
		{"third party in the portal only", result.ControlNotAchieved, "ThirdParty", nil, synced("2026-11-22T00:00:00Z"), "no third_party exception for r1"},
		{"risk accepted in the portal", result.ControlAchieved, "Ignored", nil, synced("2026-11-22T00:00:00Z"), "marked risk accepted in the Microsoft Defender portal"},
		{"exception in the config only", result.ControlThirdParty, "Default", nil, synced("2026-11-22T00:00:00Z"), "config's third_party exception earns the points in posture"},
		{"planned but done", result.ControlPlanned, "", nil, synced("2026-11-22T00:00:00Z"), "the exception may be out of date"},
		{"counts differ", result.ControlPartial, "", &result.Coverage{Covered: 20, Total: 24}, controlScore{Count: &cnt, Total: &tot}, "posture counts 20 of 24 covered, Microsoft 18 of 24"},
		{"recent sync", result.ControlAchieved, "", nil, synced("2026-11-21T12:00:00Z"), "24 hours before the snapshot"},
		{"old sync", result.ControlAchieved, "", nil, synced("2026-11-01T12:00:00Z"), "21 days before the snapshot"},
		{"sync after the snapshot", result.ControlAchieved, "", nil, synced("2026-11-23T12:00:00Z"), "Microsoft's check and posture's rules disagree"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := estimator{
				snap: &snapshot.Snapshot{},
				ms:   &microsoft{profiles: map[string]profile{"C": {State: tt.state}}},
			}
			e.snap.CollectedAt, _ = time.Parse(time.RFC3339, "2026-11-22T12:00:00Z")
			c := &control{ControlScore: result.ControlScore{ID: "C", Status: tt.status, Rules: []string{"r1"}, Coverage: tt.cov}}
			if got := e.reason(c, tt.ms); !strings.Contains(got, tt.want) {
				t.Errorf("reason = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

// TestCreditFollowsPostureJudgement checks that a finding earns Secure Score credit by
// posture's own judgement: violations that break framework controls alone cost no points.
func TestCreditFollowsPostureJudgement(t *testing.T) {
	vio := func(excepted bool, controls ...string) result.Violation {
		return result.Violation{Msg: "m", Kind: result.KindWarn, Excepted: excepted, Controls: controls}
	}
	withViolations := func(vs ...result.Violation) func(*result.Finding) {
		return func(f *result.Finding) { f.Violations = vs }
	}
	exception := func(status string) func(*result.Finding) {
		return func(f *result.Finding) {
			f.Exception = &result.Exception{Status: status, Reason: "r", Expires: "2027-01-31"}
		}
	}
	tests := []struct {
		name        string
		f           result.Finding
		now, proj   float64
		creditState string
	}{
		{"a warning that breaks a CIS control only earns the points",
			finding("entra.global_admin_count", result.Warn, nil, withViolations(vio(false, "1.1.3"))), 1, 1, ""},
		{"a warning that breaks two frameworks' controls earns the points",
			finding("r", result.Warn, nil, withViolations(vio(false, "MS.AAD.3.2v2", "5.2.2.2"))), 1, 1, ""},
		{"a deny that names framework controls is posture's judgement too",
			finding("entra.app_registration_restricted", result.Fail, nil, withViolations(result.Violation{Msg: "m", Kind: result.KindDeny, Controls: []string{"MS.AAD.5.1v1", "5.1.2.2"}})), 0, 0, ""},
		{"a deny beside a framework-only warning costs the points",
			finding("r", result.Fail, nil, withViolations(result.Violation{Msg: "m", Kind: result.KindDeny}, vio(false, "MS.EXO.4.2v1"))), 0, 0, ""},
		{"with coverage, it earns the coverage",
			finding("r", result.Warn, nil, coverage(3, 4), withViolations(vio(false, "MS.AAD.3.2v2"))), 0.75, 0.75, ""},
		{"posture's own judgement costs the points",
			finding("r", result.Warn, nil, withViolations(vio(false, "posture"))), 0, 0, ""},
		{"posture beside a framework control costs the points",
			finding("r", result.Fail, nil, withViolations(vio(false, "posture", "5.1.5.1"))), 0, 0, ""},
		{"a violation that names no controls breaks posture's rule",
			finding("r", result.Fail, nil, withViolations(vio(false))), 0, 0, ""},
		{"one posture violation among framework-only ones costs the points",
			finding("r", result.Fail, nil, withViolations(vio(false, "MS.EXO.4.2v1"), vio(false, "posture"))), 0, 0, ""},
		{"framework-only beside an excepted posture violation earns what the exception earns",
			finding("r", result.Fail, nil, exception(result.ControlThirdParty), withViolations(vio(true, "posture"), vio(false, "1.1.3"))),
			1, 1, result.ControlThirdParty},
		{"a risk-accepted exception beside framework-only violations earns nothing",
			finding("r", result.Fail, nil, exception(result.ControlRiskAccepted), withViolations(vio(true), vio(false, "1.1.3"))),
			0, 0, result.ControlRiskAccepted},
		{"only excepted violations: the finding's own status decides",
			finding("r", result.Fail, nil, withViolations(vio(true, "1.1.3"))), 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := creditOf(tt.f)
			if !ok {
				t.Fatal("creditOf says the finding says nothing about the control")
			}
			if c.now != tt.now || c.projected != tt.proj || c.status != tt.creditState {
				t.Errorf("credit = now %v, projected %v, status %q; want %v, %v, %q", c.now, c.projected, c.status, tt.now, tt.proj, tt.creditState)
			}
		})
	}
}

// TestProducts: a control whose product the tenant lacks leaves the maximum; one whose
// edition it lacks stays, without points, labelled with the edition.
func TestProducts(t *testing.T) {
	const (
		p1   = "41781fb2-bc02-4b7c-bd55-b576c07bb09d"
		exo  = "efb87545-963c-4e0d-99df-69c6916d9eb0"
		mde2 = "871d91ec-ec1a-452b-a83f-bd76c7d770ef"
		mde1 = "292cc034-7b7c-4950-aaf5-943befd3f1d4"
		tvm  = "36810a13-b903-490a-aa45-afbeb7540832"
	)
	noMS := msSources(false)
	findings := []result.Finding{
		finding("entra.admin_mfa", result.Pass, []string{"AdminMFAV2"}),
		finding("ca.user_risk", result.Fail, []string{"UserRiskPolicy"}),
		finding("mdo.safe_links", result.Pass, []string{"mdo_safelinks"}),
		finding("intune.defender", result.Pass, []string{"scid_2012", "scid_2013"}),
	}
	type prod struct {
		status, evidence string
		leftOut          string
		leftOutMax       float64
		labelled         string
	}
	tests := []struct {
		name     string
		plans    []string
		sources  string
		data     string
		estimate result.Figure
		products map[string]prod
		absent   []string // control ids that must not be counted
		notes    []string
	}{
		{
			name:  "Intune tenant with Defender for Endpoint Plan 1 only: no scid_* in the maximum",
			plans: []string{p1, exo, mde1}, sources: noMS,
			estimate: result.Figure{Points: 18, Max: 25, Percent: 72},
			products: map[string]prod{
				"entra": {status: "present", evidence: "every Microsoft 365 tenant has it", labelled: "UserRiskPolicy"},
				"mdo":   {status: "present", evidence: "subscribedSkus carry EXCHANGE_S_ENTERPRISE"},
				"dvm": {status: "absent", evidence: "no usable subscription carries WINDEFATP, TVM_PREMIUM_1 (MDE_LITE is there, but does not bring this product)",
					leftOut: "scid_2012 scid_2013", leftOutMax: 19},
			},
			absent: []string{"scid_2012", "scid_2013"},
		},
		{
			name:  "E5 tenant: Defender for Endpoint Plan 2 keeps the scid_* controls",
			plans: []string{p1, exo, mde2}, sources: noMS,
			estimate: result.Figure{Points: 37, Max: 44, Percent: 84.09},
			products: map[string]prod{"dvm": {status: "present", evidence: "subscribedSkus carry WINDEFATP"}},
		},
		{
			name:  "Defender Vulnerability Management standalone brings the product too",
			plans: []string{p1, exo, mde1, tvm}, sources: noMS,
			estimate: result.Figure{Points: 37, Max: 44, Percent: 84.09},
			products: map[string]prod{"dvm": {status: "present", evidence: "subscribedSkus carry TVM_PREMIUM_1"}},
		},
		{
			name:  "licences unknown, enabledServices name the product",
			plans: nil, sources: `, "secureScore.scores": {"status": "ok"}, "secureScore.controlProfiles": {"status": "forbidden"}`,
			data:     `, "secureScore": {"scores": [{"createdDateTime": "2026-11-21T00:00:00Z", "currentScore": 1, "maxScore": 40, "enabledServices": ["HasAADP1", "HasMDEP2"]}]}`,
			estimate: result.Figure{Points: 37, Max: 44, Percent: 84.09},
			products: map[string]prod{
				"dvm": {status: "present", evidence: "Microsoft's enabledServices name HasMDEP2"},
				"mdo": {status: "unknown", evidence: "entra.subscribedSkus is forbidden, and Microsoft's enabledServices do not name it"},
			},
			notes: []string{"whether the tenant has Defender for Office 365 is unknown (entra.subscribedSkus is forbidden, and Microsoft's enabledServices do not name it): its 1 control(s) stay in the maximum"},
		},
		{
			name:  "Microsoft counting a control of the product shows the product",
			plans: []string{p1, exo}, sources: `, "secureScore.scores": {"status": "ok"}, "secureScore.controlProfiles": {"status": "forbidden"}`,
			data: `, "secureScore": {"scores": [{"createdDateTime": "2026-11-21T00:00:00Z", "currentScore": 1, "maxScore": 40,
			  "controlScores": [{"controlName": "scid_2013", "controlCategory": "Device", "score": 0, "scoreInPercentage": 0}]}]}`,
			estimate: result.Figure{Points: 18, Max: 44, Percent: 40.91},
			products: map[string]prod{"dvm": {status: "present", evidence: "Microsoft's secureScores count its control scid_2013",
				labelled: "scid_2012 scid_2013"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute(tenantWith(t, tt.plans, tt.sources, tt.data), findings, testCat(t))
			if err != nil {
				t.Fatal(err)
			}
			if s.Estimate != tt.estimate {
				t.Errorf("estimate = %+v, want %+v", s.Estimate, tt.estimate)
			}
			got := map[string]result.ProductScore{}
			for _, p := range s.Products {
				got[p.ID] = p
			}
			if len(s.Products) != 3 {
				t.Errorf("products = %+v, want all 3 of the catalog", s.Products)
			}
			for id, w := range tt.products {
				p := got[id]
				if p.Status != w.status || p.Evidence != w.evidence || strings.Join(p.LeftOut, " ") != w.leftOut ||
					p.LeftOutMax != w.leftOutMax || strings.Join(p.Labelled, " ") != w.labelled {
					t.Errorf("product %s = %+v, want %+v", id, p, w)
				}
			}
			for _, c := range s.Controls {
				if slices.Contains(tt.absent, c.ID) {
					t.Errorf("control %s counted (%g/%g), but its product is absent", c.ID, c.Achieved, c.Max)
				}
				if c.ID == "UserRiskPolicy" && tt.plans != nil && (c.Status != result.ControlUnlicensed || strings.Join(c.MissingEditions, ",") != "Entra ID P2" || c.Max != 7) {
					t.Errorf("UserRiskPolicy = %+v; want unlicensed, kept at 7 points, labelled Entra ID P2", c)
				}
			}
			for _, n := range tt.notes {
				if !strings.Contains(strings.Join(s.Notes, "\n"), n) {
					t.Errorf("notes %q lack %q", s.Notes, n)
				}
			}
		})
	}
}

// TestControlCoverage: a rule's coverage of one control (controlCoverage) decides that
// control's points; the rule's own coverage decides the others.
func TestControlCoverage(t *testing.T) {
	withCC := func(cc map[string]result.Coverage) func(*result.Finding) {
		return func(f *result.Finding) { f.ControlCoverage = cc }
	}
	tests := []struct {
		name       string
		finding    result.Finding
		want       map[string]float64 // control -> points
		wantStatus map[string]string
	}{
		{
			name: "a failing rule earns full points for the control whose settings are all enforced",
			finding: finding("intune.defender", result.Fail, []string{"scid_2012", "scid_2013"}, coverage(3, 10),
				withCC(map[string]result.Coverage{"scid_2012": {Covered: 4, Total: 4}})),
			want:       map[string]float64{"scid_2012": 10, "scid_2013": 2.7},
			wantStatus: map[string]string{"scid_2012": result.ControlAchieved, "scid_2013": result.ControlPartial},
		},
		{
			name: "per-control coverage below the rule's own",
			finding: finding("intune.defender", result.Pass, []string{"scid_2012", "scid_2013"},
				withCC(map[string]result.Coverage{"scid_2012": {Covered: 1, Total: 4}, "scid_2013": {Covered: 0, Total: 2}})),
			want:       map[string]float64{"scid_2012": 2.5, "scid_2013": 0},
			wantStatus: map[string]string{"scid_2012": result.ControlPartial, "scid_2013": result.ControlNotAchieved},
		},
		{
			name:       "no controlCoverage: the rule's status decides",
			finding:    finding("intune.defender", result.Fail, []string{"scid_2012", "scid_2013"}),
			want:       map[string]float64{"scid_2012": 0, "scid_2013": 0},
			wantStatus: map[string]string{"scid_2012": result.ControlNotAchieved, "scid_2013": result.ControlNotAchieved},
		},
		{
			name: "an error still leaves every control unverified",
			finding: finding("intune.defender", result.Error, []string{"scid_2012", "scid_2013"},
				withCC(map[string]result.Coverage{"scid_2012": {Covered: 4, Total: 4}})),
			want:       map[string]float64{"scid_2012": 0, "scid_2013": 0},
			wantStatus: map[string]string{"scid_2012": result.ControlUnverified, "scid_2013": result.ControlUnverified},
		},
	}
	plans := []string{"41781fb2-bc02-4b7c-bd55-b576c07bb09d", "871d91ec-ec1a-452b-a83f-bd76c7d770ef"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute(tenantWith(t, plans, msSources(false), ""), []result.Finding{tt.finding}, testCat(t))
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			for _, c := range s.Controls {
				w, ok := tt.want[c.ID]
				if !ok {
					continue
				}
				seen++
				if c.Achieved != w || c.Status != tt.wantStatus[c.ID] {
					t.Errorf("%s = %s %g/%g, want %s %g", c.ID, c.Status, c.Achieved, c.Max, tt.wantStatus[c.ID], w)
				}
			}
			if seen != len(tt.want) {
				t.Errorf("counted %d of the %d controls: %+v", seen, len(tt.want), s.Controls)
			}
		})
	}
}

// TestUnknownMaximum: a catalog control whose points no source establishes counts only where
// the tenant's controlProfiles give them.
func TestUnknownMaximum(t *testing.T) {
	plans := []string{"41781fb2-bc02-4b7c-bd55-b576c07bb09d", "efb87545-963c-4e0d-99df-69c6916d9eb0"}
	f := []result.Finding{finding("mdo.new", result.Pass, []string{"mdo_new"})}
	profiles := `, "secureScore": {"controlProfiles": [{"id": "mdo_new", "maxScore": 6}]}`
	live := `, "secureScore.scores": {"status": "forbidden"}, "secureScore.controlProfiles": {"status": "ok"}`
	tests := []struct {
		name          string
		sources, data string
		max           float64 // 0: not counted
		note          string
	}{
		{"no profiles: left out with a note", msSources(false), "", 0,
			"left out control(s) mdo_new: no public source establishes their points and the snapshot's controlProfiles do not give them"},
		{"the live profile gives the points", live, profiles, 6, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute(tenantWith(t, plans, tt.sources, tt.data), f, testCat(t))
			if err != nil {
				t.Fatal(err)
			}
			got := 0.0
			for _, c := range s.Controls {
				if c.ID == "mdo_new" {
					got = c.Max
				}
			}
			if got != tt.max || s.Estimate.Max != tt.max {
				t.Errorf("mdo_new max = %g, estimate %+v; want %g", got, s.Estimate, tt.max)
			}
			if tt.note != "" && !strings.Contains(strings.Join(s.Notes, "\n"), tt.note) {
				t.Errorf("notes %q lack %q", s.Notes, tt.note)
			}
		})
	}
}

func TestNeededEditions(t *testing.T) {
	eds := []baselines.Edition{
		{Name: "P1", ServicePlans: []string{"AAD_PREMIUM", "AAD_PREMIUM_P2"}},
		{Name: "P2", ServicePlans: []string{"AAD_PREMIUM_P2"}},
		{Name: "MDE P2", ServicePlans: []string{"WINDEFATP"}},
		{Name: "DVM", ServicePlans: []string{"TVM_PREMIUM_1"}},
	}
	tests := []struct {
		licences []string
		want     string
	}{
		{[]string{"AAD_PREMIUM_P2"}, "P2"},
		{[]string{"AAD_PREMIUM", "AAD_PREMIUM_P2"}, "P1"},
		{[]string{"WINDEFATP", "TVM_PREMIUM_1"}, "MDE P2,DVM"},
		{[]string{"AAD_PREMIUM"}, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(neededEditions(eds, tt.licences), ","); got != tt.want {
			t.Errorf("neededEditions(%v) = %q, want %q", tt.licences, got, tt.want)
		}
	}
}

// TestCategoryFromLiveProfiles: the tenant's controlProfiles category wins over the catalog's
// (the public exports and a tenant's live profiles file some aad_* controls differently); the
// catalog's is the fallback.
func TestCategoryFromLiveProfiles(t *testing.T) {
	plans := []string{"41781fb2-bc02-4b7c-bd55-b576c07bb09d", "efb87545-963c-4e0d-99df-69c6916d9eb0"}
	live := `, "secureScore.scores": {"status": "forbidden"}, "secureScore.controlProfiles": {"status": "ok"}`
	f := []result.Finding{finding("entra.admin_mfa", result.Pass, []string{"AdminMFAV2"})}
	tests := []struct {
		name, sources, data, want string
	}{
		{"no profiles: the catalog's", msSources(false), "", "Identity"},
		{"a live profile says Apps", live, `, "secureScore": {"controlProfiles": [{"id": "AdminMFAV2", "maxScore": 10, "controlCategory": "apps"}]}`, "Apps"},
		{"a live profile without a category: the catalog's", live, `, "secureScore": {"controlProfiles": [{"id": "AdminMFAV2", "maxScore": 10}]}`, "Identity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute(tenantWith(t, plans, tt.sources, tt.data), f, testCat(t))
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Controls) != 1 || s.Controls[0].Category != tt.want || len(s.Categories) != 1 || s.Categories[0].Category != tt.want {
				t.Errorf("controls %+v, categories %+v; want category %s", s.Controls, s.Categories, tt.want)
			}
		})
	}
}

// TestNotOffered: when the tenant's controlProfiles were read and list something, a catalog
// control they do not list (and Microsoft's controlScores do not count) leaves the maximum as
// not offered; without live profiles nothing changes.
func TestNotOffered(t *testing.T) {
	const (
		p1   = "41781fb2-bc02-4b7c-bd55-b576c07bb09d"
		exo  = "efb87545-963c-4e0d-99df-69c6916d9eb0"
		mde2 = "871d91ec-ec1a-452b-a83f-bd76c7d770ef"
	)
	findings := []result.Finding{
		finding("entra.admin_mfa", result.Pass, []string{"AdminMFAV2"}),
		finding("mdo.safe_links", result.Pass, []string{"mdo_safelinks"}),
		finding("mdo.zap", result.Pass, []string{"mdo_zap"}),
		finding("mdo.new", result.Pass, []string{"mdo_new"}),
		finding("intune.defender", result.Fail, []string{"scid_2012"}),
	}
	profilesOK := `, "secureScore.scores": {"status": "forbidden"}, "secureScore.controlProfiles": {"status": "ok"}`
	bothOK := `, "secureScore.scores": {"status": "ok"}, "secureScore.controlProfiles": {"status": "ok"}`
	tests := []struct {
		name          string
		plans         []string
		sources, data string
		estimate      result.Figure
		notOffered    string
		notOfferedMax float64
		productLeft   string // the dvm product's leftOut
		note          string
	}{
		{
			name: "live profiles list AdminMFAV2 and a deprecated mdo_zap: the rest is not offered", plans: []string{p1, exo, mde2},
			sources: profilesOK, data: `, "secureScore": {"controlProfiles": [{"id": "AdminMFAV2", "maxScore": 10}, {"id": "mdo_zap", "maxScore": 4, "deprecated": true}]}`,
			estimate:   result.Figure{Points: 10, Max: 10, Percent: 100},
			notOffered: "mdo_new mdo_safelinks scid_2012", notOfferedMax: 18,
			note: "left out control mdo_zap: Microsoft has deprecated it",
		},
		{
			name: "a control Microsoft's controlScores count is offered, though no profile lists it", plans: []string{p1, exo, mde2},
			sources: bothOK, data: `, "secureScore": {"controlProfiles": [{"id": "AdminMFAV2", "maxScore": 10}],
			  "scores": [{"createdDateTime": "2026-11-21T00:00:00Z", "currentScore": 18, "maxScore": 18,
			    "controlScores": [{"controlName": "mdo_safelinks", "controlCategory": "Apps", "score": 8, "scoreInPercentage": 100}]}]}`,
			estimate:   result.Figure{Points: 18, Max: 18, Percent: 100},
			notOffered: "mdo_new mdo_zap scid_2012", notOfferedMax: 14,
		},
		{
			name: "the profile gives a catalog control without points its maximum", plans: []string{p1, exo, mde2},
			sources: profilesOK, data: `, "secureScore": {"controlProfiles": [{"id": "AdminMFAV2", "maxScore": 10}, {"id": "mdo_new", "maxScore": 6}]}`,
			estimate:   result.Figure{Points: 16, Max: 16, Percent: 100},
			notOffered: "mdo_safelinks mdo_zap scid_2012", notOfferedMax: 22,
		},
		{
			name: "an absent product keeps its controls on the product, not among the not offered", plans: []string{p1, exo},
			sources: profilesOK, data: `, "secureScore": {"controlProfiles": [{"id": "AdminMFAV2", "maxScore": 10}]}`,
			estimate:   result.Figure{Points: 10, Max: 10, Percent: 100},
			notOffered: "mdo_new mdo_safelinks mdo_zap", notOfferedMax: 12, productLeft: "scid_2012",
		},
		{
			name: "profiles read but empty: nothing is left out for them", plans: []string{p1, exo, mde2},
			sources: profilesOK, data: `, "secureScore": {"controlProfiles": []}`,
			estimate: result.Figure{Points: 22, Max: 32, Percent: 68.75},
			note:     "left out control(s) mdo_new: no public source establishes their points",
		},
		{
			name: "profiles not collected: nothing is left out for them", plans: []string{p1, exo, mde2},
			sources: msSources(false), data: "",
			estimate: result.Figure{Points: 22, Max: 32, Percent: 68.75},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compute(tenantWith(t, tt.plans, tt.sources, tt.data), findings, testCat(t))
			if err != nil {
				t.Fatal(err)
			}
			if s.Estimate != tt.estimate {
				t.Errorf("estimate = %+v, want %+v", s.Estimate, tt.estimate)
			}
			if got := strings.Join(s.NotOffered, " "); got != tt.notOffered || s.NotOfferedMax != tt.notOfferedMax {
				t.Errorf("notOffered = %q worth %g, want %q worth %g", got, s.NotOfferedMax, tt.notOffered, tt.notOfferedMax)
			}
			for _, p := range s.Products {
				if p.ID == "dvm" && strings.Join(p.LeftOut, " ") != tt.productLeft {
					t.Errorf("dvm leftOut = %q, want %q", p.LeftOut, tt.productLeft)
				}
			}
			for _, c := range s.Controls {
				if slices.Contains(s.NotOffered, c.ID) {
					t.Errorf("control %s is both counted and not offered", c.ID)
				}
			}
			if tt.note != "" && !strings.Contains(strings.Join(s.Notes, "\n"), tt.note) {
				t.Errorf("notes %q lack %q", s.Notes, tt.note)
			}
		})
	}
}
