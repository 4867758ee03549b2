package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Select returns the rules of the named baselines (all rules when none are named). A partial
// catalog refuses baselines whose rules it did not read.
func (c *Catalog) Select(names []string) ([]Rule, error) {
	known := map[string]bool{}
	for _, n := range c.BaselineNames() {
		known[n] = true
	}
	want := map[string]bool{}
	for _, n := range names {
		if !known[n] {
			return nil, fmt.Errorf("unknown baseline %q; expected one of %s", n, strings.Join(c.BaselineNames(), ", "))
		}
		want[n] = true
	}
	if id := c.missingRule(names); id != "" {
		return nil, fmt.Errorf("rule %s of %s was not compiled: the engine was made for %s", id, selectionText(names), selectionText(c.only))
	}
	if len(names) == 0 {
		return c.rules, nil
	}
	var out []Rule
	for _, r := range c.rules {
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
func (c *Catalog) BaselineNames() []string { return baselineNames(c.baselines) }

// verificationStages are the stages of OPA's compiler that only check the modules (and record
// what they found) without rewriting them: skipping them changes no evaluation, only what a
// faulty policy is told. The built-in policies skip them at run time because
// TestEmbeddedPoliciesPassEveryCheck compiles every one of them with every stage, strict, in the
// sandbox; they take about a third of the compile time. CheckSafetyRuleBodies is not among them:
// it reorders rule bodies.
var verificationStages = []ast.StageID{
	ast.StageCheckUnusedImports,
	ast.StageCheckKeywordOverrides,
	ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls,
	ast.StageCheckRuleConflicts,
	ast.StageCheckUndefinedFuncs,
	ast.StageCheckSafetyRuleHeads,
	ast.StageCheckRecursion,
	ast.StageCheckTypes,
	ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins,
	ast.StageBuildRequiredCapabilities,
}

// unusedStages are the stages of OPA's compiler that rewrite or record what the built-in
// policies never use: print calls (erased, as print is off), template strings, `with`
// modifiers, rego.metadata calls and the annotation set those read, test rules. On the
// built-in policies they change nothing and cost a tenth of the compile time walking every
// rule; TestSkippedStagesChangeNothing holds the policies to that.
var unusedStages = []ast.StageID{
	ast.StageRewritePrintCalls,
	ast.StageRewriteTemplateStrings,
	ast.StageRewriteWithValues,
	ast.StageParseMetadataBlocks,
	ast.StageSetAnnotationSet,
	ast.StageRewriteRegoMetadataCalls,
	ast.StageRewriteTestRulesForTracing,
}

// builtinSkipped are the stages skipped for the built-in policies when no org policy is
// compiled with them.
var builtinSkipped = slices.Concat(verificationStages, unusedStages)

// newCompiler is the compiler every module goes through: strict, sandboxed by caps, without
// print statements, and with the engine's progress built-in.
func newCompiler(caps *ast.Capabilities) *ast.Compiler {
	return ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(caps).
		WithBuiltins(map[string]*ast.Builtin{progressBuiltin.Name: progressBuiltin}).
		WithEnablePrintStatements(false)
}

// CheckOrg compiles the org policies, with the packages they refer to, as Compile would and with
// every check: a catalog that lists org rules refuses what evaluating them would refuse. It
// compiles nothing when there are no org policies.
func (c *Catalog) CheckOrg() error {
	if !c.org {
		return nil
	}
	_, err := c.compile(nil, capabilities())
	return err
}

// compile compiles the modules of rules, the packages they refer to (transitively) and every
// org module. With no org module, the verification-only and unused stages are skipped.
func (c *Catalog) compile(rules []Rule, caps *ast.Capabilities) (*ast.Compiler, error) {
	return c.compileModules(c.modulesFor(rules), caps)
}

// compileModules compiles modules as compile does.
func (c *Catalog) compileModules(modules map[string]*ast.Module, caps *ast.Capabilities) (*ast.Compiler, error) {
	comp := newCompiler(caps)
	if !c.org {
		comp = comp.WithSkipStages(builtinSkipped...)
	}
	if comp.Compile(modules); comp.Failed() {
		return nil, regoError(comp.Errors)
	}
	return comp, nil
}

// modulesFor returns the modules that rules need: their own packages' modules, every org
// module, and the modules of each package these refer to, transitively (see
// packageIndex.referenced).
func (c *Catalog) modulesFor(rules []Rule) map[string]*ast.Module {
	byPkg := map[string][]int{} // package key -> indexes into c.srcs
	keys := make([]string, 0, len(c.srcs))
	for i, s := range c.srcs {
		key, _ := pkgKey(s.module.Package.Path) // a package path is data and strings
		byPkg[key] = append(byPkg[key], i)
		keys = append(keys, key)
	}
	index := newPackageIndex(keys)
	want := map[int]bool{}
	var queue []int
	add := func(key string) {
		for _, i := range byPkg[key] {
			if !want[i] {
				want[i] = true
				queue = append(queue, i)
			}
		}
	}
	for _, r := range rules {
		key, _ := pkgKey(r.pkg)
		add(key)
	}
	for i, s := range c.srcs {
		if !s.builtin && !want[i] {
			want[i] = true
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		m := c.srcs[queue[0]].module
		queue = queue[1:]
		index.referenced(m, add)
	}
	modules := make(map[string]*ast.Module, len(want))
	for i := range want {
		modules[c.srcs[i].file] = c.srcs[i].module
	}
	return modules
}
