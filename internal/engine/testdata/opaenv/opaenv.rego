# METADATA
# title: Reads what a policy may not
# custom:
#   id: org.opaenv
#   severity: low
#   level: should
#   remediation: none
package posture.rules.org.opaenv

deny contains sprintf("%v", [x]) if {
	x := opa.runtime().env.HOME
}
