package engine

import (
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// denied reports whether a built-in function is withheld from policies. Policies see only the
// snapshot and the config: no network (http.send, net.*), no environment or runtime
// (opa.runtime), and nothing that makes the same snapshot give a different report (rand.*,
// uuid.rfc4122). The clock is allowed because it is the snapshot's: the engine evaluates at
// input.collectedAt, so time.now_ns and the built-ins that check expiry (io.jwt.decode_verify)
// give one snapshot one result.
func denied(name string) bool {
	switch {
	case name == "http.send", name == "opa.runtime",
		name == "uuid.rfc4122", name == "trace":
		return true
	case strings.HasPrefix(name, "net."), strings.HasPrefix(name, "rand."):
		return true
	}
	return false
}

// Capabilities returns the sandbox every policy is compiled with, rules and their tests alike:
// this OPA's capabilities minus the denied built-ins.
func Capabilities() *ast.Capabilities { return capabilities() }

// capabilities is this OPA's capabilities minus the denied built-ins.
func capabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	kept := c.Builtins[:0]
	for _, b := range c.Builtins {
		if !denied(b.Name) {
			kept = append(kept, b)
		}
	}
	c.Builtins = kept
	c.AllowNet = []string{}
	return c
}

// sandboxMessage rewrites the compiler's "undefined function http.send" for a withheld
// built-in into an explanation.
func sandboxMessage(e *ast.Error) string {
	const prefix = "undefined function "
	if i := strings.Index(e.Message, prefix); i >= 0 {
		name := strings.Fields(e.Message[i+len(prefix):])
		if len(name) > 0 && denied(name[0]) {
			return fmt.Sprintf("%s is not allowed in posture policies: they run sandboxed, without network, environment or randomness", name[0])
		}
	}
	return e.Message
}
