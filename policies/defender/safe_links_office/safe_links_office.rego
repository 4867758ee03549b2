# METADATA
# title: Safe Links protects links in Office apps and Teams for every recipient
# description: >-
#   Links reach users in Word, Excel, PowerPoint, Outlook and OneNote documents and in Teams chats
#   as often as in mail. Safe Links checks them at the time of click when the policy a user gets
#   turns it on for Office apps (EnableSafeLinksForOffice) and for Microsoft Teams
#   (EnableSafeLinksForTeams). Every Safe Links policy in force - the Strict or Standard preset, a
#   custom policy through its enabled rule, or the Built-in protection preset for everyone else -
#   must turn on both; the finding names each that does not, and says so when no policy covers
#   every recipient.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-links-about
#     description: "Microsoft Learn: Safe Links in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-links-policies-configure
#     description: "Microsoft Learn: Set up Safe Links policies in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
# custom:
#   id: defender.safe_links_office
#   severity: medium
#   level: should
#   requires:
#     - exchange.safeLinksPolicies
#     - exchange.safeLinksRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.safeLinksPolicies, exchange.safeLinksRules, exchange.atpProtectionPolicyRules]
#   secure_score: [mdo_safelinksforOfficeApps]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.7.1v1]
#     cis_m365: ["2.1.1"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For a custom
#     policy the finding names: Threat policies > Safe Links > the policy > Edit protection
#     settings: turn on Safe Links for Teams and for Office 365 apps. In Exchange Online
#     PowerShell: Set-SafeLinksPolicy -Identity "<policy>" -EnableSafeLinksForOffice $true
#     -EnableSafeLinksForTeams $true.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.safe_links_office

import data.posture.lib.licenses
import data.posture.lib.mdo

_kind := "safe_links"

not_applicable := mdo.needs_defender("Safe Links") if not licenses.has_defender_office

# _checks are the settings every Safe Links policy in force must have: each breaks every control
# the rule cites (SCuBA MS.SECURITYSUITE.7.1v1 names Teams messages and Office documents).
_checks := [
	{"prop": "EnableSafeLinksForOffice", "equals": true},
	{"prop": "EnableSafeLinksForTeams", "equals": true},
]

deny contains v if some v in mdo.violations(_kind, _checks, "does not protect links in Office apps and Teams")

error contains msg if some msg in mdo.defender_errors(_kind)
