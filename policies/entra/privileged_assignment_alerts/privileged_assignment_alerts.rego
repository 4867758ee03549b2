# METADATA
# title: Assignments to highly privileged roles alert a monitored mailbox
# description: >-
#   An attacker who gains a Privileged Role Administrator (or Global Administrator) account gives
#   their own accounts admin roles next; an alert on every eligible and active assignment lets
#   the security team see it happen. CISA SCuBA MS.AAD.7.7v1 asks that eligible and active
#   assignments to the highly privileged roles (its eight: Global, Privileged Role, User,
#   SharePoint, Exchange, Hybrid Identity, Application and Cloud Application Administrator)
#   trigger an alert, sent to the security monitoring mailbox entered as an additional
#   recipient. The rule reads each of those roles' PIM settings (roleManagementPolicyAssignments)
#   and fails for every role whose Notification_Admin_Admin_Eligibility or
#   Notification_Admin_Admin_Assignment rule has no notificationRecipients: the default
#   recipients are the Global and Privileged Role Administrators, whom the alert is meant to
#   watch. Settings or rules missing from the snapshot cannot be verified (error). The settings
#   of groups enrolled in PIM for Groups are not read (a request per group). PIM needs Microsoft
#   Entra ID P2 or Entra ID Governance; without either service plan (AAD_PREMIUM_P2, Entra_Identity_Governance) the rule is
#   not_applicable and names both. CISA SCuBA asks for the outcome whatever the licence and
#   ScubaGear fails MS.AAD.7.7v1 without P2; a third-party PAM system also satisfies the baseline.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-change-default-settings
#     description: "Microsoft Learn: Configure Microsoft Entra role settings in Privileged Identity Management (notifications)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicynotificationrule
#     description: "Microsoft Graph: unifiedRoleManagementPolicyNotificationRule resource type"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad77v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.7.7v1"
# custom:
#   id: entra.privileged_assignment_alerts
#   severity: high
#   level: shall
#   requires:
#     - entra.roleManagementPolicyAssignments
#     - entra.subscribedSkus
#   accepts_unlicensed: [entra.roleManagementPolicyAssignments]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.7v1]
#     cis_m365: []
#   license: [AAD_PREMIUM_P2, Entra_Identity_Governance]
#   remediation: >-
#     In the Microsoft Entra admin center open Identity Governance > Privileged Identity
#     Management > Microsoft Entra roles > Roles. For each role the finding names: Settings >
#     Edit > Notification tab; under "Send notifications when members are assigned as eligible
#     to this role" and "... assigned as active to this role", in Role assignment alert >
#     Additional recipients, enter the security monitoring mailbox, then Update. Do the same in
#     PIM for Groups for groups enrolled there that hold these roles. PIM needs Microsoft Entra ID
#     P2 or Microsoft Entra ID Governance.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.privileged_assignment_alerts

import data.posture.lib.licenses
import data.posture.lib.pim
import data.posture.lib.scuba

_roles := scuba.privileged_roles

_rules := ["Notification_Admin_Admin_Eligibility", "Notification_Admin_Admin_Assignment"]

deny contains v if {
	licenses.has_pim
	some v in pim.alert_violations(_roles, _rules)
}

not_applicable := pim.not_applicable("MS.AAD.7.7v1")

error contains msg if some msg in licenses.errors

error contains msg if {
	licenses.has_pim
	some msg in pim.alert_errors(_roles, _rules)
}
