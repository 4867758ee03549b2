# METADATA
# title: T
# description: D
# custom:
#   id: org.shadow_some
#   severity: low
#   level: should
#   requires: [entra.users]
#   remediation: R
package posture.rules.org.shadow_some

import data.posture.lib.groups

limit := groups.member_ids("x")

deny contains {"msg": "x", "entity": {"type": "user", "id": "1", "name": ""}} if {
	some groups in input.entra.users
	groups.id == limit
}
