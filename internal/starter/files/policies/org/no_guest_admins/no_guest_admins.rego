# METADATA
# title: Guests hold no directory roles
# description: >-
#   Guest accounts are managed by another organisation: their passwords, MFA and offboarding
#   are out of our hands, so they must not administer our tenant.
# related_resources:
#   - ref: https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
#     description: "Microsoft Learn: Microsoft Entra built-in roles"
# custom:
#   id: org.no_guest_admins
#   severity: high
#   level: shall
#   requires: [entra.users, entra.roleAssignments]
#   remediation: Remove the guests' role assignments in the Entra admin center > Roles & admins.
package posture.rules.org.no_guest_admins

guests := {u.id: u | some u in input.entra.users; u.userType == "Guest"}

deny contains {"msg": sprintf("guest %s holds a directory role", [u.userPrincipalName]), "entity": entity} if {
	some a in input.entra.roleAssignments
	u := guests[a.principalId]
	entity := {"type": "user", "id": u.id, "name": u.userPrincipalName}
}
