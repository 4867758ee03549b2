package config

import (
	"github.com/m365posture/posture/internal/param"
	"github.com/m365posture/posture/internal/suggest"

	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func float(f float64) *float64 { return &f }

func TestLoadFull(t *testing.T) {
	got, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		// sha256sum testdata/full.yaml: the bytes, as read
		SHA256:    "0d5c56732e9eeaa2555cd1a4f36ad73d60a489d28980a91f30101b2cd4ded2b0",
		Path:      "testdata/full.yaml",
		Tenant:    "contoso.onmicrosoft.com",
		Baselines: []string{"azure-ad", "m365"},
		BreakGlass: BreakGlass{
			Users:  []string{"bg1@contoso.onmicrosoft.com", "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"},
			Groups: []string{"Emergency access", "3b2a1c0d-9e8f-4a7b-b6c5-d4e3f2a1b0c9"},
		},
		Exceptions: []Exception{
			{
				Rule:    "entra.global_admin_count",
				Status:  StatusRiskAccepted,
				Reason:  "Two Global Administrators are enough for our size; reviewed by the CISO.",
				Expires: date("2027-03-31"),
				Line:    26,
			},
			{
				Rule:     "conditionalaccess.block_legacy_auth",
				Status:   StatusThirdParty,
				Reason:   "The scanner appliance only speaks SMTP AUTH; replacement ordered.",
				Expires:  date("2026-12-31"),
				Entities: []string{"5c1d9a2e-7f3b-4e8a-9d6c-2b1a0f9e8d7c"},
				Line:     33,
			},
		},
		Parameters: map[string]any{
			"globalAdminMin":   2,
			"globalAdminMax":   4,
			"trustedCountries": []any{"NL", "BE"},
		},
		Policies: []string{filepath.Join("testdata", "org-policies")},
		Gate:     Gate{FailOn: "high", MinScore: float(60)},
	}
	if got.lines["exceptions[1].entities[0]"] != 39 {
		t.Errorf("lines[exceptions[1].entities[0]] = %d, want 39", got.lines["exceptions[1].entities[0]"])
	}
	got.lines = nil // compared above
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.MarshalIndent(got, "", "  ")
		wj, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("Load(full.yaml):\n got %s\nwant %s", gj, wj)
	}
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, c *Config)
	}{
		{"empty file", "", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c, &Config{Path: "posture.yaml", Parameters: map[string]any{},
				SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}) {
				t.Errorf("got %+v, want an empty config", c)
			}
		}},
		{"only comments", "# nothing yet\n\n", func(t *testing.T, c *Config) {
			if c.Tenant != "" || c.Exceptions != nil || len(c.Parameters) != 0 {
				t.Errorf("got %+v, want an empty config", c)
			}
		}},
		{"explicit document start and null", "---\n~\n", func(t *testing.T, c *Config) {
			if c.Tenant != "" || c.Exceptions != nil {
				t.Errorf("got %+v, want an empty config", c)
			}
		}},
		{"null sections are absent", "tenant:\nbreakGlass:\nexceptions:\nparameters:\ngate:\n", func(t *testing.T, c *Config) {
			if c.BreakGlass.Users != nil || c.Exceptions != nil || c.Parameters == nil || c.Gate.MinScore != nil {
				t.Errorf("got %+v, want empty sections", c)
			}
		}},
		{"tenant guid", "tenant: 72f988bf-86f1-41af-91ab-2d7cd011db47\n", func(t *testing.T, c *Config) {
			if c.Tenant != "72f988bf-86f1-41af-91ab-2d7cd011db47" {
				t.Errorf("Tenant = %q", c.Tenant)
			}
		}},
		{"quoted date and numeric group name", "breakGlass: {groups: [2024]}\nexceptions:\n- {rule: a.b, status: planned, reason: r, expires: \"2026-01-02\"}\n", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.BreakGlass.Groups, []string{"2024"}) || !c.Exceptions[0].Expires.Equal(date("2026-01-02")) {
				t.Errorf("got %+v", c)
			}
		}},
		{"minScore float and failOn none", "gate: {failOn: none, minScore: 72.5}\n", func(t *testing.T, c *Config) {
			if c.Gate.FailOn != "none" || c.Gate.MinScore == nil || *c.Gate.MinScore != 72.5 {
				t.Errorf("Gate = %+v", c.Gate)
			}
		}},
		{"same entity twice in one exception", "exceptions:\n- {rule: a.b, status: planned, reason: r, expires: 2026-01-02, entities: [x, X]}\n", func(t *testing.T, c *Config) {
			if len(c.Exceptions) != 1 {
				t.Errorf("got %d exceptions, want 1", len(c.Exceptions))
			}
		}},
		{"same entity in different rules", "exceptions:\n- {rule: a.b, status: planned, reason: r, expires: 2026-01-02, entities: [x]}\n- {rule: a.c, status: planned, reason: r, expires: 2026-01-02, entities: [x]}\n", func(t *testing.T, c *Config) {
			if len(c.Exceptions) != 2 {
				t.Errorf("got %d exceptions, want 2", len(c.Exceptions))
			}
		}},
		{"whole-rule and entity exceptions for one rule", "exceptions:\n- {rule: a.b, status: planned, reason: r, expires: 2026-01-02}\n- {rule: a.b, status: planned, reason: r, expires: 2026-01-02, entities: [x]}\n", func(t *testing.T, c *Config) {
			if len(c.Exceptions) != 2 {
				t.Errorf("got %d exceptions, want 2", len(c.Exceptions))
			}
		}},
		{"expired exception is kept", "exceptions:\n- {rule: a.b, status: planned, reason: r, expires: 2001-01-01}\n", func(t *testing.T, c *Config) {
			if len(c.Exceptions) != 1 || c.Exceptions[0].Line != 2 {
				t.Errorf("Exceptions = %+v", c.Exceptions)
			}
		}},
		{"aliases are followed", "breakGlass:\n  users: &bg [bg1@contoso.com]\nparameters:\n  admins: *bg\n", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.Parameters["admins"], []any{"bg1@contoso.com"}) {
				t.Errorf("Parameters = %#v", c.Parameters)
			}
		}},
		{"windows baseline overrides are an object", "parameters:\n  windowsBaseline:\n    smb_v1_client_disabled: {skip: handled by GPO}\n    password_length: {expected: {min: 12}}\n", func(t *testing.T, c *Config) {
			want := map[string]any{
				"smb_v1_client_disabled": map[string]any{"skip": "handled by GPO"},
				"password_length":        map[string]any{"expected": map[string]any{"min": 12}},
			}
			if !reflect.DeepEqual(c.Parameters["windowsBaseline"], want) {
				t.Errorf("Parameters = %#v", c.Parameters)
			}
		}},
		{"parameter scalar types", "parameters:\n  i: 3\n  f: 1.5\n  b: true\n  n: null\n  s: text\n  d: 2026-01-02\n  big: 18446744073709551615\n  neg: -9223372036854775808\n  e: {}\n  l: []\n", func(t *testing.T, c *Config) {
			want := map[string]any{
				"i": 3, "f": 1.5, "b": true, "n": nil, "s": "text", "d": "2026-01-02",
				"big": json.Number("18446744073709551615"), "neg": -9223372036854775808,
				"e": map[string]any{}, "l": []any{},
			}
			if !reflect.DeepEqual(c.Parameters, want) {
				t.Errorf("Parameters = %#v, want %#v", c.Parameters, want)
			}
		}},
		{"disabled rules", "tenant: x.com\ndisable: [entra.admin_mfa, org.x]\n", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.Disable, []string{"entra.admin_mfa", "org.x"}) || c.DisableLine != 2 {
				t.Errorf("Disable = %v at line %d", c.Disable, c.DisableLine)
			}
		}},
		{"UTF-8 byte order mark", "\ufefftenant: contoso.com\n", func(t *testing.T, c *Config) {
			if c.Tenant != "contoso.com" {
				t.Errorf("Tenant = %q", c.Tenant)
			}
		}},
		{"UTF-16 file", utf16le("tenant: contoso.com\n"), func(t *testing.T, c *Config) {
			if c.Tenant != "contoso.com" {
				t.Errorf("Tenant = %q", c.Tenant)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("posture.yaml", []byte(tt.input), "")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, c)
		})
	}
}

// utf16le encodes ASCII s as UTF-16LE with a byte order mark, as Windows PowerShell writes.
func utf16le(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return string(b)
}

func TestParseErrors(t *testing.T) {
	const exc = "exceptions:\n  - rule: entra.admin_mfa\n    status: planned\n    reason: r\n"
	tests := []struct {
		name  string
		input string
		want  string
	}{
		// disable
		{"disable not a list", "disable: entra.admin_mfa\n", `posture.yaml:1: disable is the string "entra.admin_mfa"; expected a list of strings, e.g. [entra.admin_mfa]`},
		{"disable twice", "disable: [a.b, a.b]\n", `posture.yaml:1: disable lists "a.b" twice; expected each rule id once`},
		// YAML syntax
		{"unclosed flow list", "tenant: x.com\nbaselines: [a\n", `posture.yaml:2: invalid YAML: did not find expected ',' or ']'`},
		{"bad indentation", "breakGlass:\n  users: [a]\n groups: [b]\n", `posture.yaml:3: invalid YAML: did not find expected key`},
		{"missing colon", "tenant: x.com\ngate\n", `posture.yaml:2: invalid YAML: could not find expected ':'`},
		{"mapping value on line 1", "tenant: a: b\n", `posture.yaml:1: invalid YAML: mapping values are not allowed in this context; expected valid YAML`},
		{"tab indentation", "gate:\n\tfailOn: high\n", `posture.yaml:2: invalid YAML: found character that cannot start any token; expected valid YAML`},
		{"control character", "tenant: x.com\nbaselines: [a\x01]\n", `posture.yaml:2: invalid YAML: control character U+0001 is not allowed; expected printable text`},
		{"invalid UTF-8", "tenant: x.com\n\ngate: {failOn: \xff}\n", `posture.yaml:3: invalid YAML: byte 0xff is not valid UTF-8; expected UTF-8 text`},
		{"unknown anchor", "tenant: x.com\nbaselines: *base\n", `posture.yaml:2: invalid YAML: alias *base refers to no anchor; expected valid YAML`},
		{"two documents", "tenant: x.com\n---\ntenant: y.com\n", `posture.yaml:2: a second YAML document starts here; expected one document per file`},
		{"root is a list", "- tenant: x.com\n", `posture.yaml:1: the config is a list; expected a mapping with keys such as tenant, breakGlass, exceptions`},
		{"root is a string", "tenant\n", `posture.yaml:1: the config is the string "tenant"; expected a mapping with keys such as tenant, breakGlass, exceptions`},

		// keys
		{"unknown top-level key", "tenat: x.com\n", `posture.yaml:1: unknown key "tenat"; did you mean "tenant"? (expected one of: tenant, baselines, breakGlass, exceptions, disable, parameters, policies, gate)`},
		{"key in wrong case", "\nbreakglass: {}\n", `posture.yaml:2: unknown key "breakglass"; did you mean "breakGlass"? (expected one of: tenant, baselines, breakGlass, exceptions, disable, parameters, policies, gate)`},
		{"nested key at top level", "failOn: high\n", `posture.yaml:1: unknown key "failOn"; did you mean "gate.failOn"? (expected one of: tenant, baselines, breakGlass, exceptions, disable, parameters, policies, gate)`},
		{"parameter at top level", "globalAdminMax: 4\n", `posture.yaml:1: unknown key "globalAdminMax"; expected one of: tenant, baselines, breakGlass, exceptions, disable, parameters, policies, gate (rule parameters go under parameters)`},
		{"unknown key in breakGlass", "breakGlass:\n  usres: [a]\n", `posture.yaml:2: unknown key "usres" in breakGlass; did you mean "users"? (expected one of: users, groups)`},
		{"unknown key in exception", exc + "    expires: 2027-01-01\n    entity: [x]\n", `posture.yaml:6: unknown key "entity" in exceptions[0]; did you mean "entities"? (expected one of: rule, status, reason, expires, entities)`},
		{"unknown key in gate", "gate:\n  fail_on: high\n", `posture.yaml:2: unknown key "fail_on" in gate; did you mean "failOn"? (expected one of: failOn, minScore)`},
		{"unrelated key in gate", "gate:\n  color: red\n", `posture.yaml:2: unknown key "color" in gate; expected one of: failOn, minScore`},
		{"duplicate top-level key", "tenant: x.com\ngate: {}\ntenant: y.com\n", `posture.yaml:3: duplicate key "tenant" (first at line 1); expected each key once`},
		{"duplicate parameter", "parameters:\n  a: 1\n  a: 2\n", `posture.yaml:3: duplicate key "a" in parameters (first at line 2); expected each key once`},
		{"unknown key with an anchor", "base: &b {failOn: high}\n", `posture.yaml:1: unknown key "base"; expected one of: tenant, baselines, breakGlass, exceptions, disable, parameters, policies, gate (rule parameters go under parameters)`},
		{"merge key in gate", "parameters: {x: &b {failOn: high}}\ngate:\n  <<: *b\n", `posture.yaml:3: merge key "<<" in gate is not supported; expected plain keys`},
		{"custom tag", "tenant: !env TENANT\n", `posture.yaml:1: tenant has the unsupported YAML tag "!env"; expected a plain value without a tag`},
		{"tag contradicts the value", "gate: !!str {failOn: high}\n", `posture.yaml:1: gate has the unsupported YAML tag "!!str"; expected a plain value without a tag`},
		{"complex key", "? [a, b]\n: c\n", `posture.yaml:1: a key is a list; expected a string key`},
		{"null key", "? \n: x\n", `posture.yaml:1: a key is empty; expected a string key`},
		{"unexpected end", "tenant: \"x.com\n", `posture.yaml:1: invalid YAML: found unexpected end of stream; expected valid YAML`},
		{"date key", "2026-01-01: x\n", `posture.yaml:1: key 2026-01-01 is a date; expected a string key (quote it: "2026-01-01")`},
		{"binary tag in parameters", "parameters:\n  blob: !!binary aGVsbG8=\n", `posture.yaml:2: parameters.blob has the unsupported YAML tag "!!binary"; expected a plain value without a tag`},

		// types
		{"tenant is a list", "tenant: [a.com]\n", `posture.yaml:1: tenant is a list; expected a tenant id (GUID) or a domain such as contoso.onmicrosoft.com`},
		{"tenant is not a domain", "tenant: contoso\n", `posture.yaml:1: tenant "contoso" is not a tenant id or domain; expected a tenant id (GUID) or a domain such as contoso.onmicrosoft.com`},
		{"baselines is a string", "baselines: azure-ad\n", `posture.yaml:1: baselines is the string "azure-ad"; expected a list of strings, e.g. [azure-ad]`},
		{"users is a comma string", "breakGlass:\n  users: a@x.com, b@x.com\n", `posture.yaml:2: breakGlass.users is the string "a@x.com, b@x.com"; expected a list of strings, e.g. [a@x.com, b@x.com]`},
		{"groups item is a mapping", "breakGlass:\n  groups:\n    - {id: x}\n", `posture.yaml:3: breakGlass.groups[0] is a mapping; expected a string`},
		{"empty list item", "policies: [a, \"\"]\n", `posture.yaml:1: policies[1] is empty; expected a non-empty string`},
		{"null list item", "baselines:\n  - azure-ad\n  -\n", `posture.yaml:3: baselines[1] is empty; expected a non-empty string`},
		{"breakGlass is a list", "breakGlass: [a]\n", `posture.yaml:1: breakGlass is a list; expected a mapping with keys users and groups`},
		{"gate is a string", "gate: high\n", `posture.yaml:1: gate is the string "high"; expected a mapping with keys failOn and minScore`},
		{"parameters is a list", "parameters: [a]\n", `posture.yaml:1: parameters is a list; expected a mapping of parameter names to values`},
		{"exceptions is a mapping", "exceptions:\n  rule: a.b\n", `posture.yaml:2: exceptions is a mapping; expected a list of exceptions, each with rule, status, reason and expires`},
		{"exception is a string", "exceptions:\n  - entra.admin_mfa\n", `posture.yaml:2: exceptions[0] is the string "entra.admin_mfa"; expected a mapping with keys rule, status, reason, expires and optionally entities`},

		// parameters
		{"parameter key is a number", "parameters:\n  1: x\n", `posture.yaml:2: key 1 in parameters is a number; expected a string key (quote it: "1")`},
		{"nested parameter key is a boolean", "parameters:\n  a:\n    b:\n      true: x\n", `posture.yaml:4: key true in parameters.a.b is a boolean; expected a string key (quote it: "true")`},
		{"parameter is infinite", "parameters:\n  a: [1, .inf]\n", `posture.yaml:2: parameters.a[1] ".inf" is not a finite number; expected a number JSON can carry`},
		{"parameter is NaN", "parameters:\n  a: .nan\n", `posture.yaml:2: parameters.a ".nan" is not a finite number; expected a number JSON can carry`},
		{"parameter bad explicit int", "parameters:\n  a: !!int x\n", `posture.yaml:2: parameters.a "x" is not an integer; expected a whole number`},
		{"parameter alias cycle", "parameters:\n  a: &a [*a]\n", `posture.yaml:2: parameters.a[0] is an alias to a value that contains it; expected a value without cycles`},
		{"parameters breakGlass reserved", "parameters:\n  x: 1\n  breakGlass: [a]\n", `posture.yaml:3: parameters.breakGlass is reserved; expected break-glass accounts under the top-level breakGlass key`},
		{"alias expansion bomb", bomb(), `posture.yaml:6: parameters.l4[7] expands to more than 100000 values through aliases; expected a smaller value`},

		// exceptions
		{"exception without rule", "exceptions:\n  - status: planned\n    reason: r\n    expires: 2027-01-01\n", `posture.yaml:2: exceptions[0] has no rule; expected rule: <area>.<name>, e.g. entra.admin_mfa`},
		{"exception bad rule id", "exceptions:\n  - rule: Entra.AdminMFA\n", `posture.yaml:2: exceptions[0].rule "Entra.AdminMFA" is not a rule id; expected a rule id <area>.<name> in lowercase, e.g. entra.admin_mfa`},
		{"exception rule without area", "exceptions:\n  - rule: admin_mfa\n", `posture.yaml:2: exceptions[0].rule "admin_mfa" is not a rule id; expected a rule id <area>.<name> in lowercase, e.g. entra.admin_mfa`},
		{"exception without status", "exceptions:\n  - rule: a.b\n    reason: r\n    expires: 2027-01-01\n", `posture.yaml:2: exceptions[0] has no status; expected status: one of risk_accepted, third_party, alternate_mitigation, planned`},
		{"exception bad status", "exceptions:\n  - rule: a.b\n    status: risk_acepted\n", `posture.yaml:3: exceptions[0].status "risk_acepted" is not an exception status (did you mean "risk_accepted"?); expected one of: risk_accepted, third_party, alternate_mitigation, planned`},
		{"exception without reason", "exceptions:\n  - rule: a.b\n    status: planned\n    expires: 2027-01-01\n", `posture.yaml:2: exceptions[0] has no reason; expected reason: a sentence saying why the rule is excepted`},
		{"exception blank reason", "exceptions:\n  - rule: a.b\n    status: planned\n    reason: \"  \"\n    expires: 2027-01-01\n", `posture.yaml:2: exceptions[0] has no reason; expected reason: a sentence saying why the rule is excepted`},
		{"exception without expires", exc, `posture.yaml:2: exceptions[0] has no expiry date; expected expires: YYYY-MM-DD`},
		{"exception short date", exc + "    expires: 2027-3-31\n", `posture.yaml:5: exceptions[0].expires "2027-3-31" is not a valid date; expected a date as YYYY-MM-DD`},
		{"exception impossible date", exc + "    expires: 2027-02-30\n", `posture.yaml:5: exceptions[0].expires "2027-02-30" is not a valid date; expected a date as YYYY-MM-DD`},
		{"exception timestamp", exc + "    expires: 2027-03-31T00:00:00Z\n", `posture.yaml:5: exceptions[0].expires "2027-03-31T00:00:00Z" is not a valid date; expected a date as YYYY-MM-DD`},
		{"exception expires is a list", exc + "    expires: [2027-03-31]\n", `posture.yaml:5: exceptions[0].expires is a list; expected a date as YYYY-MM-DD`},
		{"exception empty entities", exc + "    expires: 2027-03-31\n    entities: []\n", `posture.yaml:6: exceptions[0].entities is an empty list; expected at least one entity id, or no entities key to except the whole rule`},
		{"duplicate whole-rule exception", exc + "    expires: 2027-03-31\n" + "  - {rule: entra.admin_mfa, status: planned, reason: again, expires: 2028-01-01}\n", `posture.yaml:6: duplicate exception for rule "entra.admin_mfa" and the whole rule (first at line 2); expected one exception per rule and entity`},
		{"duplicate entity exception", exc + "    expires: 2027-03-31\n    entities: [a, B]\n" + "  - {rule: entra.admin_mfa, status: planned, reason: again, expires: 2028-01-01, entities: [c, b]}\n", `posture.yaml:7: duplicate exception for rule "entra.admin_mfa" and entity "b" (first at line 2); expected one exception per rule and entity`},

		{"duplicate through an alias", "exceptions:\n  - &e {rule: a.b, status: planned, reason: r, expires: 2027-01-01}\n  - *e\n", `posture.yaml:3: duplicate exception for rule "a.b" and the whole rule (first at line 2); expected one exception per rule and entity`},

		// gate
		{"gate bad failOn", "gate:\n  failOn: hgh\n", `posture.yaml:2: gate.failOn "hgh" is not a severity (did you mean "high"?); expected one of: critical, high, medium, low, info, none`},
		{"gate failOn wrong case", "gate:\n  failOn: High\n", `posture.yaml:2: gate.failOn "High" is not a severity (did you mean "high"?); expected one of: critical, high, medium, low, info, none`},
		{"gate minScore too high", "gate:\n  minScore: 101\n", `posture.yaml:2: gate.minScore 101 is out of range; expected a number from 0 to 100`},
		{"gate minScore negative", "gate:\n  minScore: -0.5\n", `posture.yaml:2: gate.minScore -0.5 is out of range; expected a number from 0 to 100`},
		{"gate minScore NaN", "gate:\n  minScore: .nan\n", `posture.yaml:2: gate.minScore .nan is not a finite number; expected a number from 0 to 100`},
		{"gate minScore infinite", "gate:\n  minScore: -.inf\n", `posture.yaml:2: gate.minScore -.inf is not a finite number; expected a number from 0 to 100`},
		{"gate minScore string", "gate:\n  minScore: \"60\"\n", `posture.yaml:2: gate.minScore is the string "60"; expected a number from 0 to 100`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("posture.yaml", []byte(tt.input), "")
			if err == nil {
				t.Fatalf("Parse succeeded with %+v; want error %q", c, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Errorf("error is %T, want *Error", err)
			}
		})
	}
}

// bomb is a "billion laughs" document: 10 levels of 10 aliases each.
func bomb() string {
	var b strings.Builder
	b.WriteString("parameters:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		prev := "*l" + string(rune('0'+i-1))
		b.WriteString("  l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [")
		b.WriteString(strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	return b.String()
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"no path", "", "load config: no path given; expected a config file path"},
		{"missing file", filepath.Join("testdata", "missing.yaml"), "load config: open " + filepath.Join("testdata", "missing.yaml") + ": no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Load(%q) error = %v, want %s", tt.path, err, tt.want)
			}
		})
	}
}

func TestLoadNamesFileInErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "posture.yaml")
	if err := os.WriteFile(path, []byte("tenant: x.com\ngate: {failOn: severe}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	want := path + `:2: gate.failOn "severe" is not a severity; expected one of: critical, high, medium, low, info, none`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestPolicyDirs(t *testing.T) {
	abs := filepath.Join(string(filepath.Separator), "srv", "rego")
	tests := []struct {
		name string
		dir  string
		want []string
	}{
		{"relative to config dir", filepath.Join("conf", "org"), []string{filepath.Join("conf", "org", "org-policies"), filepath.Join("conf", "shared"), abs}},
		{"no dir", "", []string{"org-policies", filepath.Join("..", "shared"), abs}},
	}
	input := "policies: [./org-policies, ../shared, " + abs + "]\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("posture.yaml", []byte(input), tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Policies, tt.want) {
				t.Errorf("Policies = %q, want %q", c.Policies, tt.want)
			}
		})
	}
}

func TestData(t *testing.T) {
	tests := []struct {
		name string
		cfg  *Config
		want map[string]any
	}{
		{"default", Default(), map[string]any{
			"breakGlass": map[string]any{"users": []any{}, "groups": []any{}},
		}},
		{"nil config", nil, map[string]any{
			"breakGlass": map[string]any{"users": []any{}, "groups": []any{}},
		}},
		{"parameters and break-glass", &Config{
			BreakGlass: BreakGlass{Users: []string{"bg1@contoso.com"}, Groups: []string{"Emergency access"}},
			Parameters: map[string]any{"globalAdminMax": 4, "countries": []any{"NL"}, "nested": map[string]any{"a": true}},
		}, map[string]any{
			"globalAdminMax": 4,
			"countries":      []any{"NL"},
			"nested":         map[string]any{"a": true},
			"breakGlass":     map[string]any{"users": []any{"bg1@contoso.com"}, "groups": []any{"Emergency access"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cfg.Data()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Data() = %#v, want %#v", got, tt.want)
			}
			if _, err := json.Marshal(got); err != nil {
				t.Errorf("Data() is not JSON-compatible: %v", err)
			}
		})
	}
}

func TestDataIsACopy(t *testing.T) {
	c, err := Parse("posture.yaml", []byte("parameters:\n  countries: [NL]\n  limits: {max: 4}\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	d := c.Data()
	d["countries"].([]any)[0] = "XX"
	d["limits"].(map[string]any)["max"] = 0
	if c.Parameters["countries"].([]any)[0] != "NL" || c.Parameters["limits"].(map[string]any)["max"] != 4 {
		t.Errorf("changing Data() changed Parameters: %#v", c.Parameters)
	}
}

func TestExceptionActive(t *testing.T) {
	e := Exception{Rule: "a.b", Expires: date("2027-03-31")}
	tests := []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2027, 3, 31, 23, 59, 59, 999999999, time.UTC), true},
		{time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 4, 2, 12, 0, 0, 0, time.UTC), false},
		// 2027-04-01 01:00 in Amsterdam (+02:00) is still March 31 in UTC.
		{time.Date(2027, 4, 1, 1, 0, 0, 0, time.FixedZone("CEST", 2*3600)), true},
	}
	for _, tt := range tests {
		if got := e.Active(tt.now); got != tt.want {
			t.Errorf("Active(%s) = %v, want %v", tt.now.Format(time.RFC3339Nano), got, tt.want)
		}
	}
}

func TestExpired(t *testing.T) {
	c := &Config{Exceptions: []Exception{
		{Rule: "a.old", Expires: date("2026-01-01")},
		{Rule: "a.new", Expires: date("2027-01-01")},
		{Rule: "a.older", Expires: date("2025-06-30")},
	}}
	var got []string
	for _, e := range c.Expired(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) {
		got = append(got, e.Rule)
	}
	if want := []string{"a.old", "a.older"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Expired = %q, want %q", got, want)
	}
}

func TestException(t *testing.T) {
	c, err := Parse("posture.yaml", []byte(`exceptions:
  - {rule: entra.admin_mfa, status: planned, reason: whole rule, expires: 2027-01-01}
  - {rule: entra.admin_mfa, status: third_party, reason: one user, expires: 2028-01-01, entities: [9F1C-USER, pol-1]}
  - {rule: entra.guest_access, status: risk_accepted, reason: expired, expires: 2025-01-01}
  - {rule: entra.ca_policy, status: alternate_mitigation, reason: entity only, expires: 2027-01-01, entities: [pol-2]}
`), "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	later := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		rule, id   string
		now        time.Time
		wantReason string // "" for no exception
	}{
		{"entity match wins over whole rule", "entra.admin_mfa", "pol-1", now, "one user"},
		{"entity match is case-insensitive", "entra.admin_mfa", "9f1c-user", now, "one user"},
		{"other entity gets whole-rule exception", "entra.admin_mfa", "someone-else", now, "whole rule"},
		{"no entity gets whole-rule exception", "entra.admin_mfa", "", now, "whole rule"},
		{"whole rule expired, entity still active", "entra.admin_mfa", "pol-1", later, "one user"},
		{"whole rule expired", "entra.admin_mfa", "someone-else", later, ""},
		{"expired exception does not apply", "entra.guest_access", "", now, ""},
		{"entity-only exception, other entity", "entra.ca_policy", "pol-3", now, ""},
		{"entity-only exception, no entity", "entra.ca_policy", "", now, ""},
		{"entity-only exception, matching entity", "entra.ca_policy", "pol-2", now, "entity only"},
		{"unknown rule", "entra.other", "pol-1", now, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := c.Exception(tt.rule, tt.id, tt.now)
			switch {
			case tt.wantReason == "" && e != nil:
				t.Errorf("Exception(%q, %q) = %+v, want nil", tt.rule, tt.id, e)
			case tt.wantReason != "" && (e == nil || e.Reason != tt.wantReason):
				t.Errorf("Exception(%q, %q) = %+v, want reason %q", tt.rule, tt.id, e, tt.wantReason)
			}
		})
	}
	if e := c.Exception("entra.admin_mfa", "", now); e != nil {
		e.Reason = "changed"
		if c.Exceptions[0].Reason != "whole rule" {
			t.Error("Exception() returned a pointer into the config")
		}
	}
	var nilConfig *Config
	if e := nilConfig.Exception("a.b", "", now); e != nil {
		t.Errorf("nil config Exception = %+v", e)
	}
}

func TestClosest(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"tenat", "tenant"},
		{"TENANT", "tenant"},
		{"break_glass", "breakGlass"},
		{"policy", "policies"},
		{"baseline", "baselines"},
		{"exception", "exceptions"},
		{"gates", "gate"},
		{"name", ""},
		{"x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := suggest.Closest(tt.in, []string{"tenant", "baselines", "breakGlass", "exceptions", "disable", "parameters", "policies", "gate"}); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckParameters(t *testing.T) {
	min1 := 1.0
	declared := map[string]param.Spec{
		"globalAdminMax":   {Name: "globalAdminMax", Type: param.Integer, Minimum: &min1},
		"trustedCountries": {Name: "trustedCountries", Type: param.Array, Items: param.String},
		"requireHardFail":  {Name: "requireHardFail", Type: param.Boolean},
		"windowsBaseline":  {Name: "windowsBaseline", Type: param.Object},
	}
	tests := []struct {
		name, yaml, want string // want "" for no error
	}{
		{"declared values", "parameters:\n  globalAdminMax: 4\n  trustedCountries: [NL]\n  requireHardFail: true\n  windowsBaseline: {smb: {skip: GPO}}\n", ""},
		{"null leaves the default", "parameters:\n  globalAdminMax:\n", ""},
		{"no parameters", "tenant: x.com\n", ""},
		{"misspelt name", "tenant: x.com\nparameters:\n  globalAdminMaxx: 4\n", "posture.yaml:3: parameters.globalAdminMaxx is not a parameter of any rule; did you mean \"globalAdminMax\"? (`posture rules` lists each rule's parameters)"},
		{"unrelated name", "parameters:\n  colour: red\n", "posture.yaml:2: parameters.colour is not a parameter of any rule; expected a parameter a rule declares (`posture rules` lists each rule's parameters)"},
		{"wrong type", "parameters:\n  globalAdminMax: four\n", `posture.yaml:2: parameters.globalAdminMax is the string "four"; expected an integer of at least 1`},
		{"quoted number", "parameters:\n  globalAdminMax: \"4\"\n", `posture.yaml:2: parameters.globalAdminMax is the string "4"; expected an integer of at least 1`},
		{"out of range", "parameters:\n  globalAdminMax: 0\n", "posture.yaml:2: parameters.globalAdminMax 0 is out of range; expected an integer of at least 1"},
		{"lone string for a list", "parameters:\n  trustedCountries: NL, BE\n", `posture.yaml:2: parameters.trustedCountries is the string "NL, BE"; expected a list of strings`},
		{"item of the wrong type names its line", "parameters:\n  trustedCountries:\n    - NL\n    - 32\n", "posture.yaml:4: parameters.trustedCountries[1] is the number 32; expected a string (put the value in quotes)"},
		{"boolean as text", "parameters:\n  requireHardFail: \"yes\"\n", `posture.yaml:2: parameters.requireHardFail is the string "yes"; expected true or false`},
		{"first problem in file order", "parameters:\n  zzz: 1\n  globalAdminMax: x\n", "posture.yaml:2: parameters.zzz is not a parameter of any rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("posture.yaml", []byte(tt.yaml), "")
			if err != nil {
				t.Fatal(err)
			}
			err = c.CheckParameters(declared)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckParameters = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
				t.Errorf("CheckParameters = %v\nwant %s", err, tt.want)
			}
		})
	}
	if err := Default().CheckParameters(declared); err != nil {
		t.Errorf("Default().CheckParameters = %v", err)
	}
}
