package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// csvFormat is every finding as one CSV row, for auditors' spreadsheets. Lists inside a cell
// are joined with "; ". Cells that a spreadsheet would run as a formula are neutralised.
type csvFormat struct{ o Options }

var csvHeader = []string{
	"ruleId", "title", "status", "severity", "level", "baselines", "secureScore", "cisa_scuba", "cis_m365",
	"covered", "total", "message", "violations", "warnings", "remediation", "exceptionStatus", "exceptionReason",
	"exceptionExpires", "tenant", "snapshotSha256", "configSha256", "policiesDigest",
}

func (csvFormat) Render(w io.Writer, r *result.Result) error {
	rows := [][]string{csvHeader}
	configSHA, digest := evidenceCells(r)
	for _, f := range r.Findings {
		covered, total := "", ""
		if f.Coverage != nil {
			covered, total = strconv.Itoa(f.Coverage.Covered), strconv.Itoa(f.Coverage.Total)
		}
		var exStatus, exReason, exExpires string
		if e := f.Exception; e != nil {
			exStatus, exReason, exExpires = e.Status, e.Reason, e.Expires
		}
		rows = append(rows, []string{
			f.RuleID, f.Title, string(f.Status), string(f.Severity), f.Level,
			cellList(f.Baselines), cellList(f.SecureScore),
			cellList(f.Frameworks["cisa_scuba"]), cellList(f.Frameworks["cis_m365"]),
			covered, total, f.Message, strconv.Itoa(len(f.Violations)), strconv.Itoa(warnings(f)), f.Remediation,
			exStatus, exReason, exExpires, r.Snapshot.Tenant.ID, r.Snapshot.SHA256, configSHA, digest,
		})
	}
	return writeCSV(w, rows)
}

// warnings counts a finding's violations that are warnings (of its "violations", which counts
// them all).
func warnings(f result.Finding) int {
	n := 0
	for _, v := range f.Violations {
		if v.IsWarning() {
			n++
		}
	}
	return n
}

// evidenceCells are the config's SHA-256 and the policy digest for a CSV row: empty without a
// config, or in a result written before the evidence was recorded.
func evidenceCells(r *result.Result) (configSHA, digest string) {
	if e := r.Evidence; e != nil {
		if e.Config != nil {
			configSHA = e.Config.SHA256
		}
		digest = e.Policies.Digest
	}
	return configSHA, digest
}

// writeCSV writes rows with every cell made safe to open in a spreadsheet.
func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = neutralise(c)
		}
		if err := cw.Write(safe); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// neutralise defuses CSV formula injection (OWASP): Excel, LibreOffice and Google Sheets run
// a cell that starts with = + - @, a tab or a carriage return as a formula, and a tenant's
// data (a display name, a policy name) can start with anything. A leading apostrophe makes
// the cell text.
func neutralise(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

func cellList(xs []string) string {
	return strings.Join(xs, "; ")
}
