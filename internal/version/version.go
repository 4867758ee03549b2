// Package version holds posture's name and version, stamped into snapshots and results.
package version

// Version is posture's release; builds may override it with
// -ldflags "-X github.com/m365posture/posture/internal/version.Version=1.2.3".
var Version = "0.1.0"

// Name is the generator name written into snapshots and results.
const Name = "posture"
