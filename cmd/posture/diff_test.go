package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/diff"
	"github.com/m365posture/posture/internal/snapshot"
)

const (
	caMFAAllUsers  = "c3000000-0002-4000-8000-000000000001" // CA001, hardened.json
	tomBaker       = "a1000000-0002-4000-8000-000000000004"
	allowedCountry = "f6000000-0002-4000-8000-000000000002"
)

// modifiedHardened saves a copy of hardened.json changed by modify and returns its path.
func modifiedHardened(t *testing.T, modify func(s *snapshot.Snapshot)) string {
	t.Helper()
	s := loadTestSnapshot(t, "hardened")
	modify(s)
	path := filepath.Join(t.TempDir(), "modified.json")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// entraObject returns the object with id in the entra array key.
func entraObject(t *testing.T, s *snapshot.Snapshot, key, id string) map[string]any {
	t.Helper()
	for _, o := range s.Entra[key].([]any) {
		if m := o.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("hardened.json has no %s %s", key, id)
	return nil
}

// weakened disables CA001, renames a user and deletes a named location: changes an admin
// makes, which the diff must report as rule regressions and object changes.
func weakened(t *testing.T) func(s *snapshot.Snapshot) {
	return func(s *snapshot.Snapshot) {
		ca := entraObject(t, s, "conditionalAccessPolicies", caMFAAllUsers)
		ca["state"] = "disabled"
		ca["modifiedDateTime"] = "2026-12-01T09:00:00Z"
		entraObject(t, s, "users", tomBaker)["displayName"] = "Thomas Baker"
		var kept []any
		for _, o := range s.Entra["namedLocations"].([]any) {
			if o.(map[string]any)["id"] != allowedCountry {
				kept = append(kept, o)
			}
		}
		s.Entra["namedLocations"] = kept
	}
}

func decodeDiff(t *testing.T, stdout string) diff.Diff {
	t.Helper()
	var d diff.Diff
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatalf("diff JSON: %v\n%s", err, stdout)
	}
	return d
}

func regressed(d diff.Diff) []string {
	var ids []string
	for _, f := range d.Findings {
		if f.Class == diff.Regression {
			ids = append(ids, f.RuleID)
		}
	}
	return ids
}

type objectKey struct{ key, id, change, props string }

func objectKeys(d diff.Diff) []objectKey {
	var out []objectKey
	for _, o := range d.Objects {
		out = append(out, objectKey{o.Key, o.ID, o.Change, strings.Join(o.Properties, ",")})
	}
	return out
}

func TestDiffSnapshots(t *testing.T) {
	hardened := testdataPath("snapshots", "hardened.json")
	config := testdataPath("configs", "hardened.yaml")
	tests := []struct {
		name          string
		modify        func(t *testing.T) func(s *snapshot.Snapshot)
		wantRegressed []string // among the regressed rules
		wantObjects   []objectKey
		wantSources   []string
		code          int // with --fail-on-regression
	}{
		{
			name: "properties that change by themselves are no change",
			modify: func(t *testing.T) func(s *snapshot.Snapshot) {
				return func(s *snapshot.Snapshot) {
					entraObject(t, s, "users", tomBaker)["signInActivity"] = map[string]any{"lastSignInDateTime": "2026-12-01T08:00:00Z"}
					entraObject(t, s, "conditionalAccessPolicies", caMFAAllUsers)["modifiedDateTime"] = "2026-12-01T09:00:00Z"
					for _, d := range s.Intune["managedDevices"].([]any) {
						d.(map[string]any)["lastSyncDateTime"] = "2026-12-01T07:00:00Z"
					}
				}
			},
			code: 0,
		},
		{
			name:          "a disabled policy, a renamed user and a deleted location",
			modify:        weakened,
			wantRegressed: []string{"conditionalaccess.mfa_all_users", "conditionalaccess.phishing_resistant_mfa_all_users"},
			wantObjects: []objectKey{
				{"entra.users", tomBaker, diff.ObjectChanged, "displayName"},
				{"entra.conditionalAccessPolicies", caMFAAllUsers, diff.ObjectChanged, "state"},
				{"entra.namedLocations", allowedCountry, diff.ObjectRemoved, ""},
			},
			code: 1,
		},
		{
			name: "users that can no longer be read",
			modify: func(t *testing.T) func(s *snapshot.Snapshot) {
				return func(s *snapshot.Snapshot) {
					delete(s.Entra, "users")
					s.Sources["entra.users"] = snapshot.Source{Status: snapshot.StatusForbidden, Message: "needs User.Read.All"}
				}
			},
			wantRegressed: []string{"conditionalaccess.mfa_all_users"},
			wantSources:   []string{"entra.users: ok → forbidden"},
			code:          1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			modified := modifiedHardened(t, tt.modify(t))
			stdout, stderr, code := runIn(t, nil, "diff", hardened, modified, "--config", config, "--format", "json")
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing (no --fail-on-regression)", code, stderr)
			}
			d := decodeDiff(t, stdout)
			if !d.ObjectsCompared || d.Old.Kind != diff.KindSnapshot || d.New.Kind != diff.KindSnapshot {
				t.Errorf("objects compared %v, kinds %s and %s; want two snapshots compared", d.ObjectsCompared, d.Old.Kind, d.New.Kind)
			}
			for _, id := range tt.wantRegressed {
				if !slices.Contains(regressed(d), id) {
					t.Errorf("regressed rules %v lack %s", regressed(d), id)
				}
			}
			if tt.wantRegressed == nil && len(d.Findings) != 0 {
				t.Errorf("finding changes %+v; want none", d.Findings)
			}
			if got := objectKeys(d); !slices.Equal(got, tt.wantObjects) {
				t.Errorf("objects %+v; want %+v", got, tt.wantObjects)
			}
			var sources []string
			for _, s := range d.Sources {
				sources = append(sources, s.Key+": "+s.Old+" → "+s.New)
			}
			if !slices.Equal(sources, tt.wantSources) {
				t.Errorf("sources %q; want %q", sources, tt.wantSources)
			}

			_, stderr, code = runIn(t, nil, "diff", hardened, modified, "--config", config, "--fail-on-regression")
			if code != tt.code {
				t.Errorf("--fail-on-regression: exit %d (stderr %q); want %d", code, stderr, tt.code)
			}
			if tt.code == 1 && (!strings.HasPrefix(stderr, "posture diff: regression: ") || strings.Count(stderr, "\n") != 1) {
				t.Errorf("--fail-on-regression stderr %q; want one line naming the regression", stderr)
			}
			// Going back undoes the damage: nothing regresses.
			_, stderr, code = runIn(t, nil, "diff", modified, hardened, "--config", config, "--fail-on-regression")
			if code != 0 {
				t.Errorf("reverse diff: exit %d, stderr %q; want 0", code, stderr)
			}
		})
	}
}

func TestDiffText(t *testing.T) {
	modified := modifiedHardened(t, weakened(t))
	stdout, stderr, code := runIn(t, nil, "diff", testdataPath("snapshots", "hardened.json"), modified, "--config", testdataPath("configs", "hardened.yaml"))
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"Tenant:  Tailspin Toys (tailspintoys.com, 7e000000-0002-4000-8000-000000000000)",
		"[high] conditionalaccess.mfa_all_users: ",
		"  entra.conditionalAccessPolicies\n    ~ CA001 Require phishing-resistant MFA for all users (" + caMFAAllUsers + ")\n        state: \"enabled\" -> \"disabled\"\n",
		"    ~ Thomas Baker (" + tomBaker + ")\n        displayName: \"Tom Baker\" -> \"Thomas Baker\"\n",
		"    - Allowed countries (" + allowedCountry + ")\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, stdout)
		}
	}
}

// Results carry findings and score but no configuration: a result side is diffed by
// findings alone, and says so.
func TestDiffResults(t *testing.T) {
	dir := t.TempDir()
	config := testdataPath("configs", "hardened.yaml")
	modified := modifiedHardened(t, weakened(t))
	oldRes, newRes := filepath.Join(dir, "old-result.json"), filepath.Join(dir, "new-result.json")
	for snap, out := range map[string]string{testdataPath("snapshots", "hardened.json"): oldRes, modified: newRes} {
		if _, stderr, code := runIn(t, nil, "check", "--snapshot", snap, "--config", config, "--format", "json", "--output", out, "--fail-on", "none"); code != 0 {
			t.Fatalf("check %s: exit %d, %s", snap, code, stderr)
		}
	}
	tests := []struct {
		name     string
		old, new string
		note     string
	}{
		{"two results", oldRes, newRes, oldRes + " and " + newRes + " are results"},
		{"a result and a snapshot", oldRes, modified, oldRes + " is a result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runIn(t, nil, "diff", tt.old, tt.new, "--config", config, "--format", "json", "--fail-on-regression")
			if code != 1 || !strings.Contains(stderr, "conditionalaccess.mfa_all_users") {
				t.Errorf("exit %d, stderr %q; want 1 naming the regressed rule", code, stderr)
			}
			d := decodeDiff(t, stdout)
			if d.ObjectsCompared || len(d.Objects) != 0 || len(d.Sources) != 0 {
				t.Errorf("a result side compared objects: %+v %+v", d.Objects, d.Sources)
			}
			if len(d.Notes) == 0 || !strings.Contains(d.Notes[0], tt.note) {
				t.Errorf("notes %q; want one saying %q", d.Notes, tt.note)
			}
			if !slices.Contains(regressed(d), "conditionalaccess.mfa_all_users") {
				t.Errorf("regressed %v lack conditionalaccess.mfa_all_users", regressed(d))
			}
		})
	}
}

// The same inputs give byte-identical output, and --output writes the file and nothing else.
func TestDiffOutputFile(t *testing.T) {
	modified := modifiedHardened(t, weakened(t))
	args := []string{"diff", testdataPath("snapshots", "hardened.json"), modified, "--config", testdataPath("configs", "hardened.yaml"), "--format", "json"}
	want, _, code := runIn(t, nil, args...)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	out := filepath.Join(t.TempDir(), "diff.json")
	stdout, stderr, code := runIn(t, nil, append(args, "--output", out)...)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 and nothing printed", code, stdout, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Error("the file differs from the same diff printed to stdout")
	}
}

func TestDiffBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hardened := testdataPath("snapshots", "hardened.json")
	missing := filepath.Join(dir, "missing.json")
	broken := write("broken.json", "{\"tenant\": ")
	neither := write("neither.json", `{"rules": []}`)
	otherConfig := write("other.yaml", "tenant: northwindtraders.com\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"diff", hardened, missing}, missing + ": no such file or directory"},
		{"malformed JSON", []string{"diff", broken, hardened}, broken + ":1:"},
		{"neither kind", []string{"diff", hardened, neither}, neither + ": neither a posture snapshot"},
		{"two tenants", []string{"diff", testdataPath("snapshots", "weak.json"), hardened}, hardened + ": tenant 7e000000-0002-4000-8000-000000000000 (tailspintoys.com) is not"},
		{"one file", []string{"diff", hardened}, "expected two files, OLD and NEW; got 1 argument(s)"},
		{"bad format", []string{"diff", hardened, hardened, "--format", "html"}, "--format html: expected one of text, json"},
		{"config of another tenant", []string{"diff", hardened, hardened, "--config", otherConfig}, "evaluate " + hardened + ": " + otherConfig + `: tenant "northwindtraders.com" does not match`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runIn(t, nil, tt.args...)
			if code != 2 || !strings.HasPrefix(stderr, "posture diff: ") || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and one line containing %q", code, stderr, stdout, tt.want)
			}
		})
	}
}
