# METADATA
# title: Activating Global Administrator alerts a monitored mailbox
# description: >-
#   Every activation of Global Administrator hands someone the whole tenant for a few hours; the
#   security team should see each one as it happens, and one they cannot explain is the sign of
#   a compromise. CISA SCuBA MS.AAD.7.8v1 asks that a user activating Global Administrator
#   trigger an alert, sent to the security monitoring mailbox entered as an additional
#   recipient. The rule reads Global Administrator's PIM settings (roleManagementPolicyAssignments)
#   and fails when its Notification_Admin_EndUser_Assignment rule has no notificationRecipients:
#   the default recipients are the Global and Privileged Role Administrators themselves.
#   Settings or a rule missing from the snapshot cannot be verified (error). The settings of
#   groups enrolled in PIM for Groups are not read (a request per group). PIM needs Microsoft
#   Entra ID P2 or Entra ID Governance; without either service plan (AAD_PREMIUM_P2, Entra_Identity_Governance) the rule is
#   not_applicable and names both. CISA SCuBA asks for the outcome whatever the licence and
#   ScubaGear fails MS.AAD.7.8v1 without P2; a third-party PAM system also satisfies the baseline.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings
#     description: "Microsoft Learn: Configure Microsoft Entra role settings in Privileged Identity Management (notifications)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicynotificationrule
#     description: "Microsoft Graph: unifiedRoleManagementPolicyNotificationRule resource type"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad78v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.7.8v1"
# custom:
#   id: entra.global_admin_activation_alert
#   severity: high
#   level: shall
#   requires:
#     - entra.roleManagementPolicyAssignments
#     - entra.subscribedSkus
#   accepts_unlicensed: [entra.roleManagementPolicyAssignments]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.8v1]
#     cis_m365: []
#   license: [AAD_PREMIUM_P2, Entra_Identity_Governance]
#   remediation: >-
#     In the Microsoft Entra admin center open Identity Governance > Privileged Identity
#     Management > Microsoft Entra roles > Roles > Global Administrator > Settings > Edit >
#     Notification tab; under "Send notifications when eligible members activate this role", in
#     Role activation alert > Additional recipients, enter the security monitoring mailbox, then
#     Update. Do the same in PIM for Groups for groups enrolled there that hold Global
#     Administrator. PIM needs Microsoft Entra ID P2 or Entra ID Governance.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.global_admin_activation_alert

import data.posture.lib.licenses
import data.posture.lib.pim
import data.posture.lib.roles

_roles := {roles.global_administrator}

_rules := ["Notification_Admin_EndUser_Assignment"]

deny contains v if {
	licenses.has_pim
	some v in pim.alert_violations(_roles, _rules)
}

not_applicable := pim.not_applicable("MS.AAD.7.8v1")

error contains msg if some msg in licenses.errors

error contains msg if {
	licenses.has_pim
	some msg in pim.alert_errors(_roles, _rules)
}
