package baselines

import (
	"strings"
	"testing"
)

func TestAll(t *testing.T) {
	all, err := All()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]Baseline{}
	for _, b := range all {
		ids[b.ID] = b
	}
	b, ok := ids["azure-ad"]
	if !ok {
		t.Fatalf("azure-ad baseline missing; have %v", all)
	}
	if len(b.Rules) == 0 || b.Title == "" {
		t.Errorf("azure-ad baseline is empty: %+v", b)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"bad level", "id: x\nrules:\n  - {id: a.b, level: must}\n", `level "must"`},
		{"duplicate", "id: x\nrules:\n  - {id: a.b, level: shall}\n  - {id: a.b, level: should}\n", "listed twice"},
		{"unknown key", "id: x\nrulez: []\n", "rulez"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse("x.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("parse error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
