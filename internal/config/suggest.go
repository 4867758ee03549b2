package config

import (
	"fmt"

	"github.com/m365posture/posture/internal/suggest"
)

// didYouMean returns ` (did you mean "x"?)` for the closest candidate, or "".
func didYouMean(s string, candidates []string) string {
	if c := suggest.Closest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %s?)", quote(c))
	}
	return ""
}
