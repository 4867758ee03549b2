package engine

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/param"
	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
	"github.com/m365posture/posture/internal/suggest"
	"github.com/m365posture/posture/internal/yamldoc"
)

// metadata is a rule package's METADATA block: the OPA keys a rule uses and, under custom,
// the rule contract's (DESIGN.md). It is decoded from the block's own text, so an unknown or
// misspelt key is an error at its line, as is a value of the wrong kind.
type metadata struct {
	Scope            string          `yaml:"scope"`
	Title            string          `yaml:"title" expect:"the rule's title, one line"`
	Description      string          `yaml:"description" expect:"why the rule matters"`
	RelatedResources []reference     `yaml:"related_resources"`
	Authors          []yamldoc.Value `yaml:"authors"`
	Organizations    []string        `yaml:"organizations"`
	Custom           custom          `yaml:"custom"`
}

type reference struct {
	Ref         string `yaml:"ref" expect:"a URL"`
	Description string `yaml:"description"`
}

// custom is METADATA's custom block: the rule contract.
type custom struct {
	ID                 string              `yaml:"id" expect:"a rule id such as entra.admin_mfa"`
	Severity           string              `yaml:"severity" expect:"one of: critical, high, medium, low, info"`
	Level              string              `yaml:"level" expect:"shall or should"`
	Requires           []string            `yaml:"requires"`
	AcceptsUnlicensed  []string            `yaml:"accepts_unlicensed"`
	SecureScore        []string            `yaml:"secure_score"`
	Frameworks         map[string][]string `yaml:"frameworks" expect:"a mapping of framework to control ids, e.g. {cisa_scuba: [MS.AAD.3.6v1]}"`
	License            []string            `yaml:"license"`
	Remediation        string              `yaml:"remediation" expect:"how to fix a failure"`
	UserImpact         string              `yaml:"user_impact" expect:"low, moderate or high"`
	ImplementationCost string              `yaml:"implementation_cost" expect:"low, moderate or high"`
	Parameters         []param.Spec        `yaml:"parameters" expectItem:"a mapping with keys name, type, description and optionally items, default, minimum, maximum, enum"`
	Replaces           string              `yaml:"replaces" expect:"the id of the built-in rule this rule replaces (its own id)"`
}

var (
	idPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	costValues  = []string{"low", "moderate", "high"}
	levelValues = []string{"shall", "should"}
	// knownFrameworks are the frameworks the result's framework view knows; a framework name
	// close to one of them is a typo.
	knownFrameworks = []string{"cisa_scuba", "cis_m365"}
	frameworkName   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// metadataBlock is the YAML text of an annotation's METADATA block and the file line of each
// of its lines.
func metadataBlock(m *ast.Module, a *ast.Annotations) ([]byte, []int) {
	var text bytes.Buffer
	var rows []int
	start, end := a.Location.Row, a.Location.Row
	if e := a.EndLoc(); e != nil {
		end = e.Row
	}
	for _, c := range m.Comments {
		if c.Location == nil || c.Location.Row <= start || c.Location.Row > end {
			continue
		}
		// As OPA reads the block: the text after "#", less one leading space.
		text.Write(bytes.TrimPrefix(c.Text, []byte(" ")))
		text.WriteByte('\n')
		rows = append(rows, c.Location.Row)
	}
	return text.Bytes(), rows
}

// ruleFromMetadata reads and checks a rule package's METADATA. Every problem names the file
// and the line of the key at fault, because org authors write these by hand.
func ruleFromMetadata(m *ast.Module, a *ast.Annotations, file string) (Rule, error) {
	text, rows := metadataBlock(m, a)
	lineOf := func(l int) int {
		if l >= 1 && l <= len(rows) {
			return rows[l-1]
		}
		return a.Location.Row
	}
	var md metadata
	lines, err := yamldoc.Decode(text, &md, yamldoc.Options{File: file, Name: "METADATA", Line: lineOf})
	if err != nil {
		var e *yamldoc.Error
		if errors.As(err, &e) {
			e.Msg = "rule METADATA: " + e.Msg
		}
		return Rule{}, err
	}
	c := metaChecker{file: file, lines: lines, block: a.Location.Row}
	return c.rule(md, m.Package.Path)
}

// metaChecker checks what a decoded METADATA block means.
type metaChecker struct {
	file  string
	lines yamldoc.Lines
	block int // the line of "# METADATA", for what is missing
}

func (c metaChecker) errorf(path, format string, args ...any) error {
	line, ok := c.lines[path]
	if !ok {
		line = c.block
	}
	return fmt.Errorf("%s:%d: rule METADATA: %s", c.file, line, fmt.Sprintf(format, args...))
}

func (c metaChecker) rule(md metadata, pkg ast.Ref) (Rule, error) {
	cu := md.Custom
	r := Rule{
		ID:                 strings.TrimSpace(cu.ID),
		Title:              strings.TrimSpace(md.Title),
		Description:        strings.TrimSpace(md.Description),
		Level:              strings.TrimSpace(cu.Level),
		Requires:           nonNil(cu.Requires),
		AcceptsUnlicensed:  cu.AcceptsUnlicensed,
		SecureScore:        nonNil(cu.SecureScore),
		Frameworks:         map[string][]string{},
		License:            cu.License,
		Remediation:        strings.TrimSpace(cu.Remediation),
		UserImpact:         strings.TrimSpace(cu.UserImpact),
		ImplementationCost: strings.TrimSpace(cu.ImplementationCost),
		Parameters:         cu.Parameters,
		Replaces:           strings.TrimSpace(cu.Replaces),
		References:         []Reference{},
		Package:            pkg.String(),
		File:               c.file,
		pkg:                pkg,
	}
	for _, rr := range md.RelatedResources {
		r.References = append(r.References, Reference{URL: rr.Ref, Description: strings.TrimSpace(rr.Description)})
	}
	for name, ids := range cu.Frameworks {
		r.Frameworks[name] = ids
	}
	for _, check := range []func(*Rule, custom) error{c.required, c.enums, c.sources, c.frameworks, c.parameters} {
		if err := check(&r, cu); err != nil {
			return Rule{}, err
		}
	}
	return r, nil
}

// required checks the keys every rule has.
func (c metaChecker) required(r *Rule, cu custom) error {
	switch {
	case r.Title == "":
		return c.errorf("title", "no title; expected title: what the rule checks, one line")
	case r.ID == "":
		return c.errorf("custom", "no custom.id; expected id: <area>.<name>, e.g. entra.admin_mfa")
	case !idPattern.MatchString(r.ID):
		return c.errorf("custom.id", "custom.id %q; expected lowercase dotted words like entra.admin_mfa", r.ID)
	case cu.Severity == "":
		return c.errorf("custom", "no custom.severity; expected severity: one of critical, high, medium, low, info")
	case r.Level == "":
		return c.errorf("custom", "no custom.level; expected level: shall or should")
	case r.Remediation == "":
		return c.errorf("custom", "no custom.remediation; expected remediation: how to fix a failure")
	case r.Replaces != "" && r.Replaces != r.ID:
		return c.errorf("custom.replaces", "custom.replaces %q names another rule; expected the rule's own id %s, which it takes over from the built-in rule", r.Replaces, r.ID)
	}
	return nil
}

// enums checks the keys that take one of a few values.
func (c metaChecker) enums(r *Rule, cu custom) error {
	sev, err := result.ParseSeverity(strings.TrimSpace(cu.Severity))
	if err != nil {
		return c.errorf("custom.severity", "custom.%v", err)
	}
	r.Severity = sev
	if !contains(levelValues, r.Level) {
		return c.errorf("custom.level", "custom.level %q%s; expected shall or should", r.Level, didYouMean(r.Level, levelValues))
	}
	for _, k := range []struct{ key, v string }{{"user_impact", r.UserImpact}, {"implementation_cost", r.ImplementationCost}} {
		if k.v != "" && !contains(costValues, k.v) {
			return c.errorf("custom."+k.key, "custom.%s %q%s; expected low, moderate or high", k.key, k.v, didYouMean(k.v, costValues))
		}
	}
	return nil
}

// sources checks that the rule requires snapshot keys that exist.
func (c metaChecker) sources(r *Rule, _ custom) error {
	known := snapshot.KnownKeys()
	for i, k := range r.Requires {
		if !contains(known, k) {
			return c.errorf(fmt.Sprintf("custom.requires[%d]", i), "custom.requires: %q is not a snapshot key%s; expected e.g. entra.users", k, didYouMean(k, known))
		}
	}
	for i, k := range r.AcceptsUnlicensed {
		if !contains(r.Requires, k) {
			return c.errorf(fmt.Sprintf("custom.accepts_unlicensed[%d]", i), "custom.accepts_unlicensed: %q is not listed in custom.requires", k)
		}
	}
	return nil
}

// frameworks checks framework names: any snake_case name, but one close to a framework the
// result knows is a typo.
func (c metaChecker) frameworks(r *Rule, _ custom) error {
	names := make([]string, 0, len(r.Frameworks))
	for name := range r.Frameworks {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := "custom.frameworks." + name
		if !frameworkName.MatchString(name) {
			return c.errorf(path, "custom.frameworks: framework %q; expected a snake_case name such as %s", name, strings.Join(knownFrameworks, " or "))
		}
		// A name of about the same length as a known one is a typo; a longer one (cis_m365_v4)
		// may well be a framework of the org's own.
		if s := suggest.Closest(name, knownFrameworks); s != "" && s != name && abs(len(s)-len(name)) <= 1 {
			return c.errorf(path, "custom.frameworks: framework %q (did you mean %q?); expected one of %s, or a name of your own", name, s, strings.Join(knownFrameworks, ", "))
		}
	}
	return nil
}

// parameters checks each parameter declaration and that no name is declared twice.
func (c metaChecker) parameters(r *Rule, _ custom) error {
	seen := map[string]bool{}
	for i, p := range r.Parameters {
		path := fmt.Sprintf("custom.parameters[%d]", i)
		if err := p.Check(); err != nil {
			return c.errorf(path, "%s: parameter %s: %v", path, p.Name, err)
		}
		if seen[p.Name] {
			return c.errorf(path, "%s: parameter %s is declared twice; expected each parameter once", path, p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

func didYouMean(s string, candidates []string) string {
	if c := suggest.Closest(s, candidates); c != "" && c != s {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
