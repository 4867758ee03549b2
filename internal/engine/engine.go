// Package engine compiles posture's Rego rules (built-in and org), evaluates them against a
// snapshot in one query, and turns their outputs into findings.
package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

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

// catalog groups modules by package, reads each rule package's METADATA, applies org
// replacements of built-in rules and returns the modules to compile and the rules.
func catalog(srcs []source) ([]source, []Rule, error) {
	type pkgInfo struct {
		path    string
		builtin bool
		files   []int
		rule    *Rule
		dropped bool
	}
	type key struct {
		path    string
		builtin bool
	}
	pkgs := map[key]*pkgInfo{}
	var order []*pkgInfo
	for i, s := range srcs {
		path := s.module.Package.Path.String()
		k := key{path, s.builtin}
		p, ok := pkgs[k]
		if !ok {
			p = &pkgInfo{path: path, builtin: s.builtin}
			pkgs[k] = p
			order = append(order, p)
		}
		p.files = append(p.files, i)
		if !s.builtin && strings.HasPrefix(path, "data.posture.lib.") && pkgs[key{path, true}] != nil {
			return nil, nil, fmt.Errorf("%s:%d: package %s belongs to posture's built-in library; org helpers need a package of their own",
				s.file, s.module.Package.Location.Row, strings.TrimPrefix(path, "data."))
		}
		if !s.module.Package.Path.HasPrefix(rulePackageRef) {
			continue
		}
		for _, a := range s.module.Annotations {
			if a.Scope != "package" {
				continue
			}
			if p.rule != nil {
				return nil, nil, fmt.Errorf("%s:%d: package %s has METADATA in more than one file; keep it in one",
					s.file, a.Location.Row, strings.TrimPrefix(path, "data."))
			}
			r, err := ruleFromAnnotations(a, s.module.Package.Path, s.file)
			if err != nil {
				return nil, nil, err
			}
			r.Builtin = s.builtin
			p.rule = &r
		}
	}
	byID := map[string]*pkgInfo{}
	for _, p := range order {
		if !strings.HasPrefix(p.path, rulePackageRef.String()+".") {
			continue
		}
		if p.rule == nil {
			s := srcs[p.files[0]]
			return nil, nil, fmt.Errorf("%s:%d: package %s has no rule METADATA; every package under posture.rules is a rule and needs a `# METADATA` block with custom.id, severity, level and remediation",
				s.file, s.module.Package.Location.Row, strings.TrimPrefix(p.path, "data."))
		}
		if p.builtin {
			byID[p.rule.ID] = p
			continue
		}
		// An org rule replaces the built-in rule with its id; it may reuse that rule's
		// package, but a package cannot hold two different rules.
		if b := pkgs[key{p.path, true}]; b != nil && b.rule != nil && b.rule.ID != p.rule.ID {
			return nil, nil, fmt.Errorf("%s: package %s already holds built-in rule %s; give rule %s a package of its own or use id %s to replace it",
				p.rule.File, strings.TrimPrefix(p.path, "data."), b.rule.ID, p.rule.ID, b.rule.ID)
		}
		if prev, dup := byID[p.rule.ID]; dup {
			if !prev.builtin {
				return nil, nil, fmt.Errorf("%s: rule id %s is also declared by %s", p.rule.File, p.rule.ID, prev.rule.File)
			}
			prev.dropped = true
		}
		byID[p.rule.ID] = p
	}
	var keep []source
	var rules []Rule
	for _, p := range order {
		if p.dropped {
			continue
		}
		for _, i := range p.files {
			keep = append(keep, srcs[i])
		}
		if p.rule != nil {
			r := *p.rule
			r.outputs = ruleOutputs(srcs, p.files)
			rules = append(rules, r)
		}
	}
	sortRules(rules)
	return keep, rules, nil
}

// ruleOutputs lists which contract outputs a rule's modules define, so the query only names
// documents that exist.
func ruleOutputs(srcs []source, files []int) map[string]bool {
	out := map[string]bool{}
	for _, i := range files {
		for _, r := range srcs[i].module.Rules {
			name := r.Head.Name.String()
			if len(r.Head.Reference) > 0 {
				name = r.Head.Reference[0].Value.String()
			}
			for _, o := range outputNames {
				if name == o {
					out[o] = true
				}
			}
		}
	}
	return out
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
