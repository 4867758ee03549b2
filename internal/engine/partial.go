package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/config"
)

// A partial catalog holds the built-in rules of some baselines and the library packages they
// use, parsed from their files alone (see layout): what a check of those baselines needs, in
// about half the time of the whole catalog. It knows the other rules by id, so that the config's
// exceptions and disable lists are checked against every rule, and it reads the whole catalog
// when the config sets a parameter that none of its rules declares.

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
// them declares, it reads the whole catalog, once, to see whether another rule does.
func (c *Catalog) parametersFor(ctx context.Context, cfg *config.Config) (map[string]Parameter, error) {
	own := c.Parameters()
	if c.only == nil {
		return own, nil
	}
	for name := range cfg.Parameters {
		if _, ok := own[name]; ok {
			continue
		}
		c.all.once.Do(func() { c.all.cat, c.all.err = newCatalog(ctx, nil, nil) })
		if c.all.err != nil {
			return nil, c.all.err
		}
		return c.all.cat.Parameters(), nil
	}
	return own, nil
}
