package exo_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoGoCodeRunsPowerShell scans every non-test Go file of the module: none may start a
// process (os/exec, os.StartProcess, syscall.Exec) or name a PowerShell executable in a string.
// posture reads Exchange Online through its admin API over HTTPS only.
func TestNoGoCodeRunsPowerShell(t *testing.T) {
	root := filepath.Join("..", "..")
	shells := map[string]bool{"pwsh": true, "pwsh.exe": true, "powershell": true, "powershell.exe": true}
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "os/exec" {
				t.Errorf("%s imports os/exec", path)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && (id.Name == "os" && x.Sel.Name == "StartProcess" || id.Name == "syscall" && strings.HasPrefix(x.Sel.Name, "Exec")) {
					t.Errorf("%s calls %s.%s", path, id.Name, x.Sel.Name)
				}
			case *ast.BasicLit:
				if x.Kind == token.STRING {
					s, _ := strconv.Unquote(x.Value)
					base := strings.ToLower(filepath.Base(strings.TrimSpace(strings.ReplaceAll(s, `\`, "/"))))
					if shells[base] || strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "pwsh ") || strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "powershell ") {
						t.Errorf("%s names PowerShell in %s", path, x.Value)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("scanned %d files; the walk missed the module", files)
	}
}
