// Package demo embeds the Contoso demo tenant that `posture check --demo` evaluates.
package demo

import (
	_ "embed"

	"github.com/m365posture/posture/examples"
)

// Snapshot is the Contoso demo tenant, a schema version 1 snapshot (see testdata/README.md
// for the results each rule is expected to give on it).
//
//go:embed contoso.json
var Snapshot []byte

// Config is the org config for the demo tenant: its break-glass accounts, parameters and one
// exception. It is the published examples/demo/posture.yaml (ConfigPath), embedded from there,
// so that checking a collection of the demo tenant with that file gives check --demo's findings.
var Config = examples.DemoConfig

// ConfigPath is Config's path in the repository, as --demo names it.
const ConfigPath = examples.DemoConfigPath
