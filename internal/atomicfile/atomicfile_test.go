package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		fill    func(w io.Writer) error
		want    string
		wantErr bool
	}{
		{"replaces content", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, "new", false},
		{"keeps old content on error", func(w io.Writer) error { io.WriteString(w, "half"); return boom }, "old", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.json")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := Write(path, 0o644, tt.fill)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Write error = %v, want error %v", err, tt.wantErr)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tt.want {
				t.Errorf("content = %q, want %q", got, tt.want)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("directory holds %d entries, want only out.json (no temporary files left)", len(entries))
			}
		})
	}
}

func TestWriteMissingDir(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "no", "such", "out"), 0o644, func(io.Writer) error { return nil })
	if err == nil {
		t.Fatal("Write into a missing directory succeeded")
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, wantErr string // wantErr "" for a path Write can write
	}{
		{"new file", filepath.Join(dir, "new.json"), ""},
		{"existing file", file, ""},
		{"missing directory", filepath.Join(dir, "no", "such", "out.json"), "directory " + filepath.Join(dir, "no", "such") + " does not exist"},
		{"a directory", dir, "is a directory"},
		{"a directory with a slash", dir + "/", "is a directory"},
		{"under a file", filepath.Join(file, "out.json"), file + " is not a directory"},
		{"read-only directory", filepath.Join(readOnly, "out.json"), "cannot create a file in " + readOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "read-only directory" && os.Geteuid() == 0 {
				tt.wantErr = "" // root writes anywhere
			}
			err := Check(tt.path)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Check(%s) = %v, want nil", tt.path, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Check(%s) = %v, want an error containing %q", tt.path, err, tt.wantErr)
			}
			if got, _ := os.ReadFile(file); string(got) != "old" {
				t.Errorf("Check changed %s", file)
			}
			for _, d := range []string{dir, readOnly} {
				entries, _ := os.ReadDir(d)
				for _, e := range entries {
					if strings.Contains(e.Name(), ".tmp-") {
						t.Errorf("Check left %s in %s", e.Name(), d)
					}
				}
			}
		})
	}
}
