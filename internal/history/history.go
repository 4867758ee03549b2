// Package history keeps earlier posture results, one file per snapshot, so a report can show
// how the Secure Score estimate moved over time.
package history

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/atomicfile"
	"github.com/m365posture/posture/internal/result"
)

// Window is the span of history reports show: Microsoft keeps 90 days of daily scores too.
const Window = 90 * 24 * time.Hour

// safeID is what a tenant id may look like to become a folder name: a crafted id (from a
// snapshot anyone can edit) must never name a path outside the history directory.
var safeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// hexDigits is what a snapshot hash must be: it becomes part of a file name too.
var hexDigits = regexp.MustCompile(`^[0-9A-Fa-f]{12,}$`)

// safeTenant reports whether id can name a folder inside the history directory.
func safeTenant(id string) bool {
	return safeID.MatchString(id) && !strings.Contains(id, "..")
}

// Save stores res as dir/<tenant id>/<collectedAt>-<sha256 prefix>.json, atomically, and
// returns the path. The same snapshot evaluated again replaces its earlier file.
func Save(dir string, res *result.Result) (string, error) {
	if res == nil {
		return "", errors.New("save history: no result")
	}
	id := res.Snapshot.Tenant.ID
	switch {
	case !safeTenant(id):
		return "", fmt.Errorf("save history: tenant id %q; expected a tenant id (letters, digits, ., _ and -)", id)
	case res.Snapshot.CollectedAt.IsZero():
		return "", errors.New("save history: the result's snapshot has no collectedAt")
	case res.Snapshot.SHA256 == "":
		return "", errors.New("save history: the result's snapshot has no sha256")
	case !hexDigits.MatchString(res.Snapshot.SHA256):
		return "", fmt.Errorf("save history: snapshot sha256 %q; expected hex digits", res.Snapshot.SHA256)
	}
	folder := filepath.Join(dir, id)
	if err := os.MkdirAll(folder, 0o700); err != nil {
		return "", fmt.Errorf("save history: %w", err)
	}
	name := res.Snapshot.CollectedAt.UTC().Format("20060102T150405Z") + "-" + strings.ToLower(res.Snapshot.SHA256[:12]) + ".json"
	path := filepath.Join(folder, name)
	// The same encoding as `posture check --format json`, so a stored file is a result.json.
	err := atomicfile.Write(path, 0o600, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	})
	if err != nil {
		return "", fmt.Errorf("save history %s: %w", path, err)
	}
	return path, nil
}

// Load reads the tenant's stored results whose snapshot was collected at or after since,
// oldest first. A directory that does not exist yet holds nothing. A file that is not a posture
// result, or is another tenant's, is an error naming it: a trend must not quietly lose points.
// Entries not ending in .json, and folders, are not read.
func Load(dir, tenantID string, since time.Time) ([]*result.Result, error) {
	if !safeTenant(tenantID) {
		return nil, fmt.Errorf("load history: tenant id %q; expected a tenant id (letters, digits, ., _ and -)", tenantID)
	}
	folder := filepath.Join(dir, tenantID)
	entries, err := os.ReadDir(folder)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load history: %w", err)
	}
	var out []*result.Result
	for _, e := range entries { // ReadDir sorts by name, so equal collectedAt keep name order
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(folder, e.Name())
		res, err := result.Load(path)
		if err != nil {
			return nil, fmt.Errorf("load history: %w", err)
		}
		if res.Snapshot.Tenant.ID != tenantID {
			return nil, fmt.Errorf("load history: %s is a result of tenant %q, not %q; it does not belong in this folder", path, res.Snapshot.Tenant.ID, tenantID)
		}
		if res.Snapshot.CollectedAt.Before(since) {
			continue
		}
		out = append(out, res)
	}
	slices.SortStableFunc(out, func(a, b *result.Result) int { return a.Snapshot.CollectedAt.Compare(b.Snapshot.CollectedAt) })
	return out, nil
}

// Trend returns posture's estimate of each result as a trend point, oldest first, one per
// snapshot (the latest evaluation wins); results without a score are left out.
func Trend(results []*result.Result) []result.TrendPoint {
	latest := map[string]*result.Result{}
	var order []string
	for _, r := range results {
		if r.Score == nil {
			continue
		}
		key := r.Snapshot.SHA256
		prev, seen := latest[key]
		if !seen {
			order = append(order, key)
		}
		if !seen || !r.EvaluatedAt.Before(prev.EvaluatedAt) {
			latest[key] = r
		}
	}
	out := make([]result.TrendPoint, 0, len(order))
	for _, key := range order {
		r := latest[key]
		e := r.Score.Estimate
		out = append(out, result.TrendPoint{At: r.Snapshot.CollectedAt, Points: e.Points, Max: e.Max, Percent: e.Percent, Estimate: true})
	}
	slices.SortStableFunc(out, func(a, b result.TrendPoint) int { return a.At.Compare(b.At) })
	return out
}
