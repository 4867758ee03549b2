package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/policies"
)

// A partial catalog holds the built-in rules of some baselines and the library packages they
// use, parsed from their files alone (see layout): what a check of those baselines needs, in
// about half the time of the whole catalog. It knows the other rules by id, so that the config's
// exceptions and disable lists are checked against every rule, and it reads the other rules'
// parameter declarations when the config sets a parameter that none of its rules declares.

// selectedFiles returns the files of the built-in rules of the named baselines ("org": the
// built-in rules no baseline lists).
func selectedFiles(names []string, bls []baselines.Baseline, lay *layout) ([]string, error) {
	known := map[string]bool{OrgBaseline: true}
	listed := map[string]bool{}
	for _, b := range bls {
		known[b.ID] = true
		for _, e := range b.Rules {
			listed[e.ID] = true
		}
	}
	var files []string
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("unknown baseline %q; expected one of %s", n, strings.Join(baselineNames(bls), ", "))
		}
		for _, id := range baselineRuleIDs(n, bls, lay) {
			f := lay.ruleFile(id)
			if f == "" {
				return nil, fmt.Errorf("baseline %s lists rule %s, which does not exist", n, id)
			}
			files = append(files, f)
		}
	}
	return files, nil
}

// baselineRuleIDs lists the ids of the built-in rules of baseline name.
func baselineRuleIDs(name string, bls []baselines.Baseline, lay *layout) []string {
	var ids []string
	if name != OrgBaseline {
		for _, b := range bls {
			if b.ID == name {
				for _, e := range b.Rules {
					ids = append(ids, e.ID)
				}
			}
		}
		return ids
	}
	listed := map[string]bool{}
	for _, b := range bls {
		for _, e := range b.Rules {
			listed[e.ID] = true
		}
	}
	for id := range lay.rules {
		if !listed[id] {
			ids = append(ids, id)
		}
	}
	return ids
}

func baselineNames(bls []baselines.Baseline) []string {
	names := make([]string, 0, len(bls)+1)
	for _, b := range bls {
		names = append(names, b.ID)
	}
	return append(names, OrgBaseline)
}

// checkLayout checks that each rule of a partial catalog has the id its file says: the
// catalog found the rule by that id.
func (c *Catalog) checkLayout() error {
	for _, r := range c.rules {
		if f := c.layout.ruleFile(r.ID); "policies/"+f != r.File {
			return fmt.Errorf("%s: rule %s is not where its id says (policies/%s); a built-in rule <area>.<name> lives in policies/<area>/<name>/<name>.rego",
				r.File, r.ID, strings.ReplaceAll(r.ID, ".", "/"))
		}
	}
	return nil
}

// ruleExists reports whether a rule of the catalog has the id, read or not.
func (c *Catalog) ruleExists(id string) bool {
	if c.layout != nil {
		return c.layout.ruleFile(id) != ""
	}
	for _, r := range c.rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

// missingRule names a rule of the named baselines (every baseline for none) that a partial
// catalog did not read, or returns "".
func (c *Catalog) missingRule(names []string) string {
	if c.only == nil {
		return ""
	}
	if len(names) == 0 {
		names = baselineNames(c.baselines)
	}
	read := map[string]bool{}
	for _, r := range c.rules {
		read[r.ID] = true
	}
	for _, n := range names {
		for _, id := range baselineRuleIDs(n, c.baselines, c.layout) {
			if !read[id] {
				return id
			}
		}
	}
	return ""
}

// parametersFor returns the declarations cfg's parameters are checked against: those of every
// rule. A partial catalog has its own rules' declarations; when cfg sets a parameter none of
// them declares, it reads the other rules' declarations, once (see otherParameters).
func (c *Catalog) parametersFor(cfg *config.Config) (map[string]Parameter, error) {
	own := c.Parameters()
	if c.only == nil {
		return own, nil
	}
	for name := range cfg.Parameters {
		if _, ok := own[name]; ok {
			continue
		}
		c.all.once.Do(func() { c.all.params, c.all.err = c.otherParameters() })
		return c.all.params, c.all.err
	}
	return own, nil
}

// otherParameters returns the parameters of every built-in rule, those a partial catalog did not
// read taken from the METADATA at the head of their files: a rule declares its parameters in its
// package METADATA, above its package line, so only that part is parsed, and the rule bodies,
// most of the parsing, are left alone (on the demo's config with one baseline, 57 ms of a
// 200 ms check was parsing every other rule whole). The first declaration of a name in rule id
// order stands for all, as in Parameters; rules declare a parameter alike.
func (c *Catalog) otherParameters() (map[string]Parameter, error) {
	read := map[string]bool{}
	for _, r := range c.rules {
		read[r.ID] = true
	}
	var ids []string
	for id := range c.layout.rules {
		if !read[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	declared := make([][]Parameter, len(ids))
	errs := make([]error, len(ids))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(runtime.GOMAXPROCS(0), 1) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(ids); i = int(next.Add(1) - 1) {
				declared[i], errs[i] = headParameters(policies.FS, c.layout.rules[ids[i]])
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	rules := slices.Clone(c.rules)
	for i, id := range ids {
		rules = append(rules, Rule{ID: id, Parameters: declared[i]})
	}
	sortRules(rules)
	return parametersOf(rules), nil
}

// headParameters returns the parameters declared by the package METADATA of the rule in file
// (a path inside fsys), parsing the file up to its package line.
func headParameters(fsys fs.FS, file string) ([]Parameter, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("read built-in rule: %w", err)
	}
	head := data
	for rest, at := data, 0; len(rest) > 0; {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		at += len(line) + 1
		if bytes.HasPrefix(line, []byte("package ")) {
			head = data[:min(at, len(data))]
			break
		}
		rest = after
	}
	name := "policies/" + file
	m, err := ast.ParseModuleWithOpts(name, string(head), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		return nil, fmt.Errorf("load built-in policies: %w", err)
	}
	for _, a := range m.Annotations {
		if a.Scope == "package" {
			r, err := ruleFromMetadata(m, a, name)
			return r.Parameters, err
		}
	}
	return nil, nil
}
