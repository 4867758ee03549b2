package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// document is the part of the embedded files the tests read: the snapshot header and the
// config's break-glass declaration. Unknown fields are ignored by both decoders.
type document struct {
	SchemaVersion int `json:"schemaVersion" yaml:"schemaVersion"`
	Tenant        struct {
		DisplayName string `json:"displayName" yaml:"displayName"`
	} `json:"tenant" yaml:"tenant"`
	BreakGlass struct {
		Users  []string `json:"users" yaml:"users"`
		Groups []string `json:"groups" yaml:"groups"`
	} `json:"breakGlass" yaml:"breakGlass"`
}

func TestEmbeddedFiles(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		decode func([]byte, any) error
		check  func(t *testing.T, d document)
	}{
		{
			name:   "contoso.json",
			data:   Snapshot,
			decode: json.Unmarshal,
			check: func(t *testing.T, d document) {
				if d.SchemaVersion != 1 {
					t.Errorf("schemaVersion = %d, want 1", d.SchemaVersion)
				}
				if d.Tenant.DisplayName != "Contoso" {
					t.Errorf("tenant.displayName = %q, want %q", d.Tenant.DisplayName, "Contoso")
				}
			},
		},
		{
			name:   "examples/demo/posture.yaml",
			data:   Config,
			decode: yaml.Unmarshal,
			check: func(t *testing.T, d document) {
				if len(d.BreakGlass.Users)+len(d.BreakGlass.Groups) == 0 {
					t.Error("breakGlass declares no users or groups; the demo needs its break-glass accounts")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) == 0 {
				t.Fatal("embedded file is empty")
			}
			var d document
			if err := tt.decode(tt.data, &d); err != nil {
				t.Fatalf("decode: %v", err)
			}
			tt.check(t, d)
		})
	}
}

// TestConfigIsThePublishedFile: --demo applies examples/demo/posture.yaml byte for byte, so
// the README's walkthrough (sim serve --demo, collect, check --config that file) can reproduce
// check --demo; ConfigPath names that file.
func TestConfigIsThePublishedFile(t *testing.T) {
	published, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(ConfigPath)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Config, published) {
		t.Errorf("the embedded demo config (%d bytes) is not %s (%d bytes)", len(Config), ConfigPath, len(published))
	}
	if _, err := os.Stat("contoso.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("internal/demo/contoso.yaml is back (%v); the demo config lives in %s alone", err, ConfigPath)
	}
}
