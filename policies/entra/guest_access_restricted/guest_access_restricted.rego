# METADATA
# title: Guest users have limited or restricted access to directory objects
# description: >-
#   A guest account belongs to someone else's organization and is protected by their controls,
#   so a compromised or malicious guest should not be able to enumerate the directory's users,
#   groups and memberships as reconnaissance for phishing and privilege escalation. The guest
#   user access level is authorizationPolicy.guestUserRoleId. The rule passes for the limited
#   access role (10dae51f-b6af-4016-8d66-8c2a99b929b3, the default) or the restricted access role
#   (2af84b1e-32c8-42b7-82bc-daa82404023b); it fails when guests have the same access as members
#   (a0b1b346-4d3e-4e8b-98f8-753987be4970) or any other value, and cannot verify (error) when the
#   property is missing or not a string. CISA SCuBA MS.AAD.8.1v1 and CIS 5.1.6.2 accept the
#   same two levels, so a violation breaks both.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/users/users-restrict-guest-permissions
#     description: "Microsoft Learn: Restrict guest access permissions in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/fundamentals/users-default-permissions#compare-member-and-guest-default-permissions
#     description: "Microsoft Learn: Compare member and guest default permissions"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy
#     description: "Microsoft Learn: authorizationPolicy resource type (guestUserRoleId)"
# custom:
#   id: entra.guest_access_restricted
#   severity: medium
#   level: should
#   requires: [entra.authorizationPolicy]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.8.1v1]
#     cis_m365: ["5.1.6.2"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > External Identities > External
#     collaboration settings, and under "Guest user access" choose "Guest users have limited access
#     to properties and memberships of directory objects" or, better, "Guest user access is
#     restricted to properties and memberships of their own directory objects (most restrictive)",
#     then save. With Microsoft Graph, PATCH /policies/authorizationPolicy with {"guestUserRoleId":
#     "2af84b1e-32c8-42b7-82bc-daa82404023b"} (or 10dae51f-b6af-4016-8d66-8c2a99b929b3).
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.guest_access_restricted

import data.posture.lib.entity

# Every violation breaks every control the rule cites: both accept the limited and the restricted
# guest access levels and nothing else.
_controls := ["MS.AAD.8.1v1", "5.1.6.2"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

same_as_members := "a0b1b346-4d3e-4e8b-98f8-753987be4970"

limited := "10dae51f-b6af-4016-8d66-8c2a99b929b3"

restricted := "2af84b1e-32c8-42b7-82bc-daa82404023b"

_policy := input.entra.authorizationPolicy

_entity := entity.setting("authorizationPolicy.guestUserRoleId", "Guest user access restrictions")

default _raw_role := null

_raw_role := object.get(_policy, "guestUserRoleId", null) if is_object(_policy)

# role_id is the guest user role, lowercased; null when missing.
role_id := lower(_raw_role) if is_string(_raw_role)

role_id := _raw_role if not is_string(_raw_role)

_violations contains {"msg": msg, "entity": _entity} if {
	role_id == same_as_members
	msg := sprintf("Guest users have the same access to the directory as members (authorizationPolicy.guestUserRoleId is %s), so any guest can enumerate all users, groups and memberships", [same_as_members])
}

_violations contains {"msg": msg, "entity": _entity} if {
	is_string(role_id)
	not role_id in {same_as_members, limited, restricted}
	msg := sprintf("Guest user access is not a known restricted level (authorizationPolicy.guestUserRoleId is %s, expected %s limited or %s restricted)", [role_id, limited, restricted])
}

error contains "entra.authorizationPolicy is not an object" if not is_object(_policy)

error contains "authorizationPolicy.guestUserRoleId is not set, so the guest access level is unknown" if {
	is_object(_policy)
	role_id == null
}

error contains sprintf("authorizationPolicy.guestUserRoleId is %s; expected a role id string", [json.marshal(role_id)]) if {
	role_id != null
	not is_string(role_id)
}
