package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/param"
	"github.com/m365posture/posture/internal/result"
)

// Rule is one rule of the catalog, read from its package's METADATA.
type Rule struct {
	ID                 string              `json:"id"`
	Title              string              `json:"title"`
	Description        string              `json:"description"`
	Severity           result.Severity     `json:"severity"`
	Level              string              `json:"level"`
	Baselines          []string            `json:"baselines"`
	Requires           []string            `json:"requires"`
	AcceptsUnlicensed  []string            `json:"acceptsUnlicensed,omitempty"`
	SecureScore        []string            `json:"secureScore"`
	Frameworks         map[string][]string `json:"frameworks"`
	License            []string            `json:"license,omitempty"`
	Remediation        string              `json:"remediation"`
	UserImpact         string              `json:"userImpact,omitempty"`
	ImplementationCost string              `json:"implementationCost,omitempty"`
	References         []Reference         `json:"references"`
	Parameters         []Parameter         `json:"parameters,omitempty"`
	// Replaces is the id of the built-in rule this org rule takes the place of (its own id).
	Replaces string `json:"replaces,omitempty"`
	// Package is the rule's Rego package, e.g. data.posture.rules.entra.admin_mfa.
	Package string `json:"package"`
	// File is where the rule is defined; built-in rules carry a path under policies/.
	File    string `json:"file"`
	Builtin bool   `json:"builtin"`

	pkg      ast.Ref
	outputs  map[string]bool // which of outputNames the package defines
	replaced string          // the file of the built-in rule an org rule replaces
}

// citedControls lists every control id the rule cites, in any framework, sorted: the ids its
// violations may name in controls.
func (r Rule) citedControls() []string {
	var ids []string
	for _, cs := range r.Frameworks {
		for _, c := range cs {
			if !slices.Contains(ids, c) {
				ids = append(ids, c)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// Reference is a link from related_resources.
type Reference struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// Parameter is one data.posture.config key a rule reads, with its declared type and default.
type Parameter = param.Spec

// outputs a rule package may define; the engine reads nothing else.
var outputNames = []string{"deny", "warn", "coverage", "control_coverage", "not_applicable", "error"}

var rulePackageRef = ast.MustParseRef("data.posture.rules")

// catalog turns the parsed modules into the rule catalog, in four steps: group the modules
// by package, read each rule package's METADATA, let org rules replace the built-in rules they
// name, and see which outputs each rule defines. It returns the modules to compile (without
// those of replaced rules) and the rules sorted by id.
func catalog(srcs []source) ([]source, []Rule, error) {
	pkgs, err := packages(srcs)
	if err != nil {
		return nil, nil, err
	}
	if err := readRules(srcs, pkgs); err != nil {
		return nil, nil, err
	}
	if err := replace(pkgs); err != nil {
		return nil, nil, err
	}
	var keep []source
	var rules []Rule
	for _, p := range pkgs {
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
	if err := checkParameterDeclarations(rules); err != nil {
		return nil, nil, err
	}
	sortRules(rules)
	return keep, rules, nil
}

// pkg is one Rego package of one origin (built-in or org) and the files that make it up.
type pkg struct {
	path    string // e.g. data.posture.rules.entra.admin_mfa
	builtin bool
	files   []int // indexes into the sources
	rule    *Rule // nil for a library package
	dropped bool  // replaced by an org rule
}

// packages groups the sources by package, in source order. An org package may not add to a
// package of posture's library.
func packages(srcs []source) ([]*pkg, error) {
	type key struct {
		path    string
		builtin bool
	}
	byKey := map[key]*pkg{}
	var out []*pkg
	for i, s := range srcs {
		path := s.module.Package.Path.String()
		k := key{path, s.builtin}
		p, ok := byKey[k]
		if !ok {
			p = &pkg{path: path, builtin: s.builtin}
			byKey[k] = p
			out = append(out, p)
		}
		p.files = append(p.files, i)
		if !s.builtin && strings.HasPrefix(path, "data.posture.lib.") && byKey[key{path, true}] != nil {
			return nil, fmt.Errorf("%s:%d: package %s belongs to posture's built-in library; org helpers need a package of their own",
				s.file, s.module.Package.Location.Row, strings.TrimPrefix(path, "data."))
		}
	}
	return out, nil
}

// readRules reads the METADATA of every package under posture.rules: each is a rule and has
// exactly one package METADATA block.
func readRules(srcs []source, pkgs []*pkg) error {
	for _, p := range pkgs {
		if !strings.HasPrefix(p.path, rulePackageRef.String()+".") {
			continue
		}
		for _, i := range p.files {
			s := srcs[i]
			for _, a := range s.module.Annotations {
				if a.Scope != "package" {
					continue
				}
				if p.rule != nil {
					return fmt.Errorf("%s:%d: package %s has METADATA in more than one file; keep it in one",
						s.file, a.Location.Row, strings.TrimPrefix(p.path, "data."))
				}
				r, err := s.metadata(a)
				if err != nil {
					return err
				}
				r.Builtin = s.builtin
				p.rule = &r
			}
		}
		if p.rule == nil {
			s := srcs[p.files[0]]
			return fmt.Errorf("%s:%d: package %s has no rule METADATA; every package under posture.rules is a rule and needs a `# METADATA` block with custom.id, severity, level and remediation",
				s.file, s.module.Package.Location.Row, strings.TrimPrefix(p.path, "data."))
		}
		if p.builtin && p.rule.Replaces != "" {
			return fmt.Errorf("%s: built-in rule %s declares custom.replaces; only org rules replace rules", p.rule.File, p.rule.ID)
		}
	}
	return nil
}

// metadata reads the rule of a package annotation of s, or takes what readAhead read.
func (s source) metadata(a *ast.Annotations) (Rule, error) {
	if s.meta != nil && s.meta.annotation == a {
		return s.meta.rule, s.meta.err
	}
	return ruleFromMetadata(s.module, a, s.file)
}

// replace applies org rules to the built-in rules: an org rule that takes a built-in rule's
// id must say so (custom.replaces), and then the built-in rule is dropped. Two org rules may
// not share an id, and a package cannot hold two different rules.
func replace(pkgs []*pkg) error {
	builtinPkg := map[string]*pkg{}
	byID := map[string]*pkg{}
	for _, p := range pkgs {
		if p.rule != nil && p.builtin {
			builtinPkg[p.path] = p
			byID[p.rule.ID] = p
		}
	}
	for _, p := range pkgs {
		if p.rule == nil || p.builtin {
			continue
		}
		r := p.rule
		if b := builtinPkg[p.path]; b != nil && b.rule.ID != r.ID {
			return fmt.Errorf("%s: package %s already holds built-in rule %s (%s); give rule %s a package of its own, or use id %s with replaces: %s to replace it",
				r.File, strings.TrimPrefix(p.path, "data."), b.rule.ID, b.rule.File, r.ID, b.rule.ID, b.rule.ID)
		}
		prev, taken := byID[r.ID]
		switch {
		case taken && !prev.builtin:
			return fmt.Errorf("%s: rule id %s is also declared by %s", r.File, r.ID, prev.rule.File)
		case taken && r.Replaces == "":
			return fmt.Errorf("%s: rule %s has the id of the built-in rule in %s; to replace that rule add `replaces: %s` to custom in the METADATA, or choose another id",
				r.File, r.ID, prev.rule.File, r.ID)
		case !taken && r.Replaces != "":
			return fmt.Errorf("%s: rule %s says it replaces %s, which is not a built-in rule; remove custom.replaces, or use the id of the built-in rule to replace",
				r.File, r.ID, r.Replaces)
		case taken:
			prev.dropped = true
			r.replaced = prev.rule.File
		}
		byID[r.ID] = p
	}
	return nil
}

// checkParameterDeclarations makes every rule that declares a parameter declare it alike:
// the config gives one value to all of them, and rules fall back to one default.
func checkParameterDeclarations(rules []Rule) error {
	first := map[string]Rule{}
	for _, r := range rules {
		for _, p := range r.Parameters {
			f, ok := first[p.Name]
			if !ok {
				first[p.Name] = r
				continue
			}
			if q := f.parameter(p.Name); !q.Alike(p) {
				return fmt.Errorf("%s: rule %s declares parameter %s as %s%s, but rule %s (%s) as %s%s; declare it alike (type, items, bounds, enum and default)",
					r.File, r.ID, p.Name, p.Summary(), defaultText(p), f.ID, f.File, q.Summary(), defaultText(q))
			}
		}
	}
	return nil
}

func (r Rule) parameter(name string) Parameter {
	for _, p := range r.Parameters {
		if p.Name == name {
			return p
		}
	}
	return Parameter{}
}

func defaultText(p Parameter) string {
	if p.Default == nil {
		return " without a default"
	}
	b, _ := p.Default.MarshalJSON()
	return " with default " + string(b)
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

// replacedWarnings says, for each org rule among rules that replaces a built-in rule, that the
// result holds the org's rule under the built-in id.
func replacedWarnings(rules []Rule) []string {
	var out []string
	for _, r := range rules {
		if r.Replaces != "" {
			out = append(out, fmt.Sprintf("%s: rule %s is the org's rule, which replaces the built-in rule (%s)", r.File, r.ID, r.replaced))
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sortRules(rs []Rule) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
}

// Parameters returns every parameter the rules declare, by name; rules declare a parameter
// alike (New checks), so one declaration stands for all.
func (c *Catalog) Parameters() map[string]Parameter { return parametersOf(c.rules) }

// parametersOf returns the parameters rules declare, by name, each the first declaration in
// rules' order.
func parametersOf(rules []Rule) map[string]Parameter {
	out := map[string]Parameter{}
	for _, r := range rules {
		for _, p := range r.Parameters {
			if _, ok := out[p.Name]; !ok {
				out[p.Name] = p
			}
		}
	}
	return out
}

// ParameterDefaults returns the declared default of every parameter that has one, as JSON
// values: what rules see as data.posture.defaults, and what the library's params.value falls
// back to when the config does not set a parameter. Each call returns a new map.
func (c *Catalog) ParameterDefaults() (map[string]any, error) {
	defaults := map[string]any{}
	for name, p := range c.Parameters() {
		if p.Default != nil {
			defaults[name] = p.Default
		}
	}
	raw, err := json.Marshal(defaults)
	if err != nil {
		return nil, fmt.Errorf("encode parameter defaults: %w", err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decode parameter defaults: %w", err)
	}
	return out, nil
}
