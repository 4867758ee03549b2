package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsersWithoutSelectedPropertiesCannotPass checks the weak tenant as Graph's default /users
// answer would leave it (no accountEnabled, no userType): the rules that count users are
// errors naming the missing properties, and check exits 2 instead of passing them.
func TestUsersWithoutSelectedPropertiesCannotPass(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "snapshots", "weak.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, u := range doc["entra"].(map[string]any)["users"].([]any) {
		delete(u.(map[string]any), "accountEnabled")
		delete(u.(map[string]any), "userType")
	}
	stripped, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "default-users.json")
	if err := os.WriteFile(path, stripped, 0o644); err != nil {
		t.Fatal(err)
	}

	run := runPosture(t, nil, "check", "--snapshot", path, "--format", "json",
		"--config", filepath.Join("..", "..", "testdata", "configs", "weak.yaml"))
	if run.code != 2 {
		t.Fatalf("exit %d, want 2 (data that could not be verified); stderr %s", run.code, run.stderr)
	}
	var res struct {
		Findings []struct {
			RuleID, Status, Message string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(run.stdout), &res); err != nil {
		t.Fatalf("result JSON: %v", err)
	}
	const why = "cannot verify: entra.users: 12 of 12 users lack accountEnabled; 12 of 12 users lack userType ("
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "entra.users:") && (f.Status != "error" || !strings.HasPrefix(f.Message, why)) {
			t.Errorf("%s = %s %q; want error %q...", f.RuleID, f.Status, f.Message, why)
		}
	}
	// The rules that passed on the stripped tenant before posture checked the shape.
	for _, id := range []string{"conditionalaccess.mfa_all_users", "entra.admin_mfa", "entra.mfa_registration",
		"entra.sspr_enabled", "entra.legacy_auth_blocked", "conditionalaccess.device_code_flow_blocked"} {
		found := false
		for _, f := range res.Findings {
			if f.RuleID == id {
				found = true
				if f.Status != "error" || !strings.HasPrefix(f.Message, why) {
					t.Errorf("%s = %s %q; want error %q...", id, f.Status, f.Message, why)
				}
			}
		}
		if !found {
			t.Errorf("no finding for %s", id)
		}
	}
	errored := 0
	for _, f := range res.Findings {
		if f.Status == "error" {
			errored++
		}
	}
	if want := fmt.Sprintf("posture check: gate: %d rules could not be verified: ", errored); !strings.HasPrefix(run.stderr, want) {
		t.Errorf("stderr does not lead with the unverified rules (%q): %s", want, run.stderr)
	}
}
