package diff

import (
	"sort"

	"github.com/m365posture/posture/internal/result"
)

// Kinds of finding change.
const (
	FindingStatus     = "status"     // the status changed
	FindingAdded      = "added"      // the rule is new in NEW
	FindingRemoved    = "removed"    // the rule is not in NEW
	FindingViolations = "violations" // same status, different violations or coverage
)

// FindingChange is one rule whose outcome changed.
type FindingChange struct {
	RuleID   string          `json:"ruleId"`
	Title    string          `json:"title"`
	Severity result.Severity `json:"severity"`
	Kind     string          `json:"kind"`
	Class    Class           `json:"class"`
	// Old and New are the statuses; Old is empty for an added rule, New for a removed one.
	Old         result.Status    `json:"old,omitempty"`
	New         result.Status    `json:"new,omitempty"`
	OldCoverage *result.Coverage `json:"oldCoverage,omitempty"`
	NewCoverage *result.Coverage `json:"newCoverage,omitempty"`
	// ViolationsAdded and ViolationsRemoved are the violations whose entity (by id) is new or
	// gone; excepted violations do not count.
	ViolationsAdded   []result.Violation `json:"violationsAdded,omitempty"`
	ViolationsRemoved []result.Violation `json:"violationsRemoved,omitempty"`
}

// badness orders statuses from good to bad. pass, excepted and not_applicable are all good:
// moving between them is neither better nor worse.
func badness(s result.Status) int {
	switch s {
	case result.Warn:
		return 1
	case result.Fail:
		return 2
	case result.Error:
		return 3
	}
	return 0
}

// classify returns the class of a status change. A change to error is a regression from
// anything (fail closed: not knowing is never better than knowing), and a change from error
// is an improvement only when the rule now passes: error → fail says what was hidden, it
// does not make the tenant worse or better.
func classify(old, new result.Status) Class {
	switch {
	case old == new:
		return Neutral
	case new == result.Error:
		return Regression
	case old == result.Error && badness(new) > 0:
		return Neutral
	case badness(new) > badness(old):
		return Regression
	case badness(new) < badness(old):
		return Improvement
	}
	return Neutral
}

// compareFindings matches findings by rule id and returns the changes sorted by rule id. A
// new rule that does not pass is a regression (the gate must not pass on something it has
// not seen pass); a removed rule is neutral, since its absence proves nothing.
func compareFindings(old, new []result.Finding) []FindingChange {
	olds := byRule(old)
	news := byRule(new)
	out := []FindingChange{}
	for id, o := range olds {
		if _, ok := news[id]; !ok {
			out = append(out, FindingChange{RuleID: id, Title: o.Title, Severity: o.Severity, Kind: FindingRemoved, Class: Neutral, Old: o.Status, OldCoverage: o.Coverage})
		}
	}
	for id, n := range news {
		o, ok := olds[id]
		if !ok {
			out = append(out, FindingChange{RuleID: id, Title: n.Title, Severity: n.Severity, Kind: FindingAdded, Class: classify(result.Pass, n.Status), New: n.Status, NewCoverage: n.Coverage})
			continue
		}
		if c, changed := compareFinding(o, n); changed {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RuleID < out[j].RuleID })
	return out
}

// compareFinding returns the change between two findings of one rule, and whether there is one.
func compareFinding(o, n *result.Finding) (FindingChange, bool) {
	c := FindingChange{RuleID: n.RuleID, Title: n.Title, Severity: n.Severity, Old: o.Status, New: n.Status}
	c.ViolationsAdded, c.ViolationsRemoved = compareViolations(o.Violations, n.Violations)
	coverageChanged := ratioOf(o.Coverage) != ratioOf(n.Coverage) || (o.Coverage == nil) != (n.Coverage == nil)
	if coverageChanged || o.Status != n.Status {
		c.OldCoverage, c.NewCoverage = o.Coverage, n.Coverage
	}
	if o.Status != n.Status {
		c.Kind = FindingStatus
		c.Class = classify(o.Status, n.Status)
		return c, true
	}
	if len(c.ViolationsAdded) == 0 && len(c.ViolationsRemoved) == 0 && !coverageChanged {
		return c, false
	}
	c.Kind = FindingViolations
	switch {
	case len(c.ViolationsAdded) > 0 || ratioOf(n.Coverage) < ratioOf(o.Coverage):
		c.Class = Regression
	case len(c.ViolationsRemoved) > 0 || ratioOf(n.Coverage) > ratioOf(o.Coverage):
		c.Class = Improvement
	default:
		c.Class = Neutral
	}
	return c, true
}

func ratioOf(c *result.Coverage) float64 {
	if c == nil {
		return 1
	}
	return c.Ratio()
}

func byRule(fs []result.Finding) map[string]*result.Finding {
	m := make(map[string]*result.Finding, len(fs))
	for i := range fs {
		if _, dup := m[fs[i].RuleID]; !dup {
			m[fs[i].RuleID] = &fs[i]
		}
	}
	return m
}

// compareViolations returns the violations of entities only in new and only in old, sorted.
func compareViolations(old, new []result.Violation) (added, removed []result.Violation) {
	o, n := byEntity(old), byEntity(new)
	for k, e := range n {
		if _, ok := o[k]; !ok {
			added = append(added, e)
		}
	}
	for k, e := range o {
		if _, ok := n[k]; !ok {
			removed = append(removed, e)
		}
	}
	sortViolations(added)
	sortViolations(removed)
	return added, removed
}

// byEntity keys the violations that are not excepted by their entity: type and id, or the
// name or message when a rule gave no id.
func byEntity(vs []result.Violation) map[string]result.Violation {
	m := map[string]result.Violation{}
	for _, v := range vs {
		if v.Excepted {
			continue
		}
		if _, dup := m[entityKey(v)]; !dup {
			m[entityKey(v)] = v
		}
	}
	return m
}

func entityKey(v result.Violation) string {
	switch {
	case v.Entity.ID != "":
		return v.Entity.Type + "\x00id\x00" + v.Entity.ID
	case v.Entity.Name != "":
		return v.Entity.Type + "\x00name\x00" + v.Entity.Name
	}
	return v.Entity.Type + "\x00msg\x00" + v.Msg
}

func sortViolations(vs []result.Violation) {
	sort.Slice(vs, func(i, j int) bool {
		a, b := vs[i].Entity, vs[j].Entity
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return vs[i].Msg < vs[j].Msg
	})
}
