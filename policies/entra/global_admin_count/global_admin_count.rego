# METADATA
# title: A limited number of users hold the Global Administrator role (2 to 8 by default)
# description: >-
#   Global Administrators can do anything in the tenant, so every extra one widens the target
#   for attackers, while a single one is a single point of failure and acts unobserved. The rule
#   counts the distinct users who hold Global Administrator actively or as PIM eligible,
#   directly or through a group (service principals do not count), and expects at least
#   globalAdminMin (default 2) and at most globalAdminMax (default 8, CISA SCuBA's bound; CIS
#   recommends at most 4). Each framework control keeps its own bounds whatever the parameters
#   say: CISA SCuBA MS.AAD.7.1v1 two to eight, CIS 1.1.3 two to four. A count outside the
#   parameters fails the rule and breaks the controls whose bounds it also breaks (none: posture's
#   own judgement); a count within the parameters that breaks a control's bounds (five to eight
#   Global Administrators break CIS 1.1.3 with the defaults) is a warning that breaks that control.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/best-practices
#     description: "Microsoft Learn: Best practices for Microsoft Entra roles"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference#global-administrator
#     description: "Microsoft Learn: Microsoft Entra built-in roles - Global Administrator"
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-configure
#     description: "Microsoft Learn: What is Microsoft Entra Privileged Identity Management?"
# custom:
#   id: entra.global_admin_count
#   severity: medium
#   level: shall
#   requires:
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#   accepts_unlicensed: [entra.roleEligibilitySchedules]
#   secure_score: [OneAdmin]
#   frameworks:
#     cisa_scuba: [MS.AAD.7.1v1]
#     cis_m365: ["1.1.3"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Roles & admins > Global Administrator
#     and review Assignments (Eligible, Active and Expired tabs with PIM). Too many: remove the
#     assignment from users who can work with a less privileged role (User, Exchange, SharePoint,
#     Security Administrator, ...) and from groups that carry it. Too few: assign a second,
#     cloud-only account, and keep two break-glass accounts. With Entra ID P2 make the day-to-day
#     assignments eligible rather than active.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: globalAdminMin
#       type: integer
#       minimum: 0
#       description: Fewest users that may hold Global Administrator.
#       default: 2
#     - name: globalAdminMax
#       type: integer
#       minimum: 0
#       description: Most users that may hold Global Administrator (CIS 1.1.3 uses 4).
#       default: 8
package posture.rules.entra.global_admin_count

import data.posture.lib.entity
import data.posture.lib.groups
import data.posture.lib.params
import data.posture.lib.roles
import data.posture.lib.users

_min := params.value("globalAdminMin")

_max := params.value("globalAdminMax")

# holders is the set of users holding Global Administrator in any way.
holders := roles.holder_ids(roles.global_administrator)

_entity := entity.role(roles.global_administrator)

# _bounds are the framework controls' own bounds on the number of Global Administrators.
_bounds := {
	"MS.AAD.7.1v1": {"min": 2, "max": 8, "who": "CISA SCuBA MS.AAD.7.1v1"},
	"1.1.3": {"min": 2, "max": 4, "who": "CIS 1.1.3"},
}

# _breaks is the sorted list of framework controls whose bounds n is outside of.
_breaks(n) := sort([id | some id, b in _bounds; _outside(n, b.min, b.max)])

_outside(n, lo, _) if n < lo

_outside(n, _, hi) if n > hi

_valid if {
	is_number(_min)
	is_number(_max)
	_min <= _max
}

_posture_fails if {
	_valid
	_outside(count(holders), _min, _max)
}

# A count outside posture's bounds breaks the controls whose bounds it breaks too, or only
# posture's own judgement.
_controls := c if {
	c := _breaks(count(holders))
	count(c) > 0
} else := ["posture"]

deny contains {"msg": msg, "entity": _entity, "controls": _controls} if {
	_valid
	count(holders) == 0
	msg := sprintf("No user holds Global Administrator; at least %v are required", [_min])
}

deny contains {"msg": msg, "entity": _entity, "controls": _controls} if {
	_valid
	n := count(holders)
	n > 0
	n < _min
	msg := sprintf("Only %s Global Administrator, fewer than the minimum of %v: %s", [_users_hold(n), _min, _listing])
}

deny contains {"msg": msg, "entity": _entity, "controls": _controls} if {
	_valid
	n := count(holders)
	n > _max
	msg := sprintf("%s Global Administrator, more than the maximum of %v: %s", [_users_hold(n), _max, _listing])
}

# Within posture's bounds but outside a framework control's.
warn contains {"msg": msg, "entity": _entity, "controls": [id]} if {
	_valid
	not _posture_fails
	n := count(holders)
	some id in _breaks(n)
	b := _bounds[id]
	msg := sprintf("%s Global Administrator, within this rule's bounds (%v to %v) but not %s's (%d to %d): %s", [_users_hold(n), _min, _max, b.who, b.min, b.max, _listing])
}

_users_hold(1) := "1 user holds"

_users_hold(n) := sprintf("%d users hold", [n]) if n != 1

_listing := concat("; ", sort([sprintf("%s (%s)", [users.upn(uid), _how(uid)]) | some uid in holders]))

_how(uid) := concat(", ", sort({roles.describe(g) | some g in roles.grants_of(uid, roles.global_administrator)}))

error contains sprintf("config %s must be a number, got %s", [name, json.marshal(v)]) if {
	some name, v in {"globalAdminMin": _min, "globalAdminMax": _max}
	not is_number(v)
}

error contains sprintf("config globalAdminMin (%v) is greater than globalAdminMax (%v)", [_min, _max]) if {
	is_number(_min)
	is_number(_max)
	_min > _max
}

error contains sprintf("Global Administrator is assigned to group '%s' whose members are not in the snapshot (entra.groupMembers), so the count cannot be verified", [groups.name(g.principalId)]) if {
	some g in roles.unexpanded_group_grants
	g.roleId == roles.global_administrator
}
