package diff

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/result"
)

// maxListed is how many violations or members the text lists per change; JSON has them all.
const maxListed = 10

// writeText renders the diff for a reader: a header, the summary, then a section per kind of
// change, regressions first.
func (d *Diff) writeText(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }

	p("posture diff: %s → %s\n", d.Old.File, d.New.File)
	p("Tenant:  %s\n", tenantLine(d.New.Tenant))
	for _, s := range []struct {
		label string
		side  Side
	}{{"Old:", d.Old}, {"New:", d.New}} {
		p("%-8s %s, %s, collected %s, sha256 %s\n", s.label, s.side.File, s.side.Kind, timeOrUnknown(s.side.CollectedAt), short(s.side.SHA256))
	}
	for _, n := range d.Notes {
		p("Note:    %s\n", n)
	}

	p("\n%s\n", d.summaryLine())
	if len(d.Regressions) > 0 {
		p("Regressions: %s\n", strings.Join(d.Regressions, "; "))
	} else {
		p("No regressions.\n")
	}

	for _, g := range []struct {
		title string
		class Class
	}{{"Regressions", Regression}, {"Improvements", Improvement}, {"Other finding changes", Neutral}} {
		var fs []FindingChange
		for _, f := range d.Findings {
			if f.Class == g.class {
				fs = append(fs, f)
			}
		}
		if len(fs) == 0 {
			continue
		}
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity.Rank() > fs[j].Severity.Rank() })
		p("\n%s (%d)\n", g.title, len(fs))
		for _, f := range fs {
			writeFinding(p, f)
		}
	}

	writeScore(p, d.Score)

	if d.ObjectsCompared {
		if len(d.Sources) > 0 {
			p("\nData sources (%d)\n", len(d.Sources))
			for _, s := range d.Sources {
				line := fmt.Sprintf("  %s: %s → %s", s.Key, s.Old, s.New)
				if s.Message != "" {
					line += " (" + s.Message + ")"
				}
				if s.Class != Neutral {
					line += "  [" + string(s.Class) + "]"
				}
				p("%s\n", line)
			}
		}
		writeObjects(p, d.Objects)
	}
	return b.Flush()
}

func (d *Diff) summaryLine() string {
	s := d.Summary
	parts := []string{
		fmt.Sprintf("Findings: %d regressed, %d improved, %d other", s.Regressions, s.Improvements, s.Neutral),
	}
	if s.RulesAdded+s.RulesRemoved > 0 {
		parts = append(parts, fmt.Sprintf("rules %d added, %d removed", s.RulesAdded, s.RulesRemoved))
	}
	parts = append(parts, fmt.Sprintf("violations +%d -%d", s.ViolationsAdded, s.ViolationsRemoved))
	if d.Score.Change != nil {
		parts = append(parts, fmt.Sprintf("score %s points (%s lost)", signed(d.Score.Change.Points), formatNumber(s.PointsLost)))
	}
	if d.ObjectsCompared {
		parts = append(parts, fmt.Sprintf("objects %d added, %d removed, %d changed", s.ObjectsAdded, s.ObjectsRemoved, s.ObjectsChanged))
	}
	return strings.Join(parts, "; ")
}

func writeFinding(p func(string, ...any), f FindingChange) {
	var what string
	switch f.Kind {
	case FindingAdded:
		what = "new rule: " + string(f.New)
	case FindingRemoved:
		what = "rule removed (was " + string(f.Old) + ")"
	case FindingViolations:
		what = string(f.New)
	default:
		what = string(f.Old) + " → " + string(f.New)
	}
	if f.OldCoverage != nil || f.NewCoverage != nil {
		what += ", coverage " + coverage(f.OldCoverage) + " → " + coverage(f.NewCoverage)
	}
	p("  [%s] %s: %s\n", f.Severity, f.RuleID, what)
	if f.Title != "" {
		p("      %s\n", f.Title)
	}
	writeViolations(p, "+", f.ViolationsAdded)
	writeViolations(p, "-", f.ViolationsRemoved)
}

func writeViolations(p func(string, ...any), sign string, vs []result.Violation) {
	for i, v := range vs {
		if i == maxListed {
			p("      %s ... and %d more\n", sign, len(vs)-maxListed)
			return
		}
		p("      %s %s\n", sign, violationLine(v))
	}
}

func violationLine(v result.Violation) string {
	e := v.Entity
	var who string
	switch {
	case e.Name != "" && e.ID != "" && e.Name != e.ID:
		who = fmt.Sprintf("%s %s (%s)", e.Type, e.Name, e.ID)
	case e.Name != "":
		who = e.Type + " " + e.Name
	case e.ID != "":
		who = e.Type + " " + e.ID
	}
	who = strings.TrimSpace(who)
	switch {
	case who == "":
		return v.Msg
	case v.Msg == "":
		return who
	}
	return who + ": " + v.Msg
}

func writeScore(p func(string, ...any), s ScoreChange) {
	p("\nSecure Score estimate\n")
	if s.Old == nil || s.New == nil {
		p("  %s → %s (%s)\n", figure(s.Old), figure(s.New), s.Note)
		return
	}
	p("  %s → %s: %s points, %s percentage points\n", figure(s.Old), figure(s.New), signed(s.Change.Points), signed(s.Change.Percent))
	if len(s.Lost) == 0 {
		p("  No control lost points.\n")
		return
	}
	p("  Points lost to regressions: %s\n", formatNumber(s.PointsLost))
	for _, c := range s.Lost {
		line := fmt.Sprintf("    %s (%s): %s → %s, -%s", c.Control, c.Category, formatNumber(c.Old), formatNumber(c.New), formatNumber(c.Lost))
		if len(c.Rules) > 0 {
			line += "; rules " + strings.Join(c.Rules, ", ")
		} else if c.Source != "" {
			line += "; " + c.Source + " by Microsoft"
		}
		p("%s\n", line)
		if c.Title != "" {
			p("      %s\n", c.Title)
		}
	}
}

func writeObjects(p func(string, ...any), objs []ObjectChange) {
	if len(objs) == 0 {
		p("\nConfiguration objects: no changes\n")
		return
	}
	p("\nConfiguration objects (%d)\n", len(objs))
	key := ""
	for _, o := range objs {
		if o.Key != key {
			key = o.Key
			p("  %s\n", key)
		}
		mark := map[string]string{ObjectAdded: "+", ObjectRemoved: "-", ObjectChanged: "~"}[o.Change]
		line := fmt.Sprintf("    %s %s", mark, objectLabel(o))
		if len(o.Properties) > 0 && len(o.Changes) == 0 {
			line += ": " + strings.Join(o.Properties, ", ")
		}
		p("%s\n", line)
		for _, c := range o.Changes {
			label := ""
			if c.Property != "" {
				label = c.Property + ": "
			}
			p("        %s%s -> %s\n", label, valueText(c.Old), valueText(c.New))
		}
		writeRefs(p, "+", o.MembersAdded)
		writeRefs(p, "-", o.MembersRemoved)
	}
}

// maxValue is how many characters of a value the text shows; JSON has it whole.
const maxValue = 120

// valueText is a value as compact JSON ("enabled" quoted, null, [..]), cut at maxValue.
func valueText(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSuffix(b.String(), "\n")
	if r := []rune(s); len(r) > maxValue {
		return string(r[:maxValue]) + "…"
	}
	return s
}

func writeRefs(p func(string, ...any), sign string, refs []Ref) {
	for i, r := range refs {
		if i == maxListed {
			p("        %s ... and %d more\n", sign, len(refs)-maxListed)
			return
		}
		if r.Name != "" {
			p("        %s %s (%s)\n", sign, r.Name, r.ID)
		} else {
			p("        %s %s\n", sign, r.ID)
		}
	}
}

func objectLabel(o ObjectChange) string {
	switch {
	case o.Name != "" && o.ID != "" && o.Name != o.ID:
		return fmt.Sprintf("%s (%s)", o.Name, o.ID)
	case o.Name != "":
		return o.Name
	case o.ID != "":
		return o.ID
	}
	return "(the object)"
}

func tenantLine(t result.Tenant) string {
	switch {
	case t.DisplayName != "" && t.DefaultDomain != "":
		return fmt.Sprintf("%s (%s, %s)", t.DisplayName, t.DefaultDomain, t.ID)
	case t.ID != "":
		return t.ID
	}
	return "unknown"
}

func timeOrUnknown(t time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	return t.UTC().Format(time.RFC3339)
}

func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12]
	}
	if sum == "" {
		return "none"
	}
	return sum
}

func coverage(c *result.Coverage) string {
	if c == nil {
		return "—"
	}
	return fmt.Sprintf("%d/%d", c.Covered, c.Total)
}

func figure(f *result.Figure) string {
	if f == nil {
		return "no score"
	}
	return fmt.Sprintf("%s%% (%s/%s)", formatNumber(f.Percent), formatNumber(f.Points), formatNumber(f.Max))
}

// formatNumber prints a number with at most two decimals and no trailing zeros.
func formatNumber(x float64) string {
	return strconv.FormatFloat(round2(x), 'f', -1, 64)
}

func signed(x float64) string {
	if x > 0 {
		return "+" + formatNumber(x)
	}
	if x < 0 {
		return "-" + formatNumber(-x)
	}
	return "±0"
}
