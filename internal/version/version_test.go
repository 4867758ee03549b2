package version

import (
	"regexp"
	"testing"
)

func TestVersion(t *testing.T) {
	tests := []struct{ name, value, pattern string }{
		{"name", Name, `^posture$`},
		{"semantic version", Version, `^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`},
	}
	for _, tt := range tests {
		if !regexp.MustCompile(tt.pattern).MatchString(tt.value) {
			t.Errorf("%s = %q, want a match for %s", tt.name, tt.value, tt.pattern)
		}
	}
}
