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
		name      string
		saved     []*result.Result
		since     time.Time
		want      []string  // sha prefixes loaded, in order
		wantPct   []float64 // their estimates
		wantFiles int       // files in the tenant folder
	}{
		{name: "nothing stored yet"},
		{name: "round trip", saved: []*result.Result{res("aa", 10, 1, 40)}, want: []string{"aa"}, wantPct: []float64{40}, wantFiles: 1},
		{name: "oldest first", saved: []*result.Result{res("bb", 20, 1, 50), res("aa", 10, 1, 40)}, want: []string{"aa", "bb"}, wantPct: []float64{40, 50}, wantFiles: 2},
		{name: "equal collection times keep file name order", saved: []*result.Result{res("bb", 10, 1, 50), res("aa", 10, 1, 40)}, want: []string{"aa", "bb"}, wantPct: []float64{40, 50}, wantFiles: 2},
		{name: "since leaves older ones out", saved: []*result.Result{res("aa", 10, 1, 40), res("bb", 20, 1, 50)}, since: day(15), want: []string{"bb"}, wantPct: []float64{50}, wantFiles: 2},
		{name: "since is inclusive", saved: []*result.Result{res("aa", 10, 1, 40), res("bb", 20, 1, 50)}, since: day(20), want: []string{"bb"}, wantPct: []float64{50}, wantFiles: 2},
		{name: "the same snapshot again replaces its file", saved: []*result.Result{res("aa", 10, 1, 40), res("aa", 10, 5, 45)}, want: []string{"aa"}, wantPct: []float64{45}, wantFiles: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, r := range tt.saved {
				path, err := Save(dir, r)
				if err != nil {
					t.Fatal(err)
				}
				wantName := r.Snapshot.CollectedAt.Format("20060102T150405Z") + "-" + r.Snapshot.SHA256[:12] + ".json"
				if path != filepath.Join(dir, tenant, wantName) {
					t.Errorf("Save wrote %s, want %s", path, filepath.Join(dir, tenant, wantName))
				}
				if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
					t.Errorf("%s: %v; want a file of mode 0600", path, err)
				}
				if info, err := os.Stat(filepath.Dir(path)); err != nil || info.Mode().Perm() != 0o700 {
					t.Errorf("%s: %v; want a folder of mode 0700", filepath.Dir(path), err)
				}
			}
			got, err := Load(dir, tenant, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			var shas []string
			var pcts []float64
			for _, r := range got {
				shas = append(shas, r.Snapshot.SHA256[:2])
				pcts = append(pcts, r.Score.Estimate.Percent)
			}
			if strings.Join(shas, " ") != strings.Join(tt.want, " ") {
				t.Errorf("loaded %v, want %v", shas, tt.want)
			}
			for i := range min(len(pcts), len(tt.wantPct)) {
				if pcts[i] != tt.wantPct[i] {
					t.Errorf("estimates %v, want %v", pcts, tt.wantPct)
					break
				}
			}
			if entries, _ := os.ReadDir(filepath.Join(dir, tenant)); len(entries) != tt.wantFiles {
				t.Errorf("tenant folder holds %d entries, want %d", len(entries), tt.wantFiles)
			}
		})
	}
}

func TestSaveEncodesLikeCheck(t *testing.T) {
	r := res("aa", 10, 1, 40)
	r.Findings = []result.Finding{{RuleID: "a.b", Status: result.Pass, Severity: "high", Message: "<a> & b"}}
	path, err := Save(t.TempDir(), r)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.HasPrefix(s, "{\n  \"schemaVersion\": 1,") || !strings.HasSuffix(s, "}\n") || !strings.Contains(s, `"<a> & b"`) {
		t.Errorf("file is not indented JSON with two spaces, unescaped HTML and a final newline:\n%s", s)
	}
}

func TestSaveRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *result.Result)
		want   string
	}{
		{"path traversal", func(r *result.Result) { r.Snapshot.Tenant.ID = "../../etc" }, `tenant id "../../etc"`},
		{"dot dot", func(r *result.Result) { r.Snapshot.Tenant.ID = ".." }, `tenant id ".."`},
		{"dot dot inside", func(r *result.Result) { r.Snapshot.Tenant.ID = "a..b" }, `tenant id "a..b"`},
		{"the folder itself", func(r *result.Result) { r.Snapshot.Tenant.ID = "." }, `tenant id "."`},
		{"a separator", func(r *result.Result) { r.Snapshot.Tenant.ID = "a/b" }, `tenant id "a/b"`},
		{"a backslash", func(r *result.Result) { r.Snapshot.Tenant.ID = `a\b` }, `tenant id "a\\b"`},
		{"an absolute path", func(r *result.Result) { r.Snapshot.Tenant.ID = "/tmp" }, `tenant id "/tmp"`},
		{"a space", func(r *result.Result) { r.Snapshot.Tenant.ID = "a b" }, `tenant id "a b"`},
		{"no tenant", func(r *result.Result) { r.Snapshot.Tenant.ID = "" }, `tenant id ""`},
		{"no collection time", func(r *result.Result) { r.Snapshot.CollectedAt = time.Time{} }, "no collectedAt"},
		{"no hash", func(r *result.Result) { r.Snapshot.SHA256 = "" }, "no sha256"},
		{"a short hash", func(r *result.Result) { r.Snapshot.SHA256 = "abc" }, `sha256 "abc"`},
		{"a hash that climbs out", func(r *result.Result) { r.Snapshot.SHA256 = "../../../../x" }, `sha256 "../../../../x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "history")
			r := res("aa", 10, 1, 40)
			tt.change(r)
			if _, err := Save(dir, r); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if entries, _ := os.ReadDir(filepath.Dir(dir)); len(entries) != 0 {
				t.Errorf("wrote %v despite the error", entries)
			}
		})
	}
	if _, err := Save(t.TempDir(), nil); err == nil {
		t.Error("Save(nil) succeeded")
	}
}

func TestLoadNothingStored(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"no history directory", func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing") }},
		{"no tenant folder", func(t *testing.T) string { return t.TempDir() }},
		{"an empty tenant folder", func(t *testing.T) string {
			dir := t.TempDir()
			os.Mkdir(filepath.Join(dir, tenant), 0o700)
			return dir
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.dir(t), tenant, time.Time{})
			if err != nil || got != nil {
				t.Errorf("Load = %v, %v; want nothing and no error", got, err)
			}
		})
	}
}

func TestLoadIgnoresOtherEntries(t *testing.T) {
	dir := t.TempDir()
	if _, err := Save(dir, res("aa", 10, 1, 40)); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, tenant)
	os.WriteFile(filepath.Join(folder, "notes.txt"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(folder, "old.json.bak"), []byte("{"), 0o600)
	os.Mkdir(filepath.Join(folder, "archive.json"), 0o700)
	os.WriteFile(filepath.Join(folder, "archive.json", "x.json"), []byte("{"), 0o600)
	got, err := Load(dir, tenant, time.Time{})
	if err != nil || len(got) != 1 {
		t.Errorf("Load = %d results, %v; want the one result", len(got), err)
	}
}

func TestLoadFailsClosed(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"a corrupt file", "20261101T000000Z-bad.json", "{", "20261101T000000Z-bad.json: not a posture result"},
		{"a snapshot, not a result", "snap.json", `{"schemaVersion": 1, "sources": {}}`, "snap.json: a snapshot"},
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
			if _, err := Load(dir, tenant, time.Time{}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadRefusesUnsafeTenant(t *testing.T) {
	for _, id := range []string{"", "..", "../x", "a/b", "/etc"} {
		if _, err := Load(t.TempDir(), id, time.Time{}); err == nil {
			t.Errorf("Load(%q) succeeded, want an error", id)
		}
	}
}

func TestTrend(t *testing.T) {
	tests := []struct {
		name    string
		results []*result.Result
		want    []float64 // percents, oldest first
		wantAt  []int     // days
	}{
		{name: "nothing"},
		{name: "oldest first", results: []*result.Result{res("bb", 20, 1, 50), res("aa", 10, 1, 40)}, want: []float64{40, 50}, wantAt: []int{10, 20}},
		{name: "the latest evaluation of a snapshot wins", results: []*result.Result{res("aa", 10, 1, 40), res("aa", 10, 9, 42), res("aa", 10, 5, 41)}, want: []float64{42}, wantAt: []int{10}},
		{name: "results without a score are left out", results: []*result.Result{res("aa", 10, 1, 40), res("cc", 25, 1, -1)}, want: []float64{40}, wantAt: []int{10}},
		{name: "together", results: []*result.Result{res("bb", 20, 1, 50), res("aa", 10, 1, 40), res("aa", 10, 9, 42), res("cc", 25, 1, -1)}, want: []float64{42, 50}, wantAt: []int{10, 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Trend(tt.results)
			if len(got) != len(tt.want) {
				t.Fatalf("trend = %+v, want %d points", got, len(tt.want))
			}
			for i, p := range got {
				if p.Percent != tt.want[i] || p.Points != tt.want[i]*5 || p.Max != 500 || !p.Estimate || !p.At.Equal(day(tt.wantAt[i])) {
					t.Errorf("point %d = %+v, want %g%% (%g of 500) on day %d, marked as an estimate", i, p, tt.want[i], tt.want[i]*5, tt.wantAt[i])
				}
			}
		})
	}
}
