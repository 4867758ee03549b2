package diff

import (
	"reflect"
	"testing"

	"github.com/m365posture/posture/internal/result"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		old, new result.Status
		want     Class
	}{
		{result.Pass, result.Pass, Neutral},
		{result.Pass, result.Fail, Regression},
		{result.Pass, result.Warn, Regression},
		{result.Warn, result.Fail, Regression},
		{result.Fail, result.Warn, Improvement},
		{result.Fail, result.Pass, Improvement},
		{result.Warn, result.Pass, Improvement},
		{result.Fail, result.Excepted, Improvement},
		{result.Fail, result.NotApplicable, Improvement},
		// The good statuses are equally good.
		{result.Pass, result.Excepted, Neutral},
		{result.Excepted, result.NotApplicable, Neutral},
		{result.NotApplicable, result.Pass, Neutral},
		// Fail closed: losing sight of a rule is never better.
		{result.Pass, result.Error, Regression},
		{result.Excepted, result.Error, Regression},
		{result.Warn, result.Error, Regression},
		{result.Fail, result.Error, Regression},
		{result.Error, result.Pass, Improvement},
		{result.Error, result.NotApplicable, Improvement},
		{result.Error, result.Fail, Neutral},
		{result.Error, result.Warn, Neutral},
	}
	for _, tt := range tests {
		if got := classify(tt.old, tt.new); got != tt.want {
			t.Errorf("classify(%s, %s) = %s; want %s", tt.old, tt.new, got, tt.want)
		}
	}
}

func finding(id string, st result.Status, cov *result.Coverage, vs ...result.Violation) result.Finding {
	return result.Finding{RuleID: id, Title: "rule " + id, Status: st, Severity: result.High, Coverage: cov, Violations: vs}
}

func user(id string) result.Violation {
	return result.Violation{Msg: "user " + id + " is exposed", Entity: result.Entity{Type: "user", ID: id, Name: id + "@contoso.com"}}
}

func TestCompareFindings(t *testing.T) {
	excepted := user("u3")
	excepted.Excepted = true
	renamed := user("u1")
	renamed.Msg = "a different message"
	cov := func(c, total int) *result.Coverage { return &result.Coverage{Covered: c, Total: total} }
	tests := []struct {
		name     string
		old, new []result.Finding
		want     []FindingChange
	}{
		{
			name: "unchanged findings are not reported",
			old:  []result.Finding{finding("a", result.Pass, nil), finding("b", result.Fail, cov(1, 2), user("u1"))},
			new:  []result.Finding{finding("a", result.Pass, nil), finding("b", result.Fail, cov(1, 2), renamed)},
			want: []FindingChange{},
		},
		{
			name: "status changes, sorted by rule id",
			old:  []result.Finding{finding("z", result.Pass, nil), finding("a", result.Fail, nil, user("u1"))},
			new:  []result.Finding{finding("z", result.Error, nil), finding("a", result.Pass, nil)},
			want: []FindingChange{
				{RuleID: "a", Title: "rule a", Severity: result.High, Kind: FindingStatus, Class: Improvement, Old: result.Fail, New: result.Pass, ViolationsRemoved: []result.Violation{user("u1")}},
				{RuleID: "z", Title: "rule z", Severity: result.High, Kind: FindingStatus, Class: Regression, Old: result.Pass, New: result.Error},
			},
		},
		{
			name: "a new violation under the same status is a regression",
			old:  []result.Finding{finding("a", result.Fail, cov(8, 10), user("u1"), user("u2"))},
			new:  []result.Finding{finding("a", result.Fail, cov(7, 10), user("u2"), user("u1"), user("u4"))},
			want: []FindingChange{{RuleID: "a", Title: "rule a", Severity: result.High, Kind: FindingViolations, Class: Regression, Old: result.Fail, New: result.Fail,
				OldCoverage: cov(8, 10), NewCoverage: cov(7, 10), ViolationsAdded: []result.Violation{user("u4")}}},
		},
		{
			name: "a violation fixed is an improvement even when another entity is renamed",
			old:  []result.Finding{finding("a", result.Warn, nil, user("u1"), user("u2"))},
			new:  []result.Finding{finding("a", result.Warn, nil, renamed)},
			want: []FindingChange{{RuleID: "a", Title: "rule a", Severity: result.High, Kind: FindingViolations, Class: Improvement, Old: result.Warn, New: result.Warn,
				ViolationsRemoved: []result.Violation{user("u2")}}},
		},
		{
			name: "an excepted violation does not count",
			old:  []result.Finding{finding("a", result.Fail, nil, user("u1"))},
			new:  []result.Finding{finding("a", result.Fail, nil, user("u1"), excepted)},
			want: []FindingChange{},
		},
		{
			name: "lower coverage alone is a regression",
			old:  []result.Finding{finding("a", result.Fail, cov(5, 10))},
			new:  []result.Finding{finding("a", result.Fail, cov(4, 10))},
			want: []FindingChange{{RuleID: "a", Title: "rule a", Severity: result.High, Kind: FindingViolations, Class: Regression, Old: result.Fail, New: result.Fail,
				OldCoverage: cov(5, 10), NewCoverage: cov(4, 10)}},
		},
		{
			name: "a larger population at the same ratio is no change",
			old:  []result.Finding{finding("a", result.Pass, cov(10, 10))},
			new:  []result.Finding{finding("a", result.Pass, cov(12, 12))},
			want: []FindingChange{},
		},
		{
			name: "added rules count by their status, removed rules are neutral",
			old:  []result.Finding{finding("gone", result.Fail, nil)},
			new:  []result.Finding{finding("new-fail", result.Fail, nil), finding("new-pass", result.Pass, nil)},
			want: []FindingChange{
				{RuleID: "gone", Title: "rule gone", Severity: result.High, Kind: FindingRemoved, Class: Neutral, Old: result.Fail},
				{RuleID: "new-fail", Title: "rule new-fail", Severity: result.High, Kind: FindingAdded, Class: Regression, New: result.Fail},
				{RuleID: "new-pass", Title: "rule new-pass", Severity: result.High, Kind: FindingAdded, Class: Neutral, New: result.Pass},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compareFindings(tt.old, tt.new)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
