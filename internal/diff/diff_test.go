package diff

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/result"
	"github.com/m365posture/posture/internal/snapshot"
)

func resultOf(findings ...result.Finding) *result.Result {
	return &result.Result{
		SchemaVersion: result.SchemaVersion,
		Snapshot: result.SnapshotRef{SHA256: "ab", Tenant: result.Tenant{ID: "t1", DisplayName: "Contoso", DefaultDomain: "contoso.com"},
			CollectedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		Baselines: []string{"m365"},
		Findings:  findings,
	}
}

func TestCompareRegressions(t *testing.T) {
	oldSnap := snap(obj("users", arr(obj("id", "u1", "displayName", "A"))), nil, nil)
	newSnap := snap(obj("users", arr(obj("id", "u1", "displayName", "B"))), nil, nil)
	newSnap.Sources["exchange.transportRules"] = snapshot.Source{Status: snapshot.StatusForbidden}
	oldSnap.Sources["exchange.transportRules"] = snapshot.Source{Status: snapshot.StatusOK}
	oldSnap.Exchange = obj("transportRules", arr())
	score := func(achieved float64) *result.Score {
		return &result.Score{Estimate: result.Figure{Points: achieved, Max: 10, Percent: achieved * 10},
			Controls: []result.ControlScore{{ID: "C", Max: 10, Achieved: achieved, Rules: []string{"b"}}}}
	}
	oldRes := resultOf(finding("a", result.Fail, nil), finding("b", result.Fail, nil, user("u1")))
	newRes := resultOf(finding("a", result.Pass, nil), finding("b", result.Fail, nil, user("u1"), user("u2")))
	oldRes.Score, newRes.Score = score(6), score(4)

	tests := []struct {
		name        string
		old, new    *Input
		regressions []string
		notes       int
		objects     bool
	}{
		{
			name:        "two snapshots: rules, points and data",
			old:         &Input{File: "old.json", Result: oldRes, Snapshot: oldSnap},
			new:         &Input{File: "new.json", Result: newRes, Snapshot: newSnap},
			regressions: []string{"1 rule(s) regressed: b", "2 Secure Score point(s) lost", "data no longer collected: exchange.transportRules"},
			objects:     true,
		},
		{
			name:        "a result side: no objects, said in a note",
			old:         &Input{File: "old.json", Result: oldRes},
			new:         &Input{File: "new.json", Result: newRes, Snapshot: newSnap},
			regressions: []string{"1 rule(s) regressed: b", "2 Secure Score point(s) lost"},
			notes:       1,
		},
		{
			name:        "the other way round only rule a got worse",
			old:         &Input{File: "new.json", Result: newRes},
			new:         &Input{File: "old.json", Result: oldRes},
			regressions: []string{"1 rule(s) regressed: a"},
			notes:       1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Compare(tt.old, tt.new)
			if !reflect.DeepEqual(d.Regressions, tt.regressions) {
				t.Errorf("regressions %q; want %q", d.Regressions, tt.regressions)
			}
			if len(d.Notes) != tt.notes || d.ObjectsCompared != tt.objects {
				t.Errorf("notes %q, objects compared %v; want %d note(s), %v", d.Notes, d.ObjectsCompared, tt.notes, tt.objects)
			}
			if !tt.objects && (len(d.Objects) != 0 || len(d.Sources) != 0) {
				t.Errorf("objects %v, sources %v compared with a result side", d.Objects, d.Sources)
			}
			if tt.objects && d.Summary.ObjectsChanged != 1 {
				t.Errorf("summary %+v; want one object changed", d.Summary)
			}
		})
	}
}

func TestWrite(t *testing.T) {
	old := &Input{File: "old.json", Result: resultOf(finding("a", result.Pass, nil), finding("c", result.Fail, nil))}
	newRes := resultOf(finding("a", result.Fail, &result.Coverage{Covered: 1, Total: 3}, user("u1"), user("u2")), finding("c", result.Pass, nil))
	new := &Input{File: "new.json", Result: newRes}
	d := Compare(old, new)

	var j1, j2 bytes.Buffer
	if err := d.Write(&j1, "json"); err != nil {
		t.Fatal(err)
	}
	if err := Compare(old, new).Write(&j2, "json"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(j1.Bytes(), j2.Bytes()) {
		t.Error("the same inputs rendered different JSON")
	}
	var doc map[string]any
	if err := json.Unmarshal(j1.Bytes(), &doc); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	for _, k := range []string{"schemaVersion", "old", "new", "notes", "summary", "findings", "score", "objectsCompared", "sources", "objects", "regressions"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if s, _ := doc["sources"].([]any); s == nil {
		t.Error("JSON sources is null; want an empty list")
	}

	var text bytes.Buffer
	if err := d.Write(&text, "text"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"posture diff: old.json → new.json",
		"Contoso (contoso.com, t1)",
		"Findings: 1 regressed, 1 improved, 0 other",
		"Regressions: 1 rule(s) regressed: a",
		"Regressions (1)\n  [high] a: pass → fail, coverage — → 1/3\n      rule a\n      + user u1@contoso.com (u1): user u1 is exposed\n",
		"Improvements (1)\n  [high] c: fail → pass",
		"no score → no score (no score: neither old.json nor new.json has a Secure Score estimate)",
		"Note:    configuration objects and data sources are not compared: old.json and new.json are results",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "Configuration objects") {
		t.Error("text has a configuration objects section for two results")
	}
	if err := d.Write(&text, "yaml"); err == nil {
		t.Error("Write accepted the format yaml")
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, content string
		kind          string // "" for an error
		err           string
	}{
		{"snapshot.json", `{"schemaVersion":1,"tenant":{"id":"t1"},"sources":{}}`, KindSnapshot, ""},
		{"bom.json", "\xef\xbb\xbf" + `{"schemaVersion":1,"tenant":{"id":"t1"},"sources":{}}`, KindSnapshot, ""},
		{"result.json", `{"schemaVersion":1,"snapshot":{"tenant":{"id":"t1"}},"findings":[{"ruleId":"a","status":"pass","severity":"high"}]}`, KindResult, ""},
		{"neither.json", `{"schemaVersion":1,"rules":[]}`, "", "neither a posture snapshot (sources, tenant) nor a result (findings, snapshot)"},
		{"array.json", `[1,2]`, "", "got array"},
		{"broken.json", "{\n  \"tenant\": {,\n}", "", "broken.json:2:"},
		{"badresult.json", `{"schemaVersion":1,"snapshot":{},"findings":[{"ruleId":"a","status":"great","severity":"high"}]}`, "", `"great" is not a status`},
		{"badsnapshot.json", `{"schemaVersion":1,"tenant":{"id":"t1"},"sources":{"entra.users":{"status":"maybe"}}}`, "", "badsnapshot.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Read(write(tt.name, tt.content))
			if tt.kind != "" {
				if err != nil || in.Kind() != tt.kind {
					t.Fatalf("Read: %v; want a %s", err, tt.kind)
				}
				if tt.kind == KindSnapshot && in.Snapshot.SHA256 == "" {
					t.Error("snapshot without its SHA-256")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), tt.name) || strings.Contains(err.Error(), "\n") {
				t.Errorf("Read: %v; want one line naming %s and containing %q", err, tt.name, tt.err)
			}
		})
	}
	if _, err := Read(filepath.Join(dir, "missing.json")); err == nil || err.Error() != filepath.Join(dir, "missing.json")+": no such file or directory" {
		t.Errorf("missing file: %v", err)
	}
}

func TestSameTenant(t *testing.T) {
	a := &Input{File: "a.json", Result: resultOf()}
	b := &Input{File: "b.json", Snapshot: &snapshot.Snapshot{Tenant: snapshot.Tenant{ID: "T1"}}}
	if err := sameTenant(a, b); err != nil {
		t.Errorf("tenant ids differing in case: %v", err)
	}
	b.Snapshot.Tenant = snapshot.Tenant{ID: "t2", DefaultDomain: "fabrikam.com"}
	err := sameTenant(a, b)
	if err == nil || !strings.HasPrefix(err.Error(), "b.json: tenant t2 (fabrikam.com) is not a.json's tenant t1 (contoso.com)") {
		t.Errorf("two tenants: %v", err)
	}
}

// TestWriteObjectValues shows each changed property as old -> new under its object, and the
// properties one snapshot never collected once, in a note, never as changes.
func TestWriteObjectValues(t *testing.T) {
	long := strings.Repeat("x", 200)
	oldSnap := snap(obj("conditionalAccessPolicies", arr(obj("id", "p1", "displayName", "CA001", "state", "enabled", "conditions", obj("users", obj("excludeGroups", arr("g1"))))),
		"groups", arr(obj("id", "g1", "displayName", "Emergency access"), obj("id", "g2", "displayName", "Staff"))),
		obj("transportConfig", obj("Guid", "t1", "Name", "Transport Settings", "SmtpClientAuthenticationDisabled", true, "Note", "short")), nil)
	newSnap := snap(obj("conditionalAccessPolicies", arr(obj("id", "p1", "displayName", "CA001", "state", "enabledForReportingButNotEnforced", "conditions", obj("users", obj("excludeGroups", arr("g1", "g2"))))),
		"groups", arr(obj("id", "g1", "displayName", "Emergency access", "createdDateTime", "2023-05-02T09:10:00Z"), obj("id", "g2", "displayName", "Staff", "createdDateTime", "2024-05-02T10:00:00Z"))),
		obj("transportConfig", obj("Guid", "t1", "Name", "Transport Settings", "SmtpClientAuthenticationDisabled", false, "Note", long)), nil)
	d := Compare(&Input{File: "before.json", Result: resultOf(), Snapshot: oldSnap}, &Input{File: "after.json", Result: resultOf(), Snapshot: newSnap})
	var text bytes.Buffer
	if err := d.Write(&text, "text"); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{
		"Note:    1 property collected in one snapshot only is not compared: not in before.json: entra.groups.createdDateTime (2 objects)\n",
		"  entra.conditionalAccessPolicies\n    ~ CA001 (p1)\n        conditions.users.excludeGroups: [\"g1\"] -> [\"g1\",\"g2\"]\n        state: \"enabled\" -> \"enabledForReportingButNotEnforced\"\n",
		"    ~ Transport Settings (t1)\n        Note: \"short\" -> \"" + strings.Repeat("x", maxValue-1) + "…\n        SmtpClientAuthenticationDisabled: true -> false\n",
		"objects 0 added, 0 removed, 2 changed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "createdDateTime") != 1 || strings.Contains(out, "entra.groups\n") {
		t.Errorf("an uncollected property shows beyond its note:\n%s", out)
	}
	var j bytes.Buffer
	if err := d.Write(&j, "json"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Objects     []ObjectChange `json:"objects"`
		Uncollected []Uncollected  `json:"uncollected"`
	}
	if err := json.Unmarshal(j.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Objects) != 2 || doc.Objects[1].Changes[0].New != long || len(doc.Uncollected) != 1 || doc.Uncollected[0].Objects != 2 {
		t.Errorf("JSON objects %+v, uncollected %+v; want the whole values and one uncollected property of 2 objects", doc.Objects, doc.Uncollected)
	}
}

// TestUncollectedNote says once what each side lacks, and nothing when nothing is missing.
func TestUncollectedNote(t *testing.T) {
	tests := []struct {
		us   []Uncollected
		want string
	}{
		{nil, ""},
		{[]Uncollected{{Key: "entra.users", Property: "accountEnabled", MissingFrom: "new", Objects: 3}},
			"1 property collected in one snapshot only is not compared: not in b.json: entra.users.accountEnabled (3 objects)"},
		{[]Uncollected{
			{Key: "entra.groups", Property: "createdDateTime", MissingFrom: "old", Objects: 1},
			{Key: "entra.groups", Property: "mailNickname", MissingFrom: "old", Objects: 2},
			{Key: "exchange.transportConfig", Property: "MaxSendSize", MissingFrom: "new", Objects: 1},
		}, "3 properties collected in one snapshot only are not compared: not in a.json: entra.groups.createdDateTime (1 object), " +
			"entra.groups.mailNickname (2 objects); not in b.json: exchange.transportConfig.MaxSendSize (1 object)"},
	}
	for _, tt := range tests {
		if got := uncollectedNote(tt.us, "a.json", "b.json"); got != tt.want {
			t.Errorf("uncollectedNote(%+v) =\n%q\nwant\n%q", tt.us, got, tt.want)
		}
	}
}
