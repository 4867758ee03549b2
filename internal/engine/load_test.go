package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadDir(t *testing.T) {
	const rule = "package posture.rules.org.x\n\ndeny contains 1 if false\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // the files loaded, or
		err   string   // the error's start, after the directory
	}{
		{"rules in subdirectories; tests and other files left out", map[string]string{
			"a/a.rego": rule, "a/a_test.rego": "package x_test\n", "b/c/c.rego": rule, "notes.md": "# notes", "data.json": "{}", "d.yaml": "x: [",
		}, []string{"a/a.rego", "b/c/c.rego"}, ""},
		{"syntax error", map[string]string{"a.rego": rule, "bad.rego": "package x\n\nallow if {\n"}, nil, "/bad.rego:4:0: unexpected eof token"},
		{"empty file", map[string]string{"a.rego": rule, "empty.rego": ""}, nil, "/empty.rego: empty policy file; expected a package declaration"},
		{"only comments", map[string]string{"notes.rego": "# nothing yet\n"}, nil, "/notes.rego: empty policy file; expected a package declaration"},
		{"Rego v0 syntax", map[string]string{"old.rego": "package x\n\ndeny[msg] { msg := 1 }\n"}, nil, "/old.rego:3:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			srcs, err := loadDir(dir)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), dir+tt.err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error = %v, want one line starting %s", err, dir+tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range srcs {
				got = append(got, strings.TrimPrefix(s.file, dir+"/"))
				if s.builtin || s.module == nil || s.module.Package.Location.File != s.file {
					t.Errorf("%s: builtin %t, module located in %v", s.file, s.builtin, s.module.Package.Location)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("loaded %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLoadFSNamesFilesAsTheRepository: embedded policies are named policies/<path>, in
// messages and in every location, as docs/rules.md and errors show them.
func TestLoadFSNamesFilesAsTheRepository(t *testing.T) {
	fsys := fstest.MapFS{
		"entra/x/x.rego":      {Data: []byte("package posture.rules.entra.x\n\ndeny contains 1 if false\n")},
		"entra/x/x_test.rego": {Data: []byte("package posture.rules.entra.x_test\n")},
		"lib/l.rego":          {Data: []byte("package posture.lib.l\n\nv := 1\n")},
	}
	srcs, err := loadFS(fsys, "policies", true)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[0].file != "policies/entra/x/x.rego" || srcs[1].file != "policies/lib/l.rego" || !srcs[0].builtin {
		t.Fatalf("loaded %+v", srcs)
	}
	if loc := srcs[0].module.Package.Location; loc.File != "policies/entra/x/x.rego" {
		t.Errorf("package located in %s", loc.File)
	}
	fsys["lib/bad.rego"] = &fstest.MapFile{Data: []byte("package posture.lib.bad\n\nv := \n")}
	if _, err := loadFS(fsys, "policies", true); err == nil || !strings.HasPrefix(err.Error(), "policies/lib/bad.rego:4:0: unexpected eof token") {
		t.Errorf("error = %v, want it at policies/lib/bad.rego:4", err)
	}
}
