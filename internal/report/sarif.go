package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/m365posture/posture/internal/result"
)

// sarifFormat is SARIF 2.1.0 for GitHub code scanning: one result per finding that needs
// attention (fail, warn, error, and excepted as a suppressed result), rule metadata in the
// driver. A tenant has no source files, so every result points at the file the report is
// about (Options.Source, else sarifDefaultURI) and names the tenant objects at fault as
// logical locations; partialFingerprints keep an alert stable across runs.
type sarifFormat struct{ o Options }

const (
	sarifInformationURI = "https://github.com/m365posture/posture"
	// sarifDefaultURI is the artifact results point at when the caller did not say which
	// file the report is about: the name the examples give `posture check --output`.
	// GitHub code scanning rejects a result without a location, and wants the same path on
	// every run to match alerts.
	sarifDefaultURI = "posture-result.json"
	// sarifFingerprint names posture's partial fingerprint; bump its version if the hash
	// input ever changes, so GitHub does not match unlike results.
	sarifFingerprint = "postureFinding/v1"
)

// securitySeverity is GitHub's properties["security-severity"] per severity: a CVSS-like
// score that GitHub buckets into critical (>= 9), high (7-8.9), medium (4-6.9) and low.
var securitySeverity = map[result.Severity]string{
	result.Critical: "9.5",
	result.High:     "8.0",
	result.Medium:   "5.5",
	result.Low:      "3.0",
	result.Info:     "1.0",
}

func (s sarifFormat) Render(w io.Writer, r *result.Result) error {
	rep := s.build(r)
	var buf bytes.Buffer
	if err := rep.PrettyWrite(&buf); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// build assembles the SARIF log; split from Render so tests can validate the document.
func (s sarifFormat) build(r *result.Result) *sarif.Report {
	rep := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("posture", sarifInformationURI)
	run.Tool.Driver.WithVersion(r.Generator.Version)
	if strings.TrimSpace(r.Generator.Version) == "" {
		run.Tool.Driver.Version = nil
	}
	run.WithProperties(runProperties(r))

	// One descriptor per rule evaluated, sorted so results can refer to them by index.
	byID := map[string]result.Finding{}
	var ids []string
	for _, f := range r.Findings {
		if _, ok := byID[f.RuleID]; !ok {
			ids = append(ids, f.RuleID)
		}
		byID[f.RuleID] = f
	}
	sort.Strings(ids)
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, ruleDescriptor(byID[id]))
	}

	uri := artifactURI(s.o.Source)
	limit := violationLimit(s.o)
	for _, f := range r.Findings {
		level, ok := sarifLevel(f)
		if !ok {
			continue
		}
		res := sarif.NewRuleResult(f.RuleID).
			WithRuleIndex(index[f.RuleID]).
			WithLevel(level).
			WithMessage(sarif.NewMessage().WithText(sarifMessage(f, limit))).
			WithLocations([]*sarif.Location{tenantLocation(uri, r.Snapshot.Tenant)}).
			WithPartialFingerprints(map[string]string{sarifFingerprint: fingerprint(r.Snapshot.Tenant.ID, f)}).
			WithProperties(findingProperties(f))
		for i, v := range f.Violations {
			if i == limit {
				break
			}
			if loc := entityLocation(uri, i, v); loc != nil {
				res.AddRelatedLocation(loc)
			}
		}
		if f.Status == result.Excepted {
			res.AddSuppression(suppression(f.Exception))
		}
		run.AddResult(res)
	}
	run.AddInvocation(invocation(r))
	rep.AddRun(run)
	return rep
}

// sarifLevel maps a status to a result level; false for statuses that yield no result.
func sarifLevel(f result.Finding) (string, bool) {
	switch f.Status {
	case result.Fail, result.Error:
		return sarif.LevelError, true
	case result.Warn:
		return sarif.LevelWarning, true
	case result.Excepted:
		// The exception hides the finding, not what it would be without one.
		if f.Level == "shall" {
			return sarif.LevelError, true
		}
		return sarif.LevelWarning, true
	}
	return "", false
}

// ruleDescriptor describes a rule from what its finding carries.
func ruleDescriptor(f result.Finding) *sarif.ReportingDescriptor {
	d := sarif.NewRule(f.RuleID).WithName(ruleName(f.RuleID))
	title := f.Title
	if title == "" {
		title = f.RuleID
	}
	d.WithShortDescription(sarif.NewMultiformatMessageString().WithText(title))
	full := title
	if f.Remediation != "" {
		full = title + ". " + f.Remediation
	}
	d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(full))

	var text, md strings.Builder
	fmt.Fprintf(&text, "%s\n", title)
	fmt.Fprintf(&md, "**%s**\n", mdEscape(title))
	if f.Remediation != "" {
		fmt.Fprintf(&text, "\nRemediation: %s\n", f.Remediation)
		fmt.Fprintf(&md, "\n**Remediation:** %s\n", mdEscape(f.Remediation))
	}
	if len(f.References) > 0 {
		text.WriteString("\nReferences:\n")
		md.WriteString("\n**References:**\n\n")
		for _, ref := range f.References {
			fmt.Fprintf(&text, "- %s\n", ref)
			fmt.Fprintf(&md, "- %s\n", mdLink(ref))
		}
	}
	d.WithHelp(sarif.NewMultiformatMessageString().
		WithText(strings.TrimSpace(text.String())).
		WithMarkdown(strings.TrimSpace(md.String())))
	for _, ref := range f.References {
		if webURL(ref) {
			d.WithHelpURI(ref)
			break
		}
	}

	cfg := sarif.NewReportingConfiguration().WithLevel(sarif.LevelWarning)
	if f.Level == "shall" {
		cfg.WithLevel(sarif.LevelError)
	}
	d.WithDefaultConfiguration(cfg)

	sev, ok := securitySeverity[f.Severity]
	if !ok {
		sev = securitySeverity[result.Info]
	}
	props := sarif.NewPropertyBag().
		Add("severity", string(f.Severity)).
		Add("level", f.Level).
		Add("secureScore", nonNil(f.SecureScore)).
		Add("frameworks", frameworks(f.Frameworks)).
		Add("security-severity", sev).
		WithTags(ruleTags(f))
	d.WithProperties(props)
	return d
}

// ruleTags are GitHub's filter tags: "security" (it shows security-severity only for
// those), the rule's area and baselines.
func ruleTags(f result.Finding) []string {
	tags := []string{"security", "m365"}
	if area := ruleArea(f.RuleID); area != "" && !has(tags, area) {
		tags = append(tags, area)
	}
	for _, b := range f.Baselines {
		if !has(tags, b) {
			tags = append(tags, b)
		}
	}
	sort.Strings(tags[2:])
	return tags
}

// sarifMessage is the finding's message and its first violations.
func sarifMessage(f result.Finding, limit int) string {
	var lines []string
	msg := f.Message
	if f.Status == result.Error {
		msg = "could not be verified, so posture does not count it as passing: " + orDefault(f.Message, "a source it needs is missing")
	}
	if msg == "" {
		msg = f.Title
	}
	lines = append(lines, msg)
	if f.Status == result.Excepted && f.Exception != nil {
		lines = append(lines, "excepted: "+exceptionText(f.Exception))
	}
	lines = append(lines, violationLines(f, limit)...)
	return strings.Join(lines, "\n")
}

// tenantLocation points a result at the artifact and names the tenant.
func tenantLocation(uri string, t result.Tenant) *sarif.Location {
	loc := sarif.NewLocation().WithPhysicalLocation(physical(uri))
	name := orDefault(t.DisplayName, orDefault(t.DefaultDomain, t.ID))
	if name != "" {
		loc.AddLogicalLocation(sarif.NewLogicalLocation().
			WithName(name).
			WithFullyQualifiedName("tenant/" + orDefault(t.ID, name)).
			WithKind("tenant"))
	}
	return loc
}

// entityLocation is a related location naming a violation's entity; nil when it has none.
func entityLocation(uri string, id int, v result.Violation) *sarif.Location {
	e := v.Entity
	if e.ID == "" && e.Name == "" {
		return nil
	}
	kind := orDefault(e.Type, "object")
	return sarif.NewLocation().
		WithID(id).
		WithPhysicalLocation(physical(uri)).
		WithMessage(sarif.NewMessage().WithText(orDefault(v.Msg, kind+" "+orDefault(e.Name, e.ID)))).
		AddLogicalLocation(sarif.NewLogicalLocation().
			WithName(orDefault(e.Name, e.ID)).
			WithFullyQualifiedName(kind + "/" + orDefault(e.ID, e.Name)).
			WithKind(kind))
}

// physical is the artifact with a region GitHub can show: it needs a start line.
func physical(uri string) *sarif.PhysicalLocation {
	return sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewArtifactLocation().WithURI(uri)).
		WithRegion(sarif.NewRegion().WithStartLine(1))
}

// artifactURI turns the user's file name into a relative URI reference (GitHub resolves it
// against the repository root); an absolute path becomes a file: URI.
func artifactURI(source string) string {
	if strings.TrimSpace(source) == "" {
		return sarifDefaultURI
	}
	p := filepath.ToSlash(filepath.Clean(source))
	p = strings.TrimPrefix(p, "./")
	if filepath.IsAbs(source) || strings.HasPrefix(p, "/") {
		return (&url.URL{Scheme: "file", Path: "/" + strings.TrimPrefix(p, "/")}).String()
	}
	return (&url.URL{Path: p}).String()
}

// fingerprint identifies a finding across runs: the tenant, the rule and the entities at
// fault, so a new violating user opens a new alert and fixing one closes it.
func fingerprint(tenant string, f result.Finding) string {
	var ents []string
	for _, v := range f.Violations {
		if v.Entity.ID != "" || v.Entity.Type != "" {
			ents = append(ents, v.Entity.Type+"/"+v.Entity.ID)
		}
	}
	sort.Strings(ents)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s", tenant, f.RuleID)
	for _, e := range ents {
		fmt.Fprintf(h, "\x00%s", e)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func findingProperties(f result.Finding) *sarif.PropertyBag {
	p := sarif.NewPropertyBag().
		Add("status", string(f.Status)).
		Add("severity", string(f.Severity)).
		Add("baselines", nonNil(f.Baselines)).
		Add("violations", len(f.Violations))
	if f.Coverage != nil {
		p.Add("coverage", map[string]int{"covered": f.Coverage.Covered, "total": f.Coverage.Total})
	}
	return p
}

func suppression(e *result.Exception) *sarif.Suppression {
	s := sarif.NewSuppression().WithKind("external").WithStatus("accepted")
	if e == nil {
		return s.WithJustification("excepted by the org config")
	}
	s.WithJustification(exceptionText(e))
	p := sarif.NewPropertyBag().Add("exceptionStatus", e.Status)
	if e.Expires != "" {
		p.Add("expires", e.Expires)
	}
	if len(e.Entities) > 0 {
		p.Add("entities", e.Entities)
	}
	return s.WithProperties(p)
}

// exceptionText is "status until expiry: reason", the parts there are.
func exceptionText(e *result.Exception) string {
	s := orDefault(e.Status, "excepted")
	if e.Expires != "" {
		s += " until " + e.Expires
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// invocation records the evidence: the snapshot hash and tenant, and unverifiable rules
// and warnings as notifications; a run with rules it could not verify did not succeed.
func invocation(r *result.Result) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccessful(r.Summary.Error == 0)
	if !r.EvaluatedAt.IsZero() {
		inv.WithEndTimeUtc(r.EvaluatedAt.UTC().Format(time.RFC3339))
	}
	for _, f := range r.Findings {
		if f.Status != result.Error {
			continue
		}
		inv.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel(sarif.LevelError).
			WithMessage(sarif.NewMessage().WithText(f.RuleID + " could not be verified: " + orDefault(f.Message, "a source it needs is missing"))))
	}
	for _, w := range r.Warnings {
		inv.AddToolExecutionNotification(sarif.NewNotification().
			WithLevel(sarif.LevelWarning).
			WithMessage(sarif.NewMessage().WithText(w)))
	}
	p := sarif.NewPropertyBag().
		Add("snapshotSha256", r.Snapshot.SHA256).
		Add("tenantId", r.Snapshot.Tenant.ID)
	if !r.Snapshot.CollectedAt.IsZero() {
		p.Add("collectedAt", r.Snapshot.CollectedAt.UTC().Format(time.RFC3339))
	}
	return inv.WithProperties(p)
}

func runProperties(r *result.Result) *sarif.PropertyBag {
	t := r.Snapshot.Tenant
	p := sarif.NewPropertyBag().
		Add("tenant", map[string]string{"id": t.ID, "displayName": t.DisplayName, "defaultDomain": t.DefaultDomain, "cloud": t.Cloud}).
		Add("snapshotSha256", r.Snapshot.SHA256).
		Add("baselines", nonNil(r.Baselines)).
		Add("summary", r.Summary)
	if sc := r.Score; sc != nil {
		score := map[string]float64{
			"estimatePercent":   sc.Estimate.Percent,
			"projectedPercent":  sc.Projected.Percent,
			"achievablePercent": sc.Achievable.Percent,
		}
		if sc.Reported != nil {
			score["reportedPercent"] = sc.Reported.Percent
		}
		p.Add("secureScore", score)
	}
	// The gate's verdict and the evidence, with result.json's names and shapes.
	if r.Gate != nil {
		p.Add("gate", r.Gate)
	}
	if r.Evidence != nil {
		p.Add("evidence", r.Evidence)
	}
	return p
}

// ruleName is the rule id in UpperCamelCase (SARIF wants an identifier-like name).
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, c := range id {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			up = true
			continue
		}
		if up {
			c = unicode.ToUpper(c)
			up = false
		}
		b.WriteRune(c)
	}
	if b.Len() == 0 {
		return "Rule"
	}
	return b.String()
}

// ruleArea is the first part of a rule id ("entra" of "entra.admin_mfa").
func ruleArea(id string) string {
	area, _, _ := strings.Cut(id, ".")
	return area
}

func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// frameworks copies the mapping with no nil lists, so JSON shows [] rather than null.
func frameworks(m map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range m {
		out[k] = nonNil(v)
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// violationLimit is Options.MaxViolations with its default of 10.
func violationLimit(o Options) int {
	if o.MaxViolations <= 0 {
		return 10
	}
	return o.MaxViolations
}

// violationText is a violation's message as a finding shows it: a warning beside violations
// that fail the rule says it is one.
func violationText(f result.Finding, v result.Violation) string {
	if v.IsWarning() && f.MixedKinds() {
		return "warning: " + v.Msg
	}
	return v.Msg
}

// violationLines lists a finding's first violations ("- msg", "~ msg" for an excepted
// one, "warning: " before a warning beside failing violations) and how many more there are;
// none for a single violation that repeats the message.
func violationLines(f result.Finding, limit int) []string {
	if len(f.Violations) == 1 && f.Violations[0].Msg == f.Message {
		return nil
	}
	var out []string
	for i, v := range f.Violations {
		if i == limit {
			out = append(out, fmt.Sprintf("… and %d more", len(f.Violations)-limit))
			break
		}
		mark := "-"
		if v.Excepted {
			mark = "~"
		}
		out = append(out, mark+" "+violationText(f, v))
	}
	return out
}
