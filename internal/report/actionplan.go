package report

import (
	"io"
	"sort"
	"strconv"

	"github.com/m365posture/posture/internal/result"
)

// actionPlanFormat is the CSV a team turns into a remediation plan: the `shall` rules that
// fail, most severe first and, within a severity, the most Secure Score points first. Rules
// that could not be verified are included as "verify" actions (fail closed: unknown is not
// fine, and someone has to grant the permission or licence that was missing), and rules
// under a `planned` exception as "planned" with the exception's expiry as due date and its
// reason as justification. owner, dueDate and justification are otherwise left for the
// team to fill.
type actionPlanFormat struct{ o Options }

var actionPlanHeader = []string{
	"priority", "ruleId", "title", "severity", "secureScoreControls", "pointsToGain", "userImpact",
	"implementationCost", "remediation", "owner", "dueDate", "status", "justification",
}

// Action plan statuses.
const (
	planOpen    = "open"    // the rule fails: fix it
	planVerify  = "verify"  // the rule could not be verified: restore its data, then fix or close
	planPlanned = "planned" // the org has planned the fix (a planned exception)
)

type planRow struct {
	f      result.Finding
	status string
	gain   float64
	known  bool // gain is known: the result has a score and the rule maps to a control
	impact string
	cost   string
}

func (actionPlanFormat) Render(w io.Writer, r *result.Result) error {
	var rows []planRow
	for _, f := range r.Findings {
		if f.Level != "shall" {
			continue
		}
		row := planRow{f: f}
		switch {
		case f.Status == result.Fail:
			row.status = planOpen
		case f.Status == result.Error:
			row.status = planVerify
		case f.Status == result.Excepted && f.Exception != nil && f.Exception.Status == planPlanned:
			row.status = planPlanned
		default:
			continue
		}
		row.gain, row.known, row.impact, row.cost = controlGain(r.Score, f.SecureScore)
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.f.Severity.Rank() != b.f.Severity.Rank() {
			return a.f.Severity.Rank() > b.f.Severity.Rank()
		}
		if a.gain != b.gain {
			return a.gain > b.gain
		}
		return a.f.RuleID < b.f.RuleID
	})

	out := [][]string{actionPlanHeader}
	for i, row := range rows {
		f := row.f
		gain := ""
		if row.known {
			gain = num(row.gain)
		}
		remediation := f.Remediation
		var due, justification string
		switch row.status {
		case planVerify:
			remediation = "Could not be verified (" + orDefault(f.Message, "a source it needs is missing") +
				"): grant the permission or licence, collect again, then fix if it fails."
			if f.Remediation != "" {
				remediation += " " + f.Remediation
			}
		case planPlanned:
			due, justification = f.Exception.Expires, f.Exception.Reason
		}
		out = append(out, []string{
			strconv.Itoa(i + 1), f.RuleID, f.Title, string(f.Severity), cellList(f.SecureScore), gain,
			row.impact, row.cost, remediation, "", due, row.status, justification,
		})
	}
	return writeCSV(w, out)
}

// controlGain sums the points to gain of the improvement actions for a rule's Secure Score
// controls, and takes the user impact and cost of the one worth most. known is false
// without a score or a mapped control, so the plan leaves the cell empty rather than 0.
func controlGain(sc *result.Score, controls []string) (gain float64, known bool, impact, cost string) {
	if sc == nil || len(controls) == 0 {
		return 0, false, "", ""
	}
	best := -1.0
	for _, a := range sc.Actions {
		if !has(controls, a.Control) {
			continue
		}
		gain += a.Gain
		if a.Gain > best {
			best, impact, cost = a.Gain, a.UserImpact, a.ImplementationCost
		}
	}
	return gain, true, impact, cost
}
