package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // the page template, stylesheet and script
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/result"
)

// htmlFormat is the report for auditors, in the order they read it: the gate's verdict and the
// score, every finding with its evidence behind filters and a search box, the framework view,
// the snapshot's sources, the Secure Score in detail (categories, trend, improvement actions,
// controls) and the evidence (tenant, snapshot hash, posture's version, the config's hash, the
// policy digest). It is one self-contained HTML file and loads
// nothing: the CSS, the script and the charts (SVG) are inline, and a Content-Security-Policy
// forbids every fetch, so opening it cannot tell anyone that it was opened.
type htmlFormat struct{ o Options }

var (
	//go:embed html/report.html.tmpl
	htmlPage string
	//go:embed html/report.css
	htmlCSS string
	//go:embed html/report.js
	htmlJS string
	//go:embed html/controls.html.tmpl
	htmlControlsTemplate string
)

// htmlFuncs are the functions the report's and the framework page's templates call.
var htmlFuncs = template.FuncMap{
	"pct":      htmlPercent,
	"pts":      num,
	"signed":   htmlSigned,
	"negative": func(f *float64) bool { return f != nil && math.Round(*f*100) < 0 },
	"day":      htmlDay,
	"datetime": htmlDateTime,
	"rfc3339":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"status":   htmlStatusLabel,
	"control":  htmlControlLabel,
	"join":     strings.Join,
	"title":    htmlTitle,
	"wbr":      htmlBreakable,
	"verdict":  verdictLabel,
	"count":    htmlCount,
	"short":    shortHash,
	"policies": policyFilesText,
}

// htmlTemplate is parsed once; html/template escapes every value from the result for the
// context it lands in, since tenant data (names, messages) is untrusted.
var htmlTemplate = template.Must(template.Must(template.New("report").Funcs(htmlFuncs).Parse(htmlPage)).Parse(htmlControlsTemplate))

func (h htmlFormat) Render(w io.Writer, r *result.Result) error {
	v := newHTMLView(r, h.o)
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, v); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

// htmlCSP is the page's Content-Security-Policy: nothing may be fetched, and only the one
// stylesheet and the one script that the renderer wrote may run, pinned by their hashes so
// that markup smuggled in through the data could not run even if escaping failed. Images
// are limited to data: URLs, which the favicon uses so the browser asks for no other. A page
// without a script (js "") may run none.
func htmlCSP(css, js string) string {
	script := "'none'"
	if js != "" {
		script = cspHash(js)
	}
	return strings.Join([]string{
		"default-src 'none'",
		"style-src " + cspHash(css),
		"script-src " + script,
		"img-src data:",
		"base-uri 'none'",
		"form-action 'none'",
	}, "; ")
}

// cspHash is the CSP source expression for an inline element with text s.
func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// htmlPercent formats a percentage with one decimal, as Secure Score does.
func htmlPercent(f float64) string {
	f = math.Round(f*10) / 10
	if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		f = 0
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + "%"
}

// htmlSigned shows a difference with its sign, using a real minus.
func htmlSigned(f *float64) string {
	if f == nil {
		return "—"
	}
	s := num(*f)
	switch {
	case s == "0":
		return "0"
	case strings.HasPrefix(s, "-"):
		return "−" + s[1:]
	}
	return "+" + s
}

func htmlDay(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}

func htmlDateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// htmlStatusLabel is the text every status shows beside its colour.
func htmlStatusLabel(s result.Status) string {
	switch s {
	case result.Pass:
		return "PASS"
	case result.Fail:
		return "FAIL"
	case result.Warn:
		return "WARN"
	case result.Error:
		return "ERROR"
	case result.NotApplicable:
		return "N/A"
	case result.Excepted:
		return "EXCEPTED"
	}
	return strings.ToUpper(string(s))
}

// htmlControlLabel words a control status for a reader.
func htmlControlLabel(s string) string {
	switch s {
	case result.ControlNotAchieved:
		return "not achieved"
	case result.ControlAlternateMitigation:
		return "alternate mitigation"
	case result.ControlRiskAccepted:
		return "risk accepted"
	case result.ControlThirdParty:
		return "third party"
	case result.ControlUnverified:
		return "unverified (no points)"
	}
	return strings.ReplaceAll(s, "_", " ")
}

// htmlBreakable escapes an identifier such as a rule id and lets the browser wrap it after
// its dots and underscores, so long ids do not stretch table columns.
func htmlBreakable(s string) template.HTML {
	var b strings.Builder
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == '_' {
			b.WriteString(template.HTMLEscapeString(s[start : i+1]))
			b.WriteString("<wbr>")
			start = i + 1
		}
	}
	b.WriteString(template.HTMLEscapeString(s[start:]))
	return template.HTML(b.String()) // safe: every part of s is escaped above
}

// htmlTitle capitalises the first letter of a word such as "moderate".
func htmlTitle(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// htmlCount is a number and a noun, the noun plural unless the number is one.
func htmlCount(n int, one, many string) string {
	return strconv.Itoa(n) + " " + plural(n, one, many)
}
