// Package framework computes a result's framework view: a verdict for every control of each
// framework catalog (CISA SCuBA, CIS M365), from the findings of the rules that cite it.
package framework

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/result"
)

// Skipped is a rule of the catalog that was not evaluated, and why: its citations still tell
// a reader which controls it would have judged.
type Skipped struct {
	RuleID     string
	Frameworks map[string][]string
	Why        string // e.g. "disabled by the config"
}

// Views computes the framework view of findings for every catalog, keyed by framework id. A
// control's verdict, from the findings of the rules that cite it:
//
//   - fail when a violation that is not excepted breaks it;
//   - else error when a rule behind it is error;
//   - else excepted when it has violations and every one is excepted;
//   - else not_applicable when every rule behind it is not_applicable;
//   - else pass;
//   - not_checked, with the reason, when no evaluated rule cites it: the catalog's reason, or
//     the rules that would have and why they did not run.
//
// A violation breaks the controls it names (result.Violation.Controls), or every control its
// rule cites when it names none; result.PostureControl breaks none. Findings must be sorted by
// rule id, as a result's are.
func Views(fws []baselines.Framework, findings []result.Finding, skipped []Skipped) map[string]*result.FrameworkResult {
	out := make(map[string]*result.FrameworkResult, len(fws))
	for i := range fws {
		out[fws[i].ID] = view(&fws[i], findings, skipped)
	}
	return out
}

// view computes one framework's view.
func view(fw *baselines.Framework, findings []result.Finding, skipped []Skipped) *result.FrameworkResult {
	behind := map[string][]int{} // control id -> indexes of findings that cite it
	var notes []string
	for i, f := range findings {
		for _, id := range f.Frameworks[fw.ID] {
			if _, ok := fw.Control(id); !ok {
				notes = append(notes, fmt.Sprintf("rule %s cites %s, which the %s catalog does not list; it counts for no control", f.RuleID, id, fw.ID))
				continue
			}
			if !slices.Contains(behind[id], i) {
				behind[id] = append(behind[id], i)
			}
		}
	}
	wouldHave := map[string][]string{} // control id -> "rule (why)" of skipped rules citing it
	for _, s := range skipped {
		for _, id := range s.Frameworks[fw.ID] {
			wouldHave[id] = append(wouldHave[id], fmt.Sprintf("%s (%s)", s.RuleID, s.Why))
		}
	}
	v := &result.FrameworkResult{
		Title:    fw.Title,
		Version:  fw.Source.Version,
		URL:      fw.Source.URL,
		Controls: make([]result.ControlResult, 0, len(fw.Controls)),
		Notes:    notes,
	}
	for _, c := range fw.Controls {
		cr := result.ControlResult{
			ID:         c.ID,
			Title:      c.Title,
			Level:      c.Level,
			Profile:    c.Profile,
			Rules:      []result.ControlRule{},
			Violations: []result.ControlViolation{},
		}
		idx := behind[c.ID]
		if len(idx) == 0 {
			cr.Verdict = result.VerdictNotChecked
			switch w := wouldHave[c.ID]; {
			case len(w) > 0:
				sort.Strings(w)
				cr.Reason = "not evaluated in this check: " + strings.Join(w, "; ")
			case c.Reason != "":
				cr.Reason = c.Reason
			default:
				cr.Reason = "no posture rule checks it"
			}
			v.Controls = append(v.Controls, cr)
			continue
		}
		for _, i := range idx {
			f := &findings[i]
			cr.Rules = append(cr.Rules, result.ControlRule{RuleID: f.RuleID, Status: f.Status, Message: f.Message})
			for _, vio := range f.Violations {
				if vio.Breaks(c.ID) {
					cr.Violations = append(cr.Violations, result.ControlViolation{RuleID: f.RuleID, Violation: vio})
				}
			}
		}
		cr.Verdict = verdict(cr)
		v.Controls = append(v.Controls, cr)
	}
	v.Tally()
	return v
}

// verdict decides a control with at least one rule behind it.
func verdict(c result.ControlResult) result.ControlVerdict {
	excepted := 0
	for _, v := range c.Violations {
		if !v.Excepted {
			return result.VerdictFail
		}
		excepted++
	}
	na := 0
	for _, r := range c.Rules {
		switch r.Status {
		case result.Error:
			return result.VerdictError
		case result.NotApplicable:
			na++
		}
	}
	switch {
	case excepted > 0:
		return result.VerdictExcepted
	case na == len(c.Rules):
		return result.VerdictNotApplicable
	}
	return result.VerdictPass
}
