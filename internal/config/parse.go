package config

import (
	"github.com/m365posture/posture/internal/suggest"

	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// maxAliasedValues bounds the parameter values built by following aliases, because aliases
// can make a small file expand exponentially (a "billion laughs" document). Values written
// out literally are bounded by the file's size and do not count.
const maxAliasedValues = 100_000

var (
	topKeys        = []string{"tenant", "baselines", "breakGlass", "exceptions", "disable", "parameters", "policies", "gate"}
	breakGlassKeys = []string{"users", "groups"}
	exceptionKeys  = []string{"rule", "status", "reason", "expires", "entities"}
	gateKeys       = []string{"failOn", "minScore"}

	ruleIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	datePattern   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	guidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	domainPattern = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
)

// Parse parses a config file's contents. name is the file name used in messages; dir is the
// directory relative policy directories are resolved against ("" for the working directory).
// Errors are *Error values whose message is one line.
func Parse(name string, data []byte, dir string) (*Config, error) {
	p := &parser{file: name, dir: dir, budget: maxAliasedValues}
	root, err := p.document(data)
	if err != nil {
		return nil, err
	}
	cfg := Default()
	cfg.Path = name
	if root == nil {
		return cfg, nil
	}
	if err := p.config(root, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// parser walks the yaml.Node tree itself, rather than decoding into structs, so every
// message can name the line and unknown keys can be caught with a suggestion.
type parser struct {
	file   string
	dir    string
	budget int // parameter values still allowed to be built through aliases
	param  struct {
		path string // the top-level parameter being converted
		line int
	}
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// field is one key/value pair of a mapping.
type field struct {
	key string
	val *yaml.Node
}

func (p *parser) config(root *yaml.Node, cfg *Config) error {
	root, err := p.deref(root, "the config")
	if err != nil {
		return err
	}
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return p.errorf(root.Line, "the config is %s; expected a mapping with keys such as tenant, breakGlass, exceptions", describe(root))
	}
	fields, err := p.fields(root, "", topKeys)
	if err != nil {
		return err
	}
	for _, f := range fields {
		switch f.key {
		case "tenant":
			err = p.tenant(f.val, cfg)
		case "baselines":
			cfg.Baselines, err = p.stringList(f.val, "baselines")
		case "breakGlass":
			err = p.breakGlass(f.val, cfg)
		case "exceptions":
			err = p.exceptions(f.val, cfg)
		case "disable":
			err = p.disable(f.val, cfg)
		case "parameters":
			err = p.parameters(f.val, cfg)
		case "policies":
			err = p.policies(f.val, cfg)
		case "gate":
			err = p.gate(f.val, cfg)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) tenant(n *yaml.Node, cfg *Config) error {
	const want = "a tenant id (GUID) or a domain such as contoso.onmicrosoft.com"
	s, ok, err := p.scalarString(n, "tenant", want)
	if err != nil || !ok || s == "" {
		return err
	}
	if !guidPattern.MatchString(s) && (!domainPattern.MatchString(s) || isNumber(s[strings.LastIndexByte(s, '.')+1:])) {
		return p.errorf(n.Line, "tenant %s is not a tenant id or domain; expected %s", quote(s), want)
	}
	cfg.Tenant = s
	return nil
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

func (p *parser) breakGlass(n *yaml.Node, cfg *Config) error {
	m, err := p.mapping(n, "breakGlass", "a mapping with keys users and groups")
	if err != nil || m == nil {
		return err
	}
	fields, err := p.fields(m, "breakGlass", breakGlassKeys)
	if err != nil {
		return err
	}
	for _, f := range fields {
		switch f.key {
		case "users":
			cfg.BreakGlass.Users, err = p.stringList(f.val, "breakGlass.users")
		case "groups":
			cfg.BreakGlass.Groups, err = p.stringList(f.val, "breakGlass.groups")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) policies(n *yaml.Node, cfg *Config) error {
	dirs, err := p.stringList(n, "policies")
	if err != nil {
		return err
	}
	for _, d := range dirs {
		if !filepath.IsAbs(d) {
			d = filepath.Join(p.dir, d)
		}
		cfg.Policies = append(cfg.Policies, filepath.Clean(d))
	}
	return nil
}

// disable reads the rule ids the org turns off. Whether each exists is checked against the rule
// catalog when the config is applied (org policies may define them).
func (p *parser) disable(n *yaml.Node, cfg *Config) error {
	ids, err := p.stringList(n, "disable")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			return p.errorf(n.Line, "disable lists %s twice; expected each rule id once", quote(id))
		}
		seen[id] = true
	}
	cfg.Disable, cfg.DisableLine = ids, n.Line
	return nil
}

func (p *parser) gate(n *yaml.Node, cfg *Config) error {
	m, err := p.mapping(n, "gate", "a mapping with keys failOn and minScore")
	if err != nil || m == nil {
		return err
	}
	fields, err := p.fields(m, "gate", gateKeys)
	if err != nil {
		return err
	}
	for _, f := range fields {
		switch f.key {
		case "failOn":
			err = p.failOn(f.val, cfg)
		case "minScore":
			err = p.minScore(f.val, cfg)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) failOn(n *yaml.Node, cfg *Config) error {
	levels := FailOnLevels()
	want := "one of: " + strings.Join(levels, ", ")
	s, ok, err := p.scalarString(n, "gate.failOn", want)
	if err != nil || !ok {
		return err
	}
	if !slices.Contains(levels, s) {
		return p.errorf(n.Line, "gate.failOn %s is not a severity%s; expected %s", quote(s), didYouMean(s, levels), want)
	}
	cfg.Gate.FailOn = s
	return nil
}

func (p *parser) minScore(n *yaml.Node, cfg *Config) error {
	const want = "a number from 0 to 100"
	t, err := p.deref(n, "gate.minScore")
	if err != nil || isNull(t) {
		return err
	}
	if t.Kind != yaml.ScalarNode || (t.ShortTag() != "!!int" && t.ShortTag() != "!!float") {
		return p.errorf(n.Line, "gate.minScore is %s; expected %s", describe(t), want)
	}
	var f float64
	if err := t.Decode(&f); err != nil {
		return p.errorf(n.Line, "gate.minScore %s is not a number; expected %s", quote(t.Value), want)
	}
	if math.IsNaN(f) || f < 0 || f > 100 {
		return p.errorf(n.Line, "gate.minScore %s is out of range; expected %s", clip(t.Value), want)
	}
	cfg.Gate.MinScore = &f
	return nil
}

func (p *parser) exceptions(n *yaml.Node, cfg *Config) error {
	seq, err := p.sequence(n, "exceptions", "a list of exceptions, each with rule, status, reason and expires")
	if err != nil || seq == nil {
		return err
	}
	// seen maps rule+entity (or rule alone for whole-rule exceptions) to the line that
	// first excepted it, so a second exception for the same thing is caught.
	seen := map[string]int{}
	for i, item := range seq.Content {
		e, err := p.exception(item, fmt.Sprintf("exceptions[%d]", i))
		if err != nil {
			return err
		}
		targets := []excepted{{e.Rule, "the whole rule"}}
		if len(e.Entities) > 0 {
			targets = targets[:0]
			for _, id := range e.Entities {
				targets = append(targets, excepted{e.Rule + "\x00" + strings.ToLower(id), "entity " + quote(id)})
			}
		}
		// All are checked before any is recorded: the same id twice in one list is
		// redundant, not ambiguous.
		for _, x := range targets {
			if first, dup := seen[x.key]; dup {
				return p.errorf(e.Line, "duplicate exception for rule %s and %s (first at line %d); expected one exception per rule and entity", quote(e.Rule), x.what, first)
			}
		}
		for _, x := range targets {
			seen[x.key] = e.Line
		}
		cfg.Exceptions = append(cfg.Exceptions, e)
	}
	return nil
}

// excepted is what an exception covers: a rule, or one entity of it.
type excepted struct {
	key  string // rule, or rule NUL lowercased entity id
	what string // for messages
}

func (p *parser) exception(n *yaml.Node, where string) (Exception, error) {
	const want = "a mapping with keys rule, status, reason, expires and optionally entities"
	t, err := p.deref(n, where)
	if err != nil {
		return Exception{}, err
	}
	if t.Kind != yaml.MappingNode {
		return Exception{}, p.errorf(n.Line, "%s is %s; expected %s", where, describe(t), want)
	}
	fields, err := p.fields(t, where, exceptionKeys)
	if err != nil {
		return Exception{}, err
	}
	e := Exception{Line: t.Line}
	var hasExpires bool
	for _, f := range fields {
		path := where + "." + f.key
		switch f.key {
		case "rule":
			err = p.rule(f.val, path, &e)
		case "status":
			err = p.status(f.val, path, &e)
		case "reason":
			e.Reason, _, err = p.scalarString(f.val, path, "a sentence saying why the rule is excepted")
			e.Reason = strings.TrimSpace(e.Reason)
		case "expires":
			hasExpires, err = p.expires(f.val, path, &e)
		case "entities":
			err = p.entities(f.val, path, &e)
		}
		if err != nil {
			return Exception{}, err
		}
	}
	switch {
	case e.Rule == "":
		return e, p.errorf(e.Line, "%s has no rule; expected rule: <area>.<name>, e.g. entra.admin_mfa", where)
	case e.Status == "":
		return e, p.errorf(e.Line, "%s has no status; expected status: one of %s", where, statusList())
	case e.Reason == "":
		return e, p.errorf(e.Line, "%s has no reason; expected reason: a sentence saying why the rule is excepted", where)
	case !hasExpires:
		return e, p.errorf(e.Line, "%s has no expiry date; expected expires: YYYY-MM-DD", where)
	}
	return e, nil
}

func statusList() string {
	var names []string
	for _, s := range ExceptionStatuses() {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

func (p *parser) rule(n *yaml.Node, path string, e *Exception) error {
	const want = "a rule id <area>.<name> in lowercase, e.g. entra.admin_mfa"
	s, ok, err := p.scalarString(n, path, want)
	if err != nil || !ok || s == "" {
		return err
	}
	if !ruleIDPattern.MatchString(s) {
		return p.errorf(n.Line, "%s %s is not a rule id; expected %s", path, quote(s), want)
	}
	e.Rule = s
	return nil
}

func (p *parser) status(n *yaml.Node, path string, e *Exception) error {
	want := "one of: " + statusList()
	s, ok, err := p.scalarString(n, path, want)
	if err != nil || !ok || s == "" {
		return err
	}
	var names []string
	for _, st := range ExceptionStatuses() {
		names = append(names, string(st))
	}
	if !slices.Contains(names, s) {
		return p.errorf(n.Line, "%s %s is not an exception status%s; expected %s", path, quote(s), didYouMean(s, names), want)
	}
	e.Status = ExceptionStatus(s)
	return nil
}

func (p *parser) expires(n *yaml.Node, path string, e *Exception) (bool, error) {
	const want = "a date as YYYY-MM-DD"
	s, ok, err := p.scalarString(n, path, want)
	if err != nil || !ok || s == "" {
		return false, err
	}
	d, perr := time.ParseInLocation("2006-01-02", s, time.UTC)
	if !datePattern.MatchString(s) || perr != nil {
		return false, p.errorf(n.Line, "%s %s is not a valid date; expected %s", path, quote(s), want)
	}
	e.Expires = d
	return true, nil
}

func (p *parser) entities(n *yaml.Node, path string, e *Exception) error {
	ids, err := p.stringList(n, path)
	if err != nil {
		return err
	}
	if ids != nil && len(ids) == 0 {
		return p.errorf(n.Line, "%s is an empty list; expected at least one entity id, or no entities key to except the whole rule", path)
	}
	e.Entities = ids
	return nil
}

func (p *parser) parameters(n *yaml.Node, cfg *Config) error {
	m, err := p.mapping(n, "parameters", "a mapping of parameter names to values")
	if err != nil || m == nil {
		return err
	}
	v, err := p.value(m, "parameters", map[*yaml.Node]bool{}, false)
	if err != nil {
		return err
	}
	params := v.(map[string]any)
	if _, ok := params["breakGlass"]; ok {
		return p.errorf(keyLine(m, "breakGlass"), "parameters.breakGlass is reserved; expected break-glass accounts under the top-level breakGlass key")
	}
	cfg.Parameters = params
	return nil
}

// keyLine returns the line of key in mapping m, or m's own line.
func keyLine(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return m.Line
}

// value converts a parameter node to a JSON-compatible Go value. active holds the
// collections being converted, to refuse an alias to one of its own ancestors; aliased says
// n was reached through an alias, so it counts against the expansion budget.
func (p *parser) value(n *yaml.Node, path string, active map[*yaml.Node]bool, aliased bool) (any, error) {
	aliased = aliased || n.Kind == yaml.AliasNode
	if aliased {
		p.budget--
	}
	if p.budget < 0 {
		// The node at hand is deep inside some anchor; the parameter that uses it is
		// what the user can find and fix.
		return nil, p.errorf(p.param.line, "%s expands to more than %d values through aliases; expected a smaller value", p.param.path, maxAliasedValues)
	}
	t, err := p.deref(n, path)
	if err != nil {
		return nil, err
	}
	if active[t] {
		return nil, p.errorf(n.Line, "%s is an alias to a value that contains it; expected a value without cycles", path)
	}
	switch t.Kind {
	case yaml.MappingNode:
		active[t] = true
		defer delete(active, t)
		out := map[string]any{}
		lines := map[string]int{}
		for i := 0; i+1 < len(t.Content); i += 2 {
			k, err := p.key(t.Content[i], path)
			if err != nil {
				return nil, err
			}
			if first, dup := lines[k]; dup {
				return nil, p.errorf(t.Content[i].Line, "duplicate key %s in %s (first at line %d); expected each key once", quote(k), path, first)
			}
			lines[k] = t.Content[i].Line
			if path == "parameters" {
				p.param.path, p.param.line = path+"."+k, t.Content[i].Line
			}
			v, err := p.value(t.Content[i+1], path+"."+k, active, aliased)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	case yaml.SequenceNode:
		active[t] = true
		defer delete(active, t)
		out := make([]any, 0, len(t.Content))
		for i, item := range t.Content {
			v, err := p.value(item, fmt.Sprintf("%s[%d]", path, i), active, aliased)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	default:
		return p.scalarValue(t, path)
	}
}

// scalarValue converts a scalar to nil, bool, string, int, json.Number (integers beyond
// int64) or a finite float64.
func (p *parser) scalarValue(n *yaml.Node, path string) (any, error) {
	tag := n.ShortTag()
	switch tag {
	case "!!null":
		return nil, nil
	case "!!str", "!!timestamp":
		// A date stays the text the user wrote: JSON has no timestamp type.
		return n.Value, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, p.errorf(n.Line, "%s %s is not a boolean; expected true or false", path, quote(n.Value))
		}
		return b, nil
	case "!!int":
		var v any
		if err := n.Decode(&v); err == nil {
			switch v := v.(type) {
			case int:
				return v, nil
			case int64:
				return json.Number(strconv.FormatInt(v, 10)), nil
			case uint64:
				return json.Number(strconv.FormatUint(v, 10)), nil
			}
		}
		return nil, p.errorf(n.Line, "%s %s is not an integer; expected a whole number", path, quote(n.Value))
	default: // !!float, as deref admits no other scalar tag
		var f float64
		if err := n.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, p.errorf(n.Line, "%s %s is not a finite number; expected a number JSON can carry", path, quote(n.Value))
		}
		return f, nil
	}
}

// fields checks that every key of mapping m is a unique, known, plain string and returns
// the pairs in file order. where names the mapping in messages ("" at the top level).
func (p *parser) fields(m *yaml.Node, where string, known []string) ([]field, error) {
	var out []field
	lines := map[string]int{}
	in := ""
	if where != "" {
		in = " in " + where
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		k, err := p.key(kn, where)
		if err != nil {
			return nil, err
		}
		if first, dup := lines[k]; dup {
			return nil, p.errorf(kn.Line, "duplicate key %s%s (first at line %d); expected each key once", quote(k), in, first)
		}
		lines[k] = kn.Line
		if !slices.Contains(known, k) {
			return nil, p.errorf(kn.Line, "unknown key %s%s%s", quote(k), in, unknownKeyHint(k, where, known))
		}
		out = append(out, field{key: k, val: m.Content[i+1]})
	}
	return out, nil
}

// unknownKeyHint suggests the closest known key, or, at the top level, the section a
// nested key belongs in.
func unknownKeyHint(key, where string, known []string) string {
	expected := "expected one of: " + strings.Join(known, ", ")
	if s := suggest.Closest(key, known); s != "" {
		return fmt.Sprintf("; did you mean %s? (%s)", quote(s), expected)
	}
	if where == "" {
		for _, sec := range []struct {
			name string
			keys []string
		}{{"breakGlass", breakGlassKeys}, {"gate", gateKeys}} {
			if s := suggest.Closest(key, sec.keys); s != "" {
				return fmt.Sprintf("; did you mean %s? (%s)", quote(sec.name+"."+s), expected)
			}
		}
		return "; " + expected + " (rule parameters go under parameters)"
	}
	return "; " + expected
}

// key returns a mapping key's text; keys must be plain strings (JSON object keys).
func (p *parser) key(k *yaml.Node, where string) (string, error) {
	in := ""
	if where != "" {
		in = " in " + where
	}
	if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
		return "", p.errorf(k.Line, "merge key \"<<\"%s is not supported; expected plain keys", in)
	}
	t, err := p.deref(k, "a key"+in)
	if err != nil {
		return "", err
	}
	if t.Kind != yaml.ScalarNode {
		return "", p.errorf(k.Line, "a key%s is %s; expected a string key", in, describe(t))
	}
	if isNull(t) {
		return "", p.errorf(k.Line, "a key%s is empty; expected a string key", in)
	}
	if t.ShortTag() != "!!str" {
		return "", p.errorf(k.Line, "key %s%s is %s; expected a string key (quote it: %s)", clip(t.Value), in, kindName(t), strconv.Quote(t.Value))
	}
	return t.Value, nil
}

// deref follows an alias and refuses tags other than YAML's core ones, which could not be
// represented in JSON (or would silently mean something else).
func (p *parser) deref(n *yaml.Node, path string) (*yaml.Node, error) {
	t := n
	for i := 0; t.Kind == yaml.AliasNode; i++ {
		if t.Alias == nil || i > 8 {
			return nil, p.errorf(n.Line, "%s is an alias that does not resolve; expected an anchor defined earlier", path)
		}
		t = t.Alias
	}
	tag := t.ShortTag()
	ok := false
	switch t.Kind {
	case yaml.MappingNode:
		ok = tag == "!!map"
	case yaml.SequenceNode:
		ok = tag == "!!seq"
	case yaml.ScalarNode:
		switch tag {
		case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp":
			ok = true
		}
	}
	if !ok {
		return nil, p.errorf(t.Line, "%s has the unsupported YAML tag %s; expected a plain value without a tag", path, quote(t.Tag))
	}
	return t, nil
}

// mapping returns the mapping at n, nil when n is null (an absent section).
func (p *parser) mapping(n *yaml.Node, path, want string) (*yaml.Node, error) {
	t, err := p.deref(n, path)
	if err != nil || isNull(t) {
		return nil, err
	}
	if t.Kind != yaml.MappingNode {
		return nil, p.errorf(n.Line, "%s is %s; expected %s", path, describe(t), want)
	}
	return t, nil
}

// sequence returns the sequence at n, nil when n is null.
func (p *parser) sequence(n *yaml.Node, path, want string) (*yaml.Node, error) {
	t, err := p.deref(n, path)
	if err != nil || isNull(t) {
		return nil, err
	}
	if t.Kind != yaml.SequenceNode {
		return nil, p.errorf(n.Line, "%s is %s; expected %s", path, describe(t), want)
	}
	return t, nil
}

// stringList reads a list of non-empty strings; null gives nil, an empty list a non-nil empty
// slice. A lone string is refused: "users: a, b" would silently become one user "a, b".
func (p *parser) stringList(n *yaml.Node, path string) ([]string, error) {
	t, err := p.deref(n, path)
	if err != nil || isNull(t) {
		return nil, err
	}
	if t.Kind != yaml.SequenceNode {
		example := "[a, b]"
		if t.Kind == yaml.ScalarNode && len(t.Value) <= 60 && !strings.ContainsAny(t.Value, "[]{}\"'\n\r#") {
			example = "[" + t.Value + "]"
		}
		return nil, p.errorf(n.Line, "%s is %s; expected a list of strings, e.g. %s", path, describe(t), example)
	}
	out := make([]string, 0, len(t.Content))
	for i, item := range t.Content {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		s, ok, err := p.scalarString(item, ipath, "a string")
		if err != nil {
			return nil, err
		}
		if !ok || strings.TrimSpace(s) == "" {
			return nil, p.errorf(item.Line, "%s is empty; expected a non-empty string", ipath)
		}
		out = append(out, s)
	}
	return out, nil
}

// scalarString returns a scalar's text as written; ok is false for null. Numbers and
// booleans are accepted as their text: a group may well be called 2024.
func (p *parser) scalarString(n *yaml.Node, path, want string) (s string, ok bool, err error) {
	t, err := p.deref(n, path)
	if err != nil {
		return "", false, err
	}
	if isNull(t) {
		return "", false, nil
	}
	if t.Kind != yaml.ScalarNode {
		return "", false, p.errorf(n.Line, "%s is %s; expected %s", path, describe(t), want)
	}
	return t.Value, true, nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names what a node is, for "X is <describe>; expected Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!null":
		return "empty"
	case "!!str", "!!timestamp":
		return "the string " + quote(n.Value)
	case "!!int", "!!float":
		return "the number " + clip(n.Value)
	case "!!bool":
		return "the boolean " + clip(n.Value)
	default:
		return "the value " + quote(n.Value)
	}
}

// kindName names a scalar's type, for keys that must be strings.
func kindName(n *yaml.Node) string {
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "null"
	case "!!timestamp":
		return "a date"
	}
	return "a value"
}

// quote quotes s for a one-line message, shortening long values.
func quote(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		return strconv.Quote(string(r[:max])) + "..."
	}
	return strconv.Quote(s)
}

// clip keeps an unquoted value to one short line.
func clip(s string) string {
	q := quote(s)
	if q == `"`+s+`"` {
		return s
	}
	return q
}
