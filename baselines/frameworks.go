package baselines

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/m365posture/posture/internal/yamldoc"
)

// frameworkDir holds the framework catalogs, one file per framework, named by its id.
const frameworkDir = "frameworks"

// Framework is a published framework's catalog of controls (CISA SCuBA's policies, the CIS
// benchmark's recommendations), in the framework's own order: what the result's framework view
// gives a verdict for. Rules cite its control ids in METADATA (frameworks: {<id>: [...]}).
type Framework struct {
	ID     string `json:"id" yaml:"id"`
	Title  string `json:"title" yaml:"title"`
	Source Source `json:"source" yaml:"source"`
	// Levels are the levels a control may have, in the framework's words (shall, should; L1,
	// L2).
	Levels []string `json:"levels" yaml:"levels" expect:"a list of the framework's levels, e.g. [shall, should]"`
	// Profiles, when given, are the profiles a control must name one of (CIS's E3, E5).
	Profiles []string `json:"profiles,omitempty" yaml:"profiles" expect:"a list of the framework's profiles, e.g. [E3, E5]"`
	// IDPattern is a regular expression every control id matches in full.
	IDPattern string             `json:"idPattern" yaml:"idPattern" expect:"a regular expression anchored with ^ and $"`
	Controls  []FrameworkControl `json:"controls" yaml:"controls"`

	byID map[string]int
}

// FrameworkControl is one control of a framework.
type FrameworkControl struct {
	ID      string `json:"id" yaml:"id" expect:"the control id, e.g. MS.AAD.3.2v2 or 5.2.2.1"`
	Title   string `json:"title" yaml:"title" expect:"a short title, one line"`
	Level   string `json:"level" yaml:"level"`
	Profile string `json:"profile,omitempty" yaml:"profile"`
	// Reason says why no posture rule checks the control; only for a control no rule cites.
	Reason string `json:"reason,omitempty" yaml:"reason" expect:"why posture has no verdict for the control, one line"`
}

// Control returns the control with the given id (exact).
func (f *Framework) Control(id string) (FrameworkControl, bool) {
	i, ok := f.byID[id]
	if !ok {
		return FrameworkControl{}, false
	}
	return f.Controls[i], true
}

// Frameworks returns the embedded framework catalogs sorted by id.
func Frameworks() ([]Framework, error) {
	names, err := fs.Glob(files, frameworkDir+"/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list framework catalogs: %w", err)
	}
	slices.Sort(names)
	var out []Framework
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read framework catalog %s: %w", name, err)
		}
		f, err := ParseFramework("baselines/"+name, data)
		if err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); f.ID != want {
			return nil, fmt.Errorf("baselines/%s: id %q does not match the file name %q", name, f.ID, want)
		}
		out = append(out, f)
	}
	return out, nil
}

// ParseFramework reads one framework catalog. file names the file in errors, which are one
// line: "file:line: what is wrong; what was expected". Unknown keys are rejected at every
// level, every control needs an id matching the catalog's idPattern, a title and one of its
// levels (and profiles, when it has them), ids are unique, and controls follow the
// framework's numbering (MS.AAD.3.2v2 before MS.AAD.3.10v1; 5.2.2.9 before 5.2.2.12), as the
// framework's own document lists them.
func ParseFramework(file string, data []byte) (Framework, error) {
	var f Framework
	lines, err := yamldoc.Decode(data, &f, yamldoc.Options{File: file, Name: "the framework catalog"})
	if err != nil {
		return Framework{}, err
	}
	if lines == nil {
		return Framework{}, fmt.Errorf("%s: empty file; expected a framework catalog (id, title, source, levels, idPattern, controls)", file)
	}
	c := checker{file: file, lines: lines}
	if err := c.framework(&f); err != nil {
		return Framework{}, err
	}
	pattern, err := c.idPattern(f.IDPattern)
	if err != nil {
		return Framework{}, err
	}
	f.byID = map[string]int{}
	var prev []idPart
	for i, ctl := range f.Controls {
		p := fmt.Sprintf("controls[%d]", i)
		if err := c.frameworkControl(f, ctl, p, pattern); err != nil {
			return Framework{}, err
		}
		if first, dup := f.byID[ctl.ID]; dup {
			return Framework{}, c.errorf(p+".id", "control %s listed twice (first at line %d); expected each control once", ctl.ID, lines[fmt.Sprintf("controls[%d]", first)])
		}
		cur := splitID(ctl.ID)
		if i > 0 && !idAfter(f.Controls[:i], prev, cur) {
			return Framework{}, c.errorf(p+".id", "control %s comes after %s (line %d); expected the framework's order", ctl.ID, f.Controls[i-1].ID, lines[fmt.Sprintf("controls[%d]", i-1)])
		}
		f.byID[ctl.ID] = i
		prev = cur
	}
	return f, nil
}

// framework checks a catalog's own keys.
func (c checker) framework(f *Framework) error {
	if err := c.required(f.ID, "", "id", "the framework catalog"); err != nil {
		return err
	}
	if !snakeCase.MatchString(f.ID) {
		return c.errorf("id", "id %q; expected a snake_case framework name such as cisa_scuba", f.ID)
	}
	if err := c.required(f.Title, "", "title", "the framework catalog"); err != nil {
		return err
	}
	if !c.lines.Has("source") {
		return c.errorf("", "the framework catalog has no source; expected source: {name, version, url} of the published framework")
	}
	for _, k := range []struct{ key, v string }{{"name", f.Source.Name}, {"version", f.Source.Version}, {"url", f.Source.URL}} {
		if err := c.required(k.v, "source", k.key, "source"); err != nil {
			return err
		}
	}
	if !strings.HasPrefix(f.Source.URL, "https://") {
		return c.errorf("source.url", "source.url %q; expected an https:// address", f.Source.URL)
	}
	if len(f.Levels) == 0 {
		return c.errorf(orRoot(c.lines, "levels"), "the framework catalog has no levels; expected levels: [<level>, ...], e.g. [shall, should]")
	}
	for _, list := range []struct {
		key  string
		vals []string
	}{{"levels", f.Levels}, {"profiles", f.Profiles}} {
		for i, v := range list.vals {
			if slices.Contains(list.vals[:i], v) {
				return c.errorf(fmt.Sprintf("%s[%d]", list.key, i), "%s: %s listed twice; expected each once", list.key, v)
			}
		}
	}
	if len(f.Controls) == 0 {
		return c.errorf(orRoot(c.lines, "controls"), "the framework catalog has no controls; expected controls: [{id, title, level}, ...]")
	}
	return nil
}

// idPattern compiles the catalog's idPattern, which must match whole ids.
func (c checker) idPattern(p string) (*regexp.Regexp, error) {
	if err := c.required(p, "", "idPattern", "the framework catalog"); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(p, "^") || !strings.HasSuffix(p, "$") {
		return nil, c.errorf("idPattern", "idPattern %q; expected a regular expression anchored with ^ and $", p)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, c.errorf("idPattern", "idPattern %q: %v; expected a Go regular expression", p, err)
	}
	return re, nil
}

// frameworkControl checks one control.
func (c checker) frameworkControl(f Framework, ctl FrameworkControl, p string, pattern *regexp.Regexp) error {
	if err := c.required(ctl.ID, p, "id", p); err != nil {
		return err
	}
	if !pattern.MatchString(ctl.ID) {
		return c.errorf(p+".id", "control id %q does not match idPattern %s; expected an id of %s", ctl.ID, f.IDPattern, f.Title)
	}
	where := "control " + ctl.ID
	if err := c.required(ctl.Title, p, "title", where); err != nil {
		return err
	}
	if strings.ContainsAny(ctl.Title, "\n\r") {
		return c.errorf(p+".title", "%s: title has more than one line; expected a short title", where)
	}
	if err := c.required(ctl.Level, p, "level", where); err != nil {
		return err
	}
	if !slices.Contains(f.Levels, ctl.Level) {
		return c.errorf(p+".level", "%s: level %q; expected one of %s", where, ctl.Level, strings.Join(f.Levels, ", "))
	}
	switch {
	case len(f.Profiles) > 0:
		if err := c.required(ctl.Profile, p, "profile", where); err != nil {
			return err
		}
		if !slices.Contains(f.Profiles, ctl.Profile) {
			return c.errorf(p+".profile", "%s: profile %q; expected one of %s", where, ctl.Profile, strings.Join(f.Profiles, ", "))
		}
	case c.lines.Has(p + ".profile"):
		return c.errorf(p+".profile", "%s: profile given, but the catalog lists no profiles; expected no profile", where)
	}
	if c.lines.Has(p+".reason") && strings.TrimSpace(ctl.Reason) == "" {
		return c.errorf(p+".reason", "%s: reason is empty; expected why posture has no verdict for it, or no reason key", where)
	}
	if strings.ContainsAny(ctl.Reason, "\n\r") {
		return c.errorf(p+".reason", "%s: reason has more than one line; expected one line", where)
	}
	return nil
}

// orRoot is path when the document has it, else the root (for a missing key).
func orRoot(l yamldoc.Lines, path string) string {
	if l.Has(path) {
		return path
	}
	return ""
}

// idPart is one part of a control id split for ordering: its leading letters (MS, AAD) or its
// number (3, 10); a version suffix (v2) does not order.
type idPart struct {
	text string
	num  int
	isNo bool
}

// splitID splits a control id at its dots, dropping a trailing version suffix: MS.AAD.3.2v2 ->
// MS, AAD, 3, 2.
func splitID(id string) []idPart {
	var parts []idPart
	for _, s := range strings.Split(id, ".") {
		if i := strings.LastIndex(s, "v"); i > 0 {
			if _, err := strconv.Atoi(s[i+1:]); err == nil {
				if _, err := strconv.Atoi(s[:i]); err == nil {
					s = s[:i]
				}
			}
		}
		if n, err := strconv.Atoi(s); err == nil {
			parts = append(parts, idPart{num: n, isNo: true})
		} else {
			parts = append(parts, idPart{text: s})
		}
	}
	return parts
}

// prefix is the id's leading text parts (MS.AAD), which group controls: a framework lists a
// group's controls together.
func prefix(parts []idPart) string {
	var out []string
	for _, p := range parts {
		if p.isNo {
			break
		}
		out = append(out, p.text)
	}
	return strings.Join(out, ".")
}

// idAfter reports whether cur may follow prev: within a group its numbers are larger; a new
// group must not be one listed before.
func idAfter(before []FrameworkControl, prev, cur []idPart) bool {
	if pp, cp := prefix(prev), prefix(cur); pp != cp {
		for _, b := range before {
			if prefix(splitID(b.ID)) == cp {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(prev) && i < len(cur); i++ {
		a, b := prev[i], cur[i]
		if a.isNo != b.isNo {
			return false
		}
		if a.isNo && a.num != b.num {
			return b.num > a.num
		}
		if !a.isNo && a.text != b.text {
			return false
		}
	}
	return len(cur) > len(prev)
}
