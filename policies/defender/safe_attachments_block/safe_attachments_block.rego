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

# _expected are the settings every Safe Attachments policy in force must have.
_expected := {"Enable": true, "Action": "Block"}

_problems(p) := {m | some prop, want in _expected; m := mdo.mismatch(p, prop, want)}

deny contains v if {
	some e in mdo.reachable(_kind)
	problems := _problems(e.policy)
	count(problems) > 0
	v := mdo.violation(e, sprintf("does not block malicious attachments: %s", [concat("; ", sort(problems))]))
}

deny contains v if {
	some v in mdo.gaps(_kind)
}

error contains msg if {
	licenses.has_defender_office
	some msg in mdo.unresolved(_kind)
}

error contains msg if {
	some msg in mdo.unlicensed_but_licensed(["exchange.safeAttachmentPolicies", "exchange.safeAttachmentRules", "exchange.atpProtectionPolicyRules"])
}
