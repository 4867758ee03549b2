package starter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/config"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name     string
		existing string // a file present before Write, relative to dir
		wantErr  string
	}{
		{name: "an empty directory"},
		{name: "a directory that does not exist yet", existing: ""},
		{name: "an existing config is not overwritten", existing: "posture.yaml", wantErr: "posture.yaml exists; posture init overwrites nothing"},
		{name: "an existing rule is not overwritten", existing: "policies/org/no_guest_admins/no_guest_admins.rego", wantErr: "no_guest_admins.rego exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "org")
			if tt.existing != "" {
				p := filepath.Join(dir, tt.existing)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("mine\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			written, err := Write(dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if data, _ := os.ReadFile(filepath.Join(dir, tt.existing)); string(data) != "mine\n" {
					t.Error("the existing file was changed")
				}
				if _, err := os.Stat(filepath.Join(dir, "policies", "org", "no_guest_admins", "no_guest_admins_test.rego")); tt.existing == "posture.yaml" && err == nil {
					t.Error("other files were written despite the refusal")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(written) != 3 {
				t.Errorf("wrote %v, want the config, the rule and its test", written)
			}
			// The starter config must load as it is written.
			cfg, err := config.Load(filepath.Join(dir, "posture.yaml"))
			if err != nil {
				t.Fatalf("the starter config does not load: %v", err)
			}
			if len(cfg.Policies) != 1 || cfg.Policies[0] != filepath.Join(dir, "policies") || cfg.Gate.FailOn != "high" {
				t.Errorf("config = policies %v, failOn %q", cfg.Policies, cfg.Gate.FailOn)
			}
		})
	}
}
