package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/m365posture/posture/baselines"
)

// validMeta is the METADATA of a valid org rule, one line per key; tests replace lines.
const validMeta = `# METADATA
# title: No guest admins
# description: Guests should hold no directory role.
# related_resources:
#   - ref: https://learn.microsoft.com/entra/identity/role-based-access-control/best-practices
#     description: Best practices
# custom:
#   id: org.meta_rule
#   severity: high
#   level: shall
#   requires: [entra.users]
#   secure_score: [AdminMFAV2]
#   frameworks:
#     cis_m365: ["1.1.1"]
#   remediation: Remove them.
#   parameters:
#     - name: guestLimit
#       type: integer
#       minimum: 0
#       description: How many guests may hold a role.
#       default: 0
`

// orgRule writes one org rule with the given METADATA to a temporary directory.
func orgRule(t *testing.T, meta string) string {
	t.Helper()
	dir := t.TempDir()
	src := meta + "package posture.rules.org.meta_rule\n\ndeny contains {\"msg\": \"x\", \"entity\": {}} if false\n"
	if err := os.WriteFile(filepath.Join(dir, "rule.rego"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestMetadata(t *testing.T) {
	swap := func(old, new string) string {
		if !strings.Contains(validMeta, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(validMeta, old, new, 1)
	}
	tests := []struct {
		name, meta string
		want       string // "" for a valid rule; else the error after the file name
	}{
		{"valid", validMeta, ""},
		// unknown keys, at their line, with a suggestion
		{"misspelt secure_score", swap("#   secure_score:", "#   secure_scor:"), `:12: rule METADATA: unknown key "secure_scor" in custom; did you mean "secure_score"?`},
		{"misspelt frameworks", swap("#   frameworks:", "#   framworks:"), `:13: rule METADATA: unknown key "framworks" in custom; did you mean "frameworks"?`},
		{"misspelt top-level key", swap("# description:", "# descripton:"), `:3: rule METADATA: unknown key "descripton"; did you mean "description"?`},
		{"custom key at the top level", swap("# title: No guest admins", "# title: No guest admins\n# severity: high"), `:3: rule METADATA: unknown key "severity"; did you mean "custom.severity"?`},
		{"misspelt parameter key", swap("#       minimum: 0", "#       minimun: 0"), `:19: rule METADATA: unknown key "minimun" in custom.parameters[0]; did you mean "minimum"?`},
		{"misspelt reference key", swap("#     description: Best practices", "#     desc: Best practices"), `:6: rule METADATA: unknown key "desc" in related_resources[0]`},
		// values of the wrong kind
		{"severity is a list", swap("#   severity: high", "#   severity: [high]"), `:9: rule METADATA: custom.severity is a list; expected one of: critical, high, medium, low, info`},
		{"requires is a string", swap("#   requires: [entra.users]", "#   requires: entra.users"), `:11: rule METADATA: custom.requires is the string "entra.users"; expected a list of strings, e.g. [entra.users]`},
		{"frameworks is a list", swap("#   frameworks:\n#     cis_m365: [\"1.1.1\"]", "#   frameworks: [cis_m365]"), `:13: rule METADATA: custom.frameworks is a list; expected a mapping of framework to control ids`},
		{"parameters is a mapping", swap("#   parameters:\n#     - name", "#   parameters:\n#     x:\n#       name"), `:17: rule METADATA: custom.parameters is a mapping; expected a list`},
		{"empty requires item", swap("#   requires: [entra.users]", "#   requires: [entra.users, \"\"]"), `:11: rule METADATA: custom.requires[1] is empty; expected a non-empty string`},
		// values that mean nothing
		{"unknown severity", swap("#   severity: high", "#   severity: severe"), `:9: rule METADATA: custom.severity "severe"; expected critical, high, medium, low or info`},
		{"misspelt level", swap("#   level: shall", "#   level: shal"), `:10: rule METADATA: custom.level "shal" (did you mean "shall"?); expected shall or should`},
		{"unknown snapshot key", swap("#   requires: [entra.users]", "#   requires: [entra.user]"), `:11: rule METADATA: custom.requires: "entra.user" is not a snapshot key (did you mean "entra.users"?)`},
		{"misspelt framework", swap("#     cis_m365:", "#     cis_m356:"), `:14: rule METADATA: custom.frameworks: framework "cis_m356" (did you mean "cis_m365"?)`},
		{"a framework of the org's own", swap("#     cis_m365:", "#     cis_m365_v4:"), ""},
		{"no title", swap("# title: No guest admins\n", ""), `:1: rule METADATA: no title`},
		{"no remediation", swap("#   remediation: Remove them.\n", ""), `:8: rule METADATA: no custom.remediation`},
		// parameters
		{"parameter without a type", swap("#       type: integer\n", ""), `:17: rule METADATA: custom.parameters[0]: parameter guestLimit: no type`},
		{"misspelt parameter type", swap("#       type: integer", "#       type: interger"), `:17: rule METADATA: custom.parameters[0]: parameter guestLimit: type "interger" is not a parameter type (did you mean "integer"?)`},
		{"default of the wrong type", swap("#       default: 0", "#       default: none"), `:17: rule METADATA: custom.parameters[0]: parameter guestLimit: default is the string "none"; expected an integer of at least 0`},
		{"default out of range", swap("#       default: 0", "#       default: -1"), `:17: rule METADATA: custom.parameters[0]: parameter guestLimit: default -1 is out of range`},
		{"NaN bound", swap("#       minimum: 0", "#       minimum: .nan"), `:19: rule METADATA: custom.parameters[0].minimum .nan is not a finite number; expected a number`},
		{"parameter declared unlike a built-in rule", swap("guestLimit", "maxListedUsers"), `: rule org.meta_rule declares parameter maxListedUsers as integer, at least 0 with default 0, but rule`},
		// replacing built-in rules
		{"a built-in id without replaces", swap("#   id: org.meta_rule", "#   id: entra.admin_mfa"), `: rule entra.admin_mfa has the id of the built-in rule in policies/entra/admin_mfa/admin_mfa.rego; to replace that rule add ` + "`replaces: entra.admin_mfa`"},
		{"replaces a built-in", swap("#   id: org.meta_rule", "#   id: entra.admin_mfa\n#   replaces: entra.admin_mfa"), ""},
		{"replaces another id", swap("#   id: org.meta_rule", "#   id: org.meta_rule\n#   replaces: entra.admin_mfa"), `:9: rule METADATA: custom.replaces "entra.admin_mfa" names another rule`},
		{"replaces nothing", swap("#   id: org.meta_rule", "#   id: org.meta_rule\n#   replaces: org.meta_rule"), `: rule org.meta_rule says it replaces org.meta_rule, which is not a built-in rule`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := orgRule(t, tt.meta)
			_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New succeeded; want %s", tt.want)
			}
			want := filepath.Join(dir, "rule.rego") + tt.want
			if !strings.HasPrefix(err.Error(), want) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Errorf("error = %s\nwant one line starting %s", err, want)
			}
		})
	}
}

func TestReplacedRulesAreListed(t *testing.T) {
	eng, err := New(context.Background(), Options{PolicyDirs: []string{"testdata/replace"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Evaluate(context.Background(), doc(t, map[string]any{"roleAssignments": []any{}}, nil), nil, EvalOptions{Baselines: []string{"azure-ad"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "testdata/replace/global_admins.rego: rule entra.global_admin_count is the org's rule, which replaces the built-in rule (policies/entra/global_admin_count/global_admin_count.rego)"
	found := false
	for _, w := range res.Warnings {
		found = found || w == want
	}
	if !found {
		t.Errorf("warnings %q lack %q", res.Warnings, want)
	}
	for _, r := range eng.Rules() {
		if r.ID == "entra.global_admin_count" && (r.Builtin || r.Replaces != r.ID) {
			t.Errorf("catalog entry = builtin %t replaces %q; want the org rule", r.Builtin, r.Replaces)
		}
	}
}

// TestKnownFrameworksAreTheCatalogs holds the names METADATA's frameworks are checked against
// to the framework catalogs the result's framework view reads (baselines/frameworks): a catalog
// added or renamed without them would let a misspelt name through, or refuse a good one.
func TestKnownFrameworksAreTheCatalogs(t *testing.T) {
	fws, err := baselines.Frameworks()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, fw := range fws {
		ids = append(ids, fw.ID)
	}
	slices.Sort(ids)
	known := slices.Sorted(slices.Values(knownFrameworks))
	if !slices.Equal(ids, known) {
		t.Errorf("knownFrameworks = %v, the framework catalogs are %v", known, ids)
	}
}
