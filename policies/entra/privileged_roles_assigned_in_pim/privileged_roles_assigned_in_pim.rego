# METADATA
# title: Highly privileged roles are assigned only through PIM
# description: >-
#   A role assigned outside Privileged Identity Management (in the Microsoft 365 admin center,
#   with PowerShell or the role assignments API) skips everything PIM enforces and records: the
#   approval, the justification, the expiry, the notifications and the access reviews. CISA
#   SCuBA MS.AAD.7.5v1 asks that users be provisioned to the highly privileged roles (its eight:
#   Global, Privileged Role, User, SharePoint, Exchange, Hybrid Identity, Application and Cloud
#   Application Administrator) only through a PAM system. The rule reads the active assignment
#   instances (roleAssignmentScheduleInstances) and fails for each one of those roles without a
#   start time, which is how Entra tells an assignment made outside PIM (the admin center's start
#   time column shows "-"); an assignment made in PIM, even a permanent one, has a start time.
#   Break-glass accounts are not exempt: assign them in PIM as permanently active
#   (entra.permanent_privileged_assignments and MS.AAD.7.4v1 judge the permanence). PIM needs
#   Microsoft Entra ID P2 or Entra ID Governance; without either service plan (AAD_PREMIUM_P2, Entra_Identity_Governance) the rule is
#   not_applicable and names both. CISA SCuBA asks for the outcome whatever the licence and
#   ScubaGear fails MS.AAD.7.5v1 without P2; a third-party PAM system also satisfies the baseline.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-add-role-to-user
#     description: "Microsoft Learn: Assign Microsoft Entra roles in Privileged Identity Management"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentscheduleinstance
#     description: "Microsoft Graph: unifiedRoleAssignmentScheduleInstance resource type"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad75v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.7.5v1"
# custom:
#   id: entra.privileged_roles_assigned_in_pim
#   severity: high
#   level: shall
#   requires:
#     - entra.roleAssignmentScheduleInstances
#     - entra.subscribedSkus
#     - entra.users
#     - entra.groups
#     - entra.servicePrincipals
#   accepts_unlicensed: [entra.roleAssignmentScheduleInstances]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.5v1]
#     cis_m365: []
#   license: [AAD_PREMIUM_P2, Entra_Identity_Governance]
#   remediation: >-
#     In the Microsoft Entra admin center open Entra ID > Roles & admins, select the role the
#     finding names, then Assignments > Active assignments: an assignment whose Start time is "-"
#     was made outside PIM. Recreate it in Identity Governance > Privileged Identity Management >
#     Microsoft Entra roles > Roles > the role > Add assignments (as Eligible for people, as
#     Active and permanent only for break-glass accounts), then remove the old assignment. Stop
#     assigning these roles in the Microsoft 365 admin center or with PowerShell. PIM needs
#     Microsoft Entra ID P2 or Microsoft Entra ID Governance.
#   user_impact: low
#   implementation_cost: moderate
package posture.rules.entra.privileged_roles_assigned_in_pim

import data.posture.lib.entity
import data.posture.lib.licenses
import data.posture.lib.pim
import data.posture.lib.roles
import data.posture.lib.scuba

deny contains {"msg": msg, "entity": entity.principal(i.principalId)} if {
	licenses.has_pim
	some i in pim.outside_pim(scuba.privileged_roles)
	ent := entity.principal(i.principalId)
	msg := sprintf("%s %s holds %s%s through an active assignment made outside PIM (it has no start time)", [
		_kinds[ent.type], ent.name, roles.name(i.roleDefinitionId), _scope(object.get(i, "directoryScopeId", "/")),
	])
}

not_applicable := pim.not_applicable("MS.AAD.7.5v1")

error contains msg if some msg in licenses.errors

_kinds := {"user": "user", "group": "group", "servicePrincipal": "service principal"}

_scope("/") := ""

_scope(scope) := sprintf(" at scope %s", [scope]) if scope != "/"

default _instances := []

_instances := input.entra.roleAssignmentScheduleInstances if is_array(input.entra.roleAssignmentScheduleInstances)

error contains msg if {
	licenses.has_pim
	some i in _instances
	i.roleDefinitionId in scuba.privileged_roles
	start := object.get(i, "startDateTime", null)
	start != null
	not is_string(start)
	msg := sprintf("the active assignment %s of %s has startDateTime %s, so whether it was made in PIM is unknown", [object.get(i, "id", "?"), roles.name(i.roleDefinitionId), json.marshal(start)])
}
