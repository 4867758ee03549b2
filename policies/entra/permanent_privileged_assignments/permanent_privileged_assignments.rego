# METADATA
# title: Privileged roles have no permanent active assignments outside break-glass accounts
# description: >-
#   A standing assignment keeps a privileged role live on the account all the time, so a stolen
#   session or password is immediately an admin one. With Privileged Identity Management (PIM)
#   the assignment is eligible instead: the admin activates the role for a few hours when needed,
#   with MFA, a justification and possibly approval. The rule fails for every active assignment
#   (entra.roleAssignments) of a privileged role to a user or a group, at any scope, unless the
#   principal is a declared break-glass account or group, or it holds a PIM eligibility for the
#   same role at the same scope (directly or, for a user, through a group), in which case the
#   active assignment is taken to be an activation of it. Service principals are left to
#   entra.privileged_service_principals. Graph v1.0 roleAssignments does not say whether an
#   active assignment is time-bound, so an active assignment with an end date made in PIM is
#   reported as permanent too; accept such a principal, a service account that cannot activate,
#   or a group managed by PIM for Groups with an exception for its object id. A violation breaks CIS
#   5.3.1 (PIM manages the roles) and, when the role is one of CISA SCuBA's highly privileged
#   roles, MS.AAD.7.4v1; such a role that the privilegedRoles parameter
#   leaves out is still reported, as a warning that breaks MS.AAD.7.4v1 alone. Without Entra ID
#   P2 or Entra ID Governance (service plans AAD_PREMIUM_P2, Entra_Identity_Governance) the
#   tenant has no PIM, but the rule still applies: its subject is the standing assignments,
#   which Graph lists without either plan, and SCuBA accepts a third-party PAM system instead
#   of PIM (MS.AAD.7 licence note), which leaves no standing assignment to list. Each violation
#   then names the missing plans; the missing licence alone is no violation.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-configure
#     description: "Microsoft Learn: What is Microsoft Entra Privileged Identity Management?"
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-add-role-to-user
#     description: "Microsoft Learn: Assign Microsoft Entra roles in Privileged Identity Management"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentscheduleinstance
#     description: "Microsoft Learn: unifiedRoleAssignmentScheduleInstance (assignmentType, endDateTime of active assignments)"
# custom:
#   id: entra.permanent_privileged_assignments
#   severity: medium
#   level: shall
#   requires:
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.servicePrincipals
#     - entra.subscribedSkus
#   accepts_unlicensed: [entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.4v1]
#     cis_m365: ["5.3.1"]
#   license: [AAD_PREMIUM_P2, Entra_Identity_Governance]
#   remediation: >-
#     In the Microsoft Entra admin center go to Identity governance > Privileged Identity
#     Management > Microsoft Entra roles > Roles (or Assignments), open the role, and on the
#     Active assignments tab select each listed user or group with End time "Permanent":
#     choose Update and set an end date, or better remove it and add the principal again on the
#     Eligible assignments tab (Add assignments > Assignment type Eligible). In Role settings
#     require MFA (and approval for Global Administrator) on activation, and turn off "Allow
#     permanent active assignment". Keep permanent active assignments only for the break-glass
#     accounts declared in the posture config. PIM needs Entra ID P2 (or Entra ID Governance)
#     licences for the admins who use it.
#   user_impact: moderate
#   implementation_cost: moderate
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
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); their
#         permanent assignments are expected and not reported.
#       default: {users: [], groups: []}
package posture.rules.entra.permanent_privileged_assignments

import data.posture.lib.breakglass
import data.posture.lib.entity
import data.posture.lib.groups
import data.posture.lib.licenses
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.scuba
import data.posture.lib.users

# permanent is the set of active privileged grants (roles.grants entries) to users and groups
# that are neither break-glass nor explained by a PIM eligibility.
permanent := _permanent(privileged.grants)

# scuba_only_permanent is the same for SCuBA's highly privileged roles that privilegedRoles
# leaves out.
scuba_only_permanent := _permanent({g |
	some g in roles.grants
	g.roleId in scuba.privileged_roles
	not g.roleId in roles.privileged
})

_permanent(grants) := {g |
	some g in grants
	g.kind == "active"
	privileged.kind(g.principalId) in {"user", "group"}
	not _break_glass(g.principalId)
	not _activation(g)
}

_break_glass(id) if breakglass.is_account(id)

_break_glass(id) if id in breakglass.group_ids

# An activated eligibility shows in roleAssignments exactly like a standing assignment, so an
# active grant the principal is also eligible for (same role, same scope) is taken to be one.
_activation(g) if {
	{"principalId": g.principalId, "roleId": g.roleId, "kind": "eligible", "scope": g.scope} in roles.grants
}

# A user may be eligible through a role-assignable group and activate it for themselves.
_activation(g) if {
	privileged.kind(g.principalId) == "user"
	some e in roles.grants_of(g.principalId, g.roleId)
	e.kind == "eligible"
	e.scope == g.scope
}

deny contains {"msg": _message(g), "entity": entity.principal(g.principalId), "controls": _controls(g.roleId)} if {
	some g in permanent
}

warn contains {"msg": _message(g), "entity": entity.principal(g.principalId), "controls": ["MS.AAD.7.4v1"]} if {
	some g in scuba_only_permanent
}

_message(g) := sprintf("%s holds %s%s through a permanent active assignment, not a PIM eligibility%s", [_label(g.principalId), roles.name(g.roleId), _scope(g.scope), _without_pim])

# _without_pim says, in a tenant without PIM, what making the assignment just in time needs.
_without_pim := "" if {
	licenses.has_pim
} else := sprintf(" (%s; a third-party PAM system also serves)", [licenses.missing("Privileged Identity Management", licenses.pim_plans)])

_controls(role_id) := ["5.3.1", "MS.AAD.7.4v1"] if {
	role_id in scuba.privileged_roles
} else := ["5.3.1"]

error contains msg if some msg in licenses.errors

_label(id) := sprintf("user %s", [users.upn(id)]) if {
	privileged.kind(id) == "user"
} else := sprintf("group '%s' (%s)", [groups.name(id), _members(id)])

_members(gid) := "members not collected" if {
	not groups.members_known(gid)
} else := "1 member" if {
	count(groups.member_ids(gid)) == 1
} else := sprintf("%d members", [count(groups.member_ids(gid))])

_scope("/") := ""

_scope(scope) := sprintf(" at scope %s", [scope]) if scope != "/"

# A role granted to an object the snapshot does not have may be a user's or a group's standing
# assignment; the rule cannot say.
error contains msg if {
	some g in privileged.unresolved_grants
	g.kind == "active"
	msg := sprintf("%s is actively assigned to principal %s, which is not a user, group or service principal in the snapshot, so the assignment cannot be checked", [roles.name(g.roleId), g.principalId])
}
