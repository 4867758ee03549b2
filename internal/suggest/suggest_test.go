package suggest

import "testing"

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"tenant", "tenant", 0},
		{"tenat", "tenant", 1},
		{"usres", "users", 1},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"tenant", "baselines", "breakGlass", "failOn", "users", "entities"}
	tests := []struct{ in, want string }{
		{"tenat", "tenant"},
		{"fail_on", "failOn"},
		{"usres", "users"},
		{"BREAKGLASS", "breakGlass"},
		{"entity", "entities"},
		{"zzz", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.in, keys); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
