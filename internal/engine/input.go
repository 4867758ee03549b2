package engine

import (
	"context"
	"fmt"

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

// Prepare converts snap for evaluation, leaving snap as it was.
func Prepare(ctx context.Context, snap *snapshot.Snapshot) (*Input, error) {
	return prepare(ctx, snap, false)
}

// Consume converts snap for evaluation like Prepare, and takes its large collections over: the
// elements of every section array of 4096 objects or more (users, registration details,
// managed devices of a large tenant) are dropped from snap as they are converted, so that the
// tenant is held once, as the OPA value, instead of twice. Such arrays keep their length but
// hold nil afterwards; snap's header, sources and every smaller key stay as they were. Use it
// when nothing reads those arrays after the evaluation, as `posture check` does.
func Consume(ctx context.Context, snap *snapshot.Snapshot) (*Input, error) {
	return prepare(ctx, snap, true)
}

func prepare(ctx context.Context, snap *snapshot.Snapshot, release bool) (*Input, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Checking the sources' shape reads every user once more. Without release it runs beside
	// the conversion, which leaves a processor idle while it builds the derived indexes; with
	// release it must run first, while the users are still there.
	var unusable map[string]string
	checked := make(chan map[string]string, 1)
	if release {
		unusable = snap.Unusable()
	} else {
		go func() { checked <- snap.Unusable() }()
	}
	doc := snap.Document()
	obj, err := toValue(doc, release)
	if err != nil {
		return nil, fmt.Errorf("convert snapshot for evaluation: %w", err)
	}
	derive(obj)
	if !release {
		unusable = <-checked
	}
	if len(unusable) > 0 {
		markUnusable(obj, unusable)
	}
	return &Input{snap: snap, value: obj, unusable: unusable}, nil
}

// markUnusable gives the unusable sources status "error" and the reason in input.sources, so
// that Rego sees what the findings say: the key is unknown. The objects stay in the input.
func markUnusable(input ast.Object, unusable map[string]string) {
	t := input.Get(ast.InternedTerm("sources"))
	if t == nil {
		return
	}
	sources, ok := t.Value.(ast.Object)
	if !ok {
		return
	}
	marked := sources.Copy()
	for key, msg := range unusable {
		marked.Insert(ast.StringTerm(key), ast.ObjectTerm(
			[2]*ast.Term{ast.InternedTerm("status"), ast.StringTerm(string(snapshot.StatusError))},
			[2]*ast.Term{ast.InternedTerm("message"), ast.StringTerm(msg)},
		))
	}
	input.Insert(ast.InternedTerm("sources"), ast.NewTerm(marked))
}
