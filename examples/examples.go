// Package examples embeds the published example files posture itself applies: the demo
// tenant's org config, so that `check --demo` and the file a reader copies are the same bytes.
package examples

import _ "embed"

// DemoConfig is the org config of the demo tenant (DemoConfigPath): its break-glass accounts,
// the parameters of two SCuBA rules and one exception. `posture check --demo` applies it.
//
//go:embed demo/posture.yaml
var DemoConfig []byte

// DemoConfigPath is DemoConfig's path in the repository: how --demo names the config it
// applies, on stderr and in the result's evidence.
const DemoConfigPath = "examples/demo/posture.yaml"
