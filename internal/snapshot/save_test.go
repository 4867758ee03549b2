package snapshot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, data string) *Snapshot {
	t.Helper()
	s, err := Parse("test.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestSaveLoadRoundTrip(t *testing.T) {
	count := 3
	zone := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		in   *Snapshot
		want *Snapshot // nil: equal to in
	}{
		{name: "parsed example", in: mustParse(t, example)},
		{
			name: "built in memory",
			in: &Snapshot{
				SchemaVersion: 1,
				Generator:     Generator{Name: "posture", Version: "0.1.0-dev"},
				CollectedAt:   time.Date(2026, 11, 22, 11, 0, 0, 123456789, zone),
				Tenant:        Tenant{ID: "t", DisplayName: "Contoso <R&D>", DefaultDomain: "contoso.onmicrosoft.com", Cloud: CloudUSGovDoD},
				Sources: map[string]Source{
					"entra.users":                 {Status: StatusOK, Count: &count},
					"secureScore.controlProfiles": {Status: StatusForbidden, Message: "needs SecurityEvents.Read.All"},
				},
				Entra: map[string]any{"users": []any{
					map[string]any{"id": "u1", "displayName": "Ünïcode \u2028 <b>", "n": json.Number("1.50e3"), "x": nil},
				}},
				SecureScore: map[string]any{},
			},
		},
		{
			name: "zero value",
			in:   &Snapshot{},
			want: &Snapshot{SchemaVersion: 1, Tenant: Tenant{Cloud: CloudGlobal}, Sources: map[string]Source{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "snap.json")
			if err := tt.in.Save(path); err != nil {
				t.Fatalf("Save: %v", err)
			}
			got, err := Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			if got.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("SHA256 = %s, want %x", got.SHA256, sum)
			}
			want := tt.want
			if want == nil {
				want = tt.in
			}
			if !got.CollectedAt.Equal(want.CollectedAt) {
				t.Errorf("CollectedAt = %v, want %v", got.CollectedAt, want.CollectedAt)
			}
			g, w := *got, *want
			g.SHA256, g.CollectedAt, w.CollectedAt = "", time.Time{}, time.Time{}
			if !reflect.DeepEqual(&g, &w) {
				t.Errorf("Load(Save(s)) =\n%#v\nwant\n%#v", g, w)
			}
			if names := dirNames(t, filepath.Dir(path)); !slices.Equal(names, []string{"snap.json"}) {
				t.Errorf("directory holds %v, want only snap.json", names)
			}
		})
	}
}

func TestSaveFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.json")
	s := &Snapshot{
		Generator: Generator{Name: "posture", Version: "1"},
		Entra:     map[string]any{"organization": map[string]any{"displayName": "A&B <x>"}},
	}
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "schemaVersion": 1,
  "generator": {
    "name": "posture",
    "version": "1"
  },
  "tenant": {
    "id": "",
    "displayName": "",
    "defaultDomain": "",
    "cloud": "global"
  },
  "sources": {},
  "entra": {
    "organization": {
      "displayName": "A&B <x>"
    }
  }
}
`
	if string(data) != want {
		t.Errorf("saved\n%s\nwant\n%s", data, want)
	}
	if s.SchemaVersion != 0 || s.Tenant.Cloud != "" || s.Sources != nil {
		t.Errorf("Save changed the snapshot: %+v", s)
	}
}

func TestSavePermissions(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.json")
	if err := (&Snapshot{}).Save(fresh); err != nil {
		t.Fatal(err)
	}
	existing := filepath.Join(dir, "old.json")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(existing, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := (&Snapshot{}).Save(existing); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]fs.FileMode{fresh: 0o600, existing: 0o640} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(path), got, want)
		}
	}
}

func TestSaveFailureLeavesOldFile(t *testing.T) {
	const old = "old content\n"
	bad := func(mod func(s *Snapshot)) *Snapshot {
		s := mustParse(t, example)
		mod(s)
		return s
	}
	tests := []struct {
		name    string
		s       *Snapshot
		target  string // relative to the test directory
		wantErr string // substring; "{path}" is the target path
	}{
		{
			name:    "value that cannot be marshalled",
			s:       bad(func(s *Snapshot) { s.Entra["users"] = []any{map[string]any{"ch": make(chan int)}} }),
			wantErr: "save snapshot {path}: json: unsupported type: chan int",
		},
		{
			name:    "NaN",
			s:       bad(func(s *Snapshot) { s.SecureScore["scores"] = []any{math.NaN()} }),
			wantErr: "save snapshot {path}: json: unsupported value: NaN",
		},
		{
			name:    "invalid number",
			s:       bad(func(s *Snapshot) { s.Intune = map[string]any{"x": json.Number("twelve")} }),
			wantErr: `save snapshot {path}: json: invalid number literal "twelve"`,
		},
		{
			name:    "time out of range",
			s:       bad(func(s *Snapshot) { s.CollectedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }),
			wantErr: "save snapshot {path}: json: error calling MarshalJSON for type time.Time",
		},
		{
			name:    "schema version",
			s:       bad(func(s *Snapshot) { s.SchemaVersion = 2 }),
			wantErr: "save snapshot {path}: $.schemaVersion: cannot write schemaVersion 2 (supports 1)",
		},
		{
			name:    "cloud",
			s:       bad(func(s *Snapshot) { s.Tenant.Cloud = "public" }),
			wantErr: `save snapshot {path}: $.tenant.cloud: expected one of global, usgov, usgovdod, china, got "public"`,
		},
		{
			name:    "source key",
			s:       bad(func(s *Snapshot) { s.Sources["users"] = Source{Status: StatusOK} }),
			wantErr: "save snapshot {path}: $.sources.users: invalid source key: expected <section>.<key> with section one of entra, exchange, intune, secureScore",
		},
		{
			name:    "source status",
			s:       bad(func(s *Snapshot) { s.Sources["entra.users"] = Source{} }),
			wantErr: `save snapshot {path}: $.sources["entra.users"].status: expected one of ok, error, forbidden, unlicensed, skipped, got ""`,
		},
		{
			name: "source count",
			s: bad(func(s *Snapshot) {
				n := -1
				s.Sources["entra.users"] = Source{Status: StatusOK, Count: &n}
			}),
			wantErr: `save snapshot {path}: $.sources["entra.users"].count: expected a non-negative integer, got -1`,
		},
		{
			name:    "target is a directory",
			s:       mustParse(t, example),
			target:  "adir",
			wantErr: "save snapshot {path}: is a directory",
		},
		{
			name:    "directory does not exist",
			s:       mustParse(t, example),
			target:  "missing/snap.json",
			wantErr: "save snapshot {path}: open ",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "snap.json")
			if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
				t.Fatal(err)
			}
			target := path
			if tt.target != "" {
				target = filepath.Join(dir, tt.target)
			}
			before := dirNames(t, dir)

			err := tt.s.Save(target)
			if err == nil {
				t.Fatal("Save succeeded, want an error")
			}
			want := strings.ReplaceAll(tt.wantErr, "{path}", target)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error\n got %s\nwant prefix %s", err, want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if data, err := os.ReadFile(path); err != nil || string(data) != old {
				t.Errorf("old file now %q, %v; want it intact", data, err)
			}
			if after := dirNames(t, dir); !slices.Equal(after, before) {
				t.Errorf("directory holds %v after a failed Save, want %v (no temporary files)", after, before)
			}
			if names := dirNames(t, filepath.Join(dir, "adir")); len(names) != 0 {
				t.Errorf("adir holds %v, want it empty", names)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bom := write("bom.json", utf8BOM+"{\"schemaVersion\": 1}\n\n  \n")
	truncated := write("truncated.json", "{\n  \"schemaVersion\": 1,\n  \"entra\": {\"users\": [")
	invalid := write("invalid.json", `{"schemaVersion": 1, "entra": {"users": {}}}`)
	trailing := write("trailing.json", "{\"schemaVersion\": 1}\n\n]")
	missing := filepath.Join(dir, "missing.json")

	s, err := Load(bom)
	if err != nil {
		t.Fatalf("Load(%s): %v", bom, err)
	}
	data, _ := os.ReadFile(bom)
	if sum := sha256.Sum256(data); s.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want %x (of every byte, byte order mark and trailing whitespace included)", s.SHA256, sum)
	}
	if p, _ := Parse("x", data); p.SHA256 != "" {
		t.Errorf("Parse set SHA256 = %q, want empty", p.SHA256)
	}

	tests := []struct {
		path     string
		want     string
		wantType bool // a *Error
		is       error
	}{
		{truncated, truncated + ":3:23: unexpected end of input (truncated file?)", true, nil},
		{invalid, invalid + ": $.entra.users: expected an array, got object", true, nil},
		{trailing, trailing + ":3:1: unexpected data after the snapshot object", true, nil},
		{missing, "load snapshot: open " + missing + ": no such file or directory", false, fs.ErrNotExist},
		{dir, "load snapshot: read " + dir + ": is a directory", false, nil},
	}
	for _, tt := range tests {
		_, err := Load(tt.path)
		if err == nil {
			t.Errorf("Load(%s) succeeded, want an error", tt.path)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Load error\n got %s\nwant %s", err, tt.want)
		}
		var e *Error
		if errors.As(err, &e) != tt.wantType {
			t.Errorf("Load(%s) error is %T, want *Error: %v", tt.path, err, tt.wantType)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("Load(%s) error does not wrap %v", tt.path, tt.is)
		}
	}
}

func TestParseDoesNotDependOnReadSizes(t *testing.T) {
	// A large document crosses the decoder's and bufio's buffer boundaries.
	var b bytes.Buffer
	b.WriteString(`{"schemaVersion": 1, "entra": {"users": [`)
	for i := range 20000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"id": "u"}`)
	}
	b.WriteString(`, 7]}}`)
	_, err := Parse("big.json", b.Bytes())
	want := "big.json: $.entra.users[20000]: expected an object, got 7"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
