// Package result defines posture's evaluation result (schema v1), the contract between check,
// the renderers and the gate.
package result

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// SchemaVersion is the result schema this posture writes and reads.
const SchemaVersion = 1

// Status is the outcome of one rule.
type Status string

// The statuses of DESIGN.md, in the order summaries list them.
const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	Warn          Status = "warn"
	Error         Status = "error"
	NotApplicable Status = "not_applicable"
	Excepted      Status = "excepted"
)

// Statuses lists every status in display order.
var Statuses = []Status{Pass, Fail, Warn, Error, NotApplicable, Excepted}

// Result is the outcome of evaluating one snapshot.
type Result struct {
	SchemaVersion int         `json:"schemaVersion"`
	Generator     Generator   `json:"generator"`
	Snapshot      SnapshotRef `json:"snapshot"`
	EvaluatedAt   time.Time   `json:"evaluatedAt"`
	Baselines     []string    `json:"baselines"`
	// Gate is the verdict of the gate the command that wrote the result applied; nil in a
	// result written before posture recorded it, and in results no gate was applied to.
	Gate *GateVerdict `json:"gate,omitempty"`
	// Evidence says which program, config and policy files judged the snapshot; nil in a
	// result written before posture recorded it.
	Evidence *Evidence `json:"evidence,omitempty"`
	Summary  Summary   `json:"summary"`
	Score    *Score    `json:"score,omitempty"`
	Findings []Finding `json:"findings"`
	// Frameworks is the framework view: per framework id (cisa_scuba, cis_m365) a verdict for
	// every control of its catalog. Results of posture before the view have none.
	Frameworks map[string]*FrameworkResult `json:"frameworks,omitempty"`
	// Warnings are notes for the reader that do not change a status, such as an
	// exception that has expired and stopped applying.
	Warnings []string `json:"warnings,omitempty"`
}

// Generator names the program that wrote a document.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// SnapshotRef identifies the evidence a result was computed from.
type SnapshotRef struct {
	SHA256      string    `json:"sha256"`
	Tenant      Tenant    `json:"tenant"`
	CollectedAt time.Time `json:"collectedAt"`
	// Sources are the snapshot's sources as it recorded them, by key ("entra.users"): what
	// was collected and what was not, and why. Results written before they were carried have
	// none.
	Sources map[string]Source `json:"sources,omitempty"`
}

// Source is how one snapshot key was collected: the snapshot's own record, copied.
type Source struct {
	Status  string `json:"status"` // one of SourceStatuses
	Count   *int   `json:"count,omitempty"`
	Message string `json:"message,omitempty"`
}

// SourceStatuses are the statuses a snapshot gives its sources (DESIGN.md): ok, or why the
// source is unknown.
var SourceStatuses = []string{"ok", "error", "forbidden", "unlicensed", "skipped"}

// checkSources checks the parsed sources: every one with a status a snapshot gives, a count
// that is not negative.
func (s SnapshotRef) checkSources(name string) error {
	keys := make([]string, 0, len(s.Sources))
	for k := range s.Sources {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first bad source in a stable order
	for _, k := range keys {
		src := s.Sources[k]
		if !slices.Contains(SourceStatuses, src.Status) {
			return fmt.Errorf("%s: $.snapshot.sources[%q].status: %q is not a source status; expected one of %s", name, k, src.Status, strings.Join(SourceStatuses, ", "))
		}
		if src.Count != nil && *src.Count < 0 {
			return fmt.Errorf("%s: $.snapshot.sources[%q].count: %d; expected a count of 0 or more", name, k, *src.Count)
		}
	}
	return nil
}

// Tenant is the tenant a snapshot was taken of.
type Tenant struct {
	ID            string `json:"id"`
	DisplayName   string `json:"displayName"`
	DefaultDomain string `json:"defaultDomain"`
	Cloud         string `json:"cloud"`
}

// Summary counts findings per status.
type Summary struct {
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	Warn          int `json:"warn"`
	Error         int `json:"error"`
	NotApplicable int `json:"not_applicable"`
	Excepted      int `json:"excepted"`
}

// Count returns the number of findings with status s.
func (s Summary) Count(st Status) int {
	switch st {
	case Pass:
		return s.Pass
	case Fail:
		return s.Fail
	case Warn:
		return s.Warn
	case Error:
		return s.Error
	case NotApplicable:
		return s.NotApplicable
	case Excepted:
		return s.Excepted
	}
	return 0
}

// Total is the number of findings.
func (s Summary) Total() int {
	return s.Pass + s.Fail + s.Warn + s.Error + s.NotApplicable + s.Excepted
}

// Finding is the outcome of one rule.
type Finding struct {
	RuleID      string              `json:"ruleId"`
	Title       string              `json:"title"`
	Status      Status              `json:"status"`
	Severity    Severity            `json:"severity"`
	Level       string              `json:"level"`
	Baselines   []string            `json:"baselines"`
	SecureScore []string            `json:"secureScore"`
	Frameworks  map[string][]string `json:"frameworks"`
	Coverage    *Coverage           `json:"coverage,omitempty"`
	// ControlCoverage is the rule's coverage of each Secure Score control it names in it (a
	// subset of SecureScore): the share of what that control asks for that is in place. The
	// Secure Score estimate uses it for those controls instead of Coverage.
	ControlCoverage map[string]Coverage `json:"controlCoverage,omitempty"`
	Message         string              `json:"message"`
	Violations      []Violation         `json:"violations"`
	Remediation     string              `json:"remediation"`
	References      []string            `json:"references"`
	Exception       *Exception          `json:"exception"`
}

// MixedKinds reports whether the finding holds violations of both kinds, deny and warn: then
// a reader must be told which violations are only warnings.
func (f Finding) MixedKinds() bool {
	deny, warn := false, false
	for _, v := range f.Violations {
		if v.IsWarning() {
			warn = true
		} else {
			deny = true
		}
	}
	return deny && warn
}

// Coverage is the share of a population a control protects.
type Coverage struct {
	Covered int `json:"covered"`
	Total   int `json:"total"`
}

// Ratio is covered/total, and 1 for an empty population (nothing left unprotected).
func (c Coverage) Ratio() float64 {
	if c.Total <= 0 {
		return 1
	}
	return float64(c.Covered) / float64(c.Total)
}

// Violation is one thing a rule found wrong.
type Violation struct {
	Msg    string `json:"msg"`
	Entity Entity `json:"entity"`
	// Kind says which of the rule's outputs the violation came from: KindDeny or KindWarn. A
	// rule may yield both; results of posture before kinds have none (read as deny).
	Kind string `json:"kind,omitempty"`
	// Excepted marks a violation covered by an exception naming its entity.
	Excepted bool `json:"excepted,omitempty"`
	// Controls are the framework controls the violation breaks, as its rule cites them, or
	// PostureControl for posture's own judgement; none means every control the rule cites.
	Controls []string `json:"controls,omitempty"`
}

// The kinds of violation: the rule output it came from.
const (
	// KindDeny is a violation of deny: it fails the rule (warns for a should rule).
	KindDeny = "deny"
	// KindWarn is a violation of warn: alone, it makes the rule warn.
	KindWarn = "warn"
)

// IsWarning reports whether v came from the rule's warn output.
func (v Violation) IsWarning() bool { return v.Kind == KindWarn }

// FrameworkOnly reports whether v breaks framework controls but not posture's own judgement:
// a warning whose controls are all framework ids (no PostureControl). Rules report what
// posture accepts but a framework control does not as such warnings. A deny always stands for
// posture's judgement, whatever controls it names, and so does a violation that names none
// (it breaks every control its rule cites).
func (v Violation) FrameworkOnly() bool {
	if !v.IsWarning() || len(v.Controls) == 0 {
		return false
	}
	for _, c := range v.Controls {
		if c == PostureControl {
			return false
		}
	}
	return true
}

// Entity is the object a violation is about.
type Entity struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Exception is an org exception that applied to a finding.
type Exception struct {
	Status   string   `json:"status"`
	Reason   string   `json:"reason"`
	Expires  string   `json:"expires"`
	Entities []string `json:"entities,omitempty"`
}

// Tally recomputes the summary from the findings.
func (r *Result) Tally() {
	var s Summary
	for _, f := range r.Findings {
		switch f.Status {
		case Pass:
			s.Pass++
		case Fail:
			s.Fail++
		case Warn:
			s.Warn++
		case Error:
			s.Error++
		case NotApplicable:
			s.NotApplicable++
		case Excepted:
			s.Excepted++
		}
	}
	r.Summary = s
}

// Load reads a result written by `posture check --format json`.
func Load(path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load result: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and checks a result document; name is used in messages.
func Parse(name string, data []byte) (*Result, error) {
	var probe struct {
		SchemaVersion *int            `json:"schemaVersion"`
		Findings      json.RawMessage `json:"findings"`
		Sources       json.RawMessage `json:"sources"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%s: not a posture result: %v", name, err)
	}
	switch {
	case probe.SchemaVersion == nil:
		return nil, fmt.Errorf("%s: missing schemaVersion; expected a posture result (schemaVersion %d)", name, SchemaVersion)
	case probe.Findings == nil && probe.Sources != nil:
		return nil, fmt.Errorf("%s: a snapshot, not a result; expected a posture result (posture check --format json)", name)
	case probe.Findings == nil:
		return nil, fmt.Errorf("%s: missing findings; expected a posture result (posture check --format json)", name)
	case *probe.SchemaVersion != SchemaVersion:
		return nil, fmt.Errorf("%s: result schemaVersion %d is not supported (this posture reads %d)", name, *probe.SchemaVersion, SchemaVersion)
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := r.Snapshot.checkSources(name); err != nil {
		return nil, err
	}
	for i, f := range r.Findings {
		if f.RuleID == "" {
			return nil, fmt.Errorf("%s: $.findings[%d]: missing ruleId", name, i)
		}
		if _, err := ParseSeverity(string(f.Severity)); err != nil {
			return nil, fmt.Errorf("%s: $.findings[%d].severity: %v", name, i, err)
		}
		known := false
		for _, s := range Statuses {
			known = known || f.Status == s
		}
		if !known {
			return nil, fmt.Errorf("%s: $.findings[%d].status: %q is not a status; expected one of pass, fail, warn, error, not_applicable, excepted", name, i, f.Status)
		}
		for j, v := range f.Violations {
			if v.Kind != "" && v.Kind != KindDeny && v.Kind != KindWarn {
				return nil, fmt.Errorf("%s: $.findings[%d].violations[%d].kind: %q is not a kind; expected deny or warn", name, i, j, v.Kind)
			}
		}
	}
	if err := r.checkFrameworks(name); err != nil {
		return nil, err
	}
	if r.Gate != nil {
		if err := r.Gate.check(name); err != nil {
			return nil, err
		}
	}
	if r.Evidence != nil {
		if err := r.Evidence.check(name); err != nil {
			return nil, err
		}
	}
	return &r, nil
}
