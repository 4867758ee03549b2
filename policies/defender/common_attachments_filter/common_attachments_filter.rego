# METADATA
# title: The common attachments filter blocks executable file types for every recipient
# description: >-
#   Executables and scripts sent as attachments (.exe, .cmd, .vbe and the like) are a common way
#   in for malware and have almost no legitimate use in mail. The common attachments filter of an
#   anti-malware policy treats them as malware. Every anti-malware policy in force - the Strict or
#   Standard preset, a custom policy, or the default policy for everyone else - must turn it on
#   (EnableFileFilter) and list at least exe, cmd and vbe among its FileTypes (CISA's minimum).
#   Custom anti-malware policies are checked as if they applied to someone, because their rules
#   are not collected. The finding names each policy that falls short.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-malware-protection-about
#     description: "Microsoft Learn: Anti-malware protection for cloud mailboxes"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-malware-policies-configure
#     description: "Microsoft Learn: Configure anti-malware policies in EOP"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/recommended-settings-for-eop-and-office365
#     description: "Microsoft Learn: Recommended settings for EOP and Microsoft Defender for Office 365 security"
# custom:
#   id: defender.common_attachments_filter
#   severity: medium
#   level: shall
#   requires:
#     - exchange.malwareFilterPolicies
#     - exchange.eopProtectionPolicyRules
#     - exchange.acceptedDomains
#   secure_score: [mdo_commonattachmentsfilter]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.1.1v1]
#     cis_m365: ["2.1.2"]
#   license: []
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For the policy
#     the finding names: Threat policies > Anti-malware > the policy > Edit protection settings:
#     check "Enable the common attachments filter" and make sure the file types include exe, cmd
#     and vbe. In Exchange Online PowerShell: Set-MalwareFilterPolicy -Identity "<policy>"
#     -EnableFileFilter $true (add missing types with -FileTypes, keeping the existing list).
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.common_attachments_filter

import data.posture.lib.mdo

_kind := "malware_filter"

# _checks: the filter on (all CIS 2.1.2 asks) and blocking at least the file types CISA names
# (MS.SECURITYSUITE.1.1v1: .exe, .cmd and .vbe at a minimum).
_checks := [
	{"prop": "EnableFileFilter", "equals": true, "controls": ["MS.SECURITYSUITE.1.1v1", "2.1.2"]},
	{"prop": "FileTypes", "includes": ["exe", "cmd", "vbe"], "controls": ["MS.SECURITYSUITE.1.1v1"]},
]

deny contains v if some v in mdo.violations(_kind, _checks, "does not block executable attachments")

error contains msg if some msg in mdo.errors(_kind)
