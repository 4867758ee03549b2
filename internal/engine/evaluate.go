package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/m365posture/posture/internal/config"
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

// Select returns the rules of the named baselines (all rules when none are named).
func (e *Engine) Select(names []string) ([]Rule, error) {
	if len(names) == 0 {
		return e.rules, nil
	}
	known := map[string]bool{OrgBaseline: true}
	for _, b := range e.baselines {
		known[b.ID] = true
	}
	want := map[string]bool{}
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("unknown baseline %q; expected one of %s", n, strings.Join(e.BaselineNames(), ", "))
		}
		want[n] = true
	}
	var out []Rule
	for _, r := range e.rules {
		for _, b := range r.Baselines {
			if want[b] {
				out = append(out, r)
				break
			}
		}
	}
	return out, nil
}

// BaselineNames lists the baselines a selection may name.
func (e *Engine) BaselineNames() []string {
	var names []string
	for _, b := range e.baselines {
		names = append(names, b.ID)
	}
	return append(names, OrgBaseline)
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
	rules, err := e.Select(opts.Baselines)
	if err != nil {
		return nil, err
	}
	if err := e.checkExceptions(cfg); err != nil {
		return nil, err
	}
	if err := cfg.CheckParameters(e.Parameters()); err != nil {
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
	for _, n := range opts.Baselines {
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

	outs, err := e.run(ctx, in.value, cfg, rules, query)
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
		},
		EvaluatedAt: now.UTC().Truncate(time.Second),
		Baselines:   e.evaluatedBaselines(rules),
		Findings:    findings,
		Warnings:    warnings,
	}
	sort.Slice(res.Findings, func(i, j int) bool { return res.Findings[i].RuleID < res.Findings[j].RuleID })
	res.Tally()
	return res, nil
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
	na         *string
	runErr     error // the rule failed at run time
}

// run evaluates the rules at idx in one query. If the combined query fails at run time, each
// rule is evaluated alone so that one broken rule becomes one error finding instead of hiding
// every other result.
func (e *Engine) run(ctx context.Context, input ast.Value, cfg *config.Config, rules []Rule, idx []int) (map[int]outputs, error) {
	out := map[int]outputs{}
	if len(idx) == 0 {
		return out, nil
	}
	store, err := e.store(cfg)
	if err != nil {
		return nil, err
	}

	bindings, err := e.eval(ctx, store, input, rules, idx)
	if err == nil {
		for _, i := range idx {
			out[i] = parseOutputs(rules[i], i, bindings)
		}
		return out, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	for _, i := range idx {
		b, err := e.eval(ctx, store, input, rules, []int{i})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			out[i] = outputs{runErr: err}
			continue
		}
		out[i] = parseOutputs(rules[i], i, b)
	}
	return out, nil
}

func (e *Engine) eval(ctx context.Context, store storage.Store, input ast.Value, rules []Rule, idx []int) (rego.Vars, error) {
	body := ast.Body{}
	for _, i := range idx {
		r := rules[i]
		for _, o := range outputNames {
			if !r.outputs[o] {
				continue
			}
			// [x | x := data.<pkg>.<output>] is always defined: an empty array when the
			// rule does not produce the document, so one rule cannot make the query fail.
			ref := r.pkg.Append(ast.StringTerm(o))
			x := ast.VarTerm("x")
			compr := ast.ArrayComprehensionTerm(x, ast.NewBody(ast.Assign.Expr(x, ast.NewTerm(ref))))
			body.Append(ast.Assign.Expr(ast.VarTerm(bindingName(i, o)), compr))
		}
	}
	if len(body) == 0 {
		return rego.Vars{}, nil
	}
	r := rego.New(
		rego.ParsedQuery(body),
		rego.Compiler(e.compiler),
		rego.Store(store),
		rego.Capabilities(e.caps),
		rego.StrictBuiltinErrors(true),
	)
	pq, err := r.PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare query: %w", err)
	}
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 {
		return nil, errors.New("query returned no result")
	}
	return rs[0].Bindings, nil
}

func bindingName(i int, output string) string { return fmt.Sprintf("r%d_%s", i, output) }

// store holds the data documents rules read besides input: data.posture.config (the org's
// parameters), data.posture.defaults (the parameters' declared defaults) and
// data.posture.baselines (baseline settings and sources).
func (e *Engine) store(cfg *config.Config) (storage.Store, error) {
	params, err := configData(cfg)
	if err != nil {
		return nil, err
	}
	var bls map[string]any
	if err := json.Unmarshal(e.baselineData, &bls); err != nil {
		return nil, fmt.Errorf("decode baseline settings: %w", err)
	}
	defaults, err := e.ParameterDefaults()
	if err != nil {
		return nil, err
	}
	return inmem.NewFromObject(map[string]any{"posture": map[string]any{"config": params, "baselines": bls, "defaults": defaults}}), nil
}

// configData is cfg.Data() normalised to JSON values for the store.
func configData(cfg *config.Config) (map[string]any, error) {
	raw, err := json.Marshal(cfg.Data())
	if err != nil {
		return nil, fmt.Errorf("config parameters: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("config parameters: %w", err)
	}
	return m, nil
}
