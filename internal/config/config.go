// Package config reads posture's organisation config file.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/param"
	"github.com/m365posture/posture/internal/suggest"
	"github.com/m365posture/posture/internal/yamldoc"
)

// Config is an organisation's posture config: which tenant it is for, its break-glass
// accounts, its exceptions to rules, parameters for rules, extra policy directories and the
// CI gate.
type Config struct {
	// Path is the file the config was read from ("" for Default).
	Path string
	// SHA256 is the SHA-256 of the file's bytes, in hex ("" for Default): the evidence of which
	// config judged a snapshot.
	SHA256 string
	// Tenant is a tenant id (GUID) or a domain, as written; "" when not set. Callers compare
	// it case-insensitively with the snapshot's tenant id and domains.
	Tenant string
	// Baselines are the default baselines to evaluate; nil when not set.
	Baselines []string
	// BreakGlass declares the emergency-access accounts rules must leave alone.
	BreakGlass BreakGlass
	// Exceptions are in file order, expired ones included (see Expired).
	Exceptions []Exception
	// Disable are rule ids the org turns off: they are not evaluated, and the result says so.
	Disable []string
	// DisableLine is the line of the disable key, for messages.
	DisableLine int
	// Parameters are the free-form rule parameters; never nil after Parse or Default.
	Parameters map[string]any
	// Policies are directories of org Rego, resolved against the config file's directory.
	Policies []string
	// Gate holds the CI gate defaults; zero values mean "not set".
	Gate Gate

	lines yamldoc.Lines // the line of every value in the file, for messages
}

// BreakGlass lists break-glass users (UPNs or object ids) and groups (object ids or display
// names).
type BreakGlass struct {
	Users  []string
	Groups []string
}

// ExceptionStatus says why a rule's failure is accepted.
type ExceptionStatus string

// The exception statuses a config may use.
const (
	StatusRiskAccepted        ExceptionStatus = "risk_accepted"
	StatusThirdParty          ExceptionStatus = "third_party"
	StatusAlternateMitigation ExceptionStatus = "alternate_mitigation"
	StatusPlanned             ExceptionStatus = "planned"
)

// ExceptionStatuses returns the valid exception statuses in documentation order.
func ExceptionStatuses() []ExceptionStatus {
	return []ExceptionStatus{StatusRiskAccepted, StatusThirdParty, StatusAlternateMitigation, StatusPlanned}
}

// FailOnLevels returns the values gate.failOn accepts, most severe first.
func FailOnLevels() []string {
	return []string{"critical", "high", "medium", "low", "info", "none"}
}

// Exception excepts a rule, or some of its violations, until a date.
type Exception struct {
	Rule   string
	Status ExceptionStatus
	Reason string
	// Expires is the last day the exception applies, as UTC midnight of that day.
	Expires time.Time
	// Entities limits the exception to violations of these entity ids; empty means the
	// whole rule.
	Entities []string
	// Line is the exception's line in the config file, for messages.
	Line int
}

// Gate holds the gate defaults from the config file; flags override them.
type Gate struct {
	// FailOn is one of FailOnLevels, or "" when not set.
	FailOn string
	// MinScore is 0..100, or nil when not set.
	MinScore *float64
}

// Error is a problem at a line of a config file. Its message is one line:
// "FILE:LINE: what is wrong; expected what".
type Error = yamldoc.Error

// Default returns the config used when no config file is given: no tenant pin, no
// break-glass accounts, no exceptions, no parameters.
func Default() *Config {
	return &Config{Parameters: map[string]any{}}
}

// Load reads and parses the config file at path. Relative policy directories are resolved
// against the file's directory. Callers without a config file use Default instead.
func Load(path string) (*Config, error) {
	if path == "" {
		return nil, errors.New("load config: no path given; expected a config file path")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load config: %w", err)
	}
	// Parse errors already name the file and line; a prefix would only repeat the path.
	return Parse(path, data, filepath.Dir(path))
}

// Data returns what rules see as data.posture.config: a deep copy of Parameters plus
// "breakGlass": {"users": [...], "groups": [...]}, always present. Values are JSON-compatible.
func (c *Config) Data() map[string]any {
	if c == nil {
		c = Default()
	}
	out := make(map[string]any, len(c.Parameters)+1)
	for k, v := range c.Parameters {
		out[k] = copyValue(v)
	}
	out["breakGlass"] = map[string]any{
		"users":  stringsToAny(c.BreakGlass.Users),
		"groups": stringsToAny(c.BreakGlass.Groups),
	}
	return out
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// copyValue deep-copies maps and slices so rules' data cannot alias the config.
func copyValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = copyValue(e)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, e := range v {
			s[i] = copyValue(e)
		}
		return s
	default:
		return v
	}
}

// Active reports whether the exception still applies at now: through the whole of its
// expiry day, in the location of Expires (UTC for parsed configs).
func (e Exception) Active(now time.Time) bool {
	return now.Before(e.Expires.AddDate(0, 0, 1))
}

// Expired returns the exceptions that no longer apply at now, in file order.
func (c *Config) Expired(now time.Time) []Exception {
	if c == nil {
		return nil
	}
	var out []Exception
	for _, e := range c.Exceptions {
		if !e.Active(now) {
			out = append(out, e)
		}
	}
	return out
}

// Exception returns the active exception for a violation of rule by entityID, or nil. An
// exception naming the entity wins over one for the whole rule; entity ids compare
// case-insensitively (object ids and UPNs are). An empty entityID matches only whole-rule
// exceptions. The result is a copy.
func (c *Config) Exception(rule, entityID string, now time.Time) *Exception {
	if c == nil {
		return nil
	}
	var whole *Exception
	for _, e := range c.Exceptions {
		if e.Rule != rule || !e.Active(now) {
			continue
		}
		if len(e.Entities) == 0 {
			if whole == nil {
				whole = &e
			}
			continue
		}
		if entityID != "" && slices.ContainsFunc(e.Entities, func(id string) bool { return strings.EqualFold(id, entityID) }) {
			return &e
		}
	}
	return whole
}

// CheckParameters checks the config's parameters against the parameters rules declare (by
// name): an unknown name, a value of the wrong type or out of range is an error naming the
// value's line. A null value leaves the parameter to its default. Parameters are checked in
// file order, so the first problem reported is the first in the file.
func (c *Config) CheckParameters(declared map[string]param.Spec) error {
	if c == nil {
		return nil
	}
	names := make([]string, 0, len(c.Parameters))
	for name := range c.Parameters {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		li, lj := c.lines["parameters."+names[i]], c.lines["parameters."+names[j]]
		return li < lj || (li == lj && names[i] < names[j])
	})
	known := make([]string, 0, len(declared))
	for name := range declared {
		known = append(known, name)
	}
	sort.Strings(known)
	for _, name := range names {
		path := "parameters." + name
		spec, ok := declared[name]
		if !ok {
			hint := "expected a parameter a rule declares (`posture rules` lists each rule's parameters)"
			if s := suggest.Closest(name, known); s != "" {
				hint = fmt.Sprintf("did you mean %s? (`posture rules` lists each rule's parameters)", quote(s))
			}
			return &Error{File: c.Path, Line: c.lines[path], Msg: fmt.Sprintf("%s is not a parameter of any rule; %s", path, hint)}
		}
		if p := spec.Validate(c.Parameters[name]); p != nil {
			at := path + p.Path
			line, ok := c.lines[at]
			if !ok {
				line = c.lines[path]
			}
			return &Error{File: c.Path, Line: line, Msg: at + " " + p.Msg}
		}
	}
	return nil
}
