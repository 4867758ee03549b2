package engine

import (
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
)

// source is one Rego file before compilation.
type source struct {
	file    string // path shown to users
	module  *ast.Module
	builtin bool
}

// loadFS parses every non-test .rego file of fsys with OPA's loader; files are named
// prefix/<path> in messages and locations, as they are named in the repository.
func loadFS(fsys fs.FS, prefix string, builtin bool) ([]source, error) {
	return load(loader.NewFileLoader().WithFS(mounted{at: prefix, fsys: fsys}), prefix, builtin)
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
	// No FS: the loader reads the directory itself, so files keep the names the user gave.
	srcs, err := load(loader.NewFileLoader(), dir, false)
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

// load parses the policies under root as posture reads every policy: Rego v1, METADATA
// processed, tests and other files left out. A syntax error is one line "file:line:col: msg".
func load(l loader.FileLoader, root string, builtin bool) ([]source, error) {
	res, err := l.WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).
		Filtered([]string{root}, func(_ string, info fs.FileInfo, _ int) bool {
			name := info.Name()
			return !info.IsDir() && (!strings.HasSuffix(name, ".rego") || strings.HasSuffix(name, "_test.rego"))
		})
	if err != nil {
		return nil, loadError(err)
	}
	out := make([]source, 0, len(res.Modules))
	for _, f := range res.Modules {
		out = append(out, source{file: f.Name, module: f.Parsed, builtin: builtin})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out, nil
}

// loadError makes the loader's error list one line: the first parse error by position (with a
// count of the rest), or the first other problem.
func loadError(err error) error {
	errs, ok := err.(loader.Errors)
	if !ok || len(errs) == 0 {
		return err
	}
	var parse ast.Errors
	for _, e := range errs {
		ae, ok := e.(*ast.Error)
		if !ok {
			continue
		}
		if ae.Message == "empty module" && ae.Location != nil {
			// OPA places this at 0:0; the file as a whole is what is wrong.
			return fmt.Errorf("%s: empty policy file; expected a package declaration", ae.Location.File)
		}
		parse = append(parse, ae)
	}
	if len(parse) > 0 {
		return regoError(parse)
	}
	return unwrapPathError(errs[0])
}

// mounted shows fsys as the directory at, so the loader names embedded files as the
// repository does (policies/entra/...).
type mounted struct {
	at   string
	fsys fs.FS
}

func (m mounted) Open(name string) (fs.File, error) {
	if name == m.at {
		return m.fsys.Open(".")
	}
	if rest, ok := strings.CutPrefix(name, m.at+"/"); ok {
		return m.fsys.Open(rest)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
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
