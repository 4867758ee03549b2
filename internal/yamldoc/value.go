package yamldoc

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Value is a free-form value decoded as JSON would hold it: nil, bool, string, int,
// json.Number (integers beyond int64), a finite float64, []any or map[string]any. Dates stay
// the text written (JSON has no date type). Decode checks it first: keys must be strings and
// numbers finite.
type Value struct{ V any }

// UnmarshalYAML converts n, which Decode has already checked.
func (v *Value) UnmarshalYAML(n *yaml.Node) error {
	x, err := jsonValue(n, 0)
	if err != nil {
		return errorf(n.Line, "%v", err)
	}
	v.V = x
	return nil
}

// MarshalJSON writes the value itself.
func (v Value) MarshalJSON() ([]byte, error) { return json.Marshal(v.V) }

// jsonValue converts n; depth guards against alias cycles, which Decode refuses anyway.
func jsonValue(n *yaml.Node, depth int) (any, error) {
	if depth > 10_000 {
		return nil, fmt.Errorf("is nested too deeply; expected a value without cycles")
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			for k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			v, err := jsonValue(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := jsonValue(item, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return scalarValue(n)
}

// scalarValue converts a scalar to nil, bool, string, int, json.Number (integers beyond int64)
// or a finite float64. Its errors complete "<path> ...".
func scalarValue(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!str", "!!timestamp":
		return n.Value, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("%s is not a boolean; expected true or false", Quote(n.Value))
		}
		return b, nil
	case "!!int":
		var v any
		if err := n.Decode(&v); err == nil {
			switch v := v.(type) {
			case int:
				return v, nil
			case int64:
				return json.Number(strconv.FormatInt(v, 10)), nil
			case uint64:
				return json.Number(strconv.FormatUint(v, 10)), nil
			}
		}
		return nil, fmt.Errorf("%s is not an integer; expected a whole number", Quote(n.Value))
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s is not a finite number; expected a number JSON can carry", Quote(n.Value))
		}
		return f, nil
	}
	return nil, fmt.Errorf("has the unsupported YAML tag %s; expected a plain value without a tag", Quote(n.Tag))
}
