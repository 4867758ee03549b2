package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/yamldoc"
)

var (
	ruleIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	datePattern   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	guidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	domainPattern = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
)

// file is the config file as it is written; yamldoc checks its shape (known keys, kinds) and
// records each value's line, and the methods below check what the values mean.
type file struct {
	Tenant     string                   `yaml:"tenant" expect:"a tenant id (GUID) or a domain such as contoso.onmicrosoft.com"`
	Baselines  []string                 `yaml:"baselines"`
	BreakGlass *breakGlassFile          `yaml:"breakGlass"`
	Exceptions []exceptionFile          `yaml:"exceptions" expect:"a list of exceptions, each with rule, status, reason and expires" expectItem:"a mapping with keys rule, status, reason, expires and optionally entities"`
	Disable    []string                 `yaml:"disable"`
	Parameters map[string]yamldoc.Value `yaml:"parameters" expect:"a mapping of parameter names to values"`
	Policies   []string                 `yaml:"policies"`
	Gate       *gateFile                `yaml:"gate"`
}

type breakGlassFile struct {
	Users  []string `yaml:"users"`
	Groups []string `yaml:"groups"`
}

type exceptionFile struct {
	Rule     string   `yaml:"rule" expect:"a rule id <area>.<name> in lowercase, e.g. entra.admin_mfa"`
	Status   string   `yaml:"status" expect:"one of: risk_accepted, third_party, alternate_mitigation, planned"`
	Reason   string   `yaml:"reason" expect:"a sentence saying why the rule is excepted"`
	Expires  string   `yaml:"expires" expect:"a date as YYYY-MM-DD"`
	Entities []string `yaml:"entities"`
}

type gateFile struct {
	FailOn   string   `yaml:"failOn" expect:"one of: critical, high, medium, low, info, none"`
	MinScore *float64 `yaml:"minScore" expect:"a number from 0 to 100"`
}

// Parse parses a config file's contents. name is the file name used in messages; dir is the
// directory relative policy directories are resolved against ("" for the working directory).
// Errors are *Error values whose message is one line.
func Parse(name string, data []byte, dir string) (*Config, error) {
	var f file
	lines, err := yamldoc.Decode(data, &f, yamldoc.Options{
		File:   name,
		Name:   "the config",
		Expect: "a mapping with keys such as tenant, breakGlass, exceptions",
		Hint:   "(rule parameters go under parameters)",
	})
	if err != nil {
		return nil, err
	}
	cfg := Default()
	cfg.Path = name
	sum := sha256.Sum256(data)
	cfg.SHA256 = hex.EncodeToString(sum[:])
	if lines == nil {
		return cfg, nil
	}
	p := &parser{file: name, dir: dir, lines: lines}
	for _, step := range []func(*file, *Config) error{p.tenant, p.lists, p.exceptions, p.disable, p.parameters, p.gate} {
		if err := step(&f, cfg); err != nil {
			return nil, err
		}
	}
	cfg.lines = lines
	return cfg, nil
}

// parser checks the meaning of a decoded config file; every message names the value's line.
type parser struct {
	file  string
	dir   string
	lines yamldoc.Lines
}

func (p *parser) errorf(path string, format string, args ...any) error {
	return &Error{File: p.file, Line: p.lines[path], Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) tenant(f *file, cfg *Config) error {
	s := f.Tenant
	if s == "" {
		return nil
	}
	if !guidPattern.MatchString(s) && (!domainPattern.MatchString(s) || isNumber(s[strings.LastIndexByte(s, '.')+1:])) {
		return p.errorf("tenant", "tenant %s is not a tenant id or domain; expected a tenant id (GUID) or a domain such as contoso.onmicrosoft.com", quote(s))
	}
	cfg.Tenant = s
	return nil
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// lists copies the plain lists; yamldoc has refused empty items. Relative policy directories
// are resolved against the config file's directory.
func (p *parser) lists(f *file, cfg *Config) error {
	cfg.Baselines = f.Baselines
	if f.BreakGlass != nil {
		cfg.BreakGlass = BreakGlass{Users: f.BreakGlass.Users, Groups: f.BreakGlass.Groups}
	}
	for _, d := range f.Policies {
		if !filepath.IsAbs(d) {
			d = filepath.Join(p.dir, d)
		}
		cfg.Policies = append(cfg.Policies, filepath.Clean(d))
	}
	return nil
}

// disable reads the rule ids the org turns off. Whether each exists is checked against the rule
// catalog when the config is applied (org policies may define them).
func (p *parser) disable(f *file, cfg *Config) error {
	seen := map[string]bool{}
	for _, id := range f.Disable {
		if seen[id] {
			return p.errorf("disable", "disable lists %s twice; expected each rule id once", quote(id))
		}
		seen[id] = true
	}
	if p.lines.Has("disable") {
		cfg.Disable, cfg.DisableLine = f.Disable, p.lines["disable"]
	}
	return nil
}

func (p *parser) gate(f *file, cfg *Config) error {
	if f.Gate == nil {
		return nil
	}
	if s := f.Gate.FailOn; s != "" {
		levels := FailOnLevels()
		if !slices.Contains(levels, s) {
			return p.errorf("gate.failOn", "gate.failOn %s is not a severity%s; expected one of: %s", quote(s), didYouMean(s, levels), strings.Join(levels, ", "))
		}
		cfg.Gate.FailOn = s
	}
	if m := f.Gate.MinScore; m != nil {
		if *m < 0 || *m > 100 {
			return p.errorf("gate.minScore", "gate.minScore %s is out of range; expected a number from 0 to 100", strconv.FormatFloat(*m, 'g', -1, 64))
		}
		cfg.Gate.MinScore = m
	}
	return nil
}

func (p *parser) exceptions(f *file, cfg *Config) error {
	// seen maps rule+entity (or rule alone for whole-rule exceptions) to the line that
	// first excepted it, so a second exception for the same thing is caught.
	seen := map[string]int{}
	for i, ef := range f.Exceptions {
		e, err := p.exception(ef, fmt.Sprintf("exceptions[%d]", i))
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
				return &Error{File: p.file, Line: e.Line, Msg: fmt.Sprintf("duplicate exception for rule %s and %s (first at line %d); expected one exception per rule and entity", quote(e.Rule), x.what, first)}
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

func (p *parser) exception(f exceptionFile, where string) (Exception, error) {
	e := Exception{Rule: f.Rule, Reason: strings.TrimSpace(f.Reason), Entities: f.Entities, Line: p.lines[where]}
	if f.Rule != "" && !ruleIDPattern.MatchString(f.Rule) {
		return e, p.errorf(where+".rule", "%s.rule %s is not a rule id; expected a rule id <area>.<name> in lowercase, e.g. entra.admin_mfa", where, quote(f.Rule))
	}
	if f.Status != "" {
		names := statusNames()
		if !slices.Contains(names, f.Status) {
			return e, p.errorf(where+".status", "%s.status %s is not an exception status%s; expected one of: %s", where, quote(f.Status), didYouMean(f.Status, names), strings.Join(names, ", "))
		}
		e.Status = ExceptionStatus(f.Status)
	}
	if f.Expires != "" {
		d, err := time.ParseInLocation("2006-01-02", f.Expires, time.UTC)
		if !datePattern.MatchString(f.Expires) || err != nil {
			return e, p.errorf(where+".expires", "%s.expires %s is not a valid date; expected a date as YYYY-MM-DD", where, quote(f.Expires))
		}
		e.Expires = d
	}
	if f.Entities != nil && len(f.Entities) == 0 {
		return e, p.errorf(where+".entities", "%s.entities is an empty list; expected at least one entity id, or no entities key to except the whole rule", where)
	}
	switch {
	case e.Rule == "":
		return e, p.errorf(where, "%s has no rule; expected rule: <area>.<name>, e.g. entra.admin_mfa", where)
	case e.Status == "":
		return e, p.errorf(where, "%s has no status; expected status: one of %s", where, strings.Join(statusNames(), ", "))
	case e.Reason == "":
		return e, p.errorf(where, "%s has no reason; expected reason: a sentence saying why the rule is excepted", where)
	case e.Expires.IsZero():
		return e, p.errorf(where, "%s has no expiry date; expected expires: YYYY-MM-DD", where)
	}
	return e, nil
}

func statusNames() []string {
	var names []string
	for _, s := range ExceptionStatuses() {
		names = append(names, string(s))
	}
	return names
}

func (p *parser) parameters(f *file, cfg *Config) error {
	if _, ok := f.Parameters["breakGlass"]; ok {
		return p.errorf("parameters.breakGlass", "parameters.breakGlass is reserved; expected break-glass accounts under the top-level breakGlass key")
	}
	for k, v := range f.Parameters {
		cfg.Parameters[k] = v.V
	}
	return nil
}

// quote quotes s for a one-line message, shortening long values.
func quote(s string) string { return yamldoc.Quote(s) }
