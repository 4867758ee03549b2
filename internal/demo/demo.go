// Package demo embeds the Contoso demo tenant that `posture check --demo` evaluates.
package demo

import _ "embed"

// Snapshot is the Contoso demo tenant, a schema version 1 snapshot (see testdata/README.md
// for the results each rule is expected to give on it).
//
//go:embed contoso.json
var Snapshot []byte

// Config is the org config for the demo tenant: its break-glass accounts and one exception.
//
//go:embed contoso.yaml
var Config []byte
