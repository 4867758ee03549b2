# METADATA
# title: Exactly two Global Administrators (org variant)
# custom:
#   id: entra.global_admin_count
#   replaces: entra.global_admin_count
#   severity: critical
#   level: shall
#   requires: [entra.roleAssignments]
#   remediation: Keep exactly two Global Administrators.
package posture.rules.acme.global_admins

deny contains {"msg": "org replacement ran", "entity": {"type": "tenant", "id": "t", "name": "t"}}
