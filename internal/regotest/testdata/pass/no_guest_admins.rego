# METADATA
# title: Guests hold no directory roles
# description: Guest accounts are managed by another organisation; they should not administer ours.
# custom:
#   id: org.no_guest_admins
#   severity: high
#   level: shall
#   requires: [entra.users, entra.roleAssignments]
#   remediation: Remove the role assignments of guest accounts in Entra admin center > Roles & admins.
package posture.rules.org.no_guest_admins

guests := {u.id: u | some u in input.entra.users; u.userType == "Guest"}

deny contains {"msg": sprintf("guest %s holds a directory role", [u.userPrincipalName]), "entity": {"type": "user", "id": u.id, "name": u.userPrincipalName}} if {
	some a in input.entra.roleAssignments
	u := guests[a.principalId]
}
