package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/m365posture/posture/internal/config"
	"github.com/m365posture/posture/internal/result"
)

// TestEvidence checks what a result says judged it: posture's version, the config (none for
// the default), and every policy file that took part, each named as posture names it and
// hashed from its bytes on disk: the rules' own files and the library files they use, every
// org file, no test file; the same built-in files whether the catalog was read in part (a
// selection of baselines) or whole (org policies).
func TestEvidence(t *testing.T) {
	ctx := context.Background()
	snap := doc(t, map[string]any{"users": []any{}}, nil)
	cfg, err := config.Parse("ci/posture.yaml", []byte("gate:\n  failOn: high\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(o Options, cfg *config.Config) *result.Evidence {
		t.Helper()
		eng, err := New(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		res, err := eng.Evaluate(ctx, snap, cfg, EvalOptions{Baselines: []string{"azure-ad"}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Evidence == nil {
			t.Fatal("the result has no evidence")
		}
		return res.Evidence
	}
	part := evaluate(Options{Baselines: []string{"azure-ad"}}, nil)
	whole := evaluate(Options{Baselines: []string{"azure-ad"}, PolicyDirs: []string{"testdata/orgrule"}}, cfg)

	tests := []struct {
		name       string
		ev         *result.Evidence
		wantConfig *result.ConfigEvidence
		wantOrg    []string
	}{
		{name: "built-in only, no config", ev: part},
		{
			name:       "with org policies and a config",
			ev:         whole,
			wantConfig: &result.ConfigEvidence{Path: "ci/posture.yaml", SHA256: hashOf([]byte("gate:\n  failOn: high\n"))},
			wantOrg:    []string{"testdata/orgrule/no_guest_admins.rego"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := tt.ev
			if ev.Posture.Name != "posture" || ev.Posture.Version == "" {
				t.Errorf("posture = %+v, want posture and its version", ev.Posture)
			}
			switch {
			case tt.wantConfig == nil && ev.Config != nil:
				t.Errorf("config = %+v, want none for the default config", ev.Config)
			case tt.wantConfig != nil && (ev.Config == nil || *ev.Config != *tt.wantConfig):
				t.Errorf("config = %+v, want %+v", ev.Config, tt.wantConfig)
			}
			if want := result.NewPolicyEvidence(ev.Policies.Files); ev.Policies.Digest != want.Digest {
				t.Errorf("digest %s is not the digest of the files listed (%s)", ev.Policies.Digest, want.Digest)
			}
			var org []string
			var lib, own bool
			for i, f := range ev.Policies.Files {
				if i > 0 && ev.Policies.Files[i-1].Path >= f.Path {
					t.Errorf("files out of order at %s", f.Path)
				}
				if strings.HasSuffix(f.Path, "_test.rego") || !strings.HasSuffix(f.Path, ".rego") {
					t.Errorf("%s is listed; only policy files take part", f.Path)
				}
				disk := f.Path
				if f.Builtin {
					if !strings.HasPrefix(f.Path, "policies/") {
						t.Errorf("built-in %s is not named policies/...", f.Path)
					}
					disk = filepath.Join("..", "..", f.Path) // the embedded files are the repository's
				} else {
					org = append(org, f.Path)
				}
				data, err := os.ReadFile(disk)
				if err != nil {
					t.Errorf("%s: %v", f.Path, err)
					continue
				}
				if f.SHA256 != hashOf(data) {
					t.Errorf("%s: sha256 %s, the file's is %s", f.Path, f.SHA256, hashOf(data))
				}
				lib = lib || strings.HasPrefix(f.Path, "policies/lib/")
				own = own || f.Path == "policies/entra/admin_mfa/admin_mfa.rego"
			}
			if !lib || !own {
				t.Errorf("library file listed %v, admin_mfa listed %v; want both", lib, own)
			}
			if strings.Join(org, ",") != strings.Join(tt.wantOrg, ",") {
				t.Errorf("org files = %v, want %v", org, tt.wantOrg)
			}
		})
	}
	// Reading the whole catalog does not change which built-in files judged azure-ad.
	builtin := func(ev *result.Evidence) (out []string) {
		for _, f := range ev.Policies.Files {
			if f.Builtin {
				out = append(out, f.Path+" "+f.SHA256)
			}
		}
		return out
	}
	if a, b := builtin(part), builtin(whole); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("built-in files differ between a partial (%d) and a whole catalog (%d)", len(a), len(b))
	}
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
