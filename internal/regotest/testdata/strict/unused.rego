# METADATA
# title: Something
# description: A rule with an unused variable.
# custom:
#   id: org.unused
#   severity: low
#   level: should
#   requires: [entra.users]
#   remediation: Nothing.
package posture.rules.org.unused

deny contains {"msg": "x", "entity": {"type": "user", "id": u.id, "name": ""}} if {
	some u in input.entra.users
	unused := u.displayName
}
