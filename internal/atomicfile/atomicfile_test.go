package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
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
