package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// example is a small valid snapshot in the shape of DESIGN.md.
const example = `{
  "schemaVersion": 1,
  "generator": {"name": "posture", "version": "0.1.0"},
  "collectedAt": "2026-11-22T10:00:00Z",
  "tenant": {"id": "11111111-2222-3333-4444-555555555555", "displayName": "Contoso", "defaultDomain": "contoso.onmicrosoft.com", "cloud": "global"},
  "sources": {
    "entra.users": {"status": "ok", "count": 2},
    "entra.groupMembers": {"status": "ok"},
    "entra.securityDefaults": {"status": "ok"},
    "entra.riskyUsers": {"status": "unlicensed", "message": "needs Entra ID P2"},
    "exchange.dns": {"status": "ok", "count": 1}
  },
  "entra": {
    "users": [
      {"id": "u1", "userPrincipalName": "adele@contoso.com", "accountEnabled": true, "userType": "Member", "onPremisesSyncEnabled": null, "assignedLicenses": [{"skuId": "s1"}]},
      {"id": "u2", "userPrincipalName": "guest@fabrikam.com", "accountEnabled": false, "userType": "Guest"}
    ],
    "groupMembers": {"0f0e0d0c-aaaa-bbbb-cccc-000000000001": ["u1", "u2"]},
    "securityDefaults": {"id": "00000000-0000-0000-0000-000000000000", "isEnabled": false},
    "futureKey": 42
  },
  "exchange": {"dns": {"contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com -all"], "dmarc": []}}},
  "intune": {},
  "secureScore": {"scores": [{"currentScore": 41.5, "maxScore": 100}]}
}
`

func TestParseValid(t *testing.T) {
	two := 2
	one := 1
	tests := []struct {
		name string
		in   string
		want *Snapshot
	}{
		{
			name: "minimal",
			in:   `{"schemaVersion": 1}`,
			want: &Snapshot{SchemaVersion: 1, Tenant: Tenant{Cloud: CloudGlobal}, Sources: map[string]Source{}},
		},
		{
			name: "integral float version, nulls for optional envelope fields",
			in:   `{"schemaVersion": 1.0, "generator": null, "collectedAt": null, "tenant": null, "sources": null, "entra": null}`,
			want: &Snapshot{SchemaVersion: 1, Tenant: Tenant{Cloud: CloudGlobal}, Sources: map[string]Source{}},
		},
		{
			name: "byte order mark",
			in:   utf8BOM + `{"schemaVersion": 1, "tenant": {"id": "t", "cloud": "usgov"}}`,
			want: &Snapshot{SchemaVersion: 1, Tenant: Tenant{ID: "t", Cloud: CloudUSGov}, Sources: map[string]Source{}},
		},
		{
			name: "tenant without cloud defaults to global",
			in:   `{"schemaVersion": 1, "tenant": {"displayName": "Contoso"}}`,
			want: &Snapshot{SchemaVersion: 1, Tenant: Tenant{DisplayName: "Contoso", Cloud: CloudGlobal}, Sources: map[string]Source{}},
		},
		{
			name: "null known keys are removed, unknown keys kept",
			in: `{"schemaVersion": 1, "sources": {"entra.users": {"status": "ok", "count": 1}},
			      "entra": {"users": null, "later": null},
			      "exchange": {"dns": {"contoso.com": {"spf": null, "dmarc": ["v=DMARC1; p=reject"], "mx": 1}}}}`,
			want: &Snapshot{
				SchemaVersion: 1,
				Tenant:        Tenant{Cloud: CloudGlobal},
				Sources:       map[string]Source{"entra.users": {Status: StatusOK, Count: &one}},
				Entra:         map[string]any{"later": nil},
				Exchange: map[string]any{"dns": map[string]any{"contoso.com": map[string]any{
					"dmarc": []any{"v=DMARC1; p=reject"}, "mx": json.Number("1"),
				}}},
			},
		},
		{
			name: "design example",
			in:   example,
			want: &Snapshot{
				SchemaVersion: 1,
				Generator:     Generator{Name: "posture", Version: "0.1.0"},
				CollectedAt:   time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
				Tenant: Tenant{ID: "11111111-2222-3333-4444-555555555555", DisplayName: "Contoso",
					DefaultDomain: "contoso.onmicrosoft.com", Cloud: "global"},
				Sources: map[string]Source{
					"entra.users":            {Status: StatusOK, Count: &two},
					"entra.groupMembers":     {Status: StatusOK},
					"entra.securityDefaults": {Status: StatusOK},
					"entra.riskyUsers":       {Status: StatusUnlicensed, Message: "needs Entra ID P2"},
					"exchange.dns":           {Status: StatusOK, Count: &one},
				},
				Entra: map[string]any{
					"users": []any{
						map[string]any{"id": "u1", "userPrincipalName": "adele@contoso.com", "accountEnabled": true,
							"userType": "Member", "onPremisesSyncEnabled": nil, "assignedLicenses": []any{map[string]any{"skuId": "s1"}}},
						map[string]any{"id": "u2", "userPrincipalName": "guest@fabrikam.com", "accountEnabled": false, "userType": "Guest"},
					},
					"groupMembers":     map[string]any{"0f0e0d0c-aaaa-bbbb-cccc-000000000001": []any{"u1", "u2"}},
					"securityDefaults": map[string]any{"id": "00000000-0000-0000-0000-000000000000", "isEnabled": false},
					"futureKey":        json.Number("42"),
				},
				Exchange: map[string]any{"dns": map[string]any{"contoso.com": map[string]any{
					"spf": []any{"v=spf1 include:spf.protection.outlook.com -all"}, "dmarc": []any{},
				}}},
				Intune:      map[string]any{},
				SecureScore: map[string]any{"scores": []any{map[string]any{"currentScore": json.Number("41.5"), "maxScore": json.Number("100")}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("snap.json", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !got.CollectedAt.Equal(tt.want.CollectedAt) {
				t.Errorf("CollectedAt = %v, want %v", got.CollectedAt, tt.want.CollectedAt)
			}
			got.CollectedAt, tt.want.CollectedAt = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const v1 = `"schemaVersion": 1, `
	tests := []struct {
		name string
		in   string
		want string
	}{
		// JSON syntax, placed by line and column.
		{"syntax", "{\n  \"schemaVersion\": 1,\n  \"entra\": x\n}", "weak.json:3:12: invalid character 'x' looking for beginning of value"},
		{"trailing comma", `{"schemaVersion": 1,}`, "weak.json:1:21: invalid character '}' looking for beginning of object key string"},
		{"syntax after multibyte characters", "{\"tenant\": {\"displayName\": \"Société\" \"x\"}}", "weak.json:1:38: invalid character '\"' after object key:value pair"},
		{"syntax after byte order mark", utf8BOM + "{\n x}", "weak.json:2:2: invalid character 'x' looking for beginning of object key string"},
		{"truncated", "{\n  \"schemaVersion\": 1,\n  \"entra\": {", "weak.json:3:13: unexpected end of input (truncated file?)"},
		{"truncated in a string", `{"schemaVersion": 1, "tenant": {"id": "abc`, "weak.json:1:43: unexpected end of input (truncated file?)"},
		{"truncated after newline", "{\"schemaVersion\": 1,\n", "weak.json:2:1: unexpected end of input (truncated file?)"},
		{"data after the object", "{\"schemaVersion\": 1}\n  {}", "weak.json:2:3: unexpected data after the snapshot object"},
		{"garbage after the object", "{\"schemaVersion\": 1}x", "weak.json:1:21: unexpected data after the snapshot object"},
		{"empty", "", "weak.json: empty file: expected a snapshot JSON object"},
		{"whitespace only", " \n\t", "weak.json: empty file: expected a snapshot JSON object"},
		{"utf-16", "\xff\xfe{\x00}\x00", "weak.json: file is UTF-16 encoded: expected UTF-8 JSON (save it as UTF-8)"},

		// Top level and schemaVersion.
		{"top level array", `[{"schemaVersion": 1}]`, "weak.json: $: expected a snapshot JSON object, got array"},
		{"top level null", `null`, "weak.json: $: expected a snapshot JSON object, got null"},
		{"missing schemaVersion", `{"tenant": {}}`, "weak.json: $: missing schemaVersion: expected 1"},
		{"schemaVersion string", `{"schemaVersion": "1"}`, `weak.json: $.schemaVersion: expected an integer, got string "1"`},
		{"schemaVersion null", `{"schemaVersion": null}`, `weak.json: $.schemaVersion: expected an integer, got null`},
		{"schemaVersion fraction", `{"schemaVersion": 1.5}`, `weak.json: $.schemaVersion: expected an integer, got 1.5`},
		{"schemaVersion newer", `{"schemaVersion": 2, "whatever": true}`, "weak.json: $.schemaVersion: schemaVersion 2 is not supported by this posture (supports 1); upgrade posture"},
		{"schemaVersion zero", `{"schemaVersion": 0}`, "weak.json: $.schemaVersion: schemaVersion 0 is not a valid version (supports 1)"},
		{"unknown top-level key, typo", `{` + v1 + `"entraa": {}}`, `weak.json: $.entraa: unknown key "entraa" (did you mean "entra"?)`},
		{"unknown top-level key, case", `{` + v1 + `"SecureScore": {}}`, `weak.json: $.SecureScore: unknown key "SecureScore" (did you mean "secureScore"?)`},
		{"unknown top-level key", `{` + v1 + `"zzz": 1, "aaa": 2}`, `weak.json: $.aaa: unknown key "aaa" (expected one of schemaVersion, generator, collectedAt, tenant, sources, entra, exchange, intune, secureScore)`},
		{"unknown top-level key with newline", `{` + v1 + `"a\nb": 1}`, `weak.json: $["a\nb"]: unknown key "a\nb" (expected one of schemaVersion, generator, collectedAt, tenant, sources, entra, exchange, intune, secureScore)`},

		// Envelope.
		{"generator not an object", `{` + v1 + `"generator": "posture"}`, `weak.json: $.generator: expected an object, got string "posture"`},
		{"generator name", `{` + v1 + `"generator": {"name": 1}}`, `weak.json: $.generator.name: expected a string, got 1`},
		{"generator unknown key", `{` + v1 + `"generator": {"nme": "posture"}}`, `weak.json: $.generator.nme: unknown key "nme" (did you mean "name"?)`},
		{"collectedAt not RFC 3339", `{` + v1 + `"collectedAt": "2026-11-22 10:00"}`, `weak.json: $.collectedAt: expected an RFC 3339 timestamp such as 2026-11-22T10:00:00Z, got string "2026-11-22 10:00"`},
		{"collectedAt number", `{` + v1 + `"collectedAt": 1763805600}`, `weak.json: $.collectedAt: expected an RFC 3339 timestamp such as 2026-11-22T10:00:00Z, got 1763805600`},
		{"tenant not an object", `{` + v1 + `"tenant": []}`, `weak.json: $.tenant: expected an object, got array`},
		{"tenant id", `{` + v1 + `"tenant": {"id": 5}}`, `weak.json: $.tenant.id: expected a string, got 5`},
		{"tenant displayName", `{` + v1 + `"tenant": {"displayName": true}}`, `weak.json: $.tenant.displayName: expected a string, got boolean`},
		{"tenant defaultDomain", `{` + v1 + `"tenant": {"defaultDomain": {}}}`, `weak.json: $.tenant.defaultDomain: expected a string, got object`},
		{"tenant cloud unknown", `{` + v1 + `"tenant": {"cloud": "public"}}`, `weak.json: $.tenant.cloud: expected one of global, usgov, usgovdod, china, got string "public"`},
		{"tenant cloud empty", `{` + v1 + `"tenant": {"cloud": ""}}`, `weak.json: $.tenant.cloud: expected one of global, usgov, usgovdod, china, got string ""`},
		{"tenant unknown key", `{` + v1 + `"tenant": {"tenantId": "x"}}`, `weak.json: $.tenant.tenantId: unknown key "tenantId" (expected one of id, displayName, defaultDomain, cloud)`},

		// Sources.
		{"sources not an object", `{` + v1 + `"sources": []}`, `weak.json: $.sources: expected an object, got array`},
		{"source key without section", `{` + v1 + `"sources": {"users": {"status": "ok"}}}`, `weak.json: $.sources.users: invalid source key: expected <section>.<key> with section one of entra, exchange, intune, secureScore`},
		{"source key unknown section", `{` + v1 + `"sources": {"entraa.users": {"status": "ok"}}}`, `weak.json: $.sources["entraa.users"]: invalid source key: expected <section>.<key> with section one of entra, exchange, intune, secureScore`},
		{"source key empty name", `{` + v1 + `"sources": {"entra.": {"status": "ok"}}}`, `weak.json: $.sources["entra."]: invalid source key: expected <section>.<key> with section one of entra, exchange, intune, secureScore`},
		{"source not an object", `{` + v1 + `"sources": {"entra.users": "ok"}}`, `weak.json: $.sources["entra.users"]: expected an object, got string "ok"`},
		{"source status missing", `{` + v1 + `"sources": {"entra.users": {"count": 3}}}`, `weak.json: $.sources["entra.users"]: missing status: expected one of ok, error, forbidden, unlicensed, skipped`},
		{"source status unknown", `{` + v1 + `"sources": {"entra.users": {"status": "OK"}}}`, `weak.json: $.sources["entra.users"].status: expected one of ok, error, forbidden, unlicensed, skipped, got string "OK"`},
		{"source status number", `{` + v1 + `"sources": {"entra.users": {"status": 1}}}`, `weak.json: $.sources["entra.users"].status: expected one of ok, error, forbidden, unlicensed, skipped, got 1`},
		{"source count negative", `{` + v1 + `"sources": {"entra.users": {"status": "ok", "count": -1}}}`, `weak.json: $.sources["entra.users"].count: expected a non-negative integer, got -1`},
		{"source count fraction", `{` + v1 + `"sources": {"entra.users": {"status": "ok", "count": 2.5}}}`, `weak.json: $.sources["entra.users"].count: expected a non-negative integer, got 2.5`},
		{"source count string", `{` + v1 + `"sources": {"entra.users": {"status": "ok", "count": "2"}}}`, `weak.json: $.sources["entra.users"].count: expected a non-negative integer, got string "2"`},
		{"source message", `{` + v1 + `"sources": {"entra.users": {"status": "error", "message": ["x"]}}}`, `weak.json: $.sources["entra.users"].message: expected a string, got array`},
		{"source unknown key", `{` + v1 + `"sources": {"entra.users": {"status": "ok", "cnt": 1}}}`, `weak.json: $.sources["entra.users"].cnt: unknown key "cnt" (expected one of status, count, message)`},
		{"first bad source in key order", `{` + v1 + `"sources": {"intune.x": {"status": "no"}, "exchange.y": {"status": "no"}}}`, `weak.json: $.sources["exchange.y"].status: expected one of ok, error, forbidden, unlicensed, skipped, got string "no"`},

		// Sections and known keys.
		{"section not an object", `{` + v1 + `"entra": []}`, `weak.json: $.entra: expected an object, got array`},
		{"array key is an object", `{` + v1 + `"entra": {"users": {}}}`, `weak.json: $.entra.users: expected an array, got object`},
		{"array element not an object", `{` + v1 + `"entra": {"users": [{}, "u2"]}}`, `weak.json: $.entra.users[1]: expected an object, got string "u2"`},
		{"array element null", `{` + v1 + `"entra": {"roleAssignments": [null]}}`, `weak.json: $.entra.roleAssignments[0]: expected an object, got null`},
		{"object key is an array", `{` + v1 + `"entra": {"organization": [{"id": "o"}]}}`, `weak.json: $.entra.organization: expected an object, got array`},
		{"object key is a boolean", `{` + v1 + `"entra": {"securityDefaults": true}}`, `weak.json: $.entra.securityDefaults: expected an object, got boolean`},
		{"groupMembers not an object", `{` + v1 + `"entra": {"groupMembers": []}}`, `weak.json: $.entra.groupMembers: expected an object, got array`},
		{"groupMembers value", `{` + v1 + `"entra": {"groupMembers": {"g-2": ["u"], "g-1": {"u": true}}}}`, `weak.json: $.entra.groupMembers["g-1"]: expected an array of strings, got object`},
		{"groupMembers element", `{` + v1 + `"entra": {"groupMembers": {"g1": ["u1", 2]}}}`, `weak.json: $.entra.groupMembers.g1[1]: expected a string, got 2`},
		{"groupMembers first bad group in key order", `{` + v1 + `"entra": {"groupMembers": {"b": [1], "a": [2], "c": [3]}}}`, `weak.json: $.entra.groupMembers.a[0]: expected a string, got 2`},
		{"exchange object key", `{` + v1 + `"exchange": {"organizationConfig": "x"}}`, `weak.json: $.exchange.organizationConfig: expected an object, got string "x"`},
		{"exchange array key", `{` + v1 + `"exchange": {"transportRules": {}}}`, `weak.json: $.exchange.transportRules: expected an array, got object`},
		{"dns not an object", `{` + v1 + `"exchange": {"dns": ["contoso.com"]}}`, `weak.json: $.exchange.dns: expected an object, got array`},
		{"dns domain not an object", `{` + v1 + `"exchange": {"dns": {"contoso.com": []}}}`, `weak.json: $.exchange.dns["contoso.com"]: expected an object, got array`},
		{"dns spf a string", `{` + v1 + `"exchange": {"dns": {"contoso.com": {"spf": "v=spf1 -all"}}}}`, `weak.json: $.exchange.dns["contoso.com"].spf: expected an array of strings, got string "v=spf1 -all"`},
		{"dns dmarc element", `{` + v1 + `"exchange": {"dns": {"contoso.com": {"dmarc": [1]}}}}`, `weak.json: $.exchange.dns["contoso.com"].dmarc[0]: expected a string, got 1`},
		{"intune array key", `{` + v1 + `"intune": {"managedDevices": "none"}}`, `weak.json: $.intune.managedDevices: expected an array, got string "none"`},
		{"secureScore array key", `{` + v1 + `"secureScore": {"scores": 41}}`, `weak.json: $.secureScore.scores: expected an array, got 41`},
		// Duplicate keys and strings that are not UTF-8, which encoding/json takes silently.
		{"duplicate top-level key", `{"schemaVersion": 1, "entra": {}, "entra": {"users": []}}`, `weak.json: $: duplicate key "entra": a key may appear once in an object`},
		{"duplicate key in an element", `{` + v1 + `"entra": {"users": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d", "displayName": "D", "id": "e"}]}}`, `weak.json: $.entra.users[3]: duplicate key "id": a key may appear once in an object`},
		{"duplicate key spelt with an escape", `{` + v1 + `"tenant": {"id": "a", "\u0069d": "b"}}`, `weak.json: $.tenant: duplicate key "id": a key may appear once in an object`},
		{"duplicate section key", `{` + v1 + `"intune": {"managedDevices": [], "managedDevices": []}}`, `weak.json: $.intune: duplicate key "managedDevices": a key may appear once in an object`},
		{"duplicate key deep inside", `{` + v1 + `"entra": {"conditionalAccessPolicies": [{"conditions": {"users": {"includeUsers": ["All"], "includeUsers": []}}}]}}`, `weak.json: $.entra.conditionalAccessPolicies[0].conditions.users: duplicate key "includeUsers": a key may appear once in an object`},
		{"the first of two problems", `{` + v1 + `"entra": {"users": [{"id": "a", "id": "b"}]}, "tenant": {"id": "x", "id": "y"}}`, `weak.json: $.entra.users[0]: duplicate key "id": a key may appear once in an object`},
		{"Latin-1 in a string", "{" + v1 + "\"tenant\": {\"displayName\": \"Soci\xe9t\xe9\"}}", `weak.json: $.tenant.displayName: string is not valid UTF-8 (byte 0xe9): expected UTF-8 text (save the file as UTF-8)`},
		{"Latin-1 in an element", "{" + v1 + "\"entra\": {\"users\": [{\"id\": \"a\"}, {\"displayName\": \"Ren\xe9e\"}]}}", `weak.json: $.entra.users[1].displayName: string is not valid UTF-8 (byte 0xe9): expected UTF-8 text (save the file as UTF-8)`},
		{"Latin-1 in an escaped string", "{" + v1 + "\"entra\": {\"users\": [{\"displayName\": \"\\\"Ren\xe9e\\\"\"}]}}", `weak.json: $.entra.users[0].displayName: string is not valid UTF-8 (byte 0xe9): expected UTF-8 text (save the file as UTF-8)`},
		{"not UTF-8 in a key", "{" + v1 + "\"entra\": {\"caf\xe9\": 1}}", `weak.json: $.entra: key "caf\xe9" is not valid UTF-8 (byte 0xe9): expected UTF-8 text (save the file as UTF-8)`},
		{"a surrogate written as UTF-8", "{" + v1 + "\"tenant\": {\"id\": \"\xed\xa0\x80\"}}", `weak.json: $.tenant.id: string is not valid UTF-8 (byte 0xed): expected UTF-8 text (save the file as UTF-8)`},
		{"a lone high surrogate", `{` + v1 + `"entra": {"users": [{"displayName": "\ud83d!"}]}}`, `weak.json: $.entra.users[0].displayName: string escapes half a UTF-16 surrogate pair (\ud83d): expected both halves or the character itself`},
		{"a lone low surrogate", `{` + v1 + `"tenant": {"displayName": "\uDE00"}}`, `weak.json: $.tenant.displayName: string escapes half a UTF-16 surrogate pair (\uDE00): expected both halves or the character itself`},
		{"a syntax error comes first", `{` + v1 + `"tenant": {"id": "a", "id": "b"}, x}`, `weak.json:1:56: invalid character 'x' looking for beginning of object key string`},
		{"long string shortened", `{` + v1 + `"entra": {"users": "` + strings.Repeat("é", 30) + `"}}`, `weak.json: $.entra.users: expected an array, got string "` + strings.Repeat("é", 20) + `..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("weak.json", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded (%+v), want error %q", s, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, want *Error", err, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err.Error())
			}
			if _, ref := referenceParse("weak.json", []byte(tt.in)); ref == nil || ref.Error() != err.Error() {
				t.Errorf("streaming and whole-document decoding disagree:\n got %v\n ref %v", err, ref)
			}
		})
	}
}

func TestParseTakesWhatIsNotAProblem(t *testing.T) {
	tests := []struct {
		name, in, path, want string
	}{
		{"U+FFFD itself", `{"schemaVersion": 1, "tenant": {"displayName": "\ufffd` + "\xef\xbf\xbd" + `"}}`, "tenant.displayName", "\ufffd\ufffd"},
		{"U+FFFD itself in an element", "{\"schemaVersion\": 1, \"entra\": {\"users\": [{\"displayName\": \"\xef\xbf\xbd\"}]}}", "users", "\ufffd"},
		{"an escaped surrogate pair", `{"schemaVersion": 1, "tenant": {"displayName": "\ud83d\ude00"}}`, "tenant.displayName", "\U0001F600"},
		{"an escaped backslash before u", `{"schemaVersion": 1, "tenant": {"displayName": "\\ud800"}}`, "tenant.displayName", `\ud800`},
		{"the same key in two objects", `{"schemaVersion": 1, "entra": {"users": [{"id": "a"}, {"id": "b"}]}}`, "users", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("snap.json", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			switch tt.path {
			case "tenant.displayName":
				if s.Tenant.DisplayName != tt.want {
					t.Errorf("displayName %q, want %q", s.Tenant.DisplayName, tt.want)
				}
			case "users":
				if n := len(s.Entra["users"].([]any)); n == 0 {
					t.Errorf("no users")
				}
			}
		})
	}
}

// TestParseAcrossChunks reads tokens longer than the decoder's buffer, byte by byte, so each
// crosses many ends of it.
func TestParseAcrossChunks(t *testing.T) {
	long := strings.Repeat("Ab\u00e9 ", 40_000) // 320 kB escaped, more than the 64 kB buffer
	doc := `{"schemaVersion": 1, "tenant": {"displayName": "` + long + `"}, "entra": {"users": [{"n": 123456789.125e-3, "s": "` + strings.Repeat("é", 70_000) + `"}]}}`
	for name, r := range map[string]io.Reader{"whole": strings.NewReader(doc), "byte by byte": iotest.OneByteReader(strings.NewReader(doc)), "half": iotest.HalfReader(strings.NewReader(doc))} {
		t.Run(name, func(t *testing.T) {
			s, err := parse("big.json", r, func() ([]byte, error) { return []byte(doc), nil }, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Repeat("Abé ", 40_000); s.Tenant.DisplayName != want {
				t.Errorf("displayName has %d bytes, want %d", len(s.Tenant.DisplayName), len(want))
			}
			u := s.Entra["users"].([]any)[0].(map[string]any)
			if u["n"] != json.Number("123456789.125e-3") || u["s"] != strings.Repeat("é", 70_000) {
				t.Errorf("user %v..., want the number and the string as written", fmt.Sprint(u)[:40])
			}
		})
	}
	// Cut anywhere, it is a truncated file, never anything else.
	for _, cut := range []int{1, 100, 70_000, 300_000, len(doc) - 1} {
		_, err := parse("big.json", iotest.HalfReader(strings.NewReader(doc[:cut])), func() ([]byte, error) { return []byte(doc[:cut]), nil }, nil)
		if err == nil || !strings.Contains(err.Error(), "unexpected end of input (truncated file?)") {
			t.Errorf("cut at %d: error %v, want a truncated file", cut, err)
		}
	}
}

// TestParseReadError passes a failing read through, not as bad JSON.
func TestParseReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := parse("x.json", io.MultiReader(strings.NewReader(`{"schemaVersion": 1, "tenant": {"id": "ab`), iotest.ErrReader(boom)), func() ([]byte, error) { return nil, boom }, nil)
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want it to wrap %v", err, boom)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{File: "a.json", Line: 3, Col: 7, Path: "$.x", Msg: "bad"}, "a.json:3:7: bad"},
		{Error{File: "a.json", Path: "$.entra.users", Msg: "bad"}, "a.json: $.entra.users: bad"},
		{Error{File: "a.json", Msg: "bad"}, "a.json: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestKnown(t *testing.T) {
	s, err := Parse("snap.json", []byte(`{"schemaVersion": 1,
	  "sources": {
	    "entra.users": {"status": "ok"},
	    "entra.groups": {"status": "ok"},
	    "entra.riskyUsers": {"status": "unlicensed"},
	    "entra.domains": {"status": "forbidden"},
	    "exchange.dns": {"status": "ok"},
	    "intune.managedDevices": {"status": "ok"},
	    "entra.roleAssignments": {"status": "ok"},
	    "entra.future": {"status": "ok"}
	  },
	  "entra": {"users": [], "riskyUsers": [], "domains": [{"id": "contoso.com"}], "roleAssignments": null, "future": 0, "organization": {}},
	  "exchange": {"dns": {}}}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  string
		want bool
	}{
		{"entra.users", true},                  // ok and present, even though empty
		{"exchange.dns", true},                 // ok and present
		{"entra.future", true},                 // keys this version does not know work too
		{"entra.groups", false},                // ok but absent from the section
		{"entra.riskyUsers", false},            // present but unlicensed
		{"entra.domains", false},               // present but forbidden
		{"entra.organization", false},          // present but no source entry
		{"intune.managedDevices", false},       // ok but the section is absent
		{"entra.roleAssignments", false},       // ok but null
		{"entra", false},                       // not a key
		{"secureScore.controlProfiles", false}, // nothing at all
	}
	for _, tt := range tests {
		if got := s.Known(tt.key); got != tt.want {
			t.Errorf("Known(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestKnownInMemoryNil(t *testing.T) {
	s := &Snapshot{
		Sources: map[string]Source{"entra.users": {Status: StatusOK}, "entra.groups": {Status: StatusOK}},
		Entra:   map[string]any{"users": nil, "groups": []any{}},
	}
	if s.Known("entra.users") {
		t.Error("Known(entra.users) = true for a nil value, want false")
	}
	if !s.Known("entra.groups") {
		t.Error("Known(entra.groups) = false, want true")
	}
}

func TestDocument(t *testing.T) {
	s, err := Parse("snap.json", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	doc := s.Document()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("marshal Document: %v", err)
	}
	// The document is the input rules see: compare it with the file itself,
	// decoded the same way, minus the null known key normalisation (none here).
	var want map[string]any
	dec := json.NewDecoder(strings.NewReader(example))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	dec = json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Document =\n%s\nwant the file's content", b)
	}
	if doc["schemaVersion"] != 1 {
		t.Errorf("schemaVersion = %#v, want int 1", doc["schemaVersion"])
	}

	minimal := (&Snapshot{}).Document()
	wantMinimal := map[string]any{
		"schemaVersion": 1,
		"tenant":        map[string]any{"id": "", "displayName": "", "defaultDomain": "", "cloud": "global"},
		"sources":       map[string]any{},
	}
	if !reflect.DeepEqual(minimal, wantMinimal) {
		t.Errorf("Document of an empty snapshot = %#v, want %#v", minimal, wantMinimal)
	}
}

func TestKeys(t *testing.T) {
	keys := Keys()
	seen := map[string]bool{}
	kinds := map[Kind]int{}
	for _, k := range keys {
		if !isSection(k.Section) || !isIdent(k.Name) {
			t.Errorf("key %v: bad section or name", k)
		}
		if seen[k.String()] {
			t.Errorf("key %v listed twice", k)
		}
		seen[k.String()] = true
		kinds[k.Kind]++
	}
	if len(keys) != 57 {
		t.Errorf("%d known keys, want the 50 of DESIGN.md plus exchange.roleAssignmentPolicies, exchange.externalInOutlook, intune.deviceManagementSettings, entra.roleAssignmentScheduleInstances, entra.roleManagementPolicyAssignments, entra.defaultAppManagementPolicy and entra.appManagementPolicies", len(keys))
	}
	want := map[Kind]int{KindObject: 12, KindArray: 43, KindStringArrays: 1, KindDNS: 1}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds = %v, want %v", kinds, want)
	}
	names := KnownKeys()
	if len(names) != len(keys) || names[3] != "entra.users" {
		t.Errorf("KnownKeys() = %v", names)
	}
	names[0] = "changed"
	if KnownKeys()[0] != "entra.organization" {
		t.Error("KnownKeys shares its slice with callers")
	}
}

// TestParseDepth holds the decoder to encoding/json's nesting limit, 10,000 levels.
func TestParseDepth(t *testing.T) {
	for _, levels := range []int{9_998, 9_999} { // inside the top object and intune: 10,000 and 10,001
		doc := `{"schemaVersion": 1, "intune": {"x": ` + strings.Repeat("[", levels) + strings.Repeat("]", levels) + `}}`
		_, err := Parse("deep.json", []byte(doc))
		_, ref := referenceParse("deep.json", []byte(doc))
		if fmt.Sprint(err) != fmt.Sprint(ref) {
			t.Errorf("%d levels: Parse error %v, encoding/json %v", levels+2, err, ref)
		}
		if (err != nil) != (levels+2 > 10_000) {
			t.Errorf("%d levels: error %v", levels+2, err)
		}
	}
}
