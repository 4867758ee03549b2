package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/framework"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/version"
)

// EvalOptions select what Evaluate checks.
type EvalOptions struct {
	// Baselines to evaluate; empty means every baseline (and org rules outside them).
	Baselines []string
	// Now decides which exceptions have expired; the zero value means the current time.
	Now time.Time
}

// Evaluate checks snap against the selected rules with the org config cfg (nil for none). It
// prepares snap for this one evaluation; use Prepare and EvaluateInput to check one snapshot
// more than once.
func (e *Engine) Evaluate(ctx context.Context, snap *snapshot.Snapshot, cfg *config.Config, opts EvalOptions) (*result.Result, error) {
	in, err := Prepare(ctx, snap)
	if err != nil {
		return nil, err
	}
	return e.EvaluateInput(ctx, in, cfg, opts)
}

// EvaluateInput checks a prepared snapshot against the selected rules with the org config cfg
// (nil for none).
func (e *Engine) EvaluateInput(ctx context.Context, in *Input, cfg *config.Config, opts EvalOptions) (*result.Result, error) {
	snap := in.snap
	if cfg == nil {
		cfg = config.Default()
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	names := opts.Baselines
	if len(names) == 0 {
		names = e.selection
	}
	rules, err := e.Select(names)
	if err != nil {
		return nil, err
	}
	for _, r := range rules {
		if !e.compiled[r.ID] {
			return nil, fmt.Errorf("rule %s of %s was not compiled: the engine was made for %s",
				r.ID, selectionText(names), selectionText(e.selection))
		}
	}
	if err := e.checkExceptions(cfg); err != nil {
		return nil, err
	}
	declared, err := e.parametersFor(cfg)
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckParameters(declared); err != nil {
		return nil, err
	}
	off, err := e.disabled(cfg)
	if err != nil {
		return nil, err
	}
	var disabledWarnings []string
	if len(off) > 0 {
		kept := rules[:0:0]
		for _, r := range rules {
			if off[r.ID] {
				disabledWarnings = append(disabledWarnings, fmt.Sprintf("%s:%d: rule %s is disabled by the config and was not evaluated", cfg.Path, cfg.DisableLine, r.ID))
				continue
			}
			kept = append(kept, r)
		}
		rules = kept
	}
	selected := map[string]bool{}
	for _, n := range names {
		selected[n] = true
	}

	findings := make([]result.Finding, len(rules))
	var query []int // indexes of rules whose sources are all known
	for i, r := range rules {
		findings[i] = e.newFinding(r, selected)
		if msg := missingSources(r, in); msg != "" {
			findings[i].Status = result.Error
			findings[i].Message = msg
			continue
		}
		query = append(query, i)
	}

	outs, err := e.run(ctx, in, cfg, rules, query)
	if err != nil {
		return nil, err
	}
	for _, i := range query {
		decide(&findings[i], rules[i], outs[i])
	}
	warnings := append(append(disabledWarnings, replacedWarnings(rules)...), applyExceptions(findings, cfg, now)...)

	res := &result.Result{
		SchemaVersion: result.SchemaVersion,
		Generator:     result.Generator{Name: version.Name, Version: version.Version},
		Snapshot: result.SnapshotRef{
			SHA256:      snap.SHA256,
			CollectedAt: snap.CollectedAt,
			Tenant: result.Tenant{
				ID:            snap.Tenant.ID,
				DisplayName:   snap.Tenant.DisplayName,
				DefaultDomain: snap.Tenant.DefaultDomain,
				Cloud:         snap.Tenant.Cloud,
			},
			Sources: resultSources(in),
		},
		EvaluatedAt: now.UTC().Truncate(time.Second),
		Baselines:   e.evaluatedBaselines(rules),
		Evidence:    e.evidence(rules, cfg),
		Findings:    findings,
		Warnings:    warnings,
	}
	sort.Slice(res.Findings, func(i, j int) bool { return res.Findings[i].RuleID < res.Findings[j].RuleID })
	res.Tally()
	res.Frameworks = framework.Views(e.frameworks, res.Findings, e.skipped(rules, off))
	return res, nil
}

// resultSources copies the snapshot's record of its sources into the result, so a report
// re-rendered from the result alone still says what was and was not collected. It records
// what the rules saw: a source whose objects cannot be counted (in.unusable), or marked ok but
// absent, is error with the reason, as missingSources reports it.
func resultSources(in *Input) map[string]result.Source {
	snap := in.snap
	if len(snap.Sources) == 0 {
		return nil
	}
	out := make(map[string]result.Source, len(snap.Sources))
	for k, s := range snap.Sources {
		src := result.Source{Status: string(s.Status), Count: s.Count, Message: s.Message}
		switch {
		case in.unusable[k] != "":
			src.Status, src.Message = string(snapshot.StatusError), in.unusable[k]
		case s.Status == snapshot.StatusOK && !snap.Known(k):
			src.Status, src.Message = string(snapshot.StatusError), "marked ok but missing from the snapshot"
		}
		out[k] = src
	}
	return out
}

// skipped lists the catalog's rules that this evaluation did not run, and why, for the
// framework view's not_checked reasons.
func (e *Engine) skipped(ran []Rule, off map[string]bool) []framework.Skipped {
	evaluated := make(map[string]bool, len(ran))
	for _, r := range ran {
		evaluated[r.ID] = true
	}
	var out []framework.Skipped
	for _, r := range e.rules {
		if evaluated[r.ID] || len(r.Frameworks) == 0 {
			continue
		}
		why := "disabled by the config"
		if !off[r.ID] {
			why = "its baselines " + strings.Join(r.Baselines, ", ") + " were not selected"
			if len(r.Baselines) == 1 {
				why = "its baseline " + r.Baselines[0] + " was not selected"
			}
		}
		out = append(out, framework.Skipped{RuleID: r.ID, Frameworks: r.Frameworks, Why: why})
	}
	return out
}

func (e *Engine) evaluatedBaselines(rules []Rule) []string {
	seen := map[string]bool{}
	for _, r := range rules {
		for _, b := range r.Baselines {
			seen[b] = true
		}
	}
	out := []string{}
	for b := range seen {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// newFinding fills in what a finding takes from its rule; level is the strictest level the
// selected baselines give the rule.
func (e *Engine) newFinding(r Rule, selected map[string]bool) result.Finding {
	f := result.Finding{
		RuleID:      r.ID,
		Title:       r.Title,
		Severity:    r.Severity,
		Level:       r.Level,
		SecureScore: r.SecureScore,
		Frameworks:  r.Frameworks,
		Remediation: r.Remediation,
		Violations:  []result.Violation{},
		References:  []string{},
	}
	for _, ref := range r.References {
		f.References = append(f.References, ref.URL)
	}
	level := ""
	for _, b := range r.Baselines {
		if len(selected) > 0 && !selected[b] {
			continue
		}
		f.Baselines = append(f.Baselines, b)
		for _, bl := range e.baselines {
			if bl.ID != b {
				continue
			}
			for _, en := range bl.Rules {
				if en.ID == r.ID && (level == "" || en.Level == "shall") {
					level = en.Level
				}
			}
		}
	}
	if level != "" {
		f.Level = level
	}
	return f
}

// missingSources says why a rule cannot be evaluated, or "" when every source it requires is
// known and usable. A source that is "unlicensed" is known-empty for rules that accept it; a
// known source whose objects lack properties the rules count on is unusable.
func missingSources(r Rule, in *Input) string {
	snap := in.snap
	var probs []string
	for _, key := range r.Requires {
		if snap.Known(key) {
			if msg := in.unusable[key]; msg != "" {
				probs = append(probs, msg)
			}
			continue
		}
		src, ok := snap.Sources[key]
		switch {
		case ok && src.Status == snapshot.StatusUnlicensed && contains(r.AcceptsUnlicensed, key):
			continue
		case !ok:
			probs = append(probs, fmt.Sprintf("%s was not collected", key))
		case src.Status == snapshot.StatusOK:
			probs = append(probs, fmt.Sprintf("%s is marked ok but missing from the snapshot", key))
		default:
			p := fmt.Sprintf("%s is %s", key, src.Status)
			if src.Message != "" {
				p += " (" + src.Message + ")"
			}
			probs = append(probs, p)
		}
	}
	if len(probs) == 0 {
		return ""
	}
	return "cannot verify: " + strings.Join(probs, "; ")
}

// outputs are a rule's contract documents after evaluation.
type outputs struct {
	deny, warn []result.Violation
	errors     []string
	coverage   *result.Coverage
	controls   map[string]result.Coverage // control_coverage: Secure Score control id -> coverage
	na         *string
	runErr     error // the rule failed at run time
}

// run evaluates the rules at idx in one query per shard. If the combined query fails at run time, each
// rule is evaluated alone so that one broken rule becomes one error finding instead of hiding
// every other result. Evaluation time is the snapshot's collectedAt (the Unix epoch for a
// snapshot without one), so that built-ins that read the clock (time.now_ns,
// io.jwt.decode_verify) give one snapshot one result.
func (e *Engine) run(ctx context.Context, in *Input, cfg *config.Config, rules []Rule, idx []int) (map[int]outputs, error) {
	out := map[int]outputs{}
	if len(idx) == 0 {
		return out, nil
	}
	params, err := configData(cfg)
	if err != nil {
		return nil, err
	}
	at := in.snap.CollectedAt
	if at.IsZero() {
		at = time.Unix(0, 0).UTC()
	}
	sel := make([]Rule, len(idx))
	for n, i := range idx {
		sel[n] = rules[i]
	}
	docs, err := e.evalQuery(ctx, in.value, params, at, sel)
	if err == nil {
		for _, i := range idx {
			out[i] = parseOutputs(rules[i], docs)
		}
		return out, nil
	}
	var stopped *StoppedError
	if errors.As(err, &stopped) {
		return nil, err
	}
	for n, i := range idx {
		docs, err := e.evalQuery(ctx, in.value, params, at, sel[n:n+1])
		if err != nil {
			if errors.As(err, &stopped) {
				// The rules after this one were not evaluated either.
				for _, r := range sel[n+1:] {
					stopped.Unfinished = append(stopped.Unfinished, r.ID)
				}
				return nil, stopped
			}
			out[i] = outputs{runErr: err}
			continue
		}
		out[i] = parseOutputs(rules[i], docs)
	}
	return out, nil
}

func selectionText(names []string) string {
	if len(names) == 0 {
		return "every baseline"
	}
	return "baselines " + strings.Join(names, ", ")
}

// configData is cfg.Data(), data.posture.config, as an OPA value. It goes through JSON as it
// always has, so numbers reach rules as they did when the store held decoded JSON.
func configData(cfg *config.Config) (ast.Value, error) {
	raw, err := json.Marshal(cfg.Data())
	if err != nil {
		return nil, fmt.Errorf("config parameters: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("config parameters: %w", err)
	}
	v, err := ast.InterfaceToValue(m)
	if err != nil {
		return nil, fmt.Errorf("config parameters: %w", err)
	}
	return v, nil
}

// evidence says what judged the snapshot: posture's version, the config file (none for the
// default config) and the policy files of rules: their own modules, the library packages they
// use and every org policy, as modulesFor compiles them.
func (e *Engine) evidence(rules []Rule, cfg *config.Config) *result.Evidence {
	ev := &result.Evidence{Posture: result.Generator{Name: version.Name, Version: version.Version}}
	if cfg.SHA256 != "" {
		ev.Config = &result.ConfigEvidence{Path: cfg.Path, SHA256: cfg.SHA256}
	}
	used := e.modulesFor(rules)
	files := make([]result.PolicyFile, 0, len(used))
	for _, s := range e.srcs {
		if _, ok := used[s.file]; ok {
			files = append(files, result.PolicyFile{Path: filepath.ToSlash(s.file), SHA256: s.sum, Builtin: s.builtin})
		}
	}
	ev.Policies = result.NewPolicyEvidence(files)
	return ev
}
