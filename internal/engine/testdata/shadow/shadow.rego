# METADATA
# title: T
# description: D
# custom:
#   id: org.shadow
#   severity: low
#   level: should
#   requires: [entra.users]
#   remediation: R
package posture.rules.org.shadow

import data.posture.lib.params

deny contains {"msg": "x", "entity": {"type": "user", "id": u.id, "name": ""}} if {
	some u in input.entra.users
	params := u.x
	params == 1
}

limit := params.value("limit")

warn contains {"msg": "y", "entity": {"type": "user", "id": "1", "name": ""}} if limit > 5
