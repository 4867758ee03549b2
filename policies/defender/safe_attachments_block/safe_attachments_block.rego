# METADATA
# title: Safe Attachments blocks malicious attachments for every recipient
# description: >-
#   Safe Attachments opens attachments in a sandbox before delivery and catches malware that
#   signature scanning misses. It only protects the recipients whose Safe Attachments policy is on
#   (Enable) with the action Block, which quarantines a message with a malicious attachment;
#   Monitor delivers it anyway, and Dynamic Delivery and Off are not the block mode Secure Score
#   asks for. Every Safe Attachments policy in force - the Strict or Standard preset, a custom
#   policy through its enabled rule, or the Built-in protection preset for everyone else - must
#   have Enable true and Action Block; the finding names each that does not, and says so when no
#   policy covers every recipient.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-attachments-about
#     description: "Microsoft Learn: Safe Attachments in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-attachments-policies-configure
#     description: "Microsoft Learn: Set up Safe Attachments policies in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
# custom:
#   id: defender.safe_attachments_block
#   severity: high
#   level: shall
#   requires:
#     - exchange.safeAttachmentPolicies
#     - exchange.safeAttachmentRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.safeAttachmentPolicies, exchange.safeAttachmentRules, exchange.atpProtectionPolicyRules]
#   secure_score: [mdo_safeattachments, mdo_safeattachmentpolicy]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.1.3v1]
#     cis_m365: ["2.1.4"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For a custom
#     policy the finding names: Threat policies > Safe Attachments > the policy > Edit settings >
#     Safe Attachments unknown malware response: Block. In Exchange Online PowerShell: Set-
#     SafeAttachmentPolicy -Identity "<policy>" -Enable $true -Action Block.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.safe_attachments_block

import data.posture.lib.licenses
import data.posture.lib.mdo

_kind := "safe_attachments"

not_applicable := mdo.needs_defender("Safe Attachments") if not licenses.has_defender_office

# _checks are the settings every Safe Attachments policy in force must have: on, and blocking
# (CIS 2.1.4). CISA SCuBA MS.SECURITYSUITE.1.3v1 accepts Dynamic Delivery too, which also keeps
# malware from the mailbox.
_checks := [
	{"prop": "Enable", "equals": true},
	{"prop": "Action", "in": ["Block"], "controls": ["2.1.4"], "accepts": {"MS.SECURITYSUITE.1.3v1": ["Block", "DynamicDelivery"]}},
]

deny contains v if some v in mdo.violations(_kind, _checks, "does not block malicious attachments")

error contains msg if some msg in mdo.defender_errors(_kind)
