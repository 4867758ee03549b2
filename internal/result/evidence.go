package result

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Evidence says what judged a snapshot, so that two results can be shown to come from the same
// program, config and rules: posture's version, the config file's SHA-256 and every policy file
// that took part, with one digest over them. The snapshot's SHA-256 is the result's own
// (snapshot.sha256), not repeated here.
type Evidence struct {
	Posture Generator `json:"posture"`
	// Config is the org config file that applied; nil when none did.
	Config   *ConfigEvidence `json:"config"`
	Policies PolicyEvidence  `json:"policies"`
}

// ConfigEvidence names the config file that applied and fingerprints its bytes.
type ConfigEvidence struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// PolicyEvidence lists the policy files that took part in an evaluation: built-in and org,
// library files included, tests left out; sorted by path.
type PolicyEvidence struct {
	// Digest is the SHA-256 of the lines "<sha256>  <path>\n" of Files, in their order (the
	// format of sha256sum), so one value compares two rule sets.
	Digest string       `json:"digest"`
	Files  []PolicyFile `json:"files"`
}

// PolicyFile is one policy file and the SHA-256 of its bytes.
type PolicyFile struct {
	// Path is the file as posture names it: policies/<area>/<rule>/<rule>.rego for a built-in
	// file, the org policy directory as given (in the config or --policy) joined with the
	// file's path in it, with forward slashes.
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	Builtin bool   `json:"builtin"`
}

// NewPolicyEvidence sorts files by path and computes their digest.
func NewPolicyEvidence(files []PolicyFile) PolicyEvidence {
	files = append([]PolicyFile{}, files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return PolicyEvidence{Digest: policyDigest(files), Files: files}
}

// policyDigest is the SHA-256 of the sha256sum lines of files, in their order.
func policyDigest(files []PolicyFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s  %s\n", f.SHA256, f.Path)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// check checks parsed evidence: hashes that are SHA-256 in hex, files sorted by path, and a
// digest that is the digest of the files listed (a list edited after the fact no longer
// matches it).
func (e *Evidence) check(name string) error {
	if c := e.Config; c != nil && !isSHA256(c.SHA256) {
		return fmt.Errorf("%s: $.evidence.config.sha256: %q; expected 64 lowercase hex digits", name, c.SHA256)
	}
	files := e.Policies.Files
	for i, f := range files {
		if !isSHA256(f.SHA256) {
			return fmt.Errorf("%s: $.evidence.policies.files[%d].sha256: %q; expected 64 lowercase hex digits", name, i, f.SHA256)
		}
		if i > 0 && files[i-1].Path >= f.Path {
			return fmt.Errorf("%s: $.evidence.policies.files[%d].path: %q after %q; expected the files sorted by path, each once", name, i, f.Path, files[i-1].Path)
		}
	}
	if want := policyDigest(files); e.Policies.Digest != want {
		return fmt.Errorf("%s: $.evidence.policies.digest: %q is not the digest of the files listed (%s)", name, e.Policies.Digest, want)
	}
	return nil
}

func isSHA256(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}
