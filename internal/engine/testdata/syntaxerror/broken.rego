# METADATA
# title: Broken
# custom:
#   id: org.broken
#   severity: low
#   level: should
#   remediation: none
package posture.rules.org.broken

deny contains msg if {
	msg := "unterminated
}
