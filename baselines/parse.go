package baselines

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/m365posture/posture/internal/suggest"
)

// The keys each mapping of a baseline file may hold.
var (
	baselineKeys = []string{"id", "title", "description", "source", "rules", "settings"}
	sourceKeys   = []string{"name", "version", "url"}
	entryKeys    = []string{"id", "level"}
	settingKeys  = []string{"id", "definitionId", "title", "area", "severity", "expected", "legacy"}
	expectedKeys = []string{"value", "values", "min", "max", "equals"}
	legacyKeys   = []string{"deviceConfiguration", "intent"}
	propertyKeys = []string{"type", "property", "value"}
	intentKeys   = []string{"definitionId", "value"}
)

// snakeCase is the form of setting ids and areas.
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Parse reads one baseline definition. file names the file in errors, which are one line:
// "file:line: what is wrong; what was expected". Unknown keys are rejected at every level.
func Parse(file string, data []byte) (Baseline, error) {
	p := parser{file: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Baseline{}, p.syntaxError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return Baseline{}, fmt.Errorf("%s: empty file; expected a baseline definition (id, title, rules)", file)
	}
	return p.baseline(doc.Content[0])
}

// parser turns a baseline file's YAML nodes into a Baseline, naming the line of each problem.
type parser struct{ file string }

func (p parser) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.file, line, fmt.Sprintf(format, args...))
}

// syntaxError makes yaml's "yaml: line N: msg" one line that starts with the file and line.
func (p parser) syntaxError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		_, rest, _ := strings.Cut(msg, ":")
		return p.errorf(line, "%s; expected YAML", strings.TrimSpace(rest))
	}
	return fmt.Errorf("%s: %s; expected YAML", p.file, oneLine(msg))
}

func (p parser) baseline(n *yaml.Node) (Baseline, error) {
	var b Baseline
	m, err := p.mapping(n, "the baseline", baselineKeys)
	if err != nil {
		return b, err
	}
	for _, k := range []struct {
		key string
		dst *string
	}{{"id", &b.ID}, {"title", &b.Title}, {"description", &b.Description}} {
		if *k.dst, err = p.optString(m, k.key, "the baseline"); err != nil {
			return b, err
		}
	}
	if b.ID == "" {
		return b, p.errorf(n.Line, "the baseline has no id; expected id: <baseline id>")
	}
	if b.Rules, err = p.rules(m["rules"]); err != nil {
		return b, err
	}
	if v := m["source"]; v != nil {
		if b.Source, err = p.source(v); err != nil {
			return b, err
		}
	}
	if b.Settings, err = p.settings(m["settings"]); err != nil {
		return b, err
	}
	return b, nil
}

func (p parser) rules(n *yaml.Node) ([]Entry, error) {
	items, err := p.sequence(n, "rules")
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(items))
	seen := map[string]int{}
	for i, item := range items {
		where := fmt.Sprintf("rules[%d]", i)
		m, err := p.mapping(item, where, entryKeys)
		if err != nil {
			return nil, err
		}
		var e Entry
		if e.ID, err = p.reqString(m, "id", where, item.Line); err != nil {
			return nil, err
		}
		if e.Level, err = p.reqString(m, "level", "rule "+e.ID, item.Line); err != nil {
			return nil, err
		}
		if e.Level != "shall" && e.Level != "should" {
			return nil, p.errorf(m["level"].Line, "rule %s: level %q; expected shall or should", e.ID, e.Level)
		}
		if first, dup := seen[e.ID]; dup {
			return nil, p.errorf(item.Line, "rule %s listed twice (first at line %d); expected each rule once", e.ID, first)
		}
		seen[e.ID] = item.Line
		out = append(out, e)
	}
	return out, nil
}

func (p parser) source(n *yaml.Node) (*Source, error) {
	m, err := p.mapping(n, "source", sourceKeys)
	if err != nil {
		return nil, err
	}
	var s Source
	if s.Name, err = p.reqString(m, "name", "source", n.Line); err != nil {
		return nil, err
	}
	if s.Version, err = p.optString(m, "version", "source"); err != nil {
		return nil, err
	}
	if s.URL, err = p.reqString(m, "url", "source", n.Line); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(s.URL, "https://") {
		return nil, p.errorf(m["url"].Line, "source.url %q; expected an https:// address", s.URL)
	}
	return &s, nil
}

// settings reads the expected settings; ids and definitionIds are unique.
func (p parser) settings(n *yaml.Node) ([]Setting, error) {
	if n == nil {
		return nil, nil
	}
	items, err := p.sequence(n, "settings")
	if err != nil {
		return nil, err
	}
	out := make([]Setting, 0, len(items))
	ids, defs := map[string]int{}, map[string]int{}
	for i, item := range items {
		s, err := p.setting(item, i)
		if err != nil {
			return nil, err
		}
		if first, dup := ids[s.ID]; dup {
			return nil, p.errorf(item.Line, "setting %s listed twice (first at line %d); expected unique setting ids", s.ID, first)
		}
		if first, dup := defs[strings.ToLower(s.DefinitionID)]; dup {
			return nil, p.errorf(item.Line, "setting %s: definitionId %s is also used at line %d; expected one setting per definitionId", s.ID, s.DefinitionID, first)
		}
		ids[s.ID], defs[strings.ToLower(s.DefinitionID)] = item.Line, item.Line
		out = append(out, s)
	}
	return out, nil
}

func (p parser) setting(n *yaml.Node, i int) (Setting, error) {
	var s Setting
	m, err := p.mapping(n, fmt.Sprintf("settings[%d]", i), settingKeys)
	if err != nil {
		return s, err
	}
	if s.ID, err = p.reqString(m, "id", fmt.Sprintf("settings[%d]", i), n.Line); err != nil {
		return s, err
	}
	where := "setting " + s.ID
	if !snakeCase.MatchString(s.ID) {
		return s, p.errorf(m["id"].Line, "%s: id; expected snake_case (lowercase letters, digits and _)", where)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"definitionId", &s.DefinitionID}, {"title", &s.Title}, {"area", &s.Area}, {"severity", &s.Severity}} {
		if *f.dst, err = p.reqString(m, f.key, where, n.Line); err != nil {
			return s, err
		}
	}
	if strings.ContainsAny(s.DefinitionID, " \t") {
		return s, p.errorf(m["definitionId"].Line, "%s: definitionId %q; expected a settings catalog setting definition id without spaces", where, s.DefinitionID)
	}
	if !snakeCase.MatchString(s.Area) {
		return s, p.errorf(m["area"].Line, "%s: area %q; expected snake_case, e.g. credential_guard", where, s.Area)
	}
	if !slices.Contains(Severities, s.Severity) {
		return s, p.errorf(m["severity"].Line, "%s: severity %q; expected %s", where, s.Severity, strings.Join(Severities, ", "))
	}
	if m["expected"] == nil {
		return s, p.errorf(n.Line, "%s has no expected; expected expected: {value|values|min|max|equals: ...}", where)
	}
	if s.Expected, err = p.expected(m["expected"], where); err != nil {
		return s, err
	}
	if v := m["legacy"]; v != nil {
		if s.Legacy, err = p.legacy(v, where); err != nil {
			return s, err
		}
	}
	return s, nil
}

// expected reads a setting's expected value: exactly one of value, values, min, max, equals.
func (p parser) expected(n *yaml.Node, where string) (Expected, error) {
	var e Expected
	where += ": expected"
	m, err := p.mapping(n, where, expectedKeys)
	if err != nil {
		return e, err
	}
	if len(m) != 1 {
		have := make([]string, 0, len(m))
		for _, k := range expectedKeys {
			if m[k] != nil {
				have = append(have, k)
			}
		}
		if len(have) == 0 {
			have = []string{"none"}
		}
		return e, p.errorf(n.Line, "%s has %s; expected exactly one of value, values, min, max, equals", where, strings.Join(have, " and "))
	}
	switch {
	case m["value"] != nil:
		e.Value, err = p.scalar(m["value"], where+".value")
	case m["equals"] != nil:
		e.Equals, err = p.scalar(m["equals"], where+".equals")
	case m["min"] != nil:
		e.Min, err = p.integer(m["min"], where+".min")
	case m["max"] != nil:
		e.Max, err = p.integer(m["max"], where+".max")
	default:
		e.Values, err = p.scalars(m["values"], where+".values")
	}
	return e, err
}

// legacy reads where a setting lives in older policy types: at least one of its two parts.
func (p parser) legacy(n *yaml.Node, where string) (*Legacy, error) {
	where += ": legacy"
	m, err := p.mapping(n, where, legacyKeys)
	if err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, p.errorf(n.Line, "%s is empty; expected deviceConfiguration, intent or both", where)
	}
	var l Legacy
	if v := m["deviceConfiguration"]; v != nil {
		if l.DeviceConfiguration, err = p.legacyProperty(v, where+".deviceConfiguration"); err != nil {
			return nil, err
		}
	}
	if v := m["intent"]; v != nil {
		if l.Intent, err = p.legacyIntent(v, where+".intent"); err != nil {
			return nil, err
		}
	}
	return &l, nil
}

func (p parser) legacyProperty(n *yaml.Node, where string) (*LegacyProperty, error) {
	m, err := p.mapping(n, where, propertyKeys)
	if err != nil {
		return nil, err
	}
	var lp LegacyProperty
	if lp.Type, err = p.reqString(m, "type", where, n.Line); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(lp.Type, "#microsoft.graph.") {
		return nil, p.errorf(m["type"].Line, "%s.type %q; expected an @odata.type such as #microsoft.graph.windows10EndpointProtectionConfiguration", where, lp.Type)
	}
	if lp.Property, err = p.reqString(m, "property", where, n.Line); err != nil {
		return nil, err
	}
	if lp.Value, err = p.optScalar(m, "value", where); err != nil {
		return nil, err
	}
	return &lp, nil
}

func (p parser) legacyIntent(n *yaml.Node, where string) (*LegacyIntent, error) {
	m, err := p.mapping(n, where, intentKeys)
	if err != nil {
		return nil, err
	}
	var li LegacyIntent
	if li.DefinitionID, err = p.reqString(m, "definitionId", where, n.Line); err != nil {
		return nil, err
	}
	if li.Value, err = p.optScalar(m, "value", where); err != nil {
		return nil, err
	}
	return &li, nil
}

// mapping checks that n is a mapping whose keys are known and unique, and returns its values
// by key.
func (p parser) mapping(n *yaml.Node, where string, known []string) (map[string]*yaml.Node, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n.Line, "%s is %s; expected a mapping with keys %s", where, describe(n), strings.Join(known, ", "))
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(known, k.Value) {
			hint := ""
			if s := suggest.Closest(k.Value, known); s != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", s)
			}
			return nil, p.errorf(k.Line, "unknown key %q in %s%s; expected one of: %s", k.Value, where, hint, strings.Join(known, ", "))
		}
		if first, dup := lines[k.Value]; dup {
			return nil, p.errorf(k.Line, "duplicate key %q in %s (first at line %d); expected each key once", k.Value, where, first)
		}
		lines[k.Value] = k.Line
		out[k.Value] = n.Content[i+1]
	}
	return out, nil
}

// sequence returns the items of a list; an absent or null list is empty.
func (p parser) sequence(n *yaml.Node, where string) ([]*yaml.Node, error) {
	if n == nil || n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n.Line, "%s is %s; expected a list", where, describe(n))
	}
	return n.Content, nil
}

// optString returns the string at key, "" when it is absent.
func (p parser) optString(m map[string]*yaml.Node, key, where string) (string, error) {
	n := m[key]
	if n == nil {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n.Line, "%s: %s is %s; expected a string", where, key, describe(n))
	}
	return n.Value, nil
}

// reqString returns the non-empty string at key; line is the owner's, for a missing key.
func (p parser) reqString(m map[string]*yaml.Node, key, where string, line int) (string, error) {
	s, err := p.optString(m, key, where)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(s) == "" {
		if m[key] != nil {
			line = m[key].Line
		}
		return "", p.errorf(line, "%s has no %s; expected %s: <non-empty string>", where, key, key)
	}
	return s, nil
}

// optScalar returns the scalar at key, nil when the key is absent; a null value is refused.
func (p parser) optScalar(m map[string]*yaml.Node, key, where string) (any, error) {
	if m[key] == nil {
		return nil, nil
	}
	return p.scalar(m[key], where+"."+key)
}

// scalar decodes a string, integer, number or boolean.
func (p parser) scalar(n *yaml.Node, where string) (any, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return nil, p.errorf(n.Line, "%s is %s; expected a string, number or boolean", where, describe(n))
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, p.errorf(n.Line, "%s: %v; expected a string, number or boolean", where, err)
	}
	return v, nil
}

// scalars decodes a non-empty list of scalars.
func (p parser) scalars(n *yaml.Node, where string) ([]any, error) {
	items, err := p.sequence(n, where)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, p.errorf(n.Line, "%s is empty; expected at least one value", where)
	}
	out := make([]any, 0, len(items))
	for i, item := range items {
		v, err := p.scalar(item, fmt.Sprintf("%s[%d]", where, i))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// integer decodes a whole number.
func (p parser) integer(n *yaml.Node, where string) (*int64, error) {
	var v int64
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return nil, p.errorf(n.Line, "%s is %s; expected an integer", where, describe(n))
	}
	if err := n.Decode(&v); err != nil {
		return nil, p.errorf(n.Line, "%s %s is out of range; expected an integer", where, n.Value)
	}
	return &v, nil
}

// describe names what a node is, for "is X; expected Y" messages.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Tag == "!!null":
		return "empty"
	}
	return fmt.Sprintf("%q", n.Value)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
