package config

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzParse checks that no input panics, that every error is one line naming the file, and
// that an accepted config keeps its promises (valid exceptions, JSON-compatible Data).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"tenant: contoso.onmicrosoft.com\nbaselines: [azure-ad]\n",
		"breakGlass:\n  users: [bg1@contoso.com, 9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f]\n  groups: [Emergency access]\n",
		"exceptions:\n  - rule: entra.admin_mfa\n    status: planned\n    reason: r\n    expires: 2027-03-31\n    entities: [a, b]\n",
		"parameters:\n  a: &x {b: [1, 2.5, true, null, ~, \"s\"]}\n  c: *x\n",
		"parameters:\n  a: &a [*a]\n",
		"gate: {failOn: high, minScore: 60}\n",
		"policies: [./org, /abs]\n",
		"a: [1\n",
		"---\na: 1\n---\nb: 2\n",
		"tenant: !!binary aGVsbG8=\n",
		"? [a]\n: b\n",
		"gate:\n  <<: {failOn: high}\n",
		"\xff\xfet\x00:\x00 \x00x\x00\n\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("posture.yaml", data, "base")
		if err != nil {
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line: %q", msg)
			}
			if !strings.HasPrefix(msg, "posture.yaml:") {
				t.Fatalf("error does not name the file: %q", msg)
			}
			return
		}
		if c.Parameters == nil {
			t.Fatal("Parameters is nil")
		}
		for _, e := range c.Exceptions {
			if !ruleIDPattern.MatchString(e.Rule) || e.Status == "" || strings.TrimSpace(e.Reason) == "" || e.Expires.IsZero() || e.Line < 1 {
				t.Fatalf("accepted an invalid exception: %+v", e)
			}
			if !e.Active(e.Expires) || e.Active(e.Expires.Add(24*time.Hour)) {
				t.Fatalf("exception %+v is not active exactly through its expiry day", e)
			}
		}
		if g := c.Gate.MinScore; g != nil && (*g < 0 || *g > 100) {
			t.Fatalf("accepted minScore %v", *g)
		}
		if _, err := json.Marshal(c.Data()); err != nil {
			t.Fatalf("Data() is not JSON-compatible: %v", err)
		}
	})
}
