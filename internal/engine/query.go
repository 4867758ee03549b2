package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/types"
)

// The query evaluates every rule of a selection in one expression that builds one object:
//
//	x := {"<rule id>": posture.internal.evaluated(<n>, {"deny": [v | v := data.<pkg>.deny], ...}), ...}
//
// One expression rather than one per rule output: OPA's query compiler copies every output
// variable of a query into each comprehension of it, so its cost grows with the square of the
// number of outputs (240 outputs: 70 ms; one object: under 10 ms). Each comprehension is always
// defined (an empty array when the rule does not produce the document), so one rule cannot
// make the query fail. posture.internal.evaluated returns its second argument and records that
// rule n is done, so a stopped evaluation can name the rules it did not finish.

// progressBuiltin is the built-in the query wraps each rule's outputs in.
var progressBuiltin = &ast.Builtin{
	Name: "posture.internal.evaluated",
	Decl: types.NewFunction(types.Args(types.N, types.A), types.A),
}

// progressKey is the context key of an evaluation's *progress.
type progressKey struct{}

// progress records which rules of one evaluation are done; the query marks them in order.
type progress struct{ done []atomic.Bool }

func markEvaluated(bctx rego.BuiltinContext, n, v *ast.Term) (*ast.Term, error) {
	p, _ := bctx.Context.Value(progressKey{}).(*progress)
	num, ok := n.Value.(ast.Number)
	if !ok || p == nil {
		return v, nil
	}
	if i, ok := num.Int(); ok && i >= 0 && i < len(p.done) {
		p.done[i].Store(true)
	}
	return v, nil
}

// unfinished lists the ids of rules not marked done, in query order.
func (p *progress) unfinished(rules []Rule) []string {
	var ids []string
	for i, r := range rules {
		if !p.done[i].Load() {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// StoppedError reports an evaluation that ended before every rule was evaluated: its context
// was cancelled (an interrupt) or its deadline passed (a time limit).
type StoppedError struct {
	Err        error    // the context's error: context.Canceled or context.DeadlineExceeded
	Unfinished []string // ids of the rules not evaluated, the one that was running first
}

func (e *StoppedError) Error() string {
	what := "interrupted"
	if errors.Is(e.Err, context.DeadlineExceeded) {
		what = "timed out"
	}
	return "evaluation " + what + " " + e.Where()
}

func (e *StoppedError) Unwrap() error { return e.Err }

// Where names the rules the evaluation did not finish: "while rule X was running; 3 more not
// evaluated: a, b, c".
func (e *StoppedError) Where() string {
	if len(e.Unfinished) == 0 {
		return "after every rule was evaluated"
	}
	s := "while rule " + e.Unfinished[0] + " was running"
	rest := e.Unfinished[1:]
	if len(rest) == 0 {
		return s
	}
	const shown = 5
	names := strings.Join(rest[:min(len(rest), shown)], ", ")
	if len(rest) > shown {
		names += fmt.Sprintf(" and %d more", len(rest)-shown)
	}
	return fmt.Sprintf("%s; %d more not evaluated: %s", s, len(rest), names)
}

// queryCache holds the prepared query of each set of rules an engine has evaluated, so that
// a query is prepared once per engine and selection and reused by later evaluations.
type queryCache struct {
	mu      sync.Mutex
	queries map[string]*rego.PreparedEvalQuery
}

// prepared returns shard s's prepared query for rules (rules of s), preparing it on first use.
func (e *Engine) prepared(ctx context.Context, s *shard, rules []Rule) (*rego.PreparedEvalQuery, error) {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	key := strings.Join(ids, ",")
	s.queries.mu.Lock()
	defer s.queries.mu.Unlock()
	if pq, ok := s.queries.queries[key]; ok {
		return pq, nil
	}
	pq, err := rego.New(
		rego.ParsedQuery(queryBody(rules)),
		rego.Compiler(s.compiler),
		rego.Store(s.store),
		rego.Capabilities(e.caps),
		rego.StrictBuiltinErrors(true),
		rego.Function2(&rego.Function{Name: progressBuiltin.Name, Decl: progressBuiltin.Decl}, markEvaluated),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare query: %w", err)
	}
	if s.queries.queries == nil {
		s.queries.queries = map[string]*rego.PreparedEvalQuery{}
	}
	s.queries.queries[key] = &pq
	return &pq, nil
}

// queryBody builds the query of rules (see the top of this file); rules[n] is marked as n.
func queryBody(rules []Rule) ast.Body {
	items := make([][2]*ast.Term, 0, len(rules))
	for n, r := range rules {
		var outs [][2]*ast.Term
		for _, o := range outputNames {
			if !r.outputs[o] {
				continue
			}
			v := ast.VarTerm("v")
			doc := ast.NewTerm(r.pkg.Append(ast.StringTerm(o)))
			outs = append(outs, [2]*ast.Term{ast.StringTerm(o), ast.ArrayComprehensionTerm(v, ast.NewBody(ast.Assign.Expr(v, doc)))})
		}
		call := ast.CallTerm(ast.RefTerm(progressRef...), ast.InternedTerm(n), ast.ObjectTerm(outs...))
		items = append(items, [2]*ast.Term{ast.StringTerm(r.ID), call})
	}
	return ast.NewBody(ast.Assign.Expr(ast.VarTerm("x"), ast.ObjectTerm(items...)))
}

var progressRef = ast.MustParseRef(progressBuiltin.Name)

// configPath is where the org config's parameters live in data: data.posture.config.
var configPath = storage.MustParsePath("/posture/config")

// evalQuery evaluates rules against input, with params as data.posture.config and evaluation
// time at: in one query per shard, the shards side by side. It returns each rule's outputs as
// decoded JSON, by rule id. A stopped evaluation is a *StoppedError naming the rules it did not
// finish, in the order of rules.
func (e *Engine) evalQuery(ctx context.Context, input ast.Value, params ast.Value, at time.Time, rules []Rule) (map[string]any, error) {
	parts := make([][]Rule, len(e.shards))
	for _, r := range rules {
		g := e.shardOf[r.ID]
		parts[g] = append(parts[g], r)
	}
	docs := make([]map[string]any, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for g, rs := range parts {
		if len(rs) > 0 {
			wg.Go(func() { docs[g], errs[g] = e.evalShard(ctx, e.shards[g], input, params, at, rs) })
		}
	}
	wg.Wait()
	out := map[string]any{}
	var stopped *StoppedError
	for g, err := range errs {
		var s *StoppedError
		switch {
		case errors.As(err, &s) && stopped == nil:
			stopped = &StoppedError{Err: s.Err}
			fallthrough
		case errors.As(err, &s):
			stopped.Unfinished = append(stopped.Unfinished, s.Unfinished...)
		case err != nil:
			return nil, err
		}
		maps.Copy(out, docs[g])
	}
	if stopped != nil {
		pos := map[string]int{}
		for i, r := range rules {
			pos[r.ID] = i
		}
		sort.Slice(stopped.Unfinished, func(i, j int) bool { return pos[stopped.Unfinished[i]] < pos[stopped.Unfinished[j]] })
		return nil, stopped
	}
	return out, nil
}

// evalShard evaluates rules, all of shard s, in s's query.
func (e *Engine) evalShard(ctx context.Context, s *shard, input ast.Value, params ast.Value, at time.Time, rules []Rule) (map[string]any, error) {
	pq, err := e.prepared(ctx, s, rules)
	if err != nil {
		return nil, err
	}
	// The config differs from one evaluation to the next while the prepared query keeps its
	// store: each evaluation writes its parameters in a transaction of its own, reads through
	// it and aborts it, so the store is never changed and concurrent evaluations take turns.
	txn, err := s.store.NewTransaction(ctx, storage.WriteParams)
	if err != nil {
		return nil, fmt.Errorf("open store transaction: %w", err)
	}
	defer s.store.Abort(ctx, txn)
	if err := s.store.Write(ctx, txn, storage.AddOp, configPath, params); err != nil {
		return nil, fmt.Errorf("write config parameters: %w", err)
	}
	p := &progress{done: make([]atomic.Bool, len(rules))}
	rs, err := pq.Eval(context.WithValue(ctx, progressKey{}, p),
		rego.EvalParsedInput(input),
		rego.EvalTransaction(txn),
		rego.EvalTime(at),
	)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &StoppedError{Err: ctx.Err(), Unfinished: p.unfinished(rules)}
		}
		return nil, err
	}
	if len(rs) != 1 {
		return nil, errors.New("query returned no result")
	}
	out, ok := rs[0].Bindings["x"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("query returned %T, not an object", rs[0].Bindings["x"])
	}
	return out, nil
}
