// Package policies embeds posture's built-in Rego rules and their shared library.
package policies

import "embed"

// FS holds every .rego file under policies/: rules at <area>/<rule>/<rule>.rego with
// <rule>_test.rego beside them, and shared helpers under lib/. go:embed rejects a directory
// with no files, so an area (conditionalaccess, exchange, ...) joins the list with its first rule.
//
//go:embed lib entra breakglass conditionalaccess exchange defender intune
var FS embed.FS
