package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/m365posture/posture/internal/result"
)

// junitFormat is JUnit XML for Azure DevOps (PublishTestResults) and GitLab (junit
// reports): a test suite per baseline and a test case per rule. fail is a <failure>, error a
// <error> (never a pass: the rule could not be verified), not_applicable and excepted are
// <skipped>, and warn passes with the warning in <system-out>.
type junitFormat struct{ o Options }

// junitOther is the suite of findings in none of the result's baselines, so none is lost.
const junitOther = "other"

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut *junitText    `xml:"system-out"`
}

// junitText is element content escaped by xmlText: line breaks stay line breaks.
type junitText struct {
	Inner string `xml:",innerxml"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",innerxml"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func (j junitFormat) Render(w io.Writer, r *result.Result) error {
	doc := j.build(r)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

func (j junitFormat) build(r *result.Result) junitSuites {
	doc := junitSuites{Name: "posture", Time: "0"}
	props := junitProperties(r)
	stamp := ""
	if !r.EvaluatedAt.IsZero() {
		stamp = r.EvaluatedAt.UTC().Format("2006-01-02T15:04:05")
	}
	names := append([]string(nil), r.Baselines...)
	for _, f := range r.Findings {
		if !intersects(f.Baselines, r.Baselines) {
			names = append(names, junitOther)
			break
		}
	}
	limit := violationLimit(j.o)
	for _, b := range names {
		s := junitSuite{Name: b, Time: "0", Timestamp: stamp, Properties: props}
		for _, f := range r.Findings {
			in := has(f.Baselines, b)
			if b == junitOther {
				in = !intersects(f.Baselines, r.Baselines)
			}
			if !in {
				continue
			}
			c := junitTestCase(b, f, limit)
			s.Tests++
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
			s.Cases = append(s.Cases, c)
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	return doc
}

func junitTestCase(baseline string, f result.Finding, limit int) junitCase {
	c := junitCase{
		Classname: "posture." + baseline + "." + orDefault(ruleArea(f.RuleID), "rule"),
		Name:      f.RuleID + ": " + orDefault(f.Title, f.RuleID),
		Time:      "0",
	}
	body := func(msg string) string {
		lines := append([]string{msg}, violationLines(f, limit)...)
		if f.Remediation != "" {
			lines = append(lines, "", "Remediation: "+f.Remediation)
		}
		return xmlText(strings.Join(lines, "\n"))
	}
	switch f.Status {
	case result.Fail:
		c.Failure = &junitProblem{Message: orDefault(f.Message, f.Title), Type: string(f.Severity), Body: body(f.Message)}
	case result.Error:
		msg := "could not be verified: " + orDefault(f.Message, "a source it needs is missing")
		c.Error = &junitProblem{Message: msg, Type: "unverified", Body: body(msg)}
	case result.NotApplicable:
		c.Skipped = &junitSkipped{Message: "not applicable: " + f.Message}
	case result.Excepted:
		msg := "excepted"
		if f.Exception != nil {
			msg += " (" + exceptionText(f.Exception) + ")"
		}
		c.Skipped = &junitSkipped{Message: msg + ": " + f.Message}
	case result.Warn:
		c.SystemOut = &junitText{body("WARN (" + string(f.Severity) + "): " + f.Message)}
	}
	return c
}

func junitProperties(r *result.Result) []junitProperty {
	t := r.Snapshot.Tenant
	props := []junitProperty{
		{"tenant.id", t.ID},
		{"tenant.displayName", t.DisplayName},
		{"tenant.defaultDomain", t.DefaultDomain},
		{"snapshot.sha256", r.Snapshot.SHA256},
	}
	if !r.Snapshot.CollectedAt.IsZero() {
		props = append(props, junitProperty{"snapshot.collectedAt", r.Snapshot.CollectedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	if sc := r.Score; sc != nil {
		props = append(props, junitProperty{"secureScore.estimatePercent", fmt.Sprintf("%.1f", sc.Estimate.Percent)})
		if sc.Reported != nil {
			props = append(props, junitProperty{"secureScore.reportedPercent", fmt.Sprintf("%.1f", sc.Reported.Percent)})
		}
	}
	if g := r.Gate; g != nil {
		props = append(props,
			junitProperty{"gate.passed", strconv.FormatBool(g.Passed)},
			junitProperty{"gate.exitCode", strconv.Itoa(g.ExitCode)},
			junitProperty{"gate.failOn", g.FailOn})
		if g.MinScore != nil {
			props = append(props, junitProperty{"gate.minScore", fmt.Sprintf("%.1f", *g.MinScore)})
		}
		// Numbered, as CI systems that read properties into a map keep one value per name.
		for i, reason := range g.Reasons {
			props = append(props, junitProperty{fmt.Sprintf("gate.reason.%d", i+1), reason})
		}
	}
	if ev := r.Evidence; ev != nil {
		props = append(props, junitProperty{"posture.version", ev.Posture.Version})
		if c := ev.Config; c != nil {
			props = append(props, junitProperty{"config.path", c.Path}, junitProperty{"config.sha256", c.SHA256})
		}
		// The files themselves are in result.json and SARIF; a suite's properties carry the
		// digest that stands for them.
		props = append(props,
			junitProperty{"policies.digest", ev.Policies.Digest},
			junitProperty{"policies.files", strconv.Itoa(len(ev.Policies.Files))})
	}
	return props
}

// xmlText escapes s as XML character data, replacing characters XML cannot hold with
// U+FFFD, but keeps line breaks readable where encoding/xml would write &#xA;.
func xmlText(s string) string {
	var b strings.Builder
	// EscapeText only fails when the writer does.
	_ = xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#xA;", "\n")
}

func intersects(xs, ys []string) bool {
	for _, x := range xs {
		if has(ys, x) {
			return true
		}
	}
	return false
}
