# METADATA
# title: Administrators use narrower roles than Global Administrator
# description: >-
#   Most administrative work needs a task-specific role (Exchange, User, Helpdesk, Security
#   Administrator, ...), not Global Administrator, which controls everything; every extra Global
#   Administrator is one more account whose compromise is a tenant takeover. Posture's own
#   judgement counts the distinct users holding Global Administrator and the users holding only
#   other privileged roles (the privilegedRoles parameter; actively or as PIM eligible, directly
#   or through a group; a user with both counts as a Global Administrator only), and fails when
#   Global Administrators outnumber the others times globalAdminRatioMax (default 1). Declared
#   break-glass accounts are left out of the Global Administrators: they must hold the role, and
#   counting them would push a small tenant that keeps the recommended two over the ratio. CISA
#   SCuBA MS.AAD.7.2v1 defines its own formula, which the rule applies for that control whatever
#   the parameters say: the users holding Global Administrator against the users holding only
#   the baseline's other highly privileged roles (Privileged Role, User, SharePoint, Exchange,
#   Hybrid Identity, Application and Cloud Application Administrator), break-glass accounts
#   included, compliant when the first is at most the second. A violation of posture's ratio
#   breaks MS.AAD.7.2v1 when the baseline's formula fails too, else it is posture's own; when
#   only the baseline's formula fails, the rule warns with a violation that breaks
#   MS.AAD.7.2v1. ScubaGear at 4d34e9a also fails MS.AAD.7.2v1 whenever MS.AAD.7.1v1 fails; the
#   baseline's text does not tie the two, and neither does this rule (entra.global_admin_count
#   reports the count), and entra.global_admin_role_overlap reports Global Administrators who
#   hold other privileged roles as well.
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
#   # RoleOverlap (Secure Score) is about overlap only: entra.global_admin_role_overlap.
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.2v1]
#     cis_m365: []
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Roles & admins > Global Administrator >
#     Assignments. For each Global Administrator who is not a break-glass account, find the
#     narrowest role that covers their work ("Least privileged roles by task" in Microsoft Learn),
#     assign it (as eligible with PIM where available), and remove Global Administrator. To meet
#     CISA SCuBA MS.AAD.7.2v1, which counts break-glass accounts, have at least as many people in
#     its other highly privileged roles as hold Global Administrator.
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
import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.scuba
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

# --- CISA SCuBA MS.AAD.7.2v1: Global Administrators against users of the other highly
# privileged roles only, everyone counted ---------------------------------------------------

# scuba_other_admins is the set of users holding one of SCuBA's highly privileged roles other
# than Global Administrator, and not Global Administrator itself.
scuba_other_admins := scuba.privileged_user_ids - global_admins

_scuba_fails if count(global_admins) > count(scuba_other_admins)

_scuba_text := sprintf("CISA SCuBA MS.AAD.7.2v1 counts %s Global Administrator (break-glass accounts included) against %s only its other highly privileged roles, and allows at most one per such user", [
	_count(count(global_admins), "user who holds", "users who hold"),
	_count(count(scuba_other_admins), "user who holds", "users who hold"),
])

_ratio_controls := ["MS.AAD.7.2v1"] if _scuba_fails

_ratio_controls := ["posture"] if not _scuba_fails

_posture_fails if {
	_valid_ratio
	count(_counted_global_admins) > _ratio * count(other_admins)
}

warn contains {"msg": _scuba_text, "entity": entity.role(_ga), "controls": ["MS.AAD.7.2v1"]} if {
	_scuba_fails
	not _posture_fails
}

# --- posture's ratio ----------------------------------------------------------------------

deny contains {"msg": msg, "entity": entity.role(_ga), "controls": _ratio_controls} if {
	_posture_fails
	n := count(_counted_global_admins)
	msg := concat("", [
		sprintf("%s Global Administrator but %s, more than the allowed %v Global Administrator per narrower-role admin: %s", [
			_count(n, "user holds", "users hold"),
			_others(count(other_admins)),
			_ratio,
			users.upns(_counted_global_admins),
		]),
		_scuba_suffix,
	])
}

_scuba_suffix := concat("", ["; ", _scuba_text]) if _scuba_fails

_scuba_suffix := "" if not _scuba_fails

_others(0) := "no other privileged user holds a narrower role instead"

_others(n) := sprintf("only %s a narrower privileged role instead", [_count(n, "user holds", "users hold")]) if n > 0

_count(1, singular, _) := sprintf("1 %s", [singular])

_count(n, _, plural) := sprintf("%d %s", [n, plural]) if n != 1

error contains sprintf("config globalAdminRatioMax must be a number of at least 0, got %s", [json.marshal(_ratio)]) if {
	not _valid_ratio
}

error contains msg if some msg in privileged.holder_errors
