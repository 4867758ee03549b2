// Package baselines embeds posture's baseline definitions: which rules each baseline holds,
// whether each is a "shall" or a "should", and, for configuration baselines such as the
// Windows security baseline, the expected settings the rules compare a tenant with.
package baselines

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/m365posture/posture/internal/yamldoc"
)

//go:embed *.yaml frameworks/*.yaml
var files embed.FS

// Baseline is one baseline definition.
type Baseline struct {
	ID          string    `json:"id" yaml:"id"`
	Title       string    `json:"title" yaml:"title"`
	Description string    `json:"description,omitempty" yaml:"description"`
	Source      *Source   `json:"source,omitempty" yaml:"source"`     // the published baseline this one follows, if any
	Rules       []Entry   `json:"rules" yaml:"rules"`                 // the rules the baseline holds
	Settings    []Setting `json:"settings,omitempty" yaml:"settings"` // expected settings, for configuration baselines
	// Verification lists the published exports the settings' ids and values were checked
	// against; a setting names the ones that confirm it (Setting.Verified).
	Verification []Evidence `json:"verification,omitempty" yaml:"verification"`
}

// Evidence is one published document a baseline's settings were checked against, such as an
// export of Microsoft's settings template of the baseline.
type Evidence struct {
	ID    string `json:"id" yaml:"id"`       // what settings name it by (snake_case)
	Title string `json:"title" yaml:"title"` // what it is and what it shows
	URL   string `json:"url" yaml:"url"`     // where to read it, pinned to a version where one exists
}

// Entry places one rule in a baseline.
type Entry struct {
	ID    string `json:"id" yaml:"id"`
	Level string `json:"level" yaml:"level" expect:"shall or should"`
}

// Source names the published baseline a baseline follows (e.g. Microsoft's security baseline
// for Windows), so a report can say which version it checked against.
type Source struct {
	Name    string `json:"name" yaml:"name"`
	Version string `json:"version,omitempty" yaml:"version"`
	URL     string `json:"url" yaml:"url"`
}

// Setting is one expected configuration setting: a settings catalog setting definition and
// the value (or range of values) the baseline expects of it.
type Setting struct {
	ID           string   `json:"id" yaml:"id"`                     // stable snake_case id; what org parameters override by
	DefinitionID string   `json:"definitionId" yaml:"definitionId"` // the settings catalog settingDefinitionId
	Title        string   `json:"title" yaml:"title"`
	Area         string   `json:"area" yaml:"area"` // e.g. smb, uac, defender, asr
	Severity     string   `json:"severity" yaml:"severity"`
	Expected     Expected `json:"expected" yaml:"expected"`
	Legacy       *Legacy  `json:"legacy,omitempty" yaml:"legacy"` // the same setting in older policy types
	// SecureScore lists the Microsoft Secure Score controls the setting counts toward; a rule
	// reports per-control coverage from them (control_coverage).
	SecureScore []string `json:"secureScore,omitempty" yaml:"secureScore"`
	// Verified names the baseline's Verification entries that confirm the setting's
	// definitionId and expected value.
	Verified []string `json:"verified,omitempty" yaml:"verified"`
}

// Expected holds exactly one of its forms: Value (a choice option id or exact scalar; a
// collection setting matches when it holds the value), Values (any of these), Min and/or Max
// (integer bounds, both together a range) or Equals (an exact integer or string).
type Expected struct {
	Value  *yamldoc.Value  `json:"value,omitempty" yaml:"value" expect:"a string, number or boolean"`
	Values []yamldoc.Value `json:"values,omitempty" yaml:"values" expectItem:"a string, number or boolean"`
	Min    *int64          `json:"min,omitempty" yaml:"min"`
	Max    *int64          `json:"max,omitempty" yaml:"max"`
	Equals *yamldoc.Value  `json:"equals,omitempty" yaml:"equals" expect:"a string, number or boolean"`
}

// Legacy says where a setting lives in the policy types that predate the settings catalog.
type Legacy struct {
	DeviceConfiguration *LegacyProperty `json:"deviceConfiguration,omitempty" yaml:"deviceConfiguration"`
	Intent              *LegacyIntent   `json:"intent,omitempty" yaml:"intent"`
}

// LegacyProperty is a typed property of a device configuration profile, e.g. a property of
// #microsoft.graph.windows10EndpointProtectionConfiguration, and its expected value. Without a
// Value the property is compared with the setting's Expected (an integer bound, say).
type LegacyProperty struct {
	Type     string         `json:"type" yaml:"type"`
	Property string         `json:"property" yaml:"property"`
	Value    *yamldoc.Value `json:"value,omitempty" yaml:"value" expect:"a string, number or boolean"`
}

// LegacyIntent is a setting of a security baseline intent (its definitionId) and the value
// its valueJson is expected to hold; without a Value, the setting's Expected.
type LegacyIntent struct {
	DefinitionID string         `json:"definitionId" yaml:"definitionId"`
	Value        *yamldoc.Value `json:"value,omitempty" yaml:"value" expect:"a string, number or boolean"`
}

// Severities are the severities a setting may have, as rules have them.
var Severities = []string{"critical", "high", "medium", "low", "info"}

// All returns the embedded baselines sorted by id. The files are parsed side by side: the
// Windows baseline's settings take most of the time, and a check waits for them.
func All() ([]Baseline, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list baselines: %w", err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return n == catalogFile }) // the Secure Score control catalog, not a baseline
	out := make([]Baseline, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { out[i], errs[i] = load(name) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first by file name, as when they were read in turn
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// load reads and parses one embedded baseline file.
func load(name string) (Baseline, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return Baseline{}, fmt.Errorf("read baseline %s: %w", name, err)
	}
	b, err := Parse("baselines/"+name, data)
	if err != nil {
		return Baseline{}, err
	}
	if want := strings.TrimSuffix(path.Base(name), ".yaml"); b.ID != want {
		return Baseline{}, fmt.Errorf("baselines/%s: id %q does not match the file name %q", name, b.ID, want)
	}
	return b, nil
}
