# METADATA
# title: Every recipient is protected from impersonation of the organization's sensitive accounts
# description: >-
#   CISA SCuBA MS.SECURITYSUITE.2.1v1 asks for user impersonation protection of the
#   organization's sensitive accounts: people with access to sensitive information or seen as
#   authorities (executives, finance, IT administrators). Only the organization can name them, so
#   the rule needs them in parameter protectedUsers (email addresses) and is an error, naming the
#   parameter, while it is empty: without the list the control cannot be verified. A message is
#   checked for impersonation by the anti-phishing policy of its recipient, so every
#   anti-phishing policy a recipient can get - the Strict or Standard preset, a custom policy
#   through its enabled rule, or the default policy for everyone else - must turn user
#   impersonation protection on (EnableTargetedUserProtection), list each sensitive account in
#   TargetedUsersToProtect, and act on a detection with one of the actions the baseline lists
#   (redirect, move to Junk Email, quarantine or delete; not NoAction or BccMessage). The finding
#   names each policy in force that falls short. defender.impersonation_protection judges the same
#   settings by posture's and CIS's stricter standard.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about#user-impersonation-protection
#     description: "Microsoft Learn: User impersonation protection"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-mdo-configure
#     description: "Microsoft Learn: Configure anti-phishing policies in Microsoft Defender for Office 365"
#   - ref: https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/securitysuite.md
#     description: "CISA SCuBA Security Suite baseline (MS.SECURITYSUITE.2.1v1)"
# custom:
#   id: defender.impersonation_sensitive_users
#   severity: medium
#   level: should
#   requires:
#     - exchange.antiPhishPolicies
#     - exchange.antiPhishRules
#     - exchange.eopProtectionPolicyRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.atpProtectionPolicyRules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.2.1v1]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     List the sensitive accounts in parameter protectedUsers. Then in the Microsoft Defender
#     portal go to Email & collaboration > Policies & rules > Threat policies > Anti-phishing > the
#     policy the finding names (for a preset: Preset security policies > Manage protection
#     settings > "Add email addresses to flag when impersonated by attackers") > Edit protection
#     settings: turn on "Enable users to protect" and add each sensitive account; Edit actions: "If
#     a message is detected as user impersonation": quarantine (or redirect, move to Junk Email,
#     delete). In Exchange Online PowerShell: Set-AntiPhishPolicy -Identity "<policy>"
#     -EnableTargetedUserProtection $true -TargetedUsersToProtect @{Add="Name;address"}
#     -TargetedUserProtectionAction Quarantine.
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: protectedUsers
#       type: array
#       items: string
#       description: >-
#         Email addresses of the organization's sensitive accounts, which every anti-phishing
#         policy in force must protect from impersonation (TargetedUsersToProtect).
#       default: []
package posture.rules.defender.impersonation_sensitive_users

import data.posture.lib.licenses
import data.posture.lib.mdo
import data.posture.lib.params

_kind := "anti_phish"

not_applicable := mdo.needs_defender("Impersonation protection") if not licenses.has_defender_office

_param := params.value("protectedUsers")

_checks := [
	{"prop": "EnableTargetedUserProtection", "equals": true},
	{"prop": "TargetedUsersToProtect", "includes": _param},
	{"prop": "TargetedUserProtectionAction", "in": mdo.impersonation_actions},
] if {
	mdo.string_list(_param)
	count(_param) > 0
}

deny contains v if some v in mdo.violations(_kind, _checks, "does not protect the sensitive accounts from impersonation")

error contains msg if some msg in mdo.defender_errors(_kind)

error contains "parameter protectedUsers is empty: CISA SCuBA MS.SECURITYSUITE.2.1v1 protects the organization's sensitive accounts from impersonation, and only the organization can name them; list their email addresses in protectedUsers" if {
	licenses.has_defender_office
	_param == []
}

error contains sprintf("config protectedUsers must be a list of email addresses, got %s", [json.marshal(_param)]) if {
	not mdo.string_list(_param)
}
