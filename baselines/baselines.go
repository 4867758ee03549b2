// Package baselines embeds posture's baseline definitions: which rules each baseline holds and
// whether each is a "shall" or a "should".
package baselines

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var files embed.FS

// Baseline is one baseline definition.
type Baseline struct {
	ID          string  `yaml:"id"`
	Title       string  `yaml:"title"`
	Description string  `yaml:"description"`
	Rules       []Entry `yaml:"rules"`
}

// Entry places one rule in a baseline.
type Entry struct {
	ID    string `yaml:"id"`
	Level string `yaml:"level"` // shall | should
}

// All returns the embedded baselines sorted by id.
func All() ([]Baseline, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list baselines: %w", err)
	}
	var out []Baseline
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("read baseline %s: %w", name, err)
		}
		b, err := parse(name, data)
		if err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); b.ID != want {
			return nil, fmt.Errorf("baselines/%s: id %q does not match the file name %q", name, b.ID, want)
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func parse(name string, data []byte) (Baseline, error) {
	var b Baseline
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		return b, fmt.Errorf("baselines/%s: %w", name, err)
	}
	seen := map[string]bool{}
	for _, e := range b.Rules {
		if e.Level != "shall" && e.Level != "should" {
			return b, fmt.Errorf("baselines/%s: rule %s: level %q; expected shall or should", name, e.ID, e.Level)
		}
		if seen[e.ID] {
			return b, fmt.Errorf("baselines/%s: rule %s listed twice", name, e.ID)
		}
		seen[e.ID] = true
	}
	return b, nil
}
