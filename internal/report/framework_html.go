package report

import (
	"bytes"
	_ "embed" // the page template
	"fmt"
	"html/template"
	"io"

	"github.com/m365posture/posture/internal/result"
)

// frameworkHTML is the framework view as one self-contained HTML page for auditors: the
// evidence (tenant, snapshot hash, framework version), a tile per verdict and a table of every
// control in the framework's order with the rules and violations behind its verdict. It uses
// the report's stylesheet, runs no script and loads nothing.
type frameworkHTML struct{ o Options }

//go:embed html/framework.html.tmpl
var frameworkPage string

// frameworkTemplate is the page with the control table it shares with the report.
var frameworkTemplate = template.Must(template.Must(template.New("framework").Funcs(htmlFuncs).Parse(frameworkPage)).Parse(htmlControlsTemplate))

// frameworkHTMLView is what the page template shows.
type frameworkHTMLView struct {
	R      *result.Result
	F      *result.FrameworkResult
	Name   string
	Source string
	Link   bool
	CSP    string
	CSS    template.CSS
	Tiles  []frameworkTile
	Table  htmlControlTable
}

type frameworkTile struct {
	Verdict result.ControlVerdict
	Label   string
	Count   int
}

// frameworkRow is one control, with the group heading that starts before it, if any.
type frameworkRow struct {
	Group  string
	C      result.ControlResult
	Detail string
	Shown  []result.ControlViolation
	More   int
}

func (h frameworkHTML) Render(w io.Writer, r *result.Result) error {
	fw, err := frameworkView(r, h.o.Framework)
	if err != nil {
		return err
	}
	t := r.Snapshot.Tenant
	v := frameworkHTMLView{
		R: r, F: fw, Source: h.o.Source, Link: htmlWebURL(fw.URL),
		Name:  htmlFirst(t.DisplayName, t.DefaultDomain, t.ID, "Unnamed tenant"),
		CSP:   htmlCSP(htmlCSS, ""),
		CSS:   template.CSS(htmlCSS),
		Tiles: newFrameworkTiles(fw),
		Table: htmlControlTable{ID: "controls-table", Prefix: "control-", Rows: newFrameworkRows(fw)},
	}
	var buf bytes.Buffer
	if err := frameworkTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

// newFrameworkTiles is a tile per verdict, what needs attention first.
func newFrameworkTiles(fw *result.FrameworkResult) []frameworkTile {
	var tiles []frameworkTile
	for _, vd := range []result.ControlVerdict{result.VerdictFail, result.VerdictError, result.VerdictExcepted,
		result.VerdictPass, result.VerdictNotApplicable, result.VerdictNotChecked} {
		tiles = append(tiles, frameworkTile{Verdict: vd, Label: verdictLabel(vd), Count: fw.Summary.Count(vd)})
	}
	return tiles
}

// newFrameworkRows is a row per control in the framework's order, each group heading on the
// row where its group starts.
func newFrameworkRows(fw *result.FrameworkResult) []frameworkRow {
	var rows []frameworkRow
	group := ""
	for _, c := range fw.Controls {
		row := frameworkRow{C: c, Detail: controlDetail(c), Shown: c.Violations}
		if g := controlGroup(c.ID); g != group {
			group, row.Group = g, g
		}
		if len(row.Shown) > htmlMaxViolations {
			row.Shown, row.More = row.Shown[:htmlMaxViolations], len(row.Shown)-htmlMaxViolations
		}
		rows = append(rows, row)
	}
	return rows
}
