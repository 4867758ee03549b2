# METADATA
# title: Activating Global Administrator needs approval
# description: >-
#   With PIM, a Global Administrator is eligible and activates the role when needed. If the
#   activation needs no approval, anyone who phishes an eligible admin can activate it alone;
#   with approval, a second person sees and allows every activation. CISA SCuBA MS.AAD.7.6v1
#   asks for approval. The rule reads Global Administrator's PIM settings
#   (roleManagementPolicyAssignments, rule Approval_EndUser_Assignment) and fails when
#   setting.isApprovalRequired is not true; settings or a rule missing from the snapshot, or a
#   value that is not a boolean, cannot be verified (error). The baseline asks only that approval
#   be required (without approvers named, Entra sends the requests to the Privileged Role
#   Administrators and Global Administrators). Groups enrolled in PIM for Groups that hold Global Administrator have activation
#   settings of their own, which posture does not read (ScubaGear at 4d34e9a reads them): a request
#   per group, for a case the tenant can see in PIM for Groups. PIM needs Microsoft Entra ID P2
#   or Entra ID Governance; without either service plan (AAD_PREMIUM_P2, Entra_Identity_Governance) the rule is
#   not_applicable and names both. CISA SCuBA asks for the outcome whatever the licence and
#   ScubaGear fails MS.AAD.7.6v1 without P2; a third-party PAM system also satisfies the baseline.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings
#     description: "Microsoft Learn: Configure Microsoft Entra role settings in Privileged Identity Management"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicyapprovalrule
#     description: "Microsoft Graph: unifiedRoleManagementPolicyApprovalRule resource type"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad76v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.7.6v1"
# custom:
#   id: entra.global_admin_activation_approval
#   severity: high
#   level: shall
#   requires:
#     - entra.roleManagementPolicyAssignments
#     - entra.subscribedSkus
#   accepts_unlicensed: [entra.roleManagementPolicyAssignments]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.6v1]
#     cis_m365: []
#   license: [AAD_PREMIUM_P2, Entra_Identity_Governance]
#   remediation: >-
#     In the Microsoft Entra admin center open Identity Governance > Privileged Identity
#     Management > Microsoft Entra roles > Roles > Global Administrator > Settings > Edit. On the
#     Activation tab tick Require approval to activate, pick the approvers (or leave them empty
#     to use the Privileged Role Administrators and Global Administrators), then Update. Do the
#     same in PIM for Groups for every group enrolled there that holds Global Administrator. PIM
#     needs Microsoft Entra ID P2 or Microsoft Entra ID Governance.
#   user_impact: moderate
#   implementation_cost: low
package posture.rules.entra.global_admin_activation_approval

import data.posture.lib.entity
import data.posture.lib.licenses
import data.posture.lib.pim
import data.posture.lib.roles

_rule := "Approval_EndUser_Assignment"

_ga := roles.global_administrator

deny contains {"msg": msg, "entity": entity.role(_ga)} if {
	licenses.has_pim
	some r in pim.rules(_ga, _rule)
	object.get(r, ["setting", "isApprovalRequired"], null) == false
	msg := sprintf("Activating Global Administrator in PIM needs no approval (%s setting.isApprovalRequired is false)", [_rule])
}

not_applicable := pim.not_applicable("MS.AAD.7.6v1")

error contains msg if some msg in licenses.errors

error contains msg if {
	licenses.has_pim
	some msg in pim.missing(_ga, _rule)
}

error contains msg if {
	licenses.has_pim
	some r in pim.rules(_ga, _rule)
	v := object.get(r, ["setting", "isApprovalRequired"], null)
	not is_boolean(v)
	msg := sprintf("%s of Global Administrator has setting.isApprovalRequired %s, so whether activation needs approval is unknown", [_rule, json.marshal(v)])
}
