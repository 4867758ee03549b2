# METADATA
# title: Administrators use narrower roles than Global Administrator
# description: >-
#   Most administrative work needs a task-specific role (Exchange, User, Helpdesk, Security
#   Administrator, ...), not Global Administrator, which controls everything; every extra Global
#   Administrator is one more account whose compromise is a tenant takeover. Following CISA
#   SCuBA MS.AAD.7.2, the rule counts the distinct users holding Global Administrator and the
#   users holding only other privileged roles (actively or as PIM eligible, directly or through a
#   group; a user with both counts as a Global Administrator only), and fails when Global Administrators outnumber the others times globalAdminRatioMax
#   (default 1, SCuBA's threshold). Declared break-glass accounts are left out of the Global
#   Administrators: they must hold the role, and counting them (as SCuBA does) would push a
#   small tenant that keeps the recommended two over the ratio. It also reports each user who holds Global Administrator
#   actively (not as the activation of a PIM eligibility) and another privileged role as well
#   (the overlap Secure Score's "Use least privileged administrative roles" asks to remove): the
#   other role adds nothing, so either it is the role they need and Global Administrator can go,
#   or it is clutter. An eligible Global Administrator who keeps a narrower active role for daily
#   work is the intended pattern and is not reported. Unlike SCuBA, the ratio is checked even when the number of Global
#   Administrators is out of bounds (entra.global_admin_count reports that).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/best-practices
#     description: "Microsoft Learn: Best practices for Microsoft Entra roles"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/delegate-by-task
#     description: "Microsoft Learn: Least privileged roles by task in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference
#     description: "Microsoft Learn: Microsoft Entra built-in roles"
# custom:
#   id: entra.least_privileged_roles
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
#     cisa_scuba: [MS.AAD.7.2v1]
#     cis_m365: []
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Roles & admins > Global Administrator >
#     Assignments. For each Global Administrator who is not a break-glass account, find the
#     narrowest role that covers their work ("Least privileged roles by task" in Microsoft Learn),
#     assign it (as eligible with PIM where available), and remove Global Administrator. For a
#     user reported for overlap, remove whichever of the two assignments they do not need: keep
#     Global Administrator only as a PIM-eligible role next to the narrower active one.
#   user_impact: moderate
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); they are left
#         out of the Global Administrators the ratio counts.
#       default: {users: [], groups: []}
#     - name: globalAdminRatioMax
#       type: number
#       minimum: 0
#       description: >-
#         Most Global Administrators allowed per user holding only narrower privileged roles
#         (SCuBA MS.AAD.7.2 uses 1: no more Global Administrators than other admins).
#       default: 1
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
package posture.rules.entra.least_privileged_roles

import data.posture.lib.breakglass
import data.posture.lib.params
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.users

_ga := roles.global_administrator

_ratio := params.value("globalAdminRatioMax")

_valid_ratio if {
	is_number(_ratio)
	_ratio >= 0
}

# global_admins is the set of users holding Global Administrator in any way.
global_admins := roles.holder_ids(_ga)

# other_admins is the set of users holding privileged roles other than Global Administrator and
# not Global Administrator itself.
other_admins := roles.privileged_user_ids - global_admins

# _counted_global_admins are the Global Administrators the ratio counts: break-glass accounts
# are Global Administrators by design.
_counted_global_admins := global_admins - breakglass.account_ids

deny contains {"msg": msg, "entity": {"type": "role", "id": _ga, "name": "Global Administrator"}} if {
	_valid_ratio
	n := count(_counted_global_admins)
	n > _ratio * count(other_admins)
	msg := sprintf("%s Global Administrator but %s, more than the allowed %v Global Administrator per narrower-role admin: %s", [
		_count(n, "user holds", "users hold"),
		_others(count(other_admins)),
		_ratio,
		users.upns(_counted_global_admins),
	])
}

_others(0) := "no other privileged user holds a narrower role instead"

_others(n) := sprintf("only %s a narrower privileged role instead", [_count(n, "user holds", "users hold")]) if n > 0

_count(1, singular, _) := sprintf("1 %s", [singular])

_count(n, _, plural) := sprintf("%d %s", [n, plural]) if n != 1

# Overlap: a standing Global Administrator has every permission of the other privileged roles.
deny contains {"msg": msg, "entity": {"type": "user", "id": uid, "name": users.upn(uid)}} if {
	some uid in global_admins
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

error contains sprintf("config globalAdminRatioMax must be a number of at least 0, got %s", [json.marshal(_ratio)]) if {
	not _valid_ratio
}

error contains msg if some msg in privileged.holder_errors
