package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
)

// source is one Rego file before compilation.
type source struct {
	file    string // path shown to users
	module  *ast.Module
	builtin bool
	sum     string // the SHA-256 of the file's bytes, in hex: the result's evidence
	weight  int    // what compiling it costs, roughly (see sourceWeight)
	// meta is the rule read from the module's package METADATA, when it was read while the
	// files were parsed (see readAhead); nil otherwise.
	meta *metaRead
}

// metaRead is a rule package's METADATA read ahead: the annotation, and the rule or the error.
type metaRead struct {
	annotation *ast.Annotations
	rule       Rule
	err        error
}

// readAhead reads the package METADATA of a rule module, so that parsing workers do it in
// parallel; readRules uses what it read. It reads the first package annotation of a module
// under posture.rules.
func (s *source) readAhead() {
	if len(s.module.Package.Path) < 3 || !s.module.Package.Path.HasPrefix(rulePackageRef) {
		return
	}
	for _, a := range s.module.Annotations {
		if a.Scope == "package" {
			r, err := ruleFromMetadata(s.module, a, s.file)
			s.meta = &metaRead{annotation: a, rule: r, err: err}
			return
		}
	}
}

// loadFS parses every non-test .rego file of fsys with OPA's loader; files are named
// prefix/<path> in messages and locations, as they are named in the repository.
func loadFS(fsys fs.FS, prefix string, builtin bool) ([]source, error) {
	files, err := regoFiles(fsys)
	if err != nil {
		return nil, fmt.Errorf("list policies: %w", err)
	}
	return parseFS(fsys, prefix, files, builtin, nil)
}

// regoFiles lists the non-test .rego files of fsys, sorted.
func regoFiles(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isPolicyFile(d.Name()) {
			files = append(files, path)
		}
		return err
	})
	return files, err
}

// isPolicyFile reports whether a file is one posture loads: Rego, and not a test.
func isPolicyFile(name string) bool {
	return strings.HasSuffix(name, ".rego") && !strings.HasSuffix(name, "_test.rego")
}

// parseFS parses files of fsys (paths inside fsys, named prefix/<path>) with OPA's loader, a
// file at a time on every processor, and reads each rule's METADATA there too: parsing is most
// of reading the catalog, and files parse independently. With refs, the files refs names for each parsed module are parsed too, once
// each, so that a selection of rules brings in the library packages they use. Parse errors are
// reported as the loader reports them for all the files at once: the first by position.
func parseFS(fsys fs.FS, prefix string, files []string, builtin bool, refs func(*ast.Module) []string) ([]source, error) {
	var (
		mu     sync.Mutex
		more   = sync.NewCond(&mu)
		queue  []string // files to parse
		queued = map[string]bool{}
		active int // files being parsed
		srcs   []source
		errs   loader.Errors
	)
	add := func(files []string) {
		for _, f := range files {
			if !queued[f] {
				queued[f] = true
				queue = append(queue, f)
			}
		}
	}
	add(files)
	parse := func() {
		// A loader each: the loader's metrics are not safe for concurrent use.
		l := loader.NewFileLoader().WithFS(mounted{at: prefix, fsys: fsys}).WithProcessAnnotation(true).WithRegoVersion(ast.RegoV1)
		mu.Lock()
		defer mu.Unlock()
		for {
			for len(queue) == 0 && active > 0 {
				more.Wait()
			}
			if len(queue) == 0 {
				more.Broadcast()
				return
			}
			file := queue[0]
			queue = queue[1:]
			active++
			mu.Unlock()
			res, err := l.All([]string{prefix + "/" + file})
			var deps []string
			read := map[string]*metaRead{}
			sums := map[string]string{} // hashed here, outside the lock
			if res != nil {
				for _, f := range res.Modules {
					if refs != nil {
						deps = append(deps, refs(f.Parsed)...)
					}
					src := source{file: f.Name, module: f.Parsed}
					src.readAhead()
					read[f.Name] = src.meta
					sums[f.Name] = fileSum(f.Raw)
				}
			}
			mu.Lock()
			active--
			if le, ok := err.(loader.Errors); ok {
				errs = append(errs, le...)
			} else if err != nil {
				errs = append(errs, err)
			}
			if res != nil {
				for _, f := range res.Modules {
					srcs = append(srcs, source{file: f.Name, module: f.Parsed, builtin: builtin, sum: sums[f.Name], weight: sourceWeight(f.Parsed, f.Raw), meta: read[f.Name]})
				}
			}
			add(deps)
			more.Broadcast()
		}
	}
	var workers sync.WaitGroup
	for range max(runtime.GOMAXPROCS(0), 1) {
		workers.Go(parse)
	}
	workers.Wait()
	if len(errs) > 0 {
		return nil, loadError(errs)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].file < srcs[j].file })
	return srcs, nil
}

// fileSum is the SHA-256 of a policy file's bytes, in hex.
func fileSum(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
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
			return !info.IsDir() && !isPolicyFile(info.Name())
		})
	if err != nil {
		return nil, loadError(err)
	}
	out := make([]source, 0, len(res.Modules))
	for _, f := range res.Modules {
		out = append(out, source{file: f.Name, module: f.Parsed, builtin: builtin, sum: fileSum(f.Raw), weight: sourceWeight(f.Parsed, f.Raw)})
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
