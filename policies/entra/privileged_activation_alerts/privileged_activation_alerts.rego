# METADATA
# title: Activating other highly privileged roles alerts a monitored mailbox
# description: >-
#   Activations of the other highly privileged roles are as telling as those of Global
#   Administrator, if more frequent. CISA SCuBA MS.AAD.7.9v1 asks that activating the other
#   highly privileged roles (Privileged Role, User, SharePoint, Exchange, Hybrid Identity,
#   Application and Cloud Application Administrator) trigger an alert, sent to a security
#   monitoring mailbox (the baseline suggests another than the one for Global Administrator)
#   entered as an additional recipient. The rule reads each role's PIM settings
#   (roleManagementPolicyAssignments) and fails for every role whose
#   Notification_Admin_EndUser_Assignment rule has no notificationRecipients. Settings or rules
#   missing from the snapshot cannot be verified (error). The settings of groups enrolled in PIM
#   for Groups are not read (a request per group). PIM needs Microsoft Entra ID P2 or Microsoft
#   Entra ID Governance; without either service plan (AAD_PREMIUM_P2, Entra_Identity_Governance) the rule is
#   not_applicable and names both. CISA SCuBA asks for the outcome whatever the licence and
#   ScubaGear fails MS.AAD.7.9v1 without P2; a third-party PAM system also satisfies the baseline.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings
#     description: "Microsoft Learn: Configure Microsoft Entra role settings in Privileged Identity Management (notifications)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicynotificationrule
#     description: "Microsoft Graph: unifiedRoleManagementPolicyNotificationRule resource type"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad79v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.7.9v1"
# custom:
#   id: entra.privileged_activation_alerts
#   severity: medium
#   level: should
#   requires:
#     - entra.roleManagementPolicyAssignments
#     - entra.subscribedSkus
#   accepts_unlicensed: [entra.roleManagementPolicyAssignments]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.9v1]
#     cis_m365: []
#   license: [AAD_PREMIUM_P2, Entra_Identity_Governance]
#   remediation: >-
#     In the Microsoft Entra admin center open Identity Governance > Privileged Identity
#     Management > Microsoft Entra roles > Roles. For each role the finding names: Settings >
#     Edit > Notification tab; under "Send notifications when eligible members activate this
#     role", in Role activation alert > Additional recipients, enter the security monitoring
#     mailbox, then Update. PIM needs Microsoft Entra ID P2 or Entra ID Governance.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.privileged_activation_alerts

import data.posture.lib.licenses
import data.posture.lib.pim
import data.posture.lib.roles
import data.posture.lib.scuba

_roles := scuba.privileged_roles - {roles.global_administrator}

_rules := ["Notification_Admin_EndUser_Assignment"]

deny contains v if {
	licenses.has_pim
	some v in pim.alert_violations(_roles, _rules)
}

not_applicable := pim.not_applicable("MS.AAD.7.9v1")

error contains msg if some msg in licenses.errors

error contains msg if {
	licenses.has_pim
	some msg in pim.alert_errors(_roles, _rules)
}
