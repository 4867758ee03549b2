package engine

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/result"
)

// parseOutputs reads rule r's documents from the query result docs (rule id -> output name ->
// array of the document, empty when undefined). A document of the wrong shape is the rule's
// fault and makes it an error, never a pass.
func parseOutputs(r Rule, docs map[string]any) outputs {
	var o outputs
	mine, _ := docs[r.ID].(map[string]any)
	one := func(name string) (any, bool) {
		arr, _ := mine[name].([]any)
		if len(arr) == 0 {
			return nil, false
		}
		return arr[0], true
	}
	var probs []string
	for _, name := range []string{"deny", "warn"} {
		v, ok := one(name)
		if !ok {
			continue
		}
		vs, err := violations(r, v, name)
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if name == "deny" {
			o.deny = vs
		} else {
			o.warn = vs
		}
	}
	if v, ok := one("error"); ok {
		items, isList := v.([]any)
		if !isList {
			probs = append(probs, "error must be a set of strings")
		}
		for _, it := range items {
			o.errors = append(o.errors, fmt.Sprint(it))
		}
		sort.Strings(o.errors)
	}
	if v, ok := one("coverage"); ok {
		c, err := coverage(v)
		if err != nil {
			probs = append(probs, fmt.Sprintf("coverage: %v", err))
		}
		o.coverage = c
	}
	if v, ok := one("control_coverage"); ok {
		cc, err := controlCoverage(v, r.SecureScore)
		if err != nil {
			probs = append(probs, fmt.Sprintf("control_coverage: %v", err))
		}
		o.controls = cc
	}
	if v, ok := one("not_applicable"); ok {
		s, isStr := v.(string)
		if !isStr {
			probs = append(probs, "not_applicable must be a reason string")
		}
		o.na = &s
	}
	if len(probs) > 0 {
		o.runErr = fmt.Errorf("rule %s broke the output contract: %s", r.ID, strings.Join(probs, "; "))
	}
	return o
}

// violations reads a rule's deny or warn output (kind) into violations of that kind.
func violations(r Rule, v any, kind string) ([]result.Violation, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("expected a set of {msg, entity} objects")
	}
	cited := r.citedControls()
	out := make([]result.Violation, 0, len(items))
	for _, it := range items {
		vio := result.Violation{Kind: kind}
		switch x := it.(type) {
		case string:
			vio.Msg = x
		case map[string]any:
			msg, ok := x["msg"].(string)
			if !ok {
				return nil, fmt.Errorf("an entry has no msg string: %v", x)
			}
			vio.Msg = msg
			if ent, ok := x["entity"].(map[string]any); ok {
				vio.Entity = result.Entity{Type: str(ent["type"]), ID: str(ent["id"]), Name: str(ent["name"])}
			}
			if c, ok := x["controls"]; ok {
				ids, err := controls(c, cited)
				if err != nil {
					return nil, fmt.Errorf("the violation %q: %w", msg, err)
				}
				vio.Controls = ids
			}
		default:
			return nil, fmt.Errorf("an entry is %T; expected an object with msg", it)
		}
		out = append(out, vio)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Msg != out[j].Msg {
			return out[i].Msg < out[j].Msg
		}
		if out[i].Entity.ID != out[j].Entity.ID {
			return out[i].Entity.ID < out[j].Entity.ID
		}
		return strings.Join(out[i].Controls, ",") < strings.Join(out[j].Controls, ",")
	})
	return out, nil
}

// controls reads a violation's controls: a non-empty set (or array) of control ids the rule
// cites, or result.PostureControl. Anything else is the rule's fault: a typo would otherwise
// leave the control it meant to fail passing.
func controls(v any, cited []string) ([]string, error) {
	items, ok := v.([]any)
	if !ok || len(items) == 0 {
		return nil, fmt.Errorf(`controls must be a non-empty set of the control ids it breaks (or ["posture"]), got %s`, jsonText(v))
	}
	var ids []string
	for _, it := range items {
		id, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("controls must hold control id strings, got %s", jsonText(it))
		}
		if id != result.PostureControl && !slices.Contains(cited, id) {
			list := "none"
			if len(cited) > 0 {
				list = strings.Join(cited, ", ")
			}
			return nil, fmt.Errorf("controls names %q, which the rule's METADATA frameworks do not cite (it cites %s; \"posture\" marks posture's own judgement)", id, list)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// jsonText shows a decoded JSON value in messages.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func coverage(v any) (*result.Coverage, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("expected {covered, total}")
	}
	n := func(k string) (int, error) {
		switch x := m[k].(type) {
		case json.Number:
			i, err := x.Int64()
			if err != nil || i < 0 {
				return 0, fmt.Errorf("%s must be a non-negative integer, got %v", k, x)
			}
			return int(i), nil
		}
		return 0, fmt.Errorf("%s must be a non-negative integer, got %v", k, m[k])
	}
	covered, err := n("covered")
	if err != nil {
		return nil, err
	}
	total, err := n("total")
	if err != nil {
		return nil, err
	}
	if covered > total {
		return nil, fmt.Errorf("covered %d exceeds total %d", covered, total)
	}
	return &result.Coverage{Covered: covered, Total: total}, nil
}

// controlCoverage reads a rule's control_coverage: an object from Secure Score control id to
// {covered, total}. An id the rule's METADATA secure_score does not list is the rule's fault: its
// points would otherwise go to a control the rule does not claim to judge.
func controlCoverage(v any, mapped []string) (map[string]result.Coverage, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("expected an object from Secure Score control id to {covered, total}, got %s", jsonText(v))
	}
	out := make(map[string]result.Coverage, len(m))
	for _, id := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(mapped, id) {
			list := "none"
			if len(mapped) > 0 {
				list = strings.Join(mapped, ", ")
			}
			return nil, fmt.Errorf("names %q, which the rule's METADATA secure_score does not list (it lists %s)", id, list)
		}
		c, err := coverage(m[id])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		out[id] = *c
	}
	return out, nil
}

// decide applies the status logic of DESIGN.md to a rule whose sources are all known.
func decide(f *result.Finding, r Rule, o outputs) {
	f.Coverage = o.coverage
	if len(o.controls) > 0 {
		f.ControlCoverage = o.controls
	}
	switch {
	case o.runErr != nil:
		f.Status = result.Error
		f.Message = "rule failed: " + oneLine(o.runErr.Error())
		f.Coverage, f.ControlCoverage = nil, nil
	case len(o.errors) > 0:
		f.Status = result.Error
		f.Message = "cannot verify: " + strings.Join(o.errors, "; ")
		f.Coverage, f.ControlCoverage = nil, nil
	case o.na != nil:
		f.Status = result.NotApplicable
		f.Message = *o.na
		f.Coverage, f.ControlCoverage = nil, nil
	case len(o.deny) > 0:
		f.Status = result.Fail
		if f.Level == "should" {
			f.Status = result.Warn
		}
		// Every violation stays, deny first: a warning breaks the framework controls it names
		// whatever the rule's status.
		f.Violations = append(slices.Clip(o.deny), o.warn...)
		f.Message = summarize(o.deny, o.coverage) + alsoWarned(len(o.warn))
	case len(o.warn) > 0:
		f.Status = result.Warn
		f.Violations = o.warn
		f.Message = summarize(o.warn, o.coverage)
	default:
		f.Status = result.Pass
		if o.coverage != nil {
			f.Message = coverageText(*o.coverage)
		}
	}
}

func summarize(vs []result.Violation, c *result.Coverage) string {
	if c != nil {
		return fmt.Sprintf("%s; %s", coverageText(*c), plural(len(vs), "violation"))
	}
	if len(vs) == 1 {
		return vs[0].Msg
	}
	return plural(len(vs), "violation")
}

// alsoWarned is what a failing finding's message adds for the warnings beside its violations.
func alsoWarned(n int) string {
	if n == 0 {
		return ""
	}
	return "; and " + plural(n, "warning")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func coverageText(c result.Coverage) string {
	return fmt.Sprintf("%d of %d covered (%.0f%%)", c.Covered, c.Total, 100*c.Ratio())
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.Join(strings.Fields(s), " ")
}

// checkExceptions refuses exceptions for rules that do not exist, which are almost always typos
// that would otherwise silently except nothing.
func (e *Engine) checkExceptions(cfg *config.Config) error {
	ids := map[string]bool{}
	for _, r := range e.rules {
		ids[r.ID] = true
	}
	for _, ex := range cfg.Exceptions {
		if !ids[ex.Rule] {
			return fmt.Errorf("%s:%d: exception for unknown rule %q; see `posture rules` for the ids", cfg.Path, ex.Line, ex.Rule)
		}
	}
	return nil
}

// disabled returns the rules the config turns off, refusing ids no rule has: a typo would
// otherwise leave the rule running while the team believes it is off, or the reverse.
func (e *Engine) disabled(cfg *config.Config) (map[string]bool, error) {
	ids := map[string]bool{}
	for _, r := range e.rules {
		ids[r.ID] = true
	}
	off := map[string]bool{}
	for _, id := range cfg.Disable {
		if !ids[id] {
			return nil, fmt.Errorf("%s:%d: disable: unknown rule %q; see `posture rules` for the ids", cfg.Path, cfg.DisableLine, id)
		}
		off[id] = true
	}
	return off, nil
}

// applyExceptions turns fail and warn into excepted where an active exception covers every
// violation, marks the violations it covers, and returns warnings for expired exceptions. A
// failing finding whose every uncovered violation is a warning warns, as it would have
// without the covered ones.
func applyExceptions(fs []result.Finding, cfg *config.Config, now time.Time) []string {
	var warnings []string
	for _, ex := range cfg.Expired(now) {
		warnings = append(warnings, fmt.Sprintf("%s:%d: exception for %s expired on %s and no longer applies",
			cfg.Path, ex.Line, ex.Rule, ex.Expires.Format(time.DateOnly)))
	}
	for i := range fs {
		f := &fs[i]
		if f.Status != result.Fail && f.Status != result.Warn {
			continue
		}
		var applied *config.Exception
		all := true
		for j := range f.Violations {
			v := &f.Violations[j]
			ex := cfg.Exception(f.RuleID, v.Entity.ID, now)
			if ex == nil && v.Entity.Name != "" {
				ex = cfg.Exception(f.RuleID, v.Entity.Name, now)
			}
			if ex == nil {
				all = false
				continue
			}
			v.Excepted = true
			applied = ex
		}
		if applied == nil {
			continue
		}
		f.Exception = &result.Exception{
			Status:   string(applied.Status),
			Reason:   applied.Reason,
			Expires:  applied.Expires.Format(time.DateOnly),
			Entities: applied.Entities,
		}
		if all {
			f.Status = result.Excepted
			f.Message = fmt.Sprintf("excepted (%s until %s): %s", applied.Status, f.Exception.Expires, applied.Reason)
			continue
		}
		if left := uncovered(f.Violations); f.Status == result.Fail && onlyWarnings(left) {
			f.Status = result.Warn
			f.Message = summarize(left, f.Coverage) + fmt.Sprintf("; the rest excepted (%s until %s)", applied.Status, f.Exception.Expires)
		}
	}
	return warnings
}

// uncovered returns the violations no exception covers.
func uncovered(vs []result.Violation) []result.Violation {
	var out []result.Violation
	for _, v := range vs {
		if !v.Excepted {
			out = append(out, v)
		}
	}
	return out
}

// onlyWarnings reports whether every violation of vs is a warning.
func onlyWarnings(vs []result.Violation) bool {
	for _, v := range vs {
		if !v.IsWarning() {
			return false
		}
	}
	return true
}
