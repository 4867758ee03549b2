# METADATA
# title: Impersonation protection covers key users and the organization's domains for every recipient
# description: >-
#   Attackers send mail from look-alike names and domains (a CEO's name on a free mail address,
#   contoso.co instead of contoso.com) to get payments and credentials. Defender for Office 365
#   anti-phishing policies catch this when user impersonation protection is on for a list of
#   people worth impersonating (EnableTargetedUserProtection with TargetedUsersToProtect) and
#   domain impersonation protection covers the organization's own domains
#   (EnableOrganizationDomainsProtection), with both detections quarantined
#   (TargetedUserProtectionAction and TargetedDomainProtectionAction Quarantine). Protection is
#   applied by the policy of the recipient, so every anti-phishing policy a recipient can get -
#   the Strict or Standard preset (through its Defender for Office 365 rule), a custom policy
#   through its enabled rule, or the default policy for everyone else - must have these settings;
#   with parameter protectedUsers, each listed address must be among the protected users. The
#   finding names each policy in force that falls short. CIS 2.1.7 asks for all of these settings;
#   CISA SCuBA MS.SECURITYSUITE.2.2v1 asks for domain impersonation protection of the
#   organization's domains with any action that keeps the message from the inbox (quarantine is
#   posture's and CIS's choice). SCuBA's user impersonation protection of sensitive accounts,
#   MS.SECURITYSUITE.2.1v1, is defender.impersonation_sensitive_users.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about
#     description: "Microsoft Learn: Anti-phishing policies in Microsoft 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-mdo-configure
#     description: "Microsoft Learn: Configure anti-phishing policies in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
# custom:
#   id: defender.impersonation_protection
#   severity: high
#   level: shall
#   requires:
#     - exchange.antiPhishPolicies
#     - exchange.antiPhishRules
#     - exchange.eopProtectionPolicyRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.atpProtectionPolicyRules]
#   secure_score: [mdo_antiphishingpolicies, mdo_enabledomainstoprotect, mdo_targetedusersprotection, mdo_targeteduserprotectionaction, mdo_targeteddomainprotectionaction]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.2.2v1]
#     cis_m365: ["2.1.7"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     In the Microsoft Defender portal go to Email & collaboration > Policies & rules > Threat
#     policies > Anti-phishing > the policy the finding names (or Preset security policies >
#     Manage protection settings > Impersonation protection, for a preset) > Edit protection
#     settings: turn on "Enable users to protect" and add your executives, finance staff and other
#     likely targets; turn on "Enable domains to protect" with "Include domains I own"; Edit
#     actions: quarantine messages detected as user impersonation and as domain impersonation. In
#     Exchange Online PowerShell: Set-AntiPhishPolicy -Identity "<policy>"
#     -EnableTargetedUserProtection $true -TargetedUsersToProtect @{Add="Megan
#     Bowen;megan@contoso.com"} -EnableOrganizationDomainsProtection $true
#     -TargetedUserProtectionAction Quarantine -TargetedDomainProtectionAction Quarantine.
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: protectedUsers
#       type: array
#       items: string
#       description: >-
#         Email addresses that every anti-phishing policy in force must protect from impersonation
#         (TargetedUsersToProtect). Empty: at least one protected user is enough.
#       default: []
package posture.rules.defender.impersonation_protection

import data.posture.lib.licenses
import data.posture.lib.mdo
import data.posture.lib.params

_kind := "anti_phish"

not_applicable := mdo.needs_defender("Impersonation protection") if not licenses.has_defender_office

_checks := array.concat(
	[
		{"prop": "EnableTargetedUserProtection", "equals": true, "controls": ["2.1.7"]},
		{"prop": "TargetedUsersToProtect", "not_empty": true, "controls": ["2.1.7"], "text": "TargetedUsersToProtect is empty, so no user is protected from impersonation"},
		{"prop": "TargetedUserProtectionAction", "in": ["Quarantine"], "controls": ["2.1.7"]},
		{"prop": "EnableOrganizationDomainsProtection", "equals": true, "controls": ["MS.SECURITYSUITE.2.2v1", "2.1.7"]},
		{"prop": "TargetedDomainProtectionAction", "in": ["Quarantine"], "controls": ["2.1.7"], "accepts": {"MS.SECURITYSUITE.2.2v1": mdo.impersonation_actions}},
	],
	_required_users,
)

_param := params.value("protectedUsers")

# _required_users checks the addresses of parameter protectedUsers: posture's own requirement.
_required_users := [{"prop": "TargetedUsersToProtect", "includes": _param, "controls": []}] if {
	mdo.string_list(_param)
	count(_param) > 0
} else := []

deny contains v if some v in mdo.violations(_kind, _checks, "does not protect against impersonation as required")

error contains msg if some msg in mdo.defender_errors(_kind)

error contains sprintf("config protectedUsers must be a list of email addresses, got %s", [json.marshal(_param)]) if {
	not mdo.string_list(_param)
}
