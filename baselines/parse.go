package baselines

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/m365posture/posture/internal/yamldoc"
)

// snakeCase is the form of setting ids and areas.
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Parse reads one baseline definition. file names the file in errors, which are one line:
// "file:line: what is wrong; what was expected". Unknown keys are rejected at every level.
func Parse(file string, data []byte) (Baseline, error) {
	var b Baseline
	lines, err := yamldoc.Decode(data, &b, yamldoc.Options{File: file, Name: "the baseline"})
	if err != nil {
		return Baseline{}, err
	}
	if lines == nil {
		return Baseline{}, fmt.Errorf("%s: empty file; expected a baseline definition (id, title, rules)", file)
	}
	c := checker{file: file, lines: lines}
	for _, step := range []func(*Baseline) error{c.baseline, c.rules, c.source, c.verification, c.settings} {
		if err := step(&b); err != nil {
			return Baseline{}, err
		}
	}
	if b.Rules == nil {
		b.Rules = []Entry{}
	}
	return b, nil
}

// checker checks what a decoded baseline means, naming the line of each problem.
type checker struct {
	file  string
	lines yamldoc.Lines
}

func (c checker) errorf(path string, format string, args ...any) error {
	return &yamldoc.Error{File: c.file, Line: c.lines[path], Msg: fmt.Sprintf(format, args...)}
}

// required checks that the string at path.key is not blank; a missing key is reported at
// the line of what holds it.
func (c checker) required(s, path, key, where string) error {
	if strings.TrimSpace(s) != "" {
		return nil
	}
	at := path
	if c.lines.Has(path + "." + key) {
		at = path + "." + key
	}
	return c.errorf(at, "%s has no %s; expected %s: <non-empty string>", where, key, key)
}

func (c checker) baseline(b *Baseline) error {
	return c.required(b.ID, "", "id", "the baseline")
}

func (c checker) rules(b *Baseline) error {
	seen := map[string]int{}
	for i, e := range b.Rules {
		path := fmt.Sprintf("rules[%d]", i)
		if err := c.required(e.ID, path, "id", path); err != nil {
			return err
		}
		if err := c.required(e.Level, path, "level", "rule "+e.ID); err != nil {
			return err
		}
		if e.Level != "shall" && e.Level != "should" {
			return c.errorf(path+".level", "rule %s: level %q; expected shall or should", e.ID, e.Level)
		}
		if first, dup := seen[e.ID]; dup {
			return c.errorf(path, "rule %s listed twice (first at line %d); expected each rule once", e.ID, first)
		}
		seen[e.ID] = c.lines[path]
	}
	return nil
}

func (c checker) source(b *Baseline) error {
	s := b.Source
	if s == nil {
		return nil
	}
	if err := c.required(s.Name, "source", "name", "source"); err != nil {
		return err
	}
	if err := c.required(s.URL, "source", "url", "source"); err != nil {
		return err
	}
	if !strings.HasPrefix(s.URL, "https://") {
		return c.errorf("source.url", "source.url %q; expected an https:// address", s.URL)
	}
	return nil
}

// verification checks the published exports the settings were checked against: each has a
// snake_case id, a title and an https address, and ids are unique.
func (c checker) verification(b *Baseline) error {
	seen := map[string]int{}
	for i, e := range b.Verification {
		path := fmt.Sprintf("verification[%d]", i)
		if err := c.required(e.ID, path, "id", path); err != nil {
			return err
		}
		if !snakeCase.MatchString(e.ID) {
			return c.errorf(path+".id", "verification %s: id; expected snake_case (lowercase letters, digits and _)", e.ID)
		}
		if err := c.required(e.Title, path, "title", "verification "+e.ID); err != nil {
			return err
		}
		if err := c.required(e.URL, path, "url", "verification "+e.ID); err != nil {
			return err
		}
		if !strings.HasPrefix(e.URL, "https://") {
			return c.errorf(path+".url", "verification %s: url %q; expected an https:// address", e.ID, e.URL)
		}
		if first, dup := seen[e.ID]; dup {
			return c.errorf(path, "verification %s listed twice (first at line %d); expected unique ids", e.ID, first)
		}
		seen[e.ID] = c.lines[path]
	}
	return nil
}

// settings checks the expected settings; ids and definitionIds are unique. When the baseline
// lists verification sources, every setting names at least one of them.
func (c checker) settings(b *Baseline) error {
	ids, defs := map[string]int{}, map[string]int{}
	evidence := map[string]bool{}
	for _, e := range b.Verification {
		evidence[e.ID] = true
	}
	for i := range b.Settings {
		s := &b.Settings[i]
		path := fmt.Sprintf("settings[%d]", i)
		if err := c.setting(s, path); err != nil {
			return err
		}
		if err := c.verified(s, path, evidence); err != nil {
			return err
		}
		line := c.lines[path]
		if first, dup := ids[s.ID]; dup {
			return c.errorf(path, "setting %s listed twice (first at line %d); expected unique setting ids", s.ID, first)
		}
		if first, dup := defs[strings.ToLower(s.DefinitionID)]; dup {
			return c.errorf(path, "setting %s: definitionId %s is also used at line %d; expected one setting per definitionId", s.ID, s.DefinitionID, first)
		}
		ids[s.ID], defs[strings.ToLower(s.DefinitionID)] = line, line
	}
	return nil
}

func (c checker) setting(s *Setting, path string) error {
	if err := c.required(s.ID, path, "id", path); err != nil {
		return err
	}
	where := "setting " + s.ID
	if !snakeCase.MatchString(s.ID) {
		return c.errorf(path+".id", "%s: id; expected snake_case (lowercase letters, digits and _)", where)
	}
	for _, f := range []struct{ key, v string }{{"definitionId", s.DefinitionID}, {"title", s.Title}, {"area", s.Area}, {"severity", s.Severity}} {
		if err := c.required(f.v, path, f.key, where); err != nil {
			return err
		}
	}
	if strings.ContainsAny(s.DefinitionID, " \t") {
		return c.errorf(path+".definitionId", "%s: definitionId %q; expected a settings catalog setting definition id without spaces", where, s.DefinitionID)
	}
	if !snakeCase.MatchString(s.Area) {
		return c.errorf(path+".area", "%s: area %q; expected snake_case, e.g. credential_guard", where, s.Area)
	}
	if !slices.Contains(Severities, s.Severity) {
		return c.errorf(path+".severity", "%s: severity %q; expected %s", where, s.Severity, strings.Join(Severities, ", "))
	}
	if !c.lines.Has(path + ".expected") {
		return c.errorf(path, "%s has no expected; expected expected: {value|values|min|max|equals: ...}", where)
	}
	if err := c.expected(s.Expected, path+".expected", where+": expected"); err != nil {
		return err
	}
	if err := c.secureScore(s.SecureScore, path+".secureScore", where); err != nil {
		return err
	}
	if s.Legacy != nil || c.lines.Has(path+".legacy") {
		return c.legacy(s.Legacy, path+".legacy", where+": legacy")
	}
	return nil
}

// secureScore checks the Secure Score control ids a setting counts toward: not blank, no
// spaces, each once.
func (c checker) secureScore(ids []string, path, where string) error {
	if len(ids) == 0 && c.lines.Has(path) {
		return c.errorf(path, "%s: secureScore is empty; expected a list of Secure Score control ids, or no secureScore key", where)
	}
	seen := map[string]bool{}
	for i, id := range ids {
		at := fmt.Sprintf("%s[%d]", path, i)
		if strings.TrimSpace(id) == "" || strings.ContainsAny(id, " \t") {
			return c.errorf(at, "%s: secureScore[%d] %q; expected a Secure Score control id such as scid_2070", where, i, id)
		}
		if seen[id] {
			return c.errorf(at, "%s: secureScore lists %s twice; expected each control once", where, id)
		}
		seen[id] = true
	}
	return nil
}

// verified checks the verification sources a setting names: each one the baseline lists, and
// at least one when the baseline lists any.
func (c checker) verified(s *Setting, path string, evidence map[string]bool) error {
	where := "setting " + s.ID
	if len(evidence) > 0 && len(s.Verified) == 0 {
		return c.errorf(path, "%s has no verified; expected verified: [<id of a verification entry>] naming where its id and value were checked", where)
	}
	seen := map[string]bool{}
	for i, v := range s.Verified {
		at := fmt.Sprintf("%s.verified[%d]", path, i)
		if !evidence[v] {
			return c.errorf(at, "%s: verified names %q; expected the id of one of the baseline's verification entries", where, v)
		}
		if seen[v] {
			return c.errorf(at, "%s: verified names %s twice; expected each source once", where, v)
		}
		seen[v] = true
	}
	return nil
}

// expectedForms are the forms of an expected value, of which a setting gives exactly one (min
// and max together count as one: a range).
var expectedForms = []string{"value", "values", "min", "max", "equals"}

// expected checks a setting's expected value: exactly one of value, values, min, max, equals,
// or min and max together (a range whose min is not above its max).
func (c checker) expected(e Expected, path, where string) error {
	var have []string
	for _, k := range expectedForms {
		if c.lines.Has(path + "." + k) {
			have = append(have, k)
		}
	}
	if len(have) == 2 && have[0] == "min" && have[1] == "max" {
		if e.Min == nil || e.Max == nil {
			return c.errorf(path, "%s: min and max must both be integers", where)
		}
		if *e.Min > *e.Max {
			return c.errorf(path+".min", "%s.min %d is greater than max %d; expected a range with min <= max", where, *e.Min, *e.Max)
		}
		return nil
	}
	if len(have) != 1 {
		if len(have) == 0 {
			have = []string{"none"}
		}
		return c.errorf(path, "%s has %s; expected exactly one of value, values, min, max, equals (or min and max together)", where, strings.Join(have, " and "))
	}
	switch have[0] {
	case "value":
		return c.scalar(e.Value, path+".value", where+".value")
	case "equals":
		return c.scalar(e.Equals, path+".equals", where+".equals")
	case "values":
		if len(e.Values) == 0 {
			return c.errorf(path+".values", "%s.values is empty; expected at least one value", where)
		}
		for i := range e.Values {
			if err := c.scalar(&e.Values[i], fmt.Sprintf("%s.values[%d]", path, i), fmt.Sprintf("%s.values[%d]", where, i)); err != nil {
				return err
			}
		}
	case "min", "max":
		if e.Min == nil && e.Max == nil {
			return c.errorf(path+"."+have[0], "%s.%s is empty; expected an integer", where, have[0])
		}
	}
	return nil
}

// legacy checks where a setting lives in older policy types: at least one of its two parts.
func (c checker) legacy(l *Legacy, path, where string) error {
	if l == nil || (l.DeviceConfiguration == nil && l.Intent == nil) {
		return c.errorf(path, "%s is empty; expected deviceConfiguration, intent or both", where)
	}
	if p := l.DeviceConfiguration; p != nil {
		path, where := path+".deviceConfiguration", where+".deviceConfiguration"
		if err := c.required(p.Type, path, "type", where); err != nil {
			return err
		}
		if !strings.HasPrefix(p.Type, "#microsoft.graph.") {
			return c.errorf(path+".type", "%s.type %q; expected an @odata.type such as #microsoft.graph.windows10EndpointProtectionConfiguration", where, p.Type)
		}
		if err := c.required(p.Property, path, "property", where); err != nil {
			return err
		}
		if err := c.optionalScalar(p.Value, path+".value", where+".value"); err != nil {
			return err
		}
	}
	if in := l.Intent; in != nil {
		path, where := path+".intent", where+".intent"
		if err := c.required(in.DefinitionID, path, "definitionId", where); err != nil {
			return err
		}
		if err := c.optionalScalar(in.Value, path+".value", where+".value"); err != nil {
			return err
		}
	}
	return nil
}

// optionalScalar checks a value that may be left out, but not given as null.
func (c checker) optionalScalar(v *yamldoc.Value, path, where string) error {
	if v == nil && !c.lines.Has(path) {
		return nil
	}
	return c.scalar(v, path, where)
}

// scalar checks that a value is a string, number or boolean.
func (c checker) scalar(v *yamldoc.Value, path, where string) error {
	what := ""
	switch {
	case v == nil || v.V == nil:
		what = "empty"
	default:
		switch v.V.(type) {
		case []any:
			what = "a list"
		case map[string]any:
			what = "a mapping"
		}
	}
	if what != "" {
		return c.errorf(path, "%s is %s; expected a string, number or boolean", where, what)
	}
	return nil
}
