package result

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
)

func TestNewPolicyEvidence(t *testing.T) {
	a := PolicyFile{Path: "policies/entra/a/a.rego", SHA256: strings.Repeat("1", 64), Builtin: true}
	b := PolicyFile{Path: "org/b.rego", SHA256: strings.Repeat("2", 64)}
	lib := PolicyFile{Path: "policies/lib/util.rego", SHA256: strings.Repeat("3", 64), Builtin: true}
	// The digest is what sha256sum's output of the sorted files hashes to.
	sum := func(lines string) string {
		h := sha256.Sum256([]byte(lines))
		return hex.EncodeToString(h[:])
	}
	tests := []struct {
		name      string
		in        []PolicyFile
		wantPaths []string
		wantSum   string
	}{
		{
			name:      "sorted by path",
			in:        []PolicyFile{b, lib, a},
			wantPaths: []string{b.Path, a.Path, lib.Path},
			wantSum:   sum(b.SHA256 + "  " + b.Path + "\n" + a.SHA256 + "  " + a.Path + "\n" + lib.SHA256 + "  " + lib.Path + "\n"),
		},
		{
			name:      "none",
			in:        nil,
			wantPaths: []string{},
			wantSum:   sum(""),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]PolicyFile{}, tt.in...)
			got := NewPolicyEvidence(tt.in)
			if got.Digest != tt.wantSum {
				t.Errorf("Digest = %s, want %s", got.Digest, tt.wantSum)
			}
			if got.Files == nil {
				t.Fatal("Files is nil; result.json must carry [] rather than null")
			}
			paths := []string{}
			for _, f := range got.Files {
				paths = append(paths, f.Path)
			}
			if strings.Join(paths, ",") != strings.Join(tt.wantPaths, ",") {
				t.Errorf("paths = %v, want %v", paths, tt.wantPaths)
			}
			for i := range in {
				if in[i] != tt.in[i] {
					t.Errorf("NewPolicyEvidence reordered its argument")
				}
			}
		})
	}
	// A different file changes the digest.
	b2 := b
	b2.SHA256 = strings.Repeat("4", 64)
	if NewPolicyEvidence([]PolicyFile{a, b}).Digest == NewPolicyEvidence([]PolicyFile{a, b2}).Digest {
		t.Error("two rule sets that differ in one file have the same digest")
	}
}

func TestEvidenceJSON(t *testing.T) {
	e := Evidence{
		Posture:  Generator{Name: "posture", Version: "0.1.0"},
		Policies: NewPolicyEvidence(nil),
	}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"posture":{"name":"posture","version":"0.1.0"},"config":null,"policies":{"digest":"` + NewPolicyEvidence(nil).Digest + `","files":[]}}`
	if string(data) != want {
		t.Errorf("JSON = %s\nwant %s", data, want)
	}
}
