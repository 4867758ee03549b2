// Package diff compares two evaluations of one tenant: findings, score, data sources and configuration objects.
package diff

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

// SchemaVersion is the version of the diff JSON document.
const SchemaVersion = 1

// Input kinds: what a diff side was read from.
const (
	KindSnapshot = "snapshot"
	KindResult   = "result"
)

// Input is one side of a diff: a result, and the snapshot it was evaluated from when the side
// was given as a snapshot (nil for a result file, which carries no configuration objects).
type Input struct {
	File     string
	Result   *result.Result
	Snapshot *snapshot.Snapshot
}

// Kind is KindSnapshot or KindResult.
func (in *Input) Kind() string {
	if in.Snapshot != nil {
		return KindSnapshot
	}
	return KindResult
}

// Class says whether a change made the tenant's posture worse, better or neither.
type Class string

// The classes of a change.
const (
	Regression  Class = "regression"
	Improvement Class = "improvement"
	Neutral     Class = "neutral"
)

// Diff is what changed between two inputs. Every list is sorted, so the same inputs always
// render to the same bytes.
type Diff struct {
	SchemaVersion int  `json:"schemaVersion"`
	Old           Side `json:"old"`
	New           Side `json:"new"`
	// Notes say what could not be compared and why.
	Notes    []string        `json:"notes"`
	Summary  Summary         `json:"summary"`
	Findings []FindingChange `json:"findings"`
	Score    ScoreChange     `json:"score"`
	// ObjectsCompared is true when both sides are snapshots: only then are Sources and
	// Objects filled in.
	ObjectsCompared bool           `json:"objectsCompared"`
	Sources         []SourceChange `json:"sources"`
	Objects         []ObjectChange `json:"objects"`
	// Uncollected are the properties only one snapshot holds, left out of Objects; a note
	// names them once.
	Uncollected []Uncollected `json:"uncollected"`
	// Regressions are the reasons --fail-on-regression fails; empty when nothing got worse.
	Regressions []string `json:"regressions"`
	// Warnings are the evaluation warnings of a snapshot side (an expired exception, say),
	// for stderr; they are not part of the document.
	Warnings []string `json:"-"`
}

// Verdict is the diff's gate: with failOnRegression, anything that got worse fails it (exit
// 1) with the regressions as reasons; otherwise it always passes.
func (d *Diff) Verdict(failOnRegression bool) result.Verdict {
	if !failOnRegression || len(d.Regressions) == 0 {
		return result.Verdict{Code: result.ExitPassed}
	}
	return result.Verdict{Code: result.ExitFailed, Reasons: d.Regressions}
}

// Side describes one input.
type Side struct {
	File        string        `json:"file"`
	Kind        string        `json:"kind"`
	Tenant      result.Tenant `json:"tenant"`
	CollectedAt time.Time     `json:"collectedAt"`
	SHA256      string        `json:"sha256"`
	Baselines   []string      `json:"baselines"`
}

// Summary counts the changes.
type Summary struct {
	Regressions       int     `json:"regressions"`
	Improvements      int     `json:"improvements"`
	Neutral           int     `json:"neutral"`
	RulesAdded        int     `json:"rulesAdded"`
	RulesRemoved      int     `json:"rulesRemoved"`
	ViolationsAdded   int     `json:"violationsAdded"`
	ViolationsRemoved int     `json:"violationsRemoved"`
	PointsLost        float64 `json:"pointsLost"`
	SourcesLost       int     `json:"sourcesLost"`
	ObjectsAdded      int     `json:"objectsAdded"`
	ObjectsRemoved    int     `json:"objectsRemoved"`
	ObjectsChanged    int     `json:"objectsChanged"`
}

// Compare computes the diff from old to new. Both must hold a Result.
func Compare(old, new *Input) *Diff {
	d := &Diff{
		SchemaVersion: SchemaVersion,
		Old:           side(old),
		New:           side(new),
		Notes:         []string{},
		Findings:      compareFindings(old.Result.Findings, new.Result.Findings),
		Score:         compareScore(old, new),
		Sources:       []SourceChange{},
		Objects:       []ObjectChange{},
		Uncollected:   []Uncollected{},
	}
	if old.Snapshot != nil && new.Snapshot != nil {
		d.ObjectsCompared = true
		d.Sources = compareSources(old.Snapshot, new.Snapshot)
		u := uncollected{}
		d.Objects = compareObjects(old.Snapshot, new.Snapshot, u)
		d.Uncollected = u.list()
		if note := uncollectedNote(d.Uncollected, old.File, new.File); note != "" {
			d.Notes = append(d.Notes, note)
		}
	} else {
		var results []string
		for _, in := range []*Input{old, new} {
			if in.Snapshot == nil {
				results = append(results, in.File)
			}
		}
		what := "is a result"
		if len(results) == 2 {
			what = "are results"
		}
		d.Notes = append(d.Notes, fmt.Sprintf("configuration objects and data sources are not compared: %s %s (they are compared between two snapshots only)", strings.Join(results, " and "), what))
	}
	if !equalStrings(d.Old.Baselines, d.New.Baselines) {
		d.Notes = append(d.Notes, fmt.Sprintf("the baselines differ (%s: %s; %s: %s): rules outside the common ones show as added or removed",
			old.File, listOrNone(d.Old.Baselines), new.File, listOrNone(d.New.Baselines)))
	}
	d.summarize()
	return d
}

// uncollectedNote says once which properties were left out because one snapshot never
// collected them: "2 properties collected in one snapshot only are not compared: not in
// old.json: entra.groups.createdDateTime (1 object), entra.groups.mailNickname (1 object)".
func uncollectedNote(us []Uncollected, oldFile, newFile string) string {
	if len(us) == 0 {
		return ""
	}
	var sides []string
	for _, side := range []struct{ name, file string }{{"old", oldFile}, {"new", newFile}} {
		var props []string
		for _, u := range us {
			if u.MissingFrom != side.name {
				continue
			}
			objects := "objects"
			if u.Objects == 1 {
				objects = "object"
			}
			props = append(props, fmt.Sprintf("%s.%s (%d %s)", u.Key, u.Property, u.Objects, objects))
		}
		if len(props) > 0 {
			sides = append(sides, "not in "+side.file+": "+strings.Join(props, ", "))
		}
	}
	what := fmt.Sprintf("%d properties collected in one snapshot only are", len(us))
	if len(us) == 1 {
		what = "1 property collected in one snapshot only is"
	}
	return fmt.Sprintf("%s not compared: %s", what, strings.Join(sides, "; "))
}

func side(in *Input) Side {
	r := in.Result
	s := Side{
		File:        in.File,
		Kind:        in.Kind(),
		Tenant:      r.Snapshot.Tenant,
		CollectedAt: r.Snapshot.CollectedAt,
		SHA256:      r.Snapshot.SHA256,
		Baselines:   append([]string{}, r.Baselines...),
	}
	sort.Strings(s.Baselines)
	return s
}

// summarize counts the changes and lists the regressions the gate fails on.
func (d *Diff) summarize() {
	s := &d.Summary
	var regressed []string
	for _, f := range d.Findings {
		switch f.Class {
		case Regression:
			s.Regressions++
		case Improvement:
			s.Improvements++
		default:
			s.Neutral++
		}
		switch f.Kind {
		case FindingAdded:
			s.RulesAdded++
		case FindingRemoved:
			s.RulesRemoved++
		}
		s.ViolationsAdded += len(f.ViolationsAdded)
		s.ViolationsRemoved += len(f.ViolationsRemoved)
		if f.Class == Regression {
			regressed = append(regressed, f.RuleID)
		}
	}
	s.PointsLost = d.Score.PointsLost
	var lost []string
	for _, src := range d.Sources {
		if src.Class == Regression {
			s.SourcesLost++
			lost = append(lost, src.Key)
		}
	}
	for _, o := range d.Objects {
		switch o.Change {
		case ObjectAdded:
			s.ObjectsAdded++
		case ObjectRemoved:
			s.ObjectsRemoved++
		case ObjectChanged:
			s.ObjectsChanged++
		}
	}

	d.Regressions = []string{}
	if len(regressed) > 0 {
		// A rule whose violations grew under the same status is among them (see classify).
		d.Regressions = append(d.Regressions, fmt.Sprintf("%d rule(s) regressed: %s", len(regressed), strings.Join(regressed, ", ")))
	}
	if s.PointsLost > 0 {
		d.Regressions = append(d.Regressions, fmt.Sprintf("%s Secure Score point(s) lost", formatNumber(s.PointsLost)))
	}
	if len(lost) > 0 {
		d.Regressions = append(d.Regressions, fmt.Sprintf("data no longer collected: %s", strings.Join(lost, ", ")))
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
