package engine

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// source is one Rego file before compilation.
type source struct {
	file    string // path shown to users
	module  *ast.Module
	builtin bool
}

// loadFS parses every non-test .rego file of fsys; prefix is prepended to file names in messages.
// The files are parsed in parallel: parsing the built-in policies is a third of posture's
// start-up otherwise. An error is the first one in file order, as a sequential walk would give.
func loadFS(fsys fs.FS, prefix string, builtin bool) ([]source, error) {
	type file struct {
		name string
		data []byte
	}
	var files []file
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return nil
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		files = append(files, file{filepath.Join(prefix, filepath.FromSlash(path)), data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	out := make([]source, len(files))
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := range next {
				m, err := parseModule(files[i].name, files[i].data)
				out[i], errs[i] = source{file: files[i].name, module: m, builtin: builtin}, err
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// loadDir loads an org policy directory.
func loadDir(dir string) ([]source, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("policy directory %s: %w", dir, unwrapPathError(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("policy directory %s: not a directory", dir)
	}
	srcs, err := loadFS(os.DirFS(dir), dir, false)
	if err != nil {
		return nil, err
	}
	for _, s := range srcs {
		if err := shadowedImport(s.file, s.module); err != nil {
			return nil, err
		}
	}
	return srcs, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// ParseModule parses a Rego v1 file with its METADATA as the engine does; a syntax error is one
// line naming the file and position.
func ParseModule(name string, data []byte) (*ast.Module, error) { return parseModule(name, data) }

// parseModule parses Rego v1 with METADATA; a syntax error becomes one line "file:line:col: msg".
func parseModule(name string, data []byte) (*ast.Module, error) {
	m, err := ast.ParseModuleWithOpts(name, string(data), ast.ParserOptions{
		ProcessAnnotation: true,
		RegoVersion:       ast.RegoV1,
	})
	if err != nil {
		return nil, regoError(err)
	}
	if m == nil {
		return nil, fmt.Errorf("%s: empty policy file; expected a package declaration", name)
	}
	return m, nil
}

// OneLine turns an OPA compile or parse error into posture's one-line form: the first
// problem's file:line:col and message, and how many more there are.
func OneLine(err error) error { return regoError(err) }

// regoError turns OPA's multi-line error lists into one line that names the first problem's
// file and position, and counts the rest.
func regoError(err error) error {
	errs, ok := err.(ast.Errors)
	if !ok || len(errs) == 0 {
		return err
	}
	sort.SliceStable(errs, func(i, j int) bool { return locLess(errs[i].Location, errs[j].Location) })
	first := errs[0]
	msg := sandboxMessage(first)
	if first.Location != nil {
		msg = fmt.Sprintf("%s:%d:%d: %s", first.Location.File, first.Location.Row, first.Location.Col, msg)
	}
	if n := len(errs) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more error(s))", n)
	}
	return fmt.Errorf("%s", msg)
}

func locLess(a, b *ast.Location) bool {
	switch {
	case a == nil:
		return false
	case b == nil:
		return true
	case a.File != b.File:
		return a.File < b.File
	case a.Row != b.Row:
		return a.Row < b.Row
	}
	return a.Col < b.Col
}
