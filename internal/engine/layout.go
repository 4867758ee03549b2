package engine

import (
	"io/fs"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// layout is what the embedded policy tree says by its file names alone, before anything is
// parsed: the file of each package and every rule id. Built-in policies keep one convention
// (STYLE.md): rule <area>.<name> is package posture.rules.<area>.<name> in
// <area>/<name>/<name>.rego, and library package posture.lib.<name> is lib/<name>.rego.
// TestBuiltinLayout holds every embedded file to it, so that a check of some baselines parses
// only the files of their rules and of the packages those refer to.
type layout struct {
	files map[string]string // package key (see pkgKey) -> file
	rules map[string]string // rule id -> file
	index packageIndex
}

// readLayout reads the layout of fsys. It reports false when a file breaks the convention:
// the tree must then be parsed whole.
func readLayout(fsys fs.FS) (*layout, bool) {
	files, err := regoFiles(fsys)
	if err != nil {
		return nil, false
	}
	l := &layout{files: map[string]string{}, rules: map[string]string{}}
	var keys []string
	for _, f := range files {
		parts := strings.Split(f, "/")
		stem := strings.TrimSuffix(parts[len(parts)-1], ".rego")
		var segs []string
		switch {
		case len(parts) == 2 && parts[0] == "lib":
			segs = []string{"posture", "lib", stem}
		case len(parts) == 3 && parts[1] == stem:
			segs = []string{"posture", "rules", parts[0], stem}
			l.rules[parts[0]+"."+stem] = f
		default:
			return nil, false
		}
		for _, s := range segs {
			if !ast.IsVarCompatibleString(s) {
				return nil, false
			}
		}
		key := strings.Join(segs, pkgSep)
		l.files[key] = f
		keys = append(keys, key)
	}
	l.index = newPackageIndex(keys)
	return l, true
}

// ruleFile is the file of a rule id, or "" for an id the tree has no file for.
func (l *layout) ruleFile(id string) string { return l.rules[id] }

// refFiles lists the files of the packages m refers to.
func (l *layout) refFiles(m *ast.Module) []string {
	var out []string
	l.index.referenced(m, func(key string) { out = append(out, l.files[key]) })
	return out
}

// pkgSep joins the parts of a package key: the string parts of a package path after data,
// e.g. posture, lib, ca. A key compares paths without rendering them (Ref.String quotes parts
// that are not identifiers), which is most of the cost of finding what a module refers to.
const pkgSep = "\x00"

// pkgKey is the key of a package path (data.posture.lib.ca); ok is false for a path with a part
// that is not a string.
func pkgKey(path ast.Ref) (string, bool) {
	var b strings.Builder
	for i, t := range path[1:] {
		s, isStr := t.Value.(ast.String)
		if !isStr {
			return "", false
		}
		if i > 0 {
			b.WriteString(pkgSep)
		}
		b.WriteString(string(s))
	}
	return b.String(), true
}

// packageIndex finds the packages a module refers to among a set of packages.
type packageIndex struct {
	pkgs  map[string]bool     // package keys
	under map[string][]string // a proper prefix of package keys -> the packages under it
}

func newPackageIndex(keys []string) packageIndex {
	x := packageIndex{pkgs: map[string]bool{}, under: map[string][]string{}}
	for _, k := range keys {
		if x.pkgs[k] {
			continue
		}
		x.pkgs[k] = true
		x.under[""] = append(x.under[""], k) // a reference to data itself
		for i := range len(k) {
			if k[i] == pkgSep[0] {
				x.under[k[:i]] = append(x.under[k[:i]], k)
			}
		}
	}
	return x
}

// referenced calls found for every package m refers to, by import or by a reference into data:
// a reference names a package when one is a prefix of the other (data.posture.lib.ca.policies
// names posture.lib.ca; data.posture.lib names every library package). found may be called
// more than once for a package.
func (x packageIndex) referenced(m *ast.Module, found func(key string)) {
	seen := map[string]bool{}
	visit := func(ref ast.Ref) {
		if len(ref) == 0 || !ref[0].Equal(ast.DefaultRootDocument) {
			return
		}
		var b strings.Builder
		open := true // the reference's constant part is all strings so far
		for i, t := range ref[1:] {
			s, isStr := t.Value.(ast.String)
			if !isStr {
				// A variable ends the constant prefix, which then names every package under it;
				// any other ground term ends it too, and no package name holds one.
				open = !t.IsGround()
				break
			}
			if i > 0 {
				b.WriteString(pkgSep)
			}
			b.WriteString(string(s))
			if k := b.String(); x.pkgs[k] && !seen[k] {
				seen[k] = true
				found(k)
			}
		}
		if k := b.String(); open && !seen["\x01"+k] {
			seen["\x01"+k] = true
			for _, p := range x.under[k] {
				if !seen[p] {
					seen[p] = true
					found(p)
				}
			}
		}
	}
	for _, imp := range m.Imports {
		if ref, ok := imp.Path.Value.(ast.Ref); ok {
			visit(ref)
		}
	}
	ast.WalkRefs(m, func(ref ast.Ref) bool {
		visit(ref)
		return false
	})
}
