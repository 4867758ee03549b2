package baselines_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/m365posture/posture/baselines"
	"github.com/m365posture/posture/internal/engine"
)

// TestRulesCiteCatalogControls checks the built-in rules against the framework catalogs: every
// control id a rule cites for a catalogued framework is in the catalog, and every control of a
// catalog has a rule that cites it or a reason why none does, never both.
func TestRulesCiteCatalogControls(t *testing.T) {
	fws, err := baselines.Frameworks()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := engine.NewCatalog(context.Background(), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	problems := catalogProblems(fws, cat.Rules())
	for _, p := range problems {
		t.Error(p)
	}
}

// catalogProblems lists what is wrong between the catalogs and the rules' citations, one line
// each.
func catalogProblems(fws []baselines.Framework, rules []engine.Rule) []string {
	var problems []string
	citedBy := map[string]map[string][]string{} // framework -> control -> rule ids
	for _, f := range fws {
		citedBy[f.ID] = map[string][]string{}
	}
	for _, r := range rules {
		for name, ids := range r.Frameworks {
			if _, catalogued := citedBy[name]; !catalogued {
				continue
			}
			fw := frameworkByID(fws, name)
			for _, id := range ids {
				if _, ok := fw.Control(id); ok {
					citedBy[name][id] = append(citedBy[name][id], r.ID)
					continue
				}
				problems = append(problems, r.ID+" ("+r.File+") cites "+name+" "+id+", which baselines/frameworks/"+name+".yaml does not list")
			}
		}
	}
	for _, f := range fws {
		for _, c := range f.Controls {
			rs := citedBy[f.ID][c.ID]
			switch {
			case len(rs) == 0 && c.Reason == "":
				problems = append(problems, f.ID+" "+c.ID+" has no rule that cites it and no reason; write the rule or give the catalog entry a reason")
			case len(rs) > 0 && c.Reason != "":
				problems = append(problems, f.ID+" "+c.ID+" has a reason but "+strings.Join(rs, ", ")+" cites it; remove the reason")
			}
		}
	}
	sort.Strings(problems)
	return problems
}

func frameworkByID(fws []baselines.Framework, id string) *baselines.Framework {
	for i := range fws {
		if fws[i].ID == id {
			return &fws[i]
		}
	}
	return nil
}

// TestCatalogProblemsFindsThem feeds catalogProblems a catalog and rules with each problem, so
// the check above cannot pass by finding nothing.
func TestCatalogProblemsFindsThem(t *testing.T) {
	fw, err := baselines.ParseFramework("fw.yaml", []byte(`id: cisa_scuba
title: T
source: {name: N, version: '1', url: https://example.com}
levels: [shall]
idPattern: '^MS\.AAD\.[0-9]+\.[0-9]+v[0-9]+$'
controls:
  - {id: MS.AAD.1.1v1, title: T, level: shall}
  - {id: MS.AAD.2.1v1, title: T, level: shall, reason: not read}
  - {id: MS.AAD.3.1v1, title: T, level: shall}
  - {id: MS.AAD.3.2v2, title: T, level: shall}
  - {id: MS.AAD.4.1v1, title: T, level: shall, reason: not read}
`))
	if err != nil {
		t.Fatal(err)
	}
	rules := []engine.Rule{
		{ID: "a.one", File: "a.rego", Frameworks: map[string][]string{"cisa_scuba": {"MS.AAD.1.1v1", "MS.AAD.9.9v1"}, "org_framework": {"anything"}}},
		{ID: "a.two", File: "b.rego", Frameworks: map[string][]string{"cisa_scuba": {"MS.AAD.2.1v1", "MS.AAD.3.2v1"}}},
	}
	got := catalogProblems([]baselines.Framework{fw}, rules)
	want := []string{
		"a.one (a.rego) cites cisa_scuba MS.AAD.9.9v1, which baselines/frameworks/cisa_scuba.yaml does not list",
		"a.two (b.rego) cites cisa_scuba MS.AAD.3.2v1, which baselines/frameworks/cisa_scuba.yaml does not list",
		"cisa_scuba MS.AAD.2.1v1 has a reason but a.two cites it; remove the reason",
		"cisa_scuba MS.AAD.3.1v1 has no rule that cites it and no reason; write the rule or give the catalog entry a reason",
		"cisa_scuba MS.AAD.3.2v2 has no rule that cites it and no reason; write the rule or give the catalog entry a reason",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
