package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/demo"
	"github.com/m365posture/posture/internal/snapshot"
)

// TestPartition: every rule is in exactly one shard, with every module it needs, the rules of the
// Conditional Access evaluator are a shard of their own, and the same rules give the same shards.
func TestPartition(t *testing.T) {
	c, err := NewCatalog(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range [][]string{nil, {"azure-ad"}, {"m365", "windows"}} {
		rules, err := c.Select(sel)
		if err != nil {
			t.Fatal(err)
		}
		needs := c.closures(rules)
		for k := 1; k <= maxShards; k++ {
			groups, files := c.partition(rules, k)
			if len(groups) > k || len(groups) != len(files) {
				t.Fatalf("%s, %d shards: %d groups, %d module sets", selectionText(sel), k, len(groups), len(files))
			}
			in := map[string]int{}
			for g, rs := range groups {
				for _, r := range rs {
					in[r.ID]++
					for i := range rules {
						if rules[i].ID != r.ID {
							continue
						}
						for f := range needs[i] {
							if !files[g][f] {
								t.Errorf("%s, %d shards: rule %s needs %s, which its shard lacks", selectionText(sel), k, r.ID, f)
							}
						}
					}
				}
			}
			for _, r := range rules {
				if in[r.ID] != 1 {
					t.Errorf("%s, %d shards: rule %s is in %d shards", selectionText(sel), k, r.ID, in[r.ID])
				}
			}
			// The rules of the Conditional Access evaluator are the first shard, alone when
			// there are others and room for them.
			needsTogether := func(files map[string]bool) bool {
				return slices.ContainsFunc(together, func(f string) bool { return files[f] })
			}
			if slices.ContainsFunc(needs, needsTogether) {
				first := map[string]bool{}
				for _, r := range groups[0] {
					first[r.ID] = true
				}
				for i, r := range rules {
					switch ca := needsTogether(needs[i]); {
					case ca && !first[r.ID]:
						t.Errorf("%s, %d shards: rule %s needs the evaluator and is not in the first shard", selectionText(sel), k, r.ID)
					case !ca && first[r.ID] && k > 1:
						t.Errorf("%s, %d shards: rule %s shares the evaluator's shard without needing it", selectionText(sel), k, r.ID)
					}
				}
			}
			again, _ := c.partition(rules, k)
			if fmt.Sprint(shardIDs(again)) != fmt.Sprint(shardIDs(groups)) {
				t.Errorf("%s, %d shards: the same rules were split differently", selectionText(sel), k)
			}
		}
	}
}

func shardIDs(groups [][]Rule) []string {
	var out []string
	for _, g := range groups {
		out = append(out, ruleIDs(g))
	}
	return out
}

// TestShardsGiveTheSameFindings evaluates the demo and every test tenant with every rule
// compiled in one shard and in two to four: the results must be the same.
func TestShardsGiveTheSameFindings(t *testing.T) {
	ctx := context.Background()
	c, err := NewCatalog(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rules, err := c.Select(nil)
	if err != nil {
		t.Fatal(err)
	}
	type tenant struct {
		name string
		snap *snapshot.Snapshot
		cfg  *config.Config
	}
	snap, err := snapshot.Parse("demo", demo.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(demo.ConfigPath, demo.Config, ".")
	if err != nil {
		t.Fatal(err)
	}
	tenants := []tenant{{"demo", snap, cfg}}
	for _, name := range []string{"weak", "hardened", "e3-no-p2", "lockout"} {
		snap, err := snapshot.Load("../../testdata/snapshots/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load("../../testdata/configs/" + name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, tenant{name, snap, cfg})
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	results := func(e *Engine) []string {
		var out []string
		for _, tn := range tenants {
			res, err := e.Evaluate(ctx, tn.snap, tn.cfg, EvalOptions{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Findings {
				out = append(out, tn.name+" "+f.RuleID+": "+findingText(f))
			}
		}
		return out
	}
	one, err := c.compileIn(ctx, nil, rules, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := results(one)
	for k := 2; k <= maxShards; k++ {
		e, err := c.compileIn(ctx, nil, rules, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.shards) != k {
			t.Errorf("%d shards, want %d", len(e.shards), k)
		}
		got := results(e)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("%d shards: %s\none shard: %s", k, got[i], want[i])
					break
				}
			}
		}
	}
}
