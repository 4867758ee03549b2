package engine

import (
	"context"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/m365posture/posture/policies"
)

var paramRead = regexp.MustCompile(`params\.value\("([A-Za-z_]+)"`)

// TestBuiltinRulesDocumentTheirParameters: a parameter a rule reads itself must be in its
// METADATA, so `posture rules` and docs/rules.md tell the org it exists.
func TestBuiltinRulesDocumentTheirParameters(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range eng.Rules() {
		src, err := fs.ReadFile(policies.FS, strings.TrimPrefix(r.File, "policies/"))
		if err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		documented := map[string]bool{}
		for _, p := range r.Parameters {
			documented[p.Name] = true
			if strings.TrimSpace(p.Description) == "" {
				t.Errorf("%s: parameter %s has no description", r.ID, p.Name)
			}
		}
		for _, m := range paramRead.FindAllStringSubmatch(string(src), -1) {
			checked++
			if !documented[m[1]] {
				t.Errorf("%s reads parameter %s but its METADATA does not document it", r.ID, m[1])
			}
		}
	}
	if checked == 0 {
		t.Fatal("no rule reads a parameter; the pattern no longer matches how rules read them")
	}
}
