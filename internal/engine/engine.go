// Package engine compiles posture's Rego rules (built-in and org), evaluates them against a
// snapshot in one query, and turns their outputs into findings.
package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/policies"
)

// Options configure New.
type Options struct {
	// PolicyDirs are org policy directories, loaded after the built-in rules; a rule there
	// with the id of a built-in rule replaces it.
	PolicyDirs []string
}

// Engine holds the compiled rules. It is safe for concurrent use.
type Engine struct {
	compiler  *ast.Compiler
	caps      *ast.Capabilities // the sandbox, shared by compilation and every query
	rules     []Rule            // sorted by id
	baselines []baselines.Baseline
	// baselineData is data.posture.baselines as JSON, decoded afresh for each evaluation.
	baselineData []byte
}

// loadBaselines reads the baseline definitions; tests replace it with fixtures.
var loadBaselines = baselines.All

// New loads, checks and compiles the built-in and org rules once.
func New(ctx context.Context, opts Options) (*Engine, error) {
	srcs, err := loadFS(policies.FS, "policies", true)
	if err != nil {
		return nil, fmt.Errorf("load built-in policies: %w", err)
	}
	for _, dir := range opts.PolicyDirs {
		org, err := loadDir(dir)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, org...)
	}
	bls, err := loadBaselines()
	if err != nil {
		return nil, err
	}
	bdata, err := baselineData(bls)
	if err != nil {
		return nil, err
	}
	srcs, rules, err := catalog(srcs)
	if err != nil {
		return nil, err
	}
	if err := assignBaselines(rules, bls); err != nil {
		return nil, err
	}
	modules := make(map[string]*ast.Module, len(srcs))
	for _, s := range srcs {
		modules[s.file] = s.module
	}
	caps := capabilities()
	c := ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(caps).
		WithEnablePrintStatements(false)
	if c.Compile(modules); c.Failed() {
		return nil, regoError(c.Errors)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Engine{compiler: c, caps: caps, rules: rules, baselines: bls, baselineData: bdata}, nil
}

// Rules returns the rule catalog sorted by id.
func (e *Engine) Rules() []Rule { return e.rules }

// Baselines returns the baseline definitions sorted by id.
func (e *Engine) Baselines() []baselines.Baseline { return e.baselines }

// baselineDocument is what rules see of one baseline under data.posture.baselines.<id>.
type baselineDocument struct {
	Settings []baselines.Setting `json:"settings,omitempty"`
	Source   *baselines.Source   `json:"source,omitempty"`
}

// baselineData encodes data.posture.baselines: {<id>: {settings, source}} for every baseline
// that has expected settings or a source (the Windows baseline's settings are what its
// rules compare policies with). Org parameters that override a setting are applied in Rego.
func baselineData(bls []baselines.Baseline) ([]byte, error) {
	docs := map[string]baselineDocument{}
	for _, b := range bls {
		if len(b.Settings) > 0 || b.Source != nil {
			docs[b.ID] = baselineDocument{Settings: b.Settings, Source: b.Source}
		}
	}
	data, err := json.Marshal(docs)
	if err != nil {
		return nil, fmt.Errorf("encode baseline settings: %w", err)
	}
	return data, nil
}

// assignBaselines records on each rule the baselines that list it, and checks that every
// baseline names only existing rules.
func assignBaselines(rules []Rule, bls []baselines.Baseline) error {
	idx := map[string]int{}
	for i, r := range rules {
		idx[r.ID] = i
	}
	for _, b := range bls {
		for _, e := range b.Rules {
			i, ok := idx[e.ID]
			if !ok {
				return fmt.Errorf("baseline %s lists rule %s, which does not exist", b.ID, e.ID)
			}
			rules[i].Baselines = append(rules[i].Baselines, b.ID)
		}
	}
	for i := range rules {
		if len(rules[i].Baselines) == 0 {
			// Org rules outside every baseline form the "org" baseline, so they always run
			// unless a baseline selection leaves them out.
			rules[i].Baselines = []string{OrgBaseline}
		}
		sort.Strings(rules[i].Baselines)
	}
	return nil
}

// OrgBaseline groups rules that no baseline definition lists.
const OrgBaseline = "org"
