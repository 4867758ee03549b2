package engine

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

func TestToValueMatchesInterfaceToValue(t *testing.T) {
	big := make([]any, parallelMin+3)
	for i := range big {
		big[i] = map[string]any{"id": fmt.Sprint(i), "n": json.Number(fmt.Sprint(i)), "ok": i%2 == 0, "tags": []any{"a", nil}}
	}
	tests := []struct {
		name string
		doc  map[string]any
	}{
		{"empty", map[string]any{}},
		{"small", map[string]any{"entra": map[string]any{"users": []any{map[string]any{"id": "u1"}}}, "schemaVersion": json.Number("1")}},
		{"large array", map[string]any{"entra": map[string]any{"users": big, "groupMembers": map[string]any{"g": []any{"u1"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toValue(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ast.InterfaceToValue(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got.Compare(want) != 0 {
				t.Errorf("toValue differs from ast.InterfaceToValue")
			}
		})
	}
}
