package result

import (
	"fmt"
	"slices"
	"sort"
)

// ControlVerdict is the outcome of one framework control (a SCuBA policy, a CIS
// recommendation), from the rules that cite it and the violations that break it.
type ControlVerdict string

// The verdicts of a framework control, in the order summaries list them.
const (
	VerdictPass          ControlVerdict = "pass"
	VerdictFail          ControlVerdict = "fail"
	VerdictError         ControlVerdict = "error"
	VerdictNotApplicable ControlVerdict = "not_applicable"
	VerdictExcepted      ControlVerdict = "excepted"
	// VerdictNotChecked is a control no evaluated rule cites; its Reason says why.
	VerdictNotChecked ControlVerdict = "not_checked"
)

// ControlVerdicts lists every verdict in display order.
var ControlVerdicts = []ControlVerdict{VerdictPass, VerdictFail, VerdictError, VerdictNotApplicable, VerdictExcepted, VerdictNotChecked}

// PostureControl is the control a violation names when it is posture's own judgement, stricter
// than the frameworks its rule cites: it fails the rule but breaks no framework control.
const PostureControl = "posture"

// FrameworkResult is the framework view of a result for one framework: a verdict for every
// control of the framework's catalog, in the framework's order.
type FrameworkResult struct {
	Title    string          `json:"title"`
	Version  string          `json:"version"` // the version of the framework's text the catalog follows
	URL      string          `json:"url"`
	Summary  ControlSummary  `json:"summary"`
	Controls []ControlResult `json:"controls"`
	// Notes are what a reader of the view should know, e.g. a rule that cites an id the
	// catalog does not list (and so counts for no control).
	Notes []string `json:"notes,omitempty"`
}

// ControlSummary counts a framework's controls per verdict.
type ControlSummary struct {
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	Error         int `json:"error"`
	NotApplicable int `json:"not_applicable"`
	Excepted      int `json:"excepted"`
	NotChecked    int `json:"not_checked"`
}

// Count returns the number of controls with verdict v.
func (s ControlSummary) Count(v ControlVerdict) int {
	switch v {
	case VerdictPass:
		return s.Pass
	case VerdictFail:
		return s.Fail
	case VerdictError:
		return s.Error
	case VerdictNotApplicable:
		return s.NotApplicable
	case VerdictExcepted:
		return s.Excepted
	case VerdictNotChecked:
		return s.NotChecked
	}
	return 0
}

// Total is the number of controls.
func (s ControlSummary) Total() int {
	return s.Pass + s.Fail + s.Error + s.NotApplicable + s.Excepted + s.NotChecked
}

// Text is the summary as one line: "12 pass, 3 fail, 1 error, 0 not_applicable, 0 excepted, 54
// not_checked".
func (s ControlSummary) Text() string {
	out := ""
	for i, v := range ControlVerdicts {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%d %s", s.Count(v), v)
	}
	return out
}

// Tally recomputes the summary from the controls.
func (f *FrameworkResult) Tally() {
	var s ControlSummary
	for _, c := range f.Controls {
		switch c.Verdict {
		case VerdictPass:
			s.Pass++
		case VerdictFail:
			s.Fail++
		case VerdictError:
			s.Error++
		case VerdictNotApplicable:
			s.NotApplicable++
		case VerdictExcepted:
			s.Excepted++
		case VerdictNotChecked:
			s.NotChecked++
		}
	}
	f.Summary = s
}

// ControlResult is the verdict of one control and what it rests on.
type ControlResult struct {
	ID      string         `json:"id"`
	Title   string         `json:"title"`
	Level   string         `json:"level"`             // the framework's level: shall or should; L1 or L2
	Profile string         `json:"profile,omitempty"` // CIS's licence profile: E3 or E5
	Verdict ControlVerdict `json:"verdict"`
	// Reason says why a control is not_checked.
	Reason string `json:"reason,omitempty"`
	// Rules are the evaluated rules that cite the control, by rule id.
	Rules []ControlRule `json:"rules"`
	// Violations are the violations that break the control, in the order of their findings.
	Violations []ControlViolation `json:"violations"`
}

// ControlRule is a rule behind a control and its status in this result.
type ControlRule struct {
	RuleID  string `json:"ruleId"`
	Status  Status `json:"status"`
	Message string `json:"message,omitempty"`
}

// ControlViolation is a violation that breaks a control, with the rule that found it.
type ControlViolation struct {
	RuleID string `json:"ruleId"`
	Violation
}

// Breaks reports whether violation v breaks control id, a control its rule cites: a violation
// that names no controls breaks every control its rule cites; one that names controls breaks
// those (PostureControl is none of them).
func (v Violation) Breaks(id string) bool {
	if len(v.Controls) == 0 {
		return true
	}
	for _, c := range v.Controls {
		if c == id {
			return true
		}
	}
	return false
}

// checkFrameworks checks the framework view of a parsed result: every control has an id and a
// verdict renderers know.
func (r *Result) checkFrameworks(name string) error {
	ids := make([]string, 0, len(r.Frameworks))
	for id := range r.Frameworks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fw := r.Frameworks[id]
		if fw == nil {
			return fmt.Errorf("%s: $.frameworks.%s: null; expected the framework's view", name, id)
		}
		for i, c := range fw.Controls {
			if c.ID == "" {
				return fmt.Errorf("%s: $.frameworks.%s.controls[%d]: missing id", name, id, i)
			}
			if !slices.Contains(ControlVerdicts, c.Verdict) {
				return fmt.Errorf("%s: $.frameworks.%s.controls[%d].verdict: %q is not a verdict; expected one of pass, fail, error, not_applicable, excepted, not_checked", name, id, i, c.Verdict)
			}
		}
	}
	return nil
}
