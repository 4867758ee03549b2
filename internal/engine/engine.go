// Package engine compiles posture's Rego rules (built-in and org), evaluates them against a
// snapshot in one query per shard, and turns their outputs into findings.
package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/policies"
)

// Options configure NewCatalog and New.
type Options struct {
	// PolicyDirs are org policy directories, loaded after the built-in rules; a rule there
	// with the id of a built-in rule replaces it.
	PolicyDirs []string
	// Baselines are the baselines New compiles the rules of (with the library packages they
	// import, and every org policy); empty means every baseline and the org rules.
	Baselines []string
}

// Catalog is the rule catalog: every built-in and org policy parsed, each rule's METADATA read
// and its baselines assigned, nothing compiled. Listing the rules needs nothing more; Compile
// turns a selection of it into an Engine. It is read-only and safe for concurrent use.
type Catalog struct {
	srcs      []source // the modules to compile, replaced built-ins left out
	rules     []Rule   // sorted by id
	baselines []baselines.Baseline
	// frameworks are the framework catalogs the result's framework view follows.
	frameworks []baselines.Framework
	// baselineData is data.posture.baselines (see baselineData), converted once.
	baselineData ast.Object
	org          bool // org policies were loaded: they are compiled with every check
	// only is the baselines a partial catalog was read for: it holds their rules alone, and
	// knows every other built-in rule by its file (layout). nil for a whole catalog.
	only   []string
	layout *layout
	// all is the parameters of every rule, read when a partial catalog must answer for every
	// rule (see parametersFor).
	all struct {
		once   sync.Once
		params map[string]Parameter
		err    error
	}
}

// Engine holds the compiled rules of a selection of baselines and the queries prepared for
// them. It is safe for concurrent use.
type Engine struct {
	*Catalog
	selection []string          // the baselines compiled; nil for all
	compiled  map[string]bool   // ids of the rules compiled
	shardOf   map[string]int    // rule id -> index of the shard it is compiled in
	caps      *ast.Capabilities // the sandbox, shared by compilation and every query
	shards    []*shard
}

// loadBaselines reads the baseline definitions; tests replace it with fixtures.
var loadBaselines = baselines.All

// loadFrameworks reads the framework catalogs.
var loadFrameworks = baselines.Frameworks

// NewCatalog parses the built-in and org policies and reads the rule catalog, without
// compiling anything.
func NewCatalog(ctx context.Context, opts Options) (*Catalog, error) {
	return newCatalog(ctx, opts.PolicyDirs, nil)
}

// New reads the catalog and compiles the rules of opts.Baselines. Without org policies, it
// reads only the rules of those baselines and the library packages they use.
func New(ctx context.Context, opts Options) (*Engine, error) {
	c, err := newCatalog(ctx, opts.PolicyDirs, opts.Baselines)
	if err != nil {
		return nil, err
	}
	return c.Compile(ctx, opts.Baselines)
}

// newCatalog reads the catalog. With only (baseline names) and no org policy directory, it
// parses only the built-in rules of those baselines and the packages they refer to, which is
// what a check of them needs; the catalog then knows every other rule by id alone (see layout).
func newCatalog(ctx context.Context, dirs, only []string) (*Catalog, error) {
	bls, err := loadBaselines()
	if err != nil {
		return nil, err
	}
	var lay *layout
	if len(only) > 0 && len(dirs) == 0 {
		lay, _ = readLayout(policies.FS)
	}
	var srcs []source
	if lay != nil {
		files, err := selectedFiles(only, bls, lay)
		if err != nil {
			return nil, err
		}
		if srcs, err = parseFS(policies.FS, "policies", files, true, lay.refFiles); err != nil {
			return nil, fmt.Errorf("load built-in policies: %w", err)
		}
	} else if srcs, err = loadFS(policies.FS, "policies", true); err != nil {
		return nil, fmt.Errorf("load built-in policies: %w", err)
	}
	org := false
	for _, dir := range dirs {
		o, err := loadDir(dir)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, o...)
		org = org || len(o) > 0
	}
	bdata, err := baselineData(bls)
	if err != nil {
		return nil, err
	}
	fws, err := loadFrameworks()
	if err != nil {
		return nil, err
	}
	srcs, rules, err := catalog(srcs)
	if err != nil {
		return nil, err
	}
	c := &Catalog{srcs: srcs, rules: rules, baselines: bls, frameworks: fws, baselineData: bdata, org: org}
	if lay != nil {
		c.only, c.layout = only, lay
		if err := c.checkLayout(); err != nil {
			return nil, err
		}
	}
	if err := assignBaselines(rules, bls, c.ruleExists); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// Compile compiles the rules of the named baselines (every rule when none are named), the
// library packages they import and every org policy, once: in shards side by side, one per
// processor (see shard). Built-in policies skip OPA's verification-only stages
// (TestEmbeddedPoliciesPassEveryCheck runs them all); org policies, when there are any, get
// every check.
func (c *Catalog) Compile(ctx context.Context, names []string) (*Engine, error) {
	rules, err := c.Select(names)
	if err != nil {
		return nil, err
	}
	return c.compileIn(ctx, names, rules, c.shardCount(rules))
}

// compileIn compiles rules, the selection names, in k shards at most.
func (c *Catalog) compileIn(ctx context.Context, names []string, rules []Rule, k int) (*Engine, error) {
	defaults, err := c.ParameterDefaults()
	if err != nil {
		return nil, err
	}
	defaultsValue, err := ast.InterfaceToValue(defaults)
	if err != nil {
		return nil, fmt.Errorf("parameter defaults: %w", err)
	}
	caps := capabilities()
	groups := [][]Rule{rules}
	if k > 1 {
		groups, _ = c.partition(rules, k)
	}
	shards, err := c.compileShards(groups, caps, newStore(c.baselineData, defaultsValue))
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e := &Engine{Catalog: c, selection: names, compiled: map[string]bool{}, shardOf: map[string]int{}, caps: caps, shards: shards}
	for g, rs := range groups {
		for _, r := range rs {
			e.compiled[r.ID] = true
			e.shardOf[r.ID] = g
		}
	}
	return e, nil
}

// Rules returns the rule catalog sorted by id.
func (c *Catalog) Rules() []Rule { return c.rules }

// Baselines returns the baseline definitions sorted by id.
func (c *Catalog) Baselines() []baselines.Baseline { return c.baselines }

// Frameworks returns the framework catalogs sorted by id.
func (c *Catalog) Frameworks() []baselines.Framework { return c.frameworks }

// baselineDocument is what rules see of one baseline under data.posture.baselines.<id>.
type baselineDocument struct {
	Settings []baselines.Setting `json:"settings,omitempty"`
	Source   *baselines.Source   `json:"source,omitempty"`
}

// baselineData encodes data.posture.baselines: {<id>: {settings, source}} for every baseline
// that has expected settings or a source (the Windows baseline's settings are what its
// rules compare policies with). Org parameters that override a setting are applied in Rego.
func baselineData(bls []baselines.Baseline) (ast.Object, error) {
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
	// Decoded as JSON into Go values first, so that numbers reach rules as float64 values did
	// when the store held the decoded JSON.
	var decoded map[string]any
	if err := json.Unmarshal(data, &decoded); err != nil {
		return nil, fmt.Errorf("decode baseline settings: %w", err)
	}
	v, err := ast.InterfaceToValue(decoded)
	if err != nil {
		return nil, fmt.Errorf("decode baseline settings: %w", err)
	}
	obj, ok := v.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("decode baseline settings: not an object")
	}
	return obj, nil
}

// assignBaselines records on each rule the baselines that list it, and checks that every
// baseline names only existing rules (exists says which do).
func assignBaselines(rules []Rule, bls []baselines.Baseline, exists func(id string) bool) error {
	idx := map[string]int{}
	for i, r := range rules {
		idx[r.ID] = i
	}
	for _, b := range bls {
		for _, e := range b.Rules {
			if !exists(e.ID) {
				return fmt.Errorf("baseline %s lists rule %s, which does not exist", b.ID, e.ID)
			}
			if i, ok := idx[e.ID]; ok {
				rules[i].Baselines = append(rules[i].Baselines, b.ID)
			}
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
