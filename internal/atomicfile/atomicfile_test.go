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

// writeString is a fill that writes s.
func writeString(s string) func(w io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteThroughLinks(t *testing.T) {
	tests := []struct {
		name string
		// setup makes the path to write in dir and returns it with the file that must then
		// hold the new content and the links that must still be links.
		setup func(t *testing.T, dir string) (path, file string, links []string)
	}{
		{"a link to a file", func(t *testing.T, dir string) (string, string, []string) {
			file := mkfile(t, filepath.Join(dir, "real.json"))
			return symlink(t, file, filepath.Join(dir, "link.json")), file, []string{filepath.Join(dir, "link.json")}
		}},
		{"a relative link into another directory", func(t *testing.T, dir string) (string, string, []string) {
			file := mkfile(t, filepath.Join(dir, "sub", "real.json"))
			return symlink(t, filepath.Join("sub", "real.json"), filepath.Join(dir, "link.json")), file, []string{filepath.Join(dir, "link.json")}
		}},
		{"a chain of links", func(t *testing.T, dir string) (string, string, []string) {
			file := mkfile(t, filepath.Join(dir, "real.json"))
			a := symlink(t, "real.json", filepath.Join(dir, "a"))
			b := symlink(t, "a", filepath.Join(dir, "b"))
			return b, file, []string{a, b}
		}},
		{"a dangling link creates its target", func(t *testing.T, dir string) (string, string, []string) {
			file := filepath.Join(dir, "new.json")
			return symlink(t, "new.json", filepath.Join(dir, "link.json")), file, []string{filepath.Join(dir, "link.json")}
		}},
		{"a hard link", func(t *testing.T, dir string) (string, string, []string) {
			// The name written is replaced; the other name keeps the old inode (as before).
			file := mkfile(t, filepath.Join(dir, "real.json"))
			return file, file, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path, file, links := tt.setup(t, dir)
			if err := Write(path, 0o644, writeString("new")); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if got, err := os.ReadFile(file); err != nil || string(got) != "new" {
				t.Errorf("%s holds %q (%v), want \"new\"", file, got, err)
			}
			for _, l := range links {
				if fi, err := os.Lstat(l); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("%s is no longer a symbolic link (%v)", l, err)
				}
			}
			leftovers(t, dir)
		})
	}
}

func TestWriteLinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	symlink(t, b, a)
	symlink(t, a, b)
	if err := Write(a, 0o644, writeString("new")); err == nil {
		t.Fatal("Write through a loop of links succeeded")
	}
	if fi, err := os.Lstat(a); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link (%v)", a, err)
	}
}

func TestSame(t *testing.T) {
	dir := t.TempDir()
	file := mkfile(t, filepath.Join(dir, "snap.json"))
	other := mkfile(t, filepath.Join(dir, "other.json"))
	link := symlink(t, file, filepath.Join(dir, "link.json"))
	hard := filepath.Join(dir, "hard.json")
	if err := os.Link(file, hard); err != nil {
		t.Fatal(err)
	}
	subdir := filepath.Join(dir, "sub")
	if err := os.Mkdir(subdir, 0o755); err != nil {
		t.Fatal(err)
	}
	dirLink := symlink(t, subdir, filepath.Join(dir, "dirlink"))
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, file)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		out, in string
		want    bool
	}{
		{"the same path", file, file, true},
		{"a symbolic link to it", link, file, true},
		{"a hard link to it", hard, file, true},
		{"a relative path to it", rel, file, true},
		{"a path with dots", filepath.Join(dir, "sub", "..", "snap.json"), file, true},
		{"another file", other, file, false},
		{"a new file", filepath.Join(dir, "new.json"), file, false},
		{"a new file twice", filepath.Join(dir, "new.json"), filepath.Join(dir, ".", "new.json"), true},
		{"a new file through a linked directory", filepath.Join(dirLink, "new.json"), filepath.Join(subdir, "new.json"), true},
		{"a dangling link to the new file", symlink(t, "new2.json", filepath.Join(dir, "dangling")), filepath.Join(dir, "new2.json"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Same(tt.out, tt.in); got != tt.want {
				t.Errorf("Same(%s, %s) = %v, want %v", tt.out, tt.in, got, tt.want)
			}
		})
	}
}

func mkfile(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func symlink(t *testing.T, target, link string) string {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	return link
}

// leftovers fails for temporary files left in dir.
func leftovers(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}
