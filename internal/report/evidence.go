package report

import (
	"fmt"

	"github.com/m365posture/posture/internal/result"
)

// shortHash is the first 12 hex digits of a SHA-256, as the text report shows hashes: enough to
// tell two apart at a glance; the JSON result holds the whole.
func shortHash(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// policyCounts counts the built-in and the org files of a rule set.
func policyCounts(p result.PolicyEvidence) (builtin, org int) {
	for _, f := range p.Files {
		if f.Builtin {
			builtin++
		} else {
			org++
		}
	}
	return builtin, org
}

// policyFilesText is "148 policy files (140 built-in, 8 org)".
func policyFilesText(p result.PolicyEvidence) string {
	builtin, org := policyCounts(p)
	return fmt.Sprintf("%d policy %s (%d built-in, %d org)", len(p.Files), plural(len(p.Files), "file", "files"), builtin, org)
}

// gateReasons are the reasons a gate verdict shows: its own, or, for a gate that did not pass
// without any (hand-written results), that none were recorded.
func gateReasons(g *result.GateVerdict) []string {
	if len(g.Reasons) == 0 && !g.Passed {
		return []string{"no reason recorded"}
	}
	return g.Reasons
}
