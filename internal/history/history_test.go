package history

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/result"
)

const tenant = "7e000000-0004-4000-8000-000000000000"

func day(d int) time.Time { return time.Date(2026, 11, d, 8, 0, 0, 0, time.UTC) }

// res is a result of tenant's snapshot sha (padded to 64 hex digits) collected on day d,
// evaluated at hour h, with the estimate pct (negative: no score).
func res(sha string, d, h int, pct float64) *result.Result {
	r := &result.Result{SchemaVersion: result.SchemaVersion, Findings: []result.Finding{}}
	r.Snapshot.Tenant.ID = tenant
	r.Snapshot.SHA256 = sha + strings.Repeat("0", 64-len(sha))
	r.Snapshot.CollectedAt = day(d)
	r.EvaluatedAt = day(d).Add(time.Duration(h) * time.Hour)
	if pct >= 0 {
		r.Score = &result.Score{Estimate: result.Figure{Points: pct * 5, Max: 500, Percent: pct}}
	}
	return r
}

func TestSaveLoad(t *testing.T) {
	tests := []struct {
		name    string
		saved   []*result.Result
		since   time.Time
		want    []string // sha prefixes loaded, in order
		wantErr string
	}{
		{name: "nothing stored yet", want: nil},
		{name: "oldest first", saved: []*result.Result{res("bb", 20, 1, 50), res("aa", 10, 1, 40)}, want: []string{"aa", "bb"}},
		{name: "since leaves older ones out", saved: []*result.Result{res("aa", 10, 1, 40), res("bb", 20, 1, 50)}, since: day(15), want: []string{"bb"}},
		{name: "the same snapshot again replaces its file", saved: []*result.Result{res("aa", 10, 1, 40), res("aa", 10, 5, 45)}, want: []string{"aa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, r := range tt.saved {
				path, err := Save(dir, r)
				if err != nil {
					t.Fatal(err)
				}
				if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
					t.Errorf("%s: %v, mode %v; want a private file", path, err, info.Mode())
				}
			}
			got, err := Load(dir, tenant, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			var shas []string
			for _, r := range got {
				shas = append(shas, r.Snapshot.SHA256[:2])
			}
			if strings.Join(shas, " ") != strings.Join(tt.want, " ") {
				t.Errorf("loaded %v, want %v", shas, tt.want)
			}
		})
	}
}

func TestSaveRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *result.Result)
		want   string
	}{
		{"path traversal", func(r *result.Result) { r.Snapshot.Tenant.ID = "../../etc" }, `tenant id "../../etc"`},
		{"a separator", func(r *result.Result) { r.Snapshot.Tenant.ID = "a/b" }, `tenant id "a/b"`},
		{"no tenant", func(r *result.Result) { r.Snapshot.Tenant.ID = "" }, `tenant id ""`},
		{"no collection time", func(r *result.Result) { r.Snapshot.CollectedAt = time.Time{} }, "no collectedAt"},
		{"no hash", func(r *result.Result) { r.Snapshot.SHA256 = "" }, "no sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := res("aa", 10, 1, 40)
			tt.change(r)
			if _, err := Save(dir, r); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("wrote %v despite the error", entries)
			}
		})
	}
}

func TestLoadFailsClosed(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"a corrupt file", "20261101T000000Z-bad.json", "{", "20261101T000000Z-bad.json: not a posture result"},
		{"another tenant's result", "other.json", `{"schemaVersion": 1, "findings": [], "snapshot": {"tenant": {"id": "someone-else"}}}`, `other.json is a result of tenant "someone-else"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Save(dir, res("aa", 10, 1, 40)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, tenant, tt.file), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			// Files that are not results by name are not read.
			os.WriteFile(filepath.Join(dir, tenant, "notes.txt"), []byte("x"), 0o600)
			if _, err := Load(dir, tenant, time.Time{}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestTrend(t *testing.T) {
	got := Trend([]*result.Result{
		res("bb", 20, 1, 50),
		res("aa", 10, 1, 40),
		res("aa", 10, 9, 42), // the same snapshot evaluated later: wins
		res("aa", 10, 5, 41),
		res("cc", 25, 1, -1), // no score
	})
	if len(got) != 2 {
		t.Fatalf("trend = %+v, want two points", got)
	}
	if !got[0].At.Equal(day(10)) || got[0].Percent != 42 || !got[0].Estimate || !got[1].At.Equal(day(20)) || got[1].Percent != 50 || got[1].Max != 500 {
		t.Errorf("trend = %+v, want 10 Nov 42%% then 20 Nov 50%% of 500, marked as estimates", got)
	}
}
