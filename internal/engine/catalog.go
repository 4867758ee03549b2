package engine

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

// Rule is one rule of the catalog, read from its package's METADATA.
type Rule struct {
	ID                 string              `json:"id"`
	Title              string              `json:"title"`
	Description        string              `json:"description"`
	Severity           result.Severity     `json:"severity"`
	Level              string              `json:"level"`
	Baselines          []string            `json:"baselines"`
	Requires           []string            `json:"requires"`
	AcceptsUnlicensed  []string            `json:"acceptsUnlicensed,omitempty"`
	SecureScore        []string            `json:"secureScore"`
	Frameworks         map[string][]string `json:"frameworks"`
	License            []string            `json:"license,omitempty"`
	Remediation        string              `json:"remediation"`
	UserImpact         string              `json:"userImpact,omitempty"`
	ImplementationCost string              `json:"implementationCost,omitempty"`
	References         []Reference         `json:"references"`
	Parameters         []Parameter         `json:"parameters,omitempty"`
	// Package is the rule's Rego package, e.g. data.posture.rules.entra.admin_mfa.
	Package string `json:"package"`
	// File is where the rule is defined; built-in rules carry a path under policies/.
	File    string `json:"file"`
	Builtin bool   `json:"builtin"`

	pkg     ast.Ref
	outputs map[string]bool // which of deny, warn, coverage, not_applicable, error the package defines
}

// Reference is a link from related_resources.
type Reference struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// Parameter documents one data.posture.config key a rule reads.
type Parameter struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Default     any    `json:"default,omitempty"`
}

// outputs a rule package may define; the engine reads nothing else.
var outputNames = []string{"deny", "warn", "coverage", "not_applicable", "error"}

var (
	idPattern      = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	costValues     = map[string]bool{"low": true, "moderate": true, "high": true}
	levelValues    = map[string]bool{"shall": true, "should": true}
	rulePackageRef = ast.MustParseRef("data.posture.rules")
)

// ruleFromAnnotations reads and checks a rule package's METADATA. Every problem names the file
// and line of the annotation, because org authors write these by hand.
func ruleFromAnnotations(a *ast.Annotations, pkg ast.Ref, file string) (Rule, error) {
	fail := func(format string, args ...any) (Rule, error) {
		line := 0
		if a.Location != nil {
			line = a.Location.Row
		}
		return Rule{}, fmt.Errorf("%s:%d: rule METADATA: %s", file, line, fmt.Sprintf(format, args...))
	}
	c := a.Custom
	r := Rule{
		Title:       strings.TrimSpace(a.Title),
		Description: strings.TrimSpace(a.Description),
		Package:     pkg.String(),
		File:        file,
		pkg:         pkg,
		Frameworks:  map[string][]string{},
	}
	var err error
	str := func(key string, required bool) string {
		if err != nil {
			return ""
		}
		v, ok := c[key]
		if !ok || v == nil {
			if required {
				err = fmt.Errorf("custom.%s is missing", key)
			}
			return ""
		}
		s, ok := v.(string)
		if !ok {
			err = fmt.Errorf("custom.%s must be a string, got %T", key, v)
		}
		return strings.TrimSpace(s)
	}
	list := func(key string) []string {
		if err != nil {
			return nil
		}
		out, e := stringList(c[key])
		if e != nil {
			err = fmt.Errorf("custom.%s: %v", key, e)
		}
		return out
	}
	r.ID = str("id", true)
	sev := str("severity", true)
	r.Level = str("level", true)
	r.Requires = list("requires")
	r.AcceptsUnlicensed = list("accepts_unlicensed")
	r.SecureScore = list("secure_score")
	r.License = list("license")
	r.Remediation = str("remediation", true)
	r.UserImpact = str("user_impact", false)
	r.ImplementationCost = str("implementation_cost", false)
	if err != nil {
		return fail("%v", err)
	}
	if r.Title == "" {
		return fail("title is missing")
	}
	if !idPattern.MatchString(r.ID) {
		return fail("custom.id %q; expected lowercase dotted words like entra.admin_mfa", r.ID)
	}
	if r.Severity, err = result.ParseSeverity(sev); err != nil {
		return fail("custom.%v", err)
	}
	if !levelValues[r.Level] {
		return fail("custom.level %q; expected shall or should", r.Level)
	}
	for _, k := range []struct{ name, v string }{{"user_impact", r.UserImpact}, {"implementation_cost", r.ImplementationCost}} {
		if k.v != "" && !costValues[k.v] {
			return fail("custom.%s %q; expected low, moderate or high", k.name, k.v)
		}
	}
	known := map[string]bool{}
	for _, k := range snapshot.KnownKeys() {
		known[k] = true
	}
	for _, k := range r.Requires {
		if !known[k] {
			return fail("custom.requires: %q is not a snapshot key (expected e.g. entra.users)", k)
		}
	}
	for _, k := range r.AcceptsUnlicensed {
		if !contains(r.Requires, k) {
			return fail("custom.accepts_unlicensed: %q is not listed in custom.requires", k)
		}
	}
	if fw, ok := c["frameworks"]; ok && fw != nil {
		m, ok := fw.(map[string]any)
		if !ok {
			return fail("custom.frameworks must be a mapping of framework to ids, got %T", fw)
		}
		for name, ids := range m {
			l, e := stringList(ids)
			if e != nil {
				return fail("custom.frameworks.%s: %v", name, e)
			}
			r.Frameworks[name] = l
		}
	}
	for _, rr := range a.RelatedResources {
		r.References = append(r.References, Reference{URL: rr.Ref.String(), Description: rr.Description})
	}
	if ps, ok := c["parameters"]; ok && ps != nil {
		items, ok := ps.([]any)
		if !ok {
			return fail("custom.parameters must be a list of {name, description, default}")
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			name, _ := m["name"].(string)
			desc, _ := m["description"].(string)
			if !ok || name == "" {
				return fail("custom.parameters[%d]: expected name and description", i)
			}
			r.Parameters = append(r.Parameters, Parameter{Name: name, Description: strings.TrimSpace(desc), Default: m["default"]})
		}
	}
	if r.Requires == nil {
		r.Requires = []string{}
	}
	if r.SecureScore == nil {
		r.SecureScore = []string{}
	}
	if r.References == nil {
		r.References = []Reference{}
	}
	return r, nil
}

func stringList(v any) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("expected a list of strings, found %v (%T)", x, x)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected a list of strings, got %T", v)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sortRules(rs []Rule) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
}
