package engine

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/snapshot"
)

// Input is a snapshot prepared for evaluation: converted to an OPA value, with the engine's
// indexes added as input.derived, and the known sources whose objects lack properties the rules
// count on (snapshot.Requirements) marked unusable. Converting a large tenant costs more than
// evaluating every rule on it, so a snapshot checked more than once (several baselines, configs
// or org policy sets) is prepared once. An Input is read-only and may be shared by concurrent evaluations;
// it does not follow later changes to the snapshot.
type Input struct {
	snap     *snapshot.Snapshot
	value    ast.Value
	unusable map[string]string // source key -> why its objects cannot be counted
}

// Prepare converts snap for evaluation.
func Prepare(ctx context.Context, snap *snapshot.Snapshot) (*Input, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Checking the sources' shape reads every user once more; it runs beside the conversion,
	// which leaves processors idle while it builds the derived indexes, so that preparing a
	// 100,000-user tenant takes no longer than it did without the check.
	checked := make(chan map[string]string, 1)
	go func() { checked <- snap.Unusable() }()
	doc := snap.Document()
	v, err := toValue(doc)
	if err != nil {
		return nil, fmt.Errorf("convert snapshot for evaluation: %w", err)
	}
	obj, isObject := v.(ast.Object)
	if isObject {
		derive(doc, obj)
	}
	unusable := <-checked
	if isObject && len(unusable) > 0 {
		if err := markUnusable(doc, obj, unusable); err != nil {
			return nil, err
		}
	}
	return &Input{snap: snap, value: v, unusable: unusable}, nil
}

// markUnusable gives the unusable sources status "error" and the reason in input.sources, so
// that Rego sees what the findings say: the key is unknown. The objects stay in the input.
func markUnusable(doc map[string]any, input ast.Object, unusable map[string]string) error {
	sources, ok := doc["sources"].(map[string]any)
	if !ok {
		return nil
	}
	for key, msg := range unusable {
		sources[key] = map[string]any{"status": string(snapshot.StatusError), "message": msg}
	}
	v, err := ast.InterfaceToValue(sources)
	if err != nil {
		return fmt.Errorf("convert snapshot sources for evaluation: %w", err)
	}
	input.Insert(ast.StringTerm("sources"), ast.NewTerm(v))
	return nil
}

// toValue converts the snapshot document to an OPA value. Large arrays (users, registration
// details) dominate the cost of a 100,000-user tenant, so their elements are converted in
// parallel chunks; the result is the same as ast.InterfaceToValue.
func toValue(doc map[string]any) (ast.Value, error) {
	return objectValue(doc, 0)
}

const parallelMin = 4096 // arrays shorter than this are not worth the goroutines

func objectValue(m map[string]any, depth int) (ast.Value, error) {
	pairs := make([][2]*ast.Term, 0, len(m))
	for k, v := range m {
		val, err := value(v, depth+1)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, [2]*ast.Term{ast.StringTerm(k), ast.NewTerm(val)})
	}
	return ast.NewObject(pairs...), nil
}

func value(v any, depth int) (ast.Value, error) {
	switch x := v.(type) {
	case map[string]any:
		if depth < 3 { // document, section, key: where the big collections live
			return objectValue(x, depth)
		}
	case []any:
		if len(x) >= parallelMin {
			return parallelArray(x)
		}
	}
	return ast.InterfaceToValue(v)
}

func parallelArray(xs []any) (ast.Value, error) {
	terms := make([]*ast.Term, len(xs))
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(xs) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(xs))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				v, err := ast.InterfaceToValue(xs[i])
				if err != nil {
					errs[w] = err
					return
				}
				terms[i] = ast.NewTerm(v)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return ast.NewArray(terms...), nil
}
