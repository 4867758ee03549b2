package engine

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// converter turns decoded JSON (map[string]any, []any, string, bool, nil, json.Number, and the
// numbers of Go) into OPA terms, with the same values ast.InterfaceToValue gives. The keys of
// a collection's objects repeat in every object (a user's "id", "userPrincipalName", ...), and
// so do many short values ("Member", "Guest", "Windows", a date): the converter makes one term
// of each and shares it, which leaves a converted 100,000-user tenant about a third smaller. OPA
// never modifies an input term during evaluation, and shares its own interned terms the same
// way. A converter is not safe for concurrent use; parallel conversions use one each.
type converter struct {
	keys  map[string]*ast.Term
	strs  map[string]*ast.Term
	pairs [][2]*ast.Term // scratch for the pairs of the objects being built
}

// internMax is the longest string value shared: ids, names and addresses rarely repeat, and
// interning them would only grow the table.
const internMax = 24

func newConverter() *converter {
	return &converter{keys: map[string]*ast.Term{}, strs: map[string]*ast.Term{}}
}

func (c *converter) key(k string) *ast.Term {
	t, ok := c.keys[k]
	if !ok {
		t = ast.StringTerm(k)
		c.keys[k] = t
	}
	return t
}

func (c *converter) str(s string) *ast.Term {
	if len(s) > internMax {
		return ast.StringTerm(s)
	}
	t, ok := c.strs[s]
	if !ok {
		t = ast.StringTerm(s)
		c.strs[s] = t
	}
	return t
}

// term converts v.
func (c *converter) term(v any) (*ast.Term, error) {
	switch x := v.(type) {
	case *ast.Term: // built while decoding (SnapshotBuilder)
		return x, nil
	case string:
		return c.str(x), nil
	case bool:
		return ast.InternedTerm(x), nil
	case nil:
		return ast.InternedNullTerm, nil
	case map[string]any:
		start := len(c.pairs)
		for k, v := range x {
			t, err := c.term(v)
			if err != nil {
				return nil, err
			}
			c.pairs = append(c.pairs, [2]*ast.Term{c.key(k), t})
		}
		// NewObject copies the pairs, so the scratch space is reused by the next object.
		obj := ast.NewObject(c.pairs[start:]...)
		clear(c.pairs[start:])
		c.pairs = c.pairs[:start]
		return ast.NewTerm(obj), nil
	case []any:
		terms := make([]*ast.Term, len(x))
		for i, e := range x {
			t, err := c.term(e)
			if err != nil {
				return nil, err
			}
			terms[i] = t
		}
		return ast.NewTerm(ast.NewArray(terms...)), nil
	case json.Number:
		if t := ast.InternedIntNumberTermFromString(string(x)); t != nil {
			return t, nil
		}
	}
	val, err := ast.InterfaceToValue(v)
	if err != nil {
		return nil, fmt.Errorf("convert %T: %w", v, err)
	}
	return ast.NewTerm(val), nil
}

// parallelMin is the length from which an array's elements are converted in parallel chunks:
// users, registration details and managed devices of a large tenant.
const parallelMin = 4096

// array converts a large array in parallel, one converter per worker. With release, each
// element is dropped from xs once converted, so that the decoded copy is collected while the
// conversion goes on instead of living beside the converted one.
func array(xs []any, release bool) (*ast.Term, error) {
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
			c := newConverter()
			for i := lo; i < hi; i++ {
				t, err := c.term(xs[i])
				if err != nil {
					errs[w] = err
					return
				}
				terms[i] = t
				if release {
					xs[i] = nil
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return ast.NewTerm(ast.NewArray(terms...)), nil
}

// toValue converts the snapshot document to an OPA object. The large collections sit at the
// second level (section, key): their arrays, when they hold parallelMin elements or more, are
// converted in parallel and, with release, emptied of their elements (see Consume).
func toValue(doc map[string]any, release bool) (ast.Object, error) {
	c := newConverter()
	top := make([][2]*ast.Term, 0, len(doc))
	for name, v := range doc {
		sec, isSection := v.(map[string]any)
		if !isSection {
			t, err := c.term(v)
			if err != nil {
				return nil, err
			}
			top = append(top, [2]*ast.Term{c.key(name), t})
			continue
		}
		pairs := make([][2]*ast.Term, 0, len(sec))
		for k, v := range sec {
			var t *ast.Term
			var err error
			if xs, ok := v.([]any); ok && len(xs) >= parallelMin {
				t, err = array(xs, release)
			} else {
				t, err = c.term(v)
			}
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*ast.Term{c.key(k), t})
		}
		top = append(top, [2]*ast.Term{c.key(name), ast.NewTerm(ast.NewObject(pairs...))})
	}
	return ast.NewObject(top...), nil
}
