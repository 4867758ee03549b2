# METADATA
# title: A Standard or Strict preset security policy protects every recipient
# description: >-
#   The Standard and Strict preset security policies apply Microsoft's recommended anti-spam,
#   anti-malware and anti-phishing settings (Exchange Online Protection) and, with Defender for
#   Office 365, Safe Links, Safe Attachments and impersonation protection, and Microsoft keeps
#   them current as threats change; custom policies drift. The tenant passes when the Standard or
#   the Strict preset applies Exchange Online Protection to all recipients (an enabled
#   Get-EOPProtectionPolicyRule with no recipient condition, or one naming every accepted
#   domain, and no exceptions) and, when the tenant has Defender for Office 365, the same for
#   Defender for Office 365 protection (Get-ATPProtectionPolicyRule). Custom policies with
#   equivalent settings meet the other defender.* rules, so this is a "should". The CISA SCuBA
#   Security Suite baseline satisfies many of its policies through the presets (its appendix A)
#   but no longer asks for them: the earlier SCuBA Defender baseline's MS.DEFENDER.1.2v1 and
#   1.3v1 were withdrawn into the Security Suite's policy group 1, so the rule cites no framework
#   control.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/recommended-settings-for-eop-and-office365
#     description: "Microsoft Learn: Recommended settings for EOP and Microsoft Defender for Office 365 security"
# custom:
#   id: defender.preset_policies
#   severity: medium
#   level: should
#   requires:
#     - exchange.eopProtectionPolicyRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.atpProtectionPolicyRules]
#   secure_score: []
#   frameworks:
#   license: []
#   remediation: >-
#     In the Microsoft Defender portal go to Email & collaboration > Policies & rules > Threat
#     policies > Preset security policies. Under Standard protection (or Strict protection) select
#     Manage protection settings; on "Apply Exchange Online Protection" and on "Apply Defender for
#     Office 365 protection" choose All recipients, exclude no one (put accounts that need other
#     settings in the Strict preset or a custom policy instead), review and confirm, then turn the
#     preset on. In Exchange Online PowerShell: Set-EOPProtectionPolicyRule -Identity "Standard
#     Preset Security Policy" -SentTo $null -SentToMemberOf $null -RecipientDomainIs $null
#     -ExceptIfSentTo $null -ExceptIfSentToMemberOf $null -ExceptIfRecipientDomainIs $null;
#     Enable-EOPProtectionPolicyRule -Identity "Standard Preset Security Policy"; and the same with
#     Set-ATPProtectionPolicyRule and Enable-ATPProtectionPolicyRule.
#   user_impact: moderate
#   implementation_cost: moderate
package posture.rules.defender.preset_policies

import data.posture.lib.licenses
import data.posture.lib.mdo

# _layers are the two protections a preset applies, each through its own rule.
_layers := {
	"exchange.eopProtectionPolicyRules": {"key": "eopProtectionPolicyRules", "label": "Exchange Online Protection"},
	"exchange.atpProtectionPolicyRules": {"key": "atpProtectionPolicyRules", "label": "Defender for Office 365 protection"},
}

_checked contains "exchange.eopProtectionPolicyRules"

_checked contains "exchange.atpProtectionPolicyRules" if licenses.has_defender_office

deny contains {"msg": msg, "entity": mdo.tenant} if {
	some source in _checked
	layer := _layers[source]
	not _covered(layer.key)
	msg := sprintf("Neither the Standard nor the Strict preset security policy applies %s to every recipient: %s", [
		layer.label,
		concat("; ", [_state(layer.key, id) | some id in ["standard", "strict"]]),
	])
}

_covered(key) if {
	some id, _ in mdo.presets
	mdo.covers_everyone(mdo.preset_rule(key, id))
}

_state(key, id) := sprintf("%s is not set up", [mdo.presets[id].label]) if {
	not mdo.preset_rule(key, id)
} else := sprintf("%s is turned off", [mdo.presets[id].label]) if {
	not mdo.enabled(mdo.preset_rule(key, id))
} else := sprintf("%s applies to %s", [mdo.presets[id].label, mdo.scope(mdo.preset_rule(key, id))])

error contains msg if {
	some msg in mdo.unlicensed_but_licensed(["exchange.atpProtectionPolicyRules"])
}
