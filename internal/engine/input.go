package engine

import (
	"runtime"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

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
