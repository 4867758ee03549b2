# METADATA
# title: Standing Global Administrators hold no other privileged role
# description: >-
#   Global Administrator already includes every permission of the other privileged roles, so a
#   user who holds it actively and another privileged role as well gains nothing from the second
#   one: either it is the role they need and Global Administrator can go, or it is clutter that
#   outlives the day Global Administrator is removed. The rule reports each user who holds Global
#   Administrator through an active assignment (directly or through a group) and another role of
#   the privilegedRoles parameter in any way. An active Global Administrator grant next to a PIM
#   eligibility for it at the same scope is that eligibility activated, not a standing
#   assignment, and is not reported: an eligible Global Administrator who keeps a narrower active
#   role for daily work is the intended pattern. This is the overlap Secure Score's "Use least
#   privileged administrative roles" (RoleOverlap) asks to remove; no framework control asks for
#   it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/best-practices
#     description: "Microsoft Learn: Best practices for Microsoft Entra roles"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/delegate-by-task
#     description: "Microsoft Learn: Least privileged roles by task in Microsoft Entra ID"
# custom:
#   id: entra.global_admin_role_overlap
#   severity: low
#   level: should
#   requires:
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.servicePrincipals
#   accepts_unlicensed: [entra.roleEligibilitySchedules]
#   secure_score: [RoleOverlap]
#   frameworks:
#     cisa_scuba: []
#     cis_m365: []
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Roles & admins and, for each user the
#     finding names, remove whichever of the two assignments they do not need: keep Global
#     Administrator only as a PIM-eligible role next to the narrower active one, or drop it and
#     keep the narrower role.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: privilegedRoles
#       type: array
#       items: string
#       description: >-
#         Role template ids that count as privileged; replaces the default, which is the role
#         list of Microsoft's "Require MFA for administrators" policy template plus Hybrid
#         Identity Administrator, which CISA SCuBA counts as highly privileged.
#       default:
#         - 62e90394-69f5-4237-9190-012177145e10 # Global Administrator
#         - 9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3 # Application Administrator
#         - c4e39bd9-1100-46d3-8c65-fb160da0071f # Authentication Administrator
#         - b0f54661-2d74-4c50-afa3-1ec803f12efe # Billing Administrator
#         - 158c047a-c907-4556-b7ef-446551a6b5f7 # Cloud Application Administrator
#         - b1be1c3e-b65d-4f19-8427-f6fa0d97feb9 # Conditional Access Administrator
#         - 29232cdf-9323-42fd-ade2-1d097af3e4de # Exchange Administrator
#         - 729827e3-9c14-49f7-bb1b-9608f156bbb8 # Helpdesk Administrator
#         - 966707d0-3269-4727-9be2-8c3a10f19b9d # Password Administrator
#         - 7be44c8a-adaf-4e2a-84d6-ab2649e08a13 # Privileged Authentication Administrator
#         - e8611ab8-c189-46e8-94e1-60213ab1f814 # Privileged Role Administrator
#         - 194ae4cb-b126-40b2-bd5b-6091b380977d # Security Administrator
#         - f28a1f50-f6e7-4571-818b-6a12f2af6b6c # SharePoint Administrator
#         - fe930be7-5e62-47db-91af-98c3a49a38b1 # User Administrator
#         - 8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2 # Hybrid Identity Administrator
package posture.rules.entra.global_admin_role_overlap

import data.posture.lib.entity
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.users

_ga := roles.global_administrator

deny contains {"msg": msg, "entity": entity.user(uid)} if {
	some uid in roles.holder_ids(_ga)
	_standing_global_admin(uid)
	others := (roles.roles_of(uid) & roles.privileged) - {_ga}
	count(others) > 0
	msg := sprintf("%s holds Global Administrator actively and also %s, which Global Administrator already includes", [users.upn(uid), concat(", ", sort({roles.name(r) | some r in others}))])
}

# An active Global Administrator grant next to an eligibility at the same scope is most likely
# that eligibility activated for a while, not a standing assignment.
_standing_global_admin(uid) if {
	some g in roles.grants_of(uid, _ga)
	g.kind == "active"
	not _eligible_global_admin(uid, g.scope)
}

_eligible_global_admin(uid, scope) if {
	some g in roles.grants_of(uid, _ga)
	g.kind == "eligible"
	g.scope == scope
}

error contains msg if some msg in privileged.holder_errors
