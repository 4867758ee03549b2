package engine

import (
	"maps"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// A shard is a part of an engine's rules, compiled on its own with the packages they refer to
// and evaluated in a prepared query of its own. OPA compiles and evaluates on one processor, and
// rules are independent of one another: an engine of several shards compiles and evaluates them
// side by side, one per processor. A library package that rules of two shards use is compiled
// (and, on a large tenant, evaluated) in both, so rules are grouped by the packages they share.
// The built-in rules go through the same stages whatever shard they are in, and each rule's
// documents depend only on the input and data, so a finding does not depend on its shard.
type shard struct {
	compiler *ast.Compiler
	store    storage.Store // data.posture.baselines and defaults; the config is written per evaluation
	queries  queryCache
}

// maxShards bounds the shards of an engine: beyond a few, each shard compiles the shared
// library once more for little gain.
const maxShards = 4

// shardCount is how many shards Compile makes of rules: one per processor, one when org
// policies are compiled (they get every check, over every module at once).
func (c *Catalog) shardCount(rules []Rule) int {
	if c.org {
		return 1
	}
	return max(1, min(runtime.GOMAXPROCS(0), maxShards, len(rules)))
}

// together are the library files whose documents are worked out over the whole tenant on each
// evaluation: the Conditional Access evaluator's classes of sign-ins and the users each leaves
// uncovered, over every policy and user. A shard evaluates what its rules need on its own, so
// the rules that need one of these form a group of their own, and the other rules share the
// other groups. Spread over two groups by their modules' weight, as the other rules are, they
// made a large tenant's evaluation do that work twice and finish late: on 10,000 users of whom
// 5,000 admins, 0.5 s more CPU and 0.2 s more time.
var together = []string{"policies/lib/ca_eval.rego"}

// partition splits rules into at most k groups, each with the modules it needs, so that the
// heaviest group's modules weigh as little as possible (it compiles last), and then the groups
// together (each shared module is compiled once per group). Each rule in turn, the heaviest
// first, joins the group whose weight grows least with it (counting only the modules it needs
// that the group lacks); then single rules move to another group while that lightens the
// heaviest group, or all of them at the same heaviest weight. It returns the groups' rules, in
// catalog order, and modules; every rule is in exactly one group. The rules that need a file of
// together are the first group, alone unless they are all there is or k is 1.
func (c *Catalog) partition(rules []Rule, k int) ([][]Rule, []map[string]bool) {
	needs := c.closures(rules)
	weight := map[string]int{}
	for _, s := range c.srcs {
		weight[s.file] = s.weight
	}
	sum := func(files map[string]bool) int {
		n := 0
		for f := range files {
			n += weight[f]
		}
		return n
	}
	of := make([]int, len(rules)) // rule -> group; -1 for a rule not placed yet
	for r := range of {
		of[r] = -1
	}
	groupWeights := func() []int {
		files := make([]map[string]bool, k)
		for g := range files {
			files[g] = map[string]bool{}
		}
		for r, g := range of {
			if g < 0 {
				continue
			}
			for f := range needs[r] {
				files[g][f] = true
			}
		}
		ws := make([]int, k)
		for g := range ws {
			ws[g] = sum(files[g])
		}
		return ws
	}
	// cost orders partitions: the heaviest group first, then the total.
	cost := func(ws []int) [2]int {
		top, total := 0, 0
		for _, w := range ws {
			top, total = max(top, w), total+w
		}
		return [2]int{top, total}
	}
	less := func(a, b [2]int) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

	order := make([]int, len(rules))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sum(needs[order[a]]) > sum(needs[order[b]]) })
	pinned, first := make([]bool, len(rules)), 0 // the rules of together, and the first group of the others
	for r := range rules {
		for _, f := range together {
			if needs[r][f] {
				of[r], pinned[r], first = 0, true, 1
			}
		}
	}
	if k == 1 || !slices.Contains(pinned, false) {
		first = 0
	}
	for _, r := range order {
		if pinned[r] {
			continue
		}
		best, bestCost := first, [2]int{-1, -1}
		for g := first; g < k; g++ {
			of[r] = g
			if c := cost(groupWeights()); bestCost[0] < 0 || less(c, bestCost) {
				best, bestCost = g, c
			}
		}
		of[r] = best
	}
	for range 4 * len(rules) { // each pass moves one rule; the cost falls each time
		current, moved := cost(groupWeights()), false
		for r := range rules {
			if pinned[r] {
				continue
			}
			from := of[r]
			for g := first; g < k; g++ {
				if g == from {
					continue
				}
				of[r] = g
				if less(cost(groupWeights()), current) {
					moved = true
					break
				}
				of[r] = from
			}
			if moved {
				break
			}
		}
		if !moved {
			break
		}
	}
	var outRules [][]Rule
	var outFiles []map[string]bool
	for g := range k {
		files := map[string]bool{}
		var rs []Rule
		for r := range rules {
			if of[r] == g {
				rs = append(rs, rules[r])
				maps.Copy(files, needs[r])
			}
		}
		if len(rs) > 0 {
			outRules = append(outRules, rs)
			outFiles = append(outFiles, files)
		}
	}
	return outRules, outFiles
}

// closures returns, for each rule, the files of the modules it needs (see modulesFor): the
// modules of its package and of the packages they refer to, transitively.
func (c *Catalog) closures(rules []Rule) []map[string]bool {
	byPkg := map[string][]int{} // package key -> indexes into c.srcs
	keys := make([]string, len(c.srcs))
	for i, s := range c.srcs {
		keys[i], _ = pkgKey(s.module.Package.Path)
		byPkg[keys[i]] = append(byPkg[keys[i]], i)
	}
	index := newPackageIndex(keys)
	refs := map[string][]string{} // package key -> the packages its modules refer to
	for i, s := range c.srcs {
		index.referenced(s.module, func(k string) { refs[keys[i]] = append(refs[keys[i]], k) })
	}
	out := make([]map[string]bool, len(rules))
	for i, r := range rules {
		files, seen := map[string]bool{}, map[string]bool{}
		key, _ := pkgKey(r.pkg)
		queue := []string{key}
		for len(queue) > 0 {
			k := queue[0]
			queue = queue[1:]
			if seen[k] {
				continue
			}
			seen[k] = true
			for _, j := range byPkg[k] {
				files[c.srcs[j].file] = true
			}
			queue = append(queue, refs[k]...)
		}
		for j, s := range c.srcs {
			if !s.builtin {
				files[c.srcs[j].file] = true
			}
		}
		out[i] = files
	}
	return out
}

// compileShards compiles groups of rules side by side, each with its modules; a module two
// groups need is copied for the second, as compiling rewrites it. The error is the first
// group's, in group order.
func (c *Catalog) compileShards(groups [][]Rule, caps *ast.Capabilities, store func() storage.Store) ([]*shard, error) {
	if len(groups) == 1 {
		comp, err := c.compile(groups[0], caps)
		if err != nil {
			return nil, err
		}
		return []*shard{{compiler: comp, store: store()}}, nil
	}
	taken := map[*ast.Module]bool{}
	modules := make([]map[string]*ast.Module, len(groups))
	for g, rules := range groups {
		modules[g] = c.modulesFor(rules)
		for f, m := range modules[g] {
			if taken[m] {
				modules[g][f] = m.Copy()
			}
			taken[m] = true
		}
	}
	shards := make([]*shard, len(groups))
	errs := make([]error, len(groups))
	var wg sync.WaitGroup
	for g := range groups {
		wg.Go(func() {
			comp, err := c.compileModules(modules[g], caps)
			shards[g], errs[g] = &shard{compiler: comp, store: store()}, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return shards, nil
}

// newStore returns a store of data.posture: the baselines and the parameter defaults. Each
// shard has its own, as an evaluation writes the config into it (in a transaction it aborts),
// and a store takes one writer at a time.
func newStore(baselines, defaults ast.Value) func() storage.Store {
	return func() storage.Store {
		return inmem.NewFromObjectWithOpts(map[string]any{"posture": map[string]any{"baselines": baselines, "defaults": defaults}},
			inmem.OptReturnASTValuesOnRead(true), inmem.OptRoundTripOnWrite(false))
	}
}

// sourceWeight is what compiling a module costs, roughly: its text less its comments, which the
// parser keeps but the compiler never reads.
func sourceWeight(m *ast.Module, raw []byte) int {
	n := len(raw)
	for _, c := range m.Comments {
		n -= len(c.Text) + 1
	}
	return max(n, 1)
}
