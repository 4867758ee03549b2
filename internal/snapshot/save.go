package snapshot

import (
	"github.com/m365posture/posture/internal/atomicfile"

	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Save writes the snapshot to path as JSON indented by two spaces with a
// trailing newline. It writes a temporary file in the same directory, syncs
// it and renames it over path, so path holds either the old content or the
// complete new one, never a partial file; the temporary file is removed on
// any failure. A new file gets mode 0600 (a snapshot lists the tenant's users
// and configuration); an existing file keeps its mode.
//
// Save checks the envelope (schema version, tenant cloud, source keys and
// statuses) but not the section contents, which Parse validates on reading.
// It does not redact: call Redact first for data from a live tenant.
func (s *Snapshot) Save(path string) error {
	out, err := s.normalized()
	if err != nil {
		return fmt.Errorf("save snapshot %s: %w", path, err)
	}
	perm := os.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("save snapshot %s: is a directory", path)
		}
		perm = fi.Mode().Perm()
	}

	if err := atomicfile.Write(path, perm, out.encode); err != nil {
		return fmt.Errorf("save snapshot %s: %w", path, err)
	}
	return nil
}

// Write writes the snapshot to w as Save writes it to a file (collect --output -).
func (s *Snapshot) Write(w io.Writer) error {
	out, err := s.normalized()
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return out.encode(w)
}

// encode writes the snapshot as indented JSON with a trailing newline.
// HTML characters are not escaped, so strings stay as the service wrote them.
func (s *Snapshot) encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// normalized returns a shallow copy of s with the in-memory defaults spelled
// out (schema version, cloud, empty sources), after checking the envelope.
func (s *Snapshot) normalized() (*Snapshot, error) {
	out := *s
	switch out.SchemaVersion {
	case 0:
		out.SchemaVersion = SchemaVersion
	case SchemaVersion:
	default:
		return nil, fmt.Errorf("$.schemaVersion: cannot write schemaVersion %d (supports %d)", out.SchemaVersion, SchemaVersion)
	}
	out.Tenant.Cloud = cloudOrDefault(out.Tenant.Cloud)
	if !validCloud(out.Tenant.Cloud) {
		return nil, fmt.Errorf("$.tenant.cloud: expected one of %s, got %q", cloudList, out.Tenant.Cloud)
	}
	if out.Sources == nil {
		out.Sources = map[string]Source{}
	}
	// Sorted, so the one line reported is the first problem in key order.
	for _, key := range sortedKeys(out.Sources) {
		src := out.Sources[key]
		path := pathKey("$.sources", key)
		switch {
		case !validSourceKey(key):
			return nil, fmt.Errorf("%s: invalid source key: expected <section>.<key> with section one of entra, exchange, intune, secureScore", path)
		case !src.Status.Valid():
			return nil, fmt.Errorf("%s.status: expected one of %s, got %q", path, statusList, src.Status)
		case src.Count != nil && *src.Count < 0:
			return nil, fmt.Errorf("%s.count: expected a non-negative integer, got %d", path, *src.Count)
		}
	}
	return &out, nil
}
