package result

import (
	"fmt"
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

// Verdict is the gate's decision and why.
type Verdict struct {
	Code    int
	Reasons []string
}

// Evaluate applies the gate. Findings that could not be verified (status error) at or above
// the gate's severity make the result unverifiable (exit 2): a gate must never pass on data
// it did not see. Failing findings at or above it fail the gate (exit 1); warnings, excepted
// and not-applicable findings never do.
func (g Gate) Evaluate(r *Result, score *float64) Verdict {
	var v Verdict
	if g.Disabled && g.MinScore == nil {
		return v
	}
	var errored, failed []string
	for _, f := range r.Findings {
		if g.Disabled || f.Severity.Rank() < g.FailOn.Rank() {
			continue
		}
		switch f.Status {
		case Error:
			errored = append(errored, f.RuleID)
		case Fail:
			failed = append(failed, f.RuleID)
		}
	}
	if len(failed) > 0 {
		v.Code = ExitFailed
		v.Reasons = append(v.Reasons, fmt.Sprintf("%d failing rule(s) at or above %s: %s", len(failed), g.FailOn, strings.Join(failed, ", ")))
	}
	if g.MinScore != nil && score != nil && *score < *g.MinScore {
		v.Code = ExitFailed
		v.Reasons = append(v.Reasons, fmt.Sprintf("score %.1f%% is below the minimum %.1f%%", *score, *g.MinScore))
	}
	if len(errored) > 0 {
		v.Code = ExitUnverified
		v.Reasons = append(v.Reasons, fmt.Sprintf("%d rule(s) could not be verified: %s", len(errored), strings.Join(errored, ", ")))
	}
	if g.MinScore != nil && score == nil {
		// A minimum that cannot be checked must not pass silently.
		v.Code = ExitUnverified
		v.Reasons = append(v.Reasons, fmt.Sprintf("a minimum score of %.1f%% is set, but no score was computed", *g.MinScore))
	}
	return v
}
