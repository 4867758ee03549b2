# METADATA
# title: Break-glass accounts hold Global Administrator through an active assignment
# description: >-
#   An emergency access account exists to recover the tenant, so it must be able to use Global
#   Administrator the moment it signs in. A PIM-eligible assignment has to be activated first,
#   and activation depends on the very things an emergency may have broken: MFA, approvers,
#   PIM itself. Microsoft asks for the Global Administrator assignment of emergency accounts to
#   be active and permanent rather than eligible. Each declared break-glass account passes when
#   it holds Global Administrator through an active, tenant-wide assignment (roleAssignments),
#   directly or through a role-assignable group it is a member of: Microsoft's own Zero Trust
#   assessment counts both, and membership of a role-assignable group can only be changed by
#   privileged role administrators. The account fails when it holds the role only as PIM
#   eligible, or not at all. The snapshot's active assignments do not say whether a PIM
#   assignment ends (roleAssignmentSchedules are not collected), so "permanent" is checked as
#   "active". With nothing declared the rule is not applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access
#     description: "Microsoft Learn: Manage emergency access accounts in Microsoft Entra ID (configuration requirements)"
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-add-role-to-user
#     description: "Microsoft Learn: Assign Microsoft Entra roles in Privileged Identity Management"
# custom:
#   id: breakglass.permanent_global_admin
#   severity: high
#   level: shall
#   requires:
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#   accepts_unlicensed: [entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["1.1.2"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center open ID Governance > Privileged Identity Management >
#     Microsoft Entra roles > Roles > Global Administrator (without PIM: Entra ID > Roles & admins
#     > Global Administrator) > Add assignments, select the break-glass account, Assignment type
#     Active, tick Permanently assigned, and give a justification. Remove the eligible assignment
#     it replaces. Graph: POST /roleManagement/directory/roleAssignmentScheduleRequests with
#     action adminAssign and scheduleInfo.expiration.type noExpiration.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts: users (object ids or userPrincipalNames) and groups (object ids
#         or display names) whose members are the accounts.
#       default: {users: [], groups: []} # none declared: the rule is not applicable
package posture.rules.breakglass.permanent_global_admin

import data.posture.lib.breakglass_checks as checks
import data.posture.lib.entity
import data.posture.lib.groups
import data.posture.lib.roles
import data.posture.lib.users

not_applicable := checks.not_applicable_reason

error contains msg if some msg in checks.errors

# Active Global Administrator assignments to groups whose members the snapshot lacks: an account
# without a known active assignment may still hold the role through one of them.
_unexpanded := {g |
	some g in roles.unexpanded_group_grants
	g.roleId == roles.global_administrator
	g.kind == "active"
	g.scope == "/"
}

error contains msg if {
	some uid in checks.accounts
	not checks.active_global_admin(uid)
	some g in _unexpanded
	msg := sprintf("Global Administrator is assigned to group '%s' whose members are not in the snapshot (entra.groupMembers), so whether break-glass account %s holds it actively cannot be verified", [groups.name(g.principalId), users.upn(uid)])
}

_lacking := {uid |
	count(_unexpanded) == 0
	some uid in checks.accounts
	not checks.active_global_admin(uid)
}

deny contains {"msg": msg, "entity": entity.user(uid)} if {
	some uid in _lacking
	msg := sprintf("break-glass account %s %s", [users.upn(uid), _why(uid)])
}

_why(uid) := sprintf("holds Global Administrator only as PIM eligible (%s): an emergency account must not depend on PIM activation, which itself depends on MFA and approval; make its assignment active and permanent", [_describe(eligible)]) if {
	eligible := {g | some g in checks.global_admin_grants(uid); g.kind == "eligible"}
	count(eligible) > 0
} else := sprintf("holds Global Administrator only below the tenant scope (%s), which does not let it recover the tenant; assign the role tenant-wide, active and permanent", [_describe(checks.global_admin_grants(uid))]) if {
	count(checks.global_admin_grants(uid)) > 0
} else := "does not hold Global Administrator, so it cannot recover the tenant; assign it the role, active and permanent"

_describe(grants) := concat(", ", sort({_text(g) | some g in grants}))

_text(g) := roles.describe(g) if {
	g.scope == "/"
} else := sprintf("%s at scope %s", [roles.describe(g), g.scope])
