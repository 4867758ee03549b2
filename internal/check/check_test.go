package check

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const weak = "../../testdata/snapshots/weak.json"

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// writeConfig writes a config file into a fresh temporary directory and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "posture.yaml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		opts    func(t *testing.T) Options
		wantErr []string // substrings of the error; nil for success
		tenant  string   // the result's tenant id, on success
	}{
		{
			name: "demo",
			opts: func(*testing.T) Options { return Options{Demo: true, Now: now} },
		},
		{
			name: "demo and snapshot",
			opts: func(*testing.T) Options {
				return Options{Demo: true, SnapshotPath: weak}
			},
			wantErr: []string{"--demo and --snapshot exclude each other"},
		},
		{
			name:    "no snapshot",
			opts:    func(*testing.T) Options { return Options{} },
			wantErr: []string{"no snapshot", "--snapshot", "--demo"},
		},
		{
			name:    "missing snapshot file",
			opts:    func(*testing.T) Options { return Options{SnapshotPath: "testdata/nope.json"} },
			wantErr: []string{"nope.json"},
		},
		{
			name: "snapshot without config",
			opts: func(*testing.T) Options {
				return Options{SnapshotPath: weak, Now: now}
			},
			tenant: "7e000000-0001-4000-8000-000000000000",
		},
		{
			name: "config for another tenant",
			opts: func(t *testing.T) Options {
				return Options{SnapshotPath: weak, ConfigPath: writeConfig(t, "tenant: other.onmicrosoft.com\n")}
			},
			wantErr: []string{"posture.yaml", `tenant "other.onmicrosoft.com" does not match`, "7e000000-0001-4000-8000-000000000000"},
		},
		{
			name: "config pinned to the tenant id",
			opts: func(t *testing.T) Options {
				return Options{SnapshotPath: weak, Now: now, ConfigPath: writeConfig(t, "tenant: 7e000000-0001-4000-8000-000000000000\n")}
			},
			tenant: "7e000000-0001-4000-8000-000000000000",
		},
		{
			name: "config pinned to a verified domain, any case",
			opts: func(t *testing.T) Options {
				return Options{SnapshotPath: weak, Now: now, ConfigPath: writeConfig(t, "tenant: NorthwindTraders.onmicrosoft.com\n")}
			},
			tenant: "7e000000-0001-4000-8000-000000000000",
		},
		{
			name: "unknown baseline",
			opts: func(*testing.T) Options {
				return Options{Demo: true, Baselines: []string{"no-such-baseline"}}
			},
			wantErr: []string{`unknown baseline "no-such-baseline"`, "azure-ad"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, cfg, err := Run(t.Context(), tt.opts(t))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Run succeeded, want an error containing %q", tt.wantErr)
				}
				if res != nil || cfg != nil {
					t.Errorf("Run returned a result or config with its error")
				}
				msg := err.Error()
				if strings.Contains(msg, "\n") {
					t.Errorf("error %q is not one line", msg)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(msg, w) {
						t.Errorf("error %q does not contain %q", msg, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res == nil || cfg == nil {
				t.Fatalf("Run = %v, %v; want a result and a config", res, cfg)
			}
			if len(res.Findings) == 0 {
				t.Error("result has no findings")
			}
			if !sha256Hex.MatchString(res.Snapshot.SHA256) {
				t.Errorf("Snapshot.SHA256 = %q, want 64 lowercase hex digits", res.Snapshot.SHA256)
			}
			if res.Summary.Total() != len(res.Findings) {
				t.Errorf("summary counts %d findings, result has %d", res.Summary.Total(), len(res.Findings))
			}
			if tt.tenant != "" && res.Snapshot.Tenant.ID != tt.tenant {
				t.Errorf("tenant = %q, want %q", res.Snapshot.Tenant.ID, tt.tenant)
			}
		})
	}
}

func TestRunBaselineSelection(t *testing.T) {
	res, _, err := Run(t.Context(), Options{Demo: true, Baselines: []string{"azure-ad"}})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no findings for azure-ad")
	}
	for _, f := range res.Findings {
		found := false
		for _, b := range f.Baselines {
			found = found || b == "azure-ad"
		}
		if !found {
			t.Errorf("finding %s (baselines %q) is not in the selected baseline azure-ad", f.RuleID, f.Baselines)
		}
	}
}

// TestHeapLimit: a small snapshot's check may use 256 MiB and 16 times the snapshot, up to
// 512 MiB; a large one 7.5 times its size, which keeps the 100,000-user check (95 MB) within
// 1.45 times the 0.52 GB a plain JSON decode of the file takes.
func TestHeapLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tt := range []struct {
		size, want int64
	}{
		{0, 256 * mib},
		{100 << 10, 256*mib + 1600<<10},
		{10 * mib, 416 * mib},
		{16 * mib, 512 * mib},
		{60 * mib, 512 * mib},
		{70 * mib, 70 * mib * 15 / 2},
		{97 * mib, 97 * mib * 15 / 2},
	} {
		if got := heapLimit(tt.size); got != tt.want {
			t.Errorf("heapLimit(%d) = %d MiB, want %d MiB", tt.size, got/mib, tt.want/mib)
		}
	}
}

// TestCgroupLimit reads the limits of cgroup v2 and v1, and takes "max" and v1's unlimited
// value for none.
func TestCgroupLimit(t *testing.T) {
	const v2, v1 = "sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory/memory.limit_in_bytes"
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"no cgroup files", nil, 0},
		{"v2 limit", map[string]string{v2: "1073741824\n"}, 1 << 30},
		{"v2 without a limit", map[string]string{v2: "max\n"}, 0},
		{"v1 limit", map[string]string{v1: "2147483648\n"}, 2 << 30},
		{"v1 without a limit", map[string]string{v1: "9223372036854771712\n"}, 0},
		{"v2 first", map[string]string{v2: "536870912", v1: "2147483648"}, 512 << 20},
		{"garbage", map[string]string{v2: "lots"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			if got := cgroupLimit(fsys); got != tt.want {
				t.Errorf("cgroupLimit = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestCapLimit keeps the heap limit within three quarters of the memory available.
func TestCapLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tt := range []struct {
		limit, available, want int64
	}{
		{700 * mib, 0, 700 * mib},
		{700 * mib, 16 << 30, 700 * mib},
		{700 * mib, 512 * mib, 384 * mib},
		{256 * mib, 1 << 30, 256 * mib},
	} {
		if got := capLimit(tt.limit, tt.available); got != tt.want {
			t.Errorf("capLimit(%d MiB, %d MiB) = %d MiB, want %d MiB", tt.limit/mib, tt.available/mib, got/mib, tt.want/mib)
		}
	}
}
