package result

import (
	"fmt"
	"strconv"
	"strings"
)

// Exit codes of DESIGN.md.
const (
	ExitPassed     = 0 // the gate passed
	ExitFailed     = 1 // findings at or above the gate's severity, or a score below the minimum
	ExitUnverified = 2 // usage error, bad input, or data that could not be verified
	// ExitUsage is ExitUnverified under the name a command line error reads best with: a bad
	// flag or bad input is data posture could not verify.
	ExitUsage = ExitUnverified
)

// Gate decides whether a result passes in CI.
type Gate struct {
	// FailOn is the least severe finding that fails the gate; "" means info (any failure),
	// and Disabled turns severity gating off ("--fail-on none").
	FailOn   Severity
	Disabled bool
	// MinScore, when set, fails the gate for a score estimate under it (percent).
	MinScore *float64
}

// FailOnNames lists the values ParseGate accepts besides "" (the default): the severities,
// most severe first, and "none". --fail-on's help and errors show them.
func FailOnNames() []string {
	names := make([]string, 0, len(Severities)+1)
	for _, s := range Severities {
		names = append(names, string(s))
	}
	return append(names, "none")
}

// ParseGate reads a --fail-on value: a severity or "none".
func ParseGate(failOn string) (Gate, error) {
	switch failOn {
	case "":
		return Gate{FailOn: Info}, nil
	case "none":
		return Gate{Disabled: true}, nil
	}
	s, err := ParseSeverity(failOn)
	if err != nil {
		return Gate{}, fmt.Errorf("fail-on %q; expected critical, high, medium, low, info or none", failOn)
	}
	return Gate{FailOn: s}, nil
}

// FailOnName is the gate's --fail-on as a word: a severity, or "none".
func (g Gate) FailOnName() string {
	switch {
	case g.Disabled:
		return "none"
	case g.FailOn == "":
		return string(Info)
	}
	return string(g.FailOn)
}

// Verdict is the gate's decision and why.
type Verdict struct {
	Code int
	// Reasons say why the gate did not pass, every rule named: the unverifiable rules first,
	// as they decide the exit code.
	Reasons []string
	// Brief are the same reasons as one line of stderr carries them: the unverifiable rules
	// first, each list of rules cut short ("a, b, c and 27 more"). Nil means Reasons.
	Brief []string
}

// Line is the verdict as one line: its brief reasons, else its reasons, joined by "; ".
func (v Verdict) Line() string {
	if v.Brief != nil {
		return strings.Join(v.Brief, "; ")
	}
	return strings.Join(v.Reasons, "; ")
}

// How many rules a brief reason names before "and N more": the unverifiable rules decide the
// exit code and are usually few, so more of them are named; the failing rules are listed in
// the report itself.
const (
	briefUnverified = 10
	briefFailing    = 3
)

// Evaluate applies the gate. Findings that could not be verified (status error) at or above
// the gate's severity make the result unverifiable (exit 2): a gate must never pass on data
// it did not see. Failing findings at or above it fail the gate (exit 1); warnings, excepted
// and not-applicable findings never do.
func (g Gate) Evaluate(r *Result, score *float64) Verdict {
	var v Verdict
	if g.Disabled && g.MinScore == nil {
		return v
	}
	failOn := Severity(g.FailOnName())
	var errored, failed []string
	for _, f := range r.Findings {
		if g.Disabled || f.Severity.Rank() < failOn.Rank() {
			continue
		}
		switch f.Status {
		case Error:
			errored = append(errored, f.RuleID)
		case Fail:
			failed = append(failed, f.RuleID)
		}
	}
	add := func(code int, full, brief string) {
		v.Code = max(v.Code, code)
		v.Reasons = append(v.Reasons, full)
		v.Brief = append(v.Brief, brief)
	}
	if len(errored) > 0 {
		head := fmt.Sprintf("%d %s could not be verified: ", len(errored), rules(len(errored)))
		add(ExitUnverified, head+ruleList(errored, 0), head+ruleList(errored, briefUnverified))
	}
	if g.MinScore != nil && score == nil {
		// A minimum that cannot be checked must not pass silently.
		msg := fmt.Sprintf("a minimum score of %.1f%% is set, but no score was computed", *g.MinScore)
		add(ExitUnverified, msg, msg)
	}
	if len(failed) > 0 {
		head := fmt.Sprintf("%d failing %s at or above %s: ", len(failed), rules(len(failed)), failOn)
		add(ExitFailed, head+ruleList(failed, 0), head+ruleList(failed, briefFailing))
	}
	if g.MinScore != nil && score != nil && *score < *g.MinScore {
		msg := fmt.Sprintf("score %.1f%% is below the minimum %.1f%%", *score, *g.MinScore)
		add(ExitFailed, msg, msg)
	}
	return v
}

// Apply evaluates the gate on r and its Secure Score estimate, records the verdict in r.Gate
// and returns it.
func (g Gate) Apply(r *Result) Verdict {
	v := g.Evaluate(r, r.Estimate())
	r.Gate = &GateVerdict{
		Passed:   v.Code == ExitPassed,
		ExitCode: v.Code,
		FailOn:   g.FailOnName(),
		MinScore: g.MinScore,
		Reasons:  append([]string{}, v.Reasons...),
	}
	return v
}

// Estimate is the result's Secure Score estimate in percent, for the gate; nil without one.
func (r *Result) Estimate() *float64 {
	if r.Score == nil {
		return nil
	}
	p := r.Score.Estimate.Percent
	return &p
}

// GateVerdict is the verdict of the gate the command that wrote a result applied (its flags
// over the config's gate), as result.json records it; `posture report --from` shows it as
// recorded.
type GateVerdict struct {
	Passed bool `json:"passed"`
	// ExitCode is the exit code the verdict gave: ExitPassed, ExitFailed or ExitUnverified.
	ExitCode int `json:"exitCode"`
	// FailOn is the least severity of a failing rule that fails the gate, or "none".
	FailOn string `json:"failOn"`
	// MinScore is the minimum Secure Score estimate in percent; nil when none was set.
	MinScore *float64 `json:"minScore"`
	// Reasons say why the gate did not pass, every rule named; empty when it passed.
	Reasons []string `json:"reasons"`
}

// Summary is the verdict in one line: "passed (failOn high, no minScore)" or "failed, exit 1
// (failOn info, minScore 60.0%)".
func (g *GateVerdict) Summary() string {
	return fmt.Sprintf("%s (%s)", g.Outcome(), g.Settings())
}

// Outcome is "passed", or "failed, exit N".
func (g *GateVerdict) Outcome() string {
	if g.Passed {
		return "passed"
	}
	return "failed, exit " + strconv.Itoa(g.ExitCode)
}

// Settings are the gate's settings in words: "failOn high, minScore 60.0%" or "failOn info,
// no minScore".
func (g *GateVerdict) Settings() string {
	if g.MinScore == nil {
		return "failOn " + g.FailOn + ", no minScore"
	}
	return fmt.Sprintf("failOn %s, minScore %.1f%%", g.FailOn, *g.MinScore)
}

// check checks a parsed gate verdict: an exit code of DESIGN.md that agrees with passed, a
// failOn the gate accepts, a minimum in range.
func (g *GateVerdict) check(name string) error {
	switch {
	case g.ExitCode != ExitPassed && g.ExitCode != ExitFailed && g.ExitCode != ExitUnverified:
		return fmt.Errorf("%s: $.gate.exitCode: %d; expected 0, 1 or 2", name, g.ExitCode)
	case g.Passed != (g.ExitCode == ExitPassed):
		return fmt.Errorf("%s: $.gate.passed: %t with exitCode %d; expected passed exactly when exitCode is 0", name, g.Passed, g.ExitCode)
	case g.MinScore != nil && (*g.MinScore < 0 || *g.MinScore > 100):
		return fmt.Errorf("%s: $.gate.minScore: %g; expected a percentage from 0 to 100", name, *g.MinScore)
	}
	for _, n := range FailOnNames() {
		if g.FailOn == n {
			return nil
		}
	}
	return fmt.Errorf("%s: $.gate.failOn: %q; expected one of %s", name, g.FailOn, strings.Join(FailOnNames(), ", "))
}

func rules(n int) string {
	if n == 1 {
		return "rule"
	}
	return "rules"
}

// ruleList joins ids with commas; with limit > 0 it names limit of them at most and counts the
// rest: "a, b, c and 27 more".
func ruleList(ids []string, limit int) string {
	if limit <= 0 || len(ids) <= limit {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:limit], ", "), len(ids)-limit)
}
