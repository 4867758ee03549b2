package report

import (
	"maps"
	"slices"
	"strings"

	"github.com/m365posture/posture/internal/engine"
)

// frameworkIDs lists a rule's framework ids as "cis_m365 1.1.3; cisa_scuba MS.AAD.7.1v1",
// leaving out frameworks the rule claims nothing of.
func frameworkIDs(r engine.Rule) string {
	var fws []string
	for _, name := range slices.Sorted(maps.Keys(r.Frameworks)) {
		if ids := r.Frameworks[name]; len(ids) > 0 {
			fws = append(fws, name+" "+strings.Join(ids, ", "))
		}
	}
	return strings.Join(fws, "; ")
}

// dash stands in for an empty cell or field.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
