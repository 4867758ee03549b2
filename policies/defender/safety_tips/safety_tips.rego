# METADATA
# title: Anti-phishing policies show users every safety tip
# description: >-
#   Safety tips warn a user in the message itself: a first message from a sender, a sender that
#   failed authentication (the "?" on the sender's photo), a message sent "via" another domain,
#   and, with Defender for Office 365, a sender that looks like a protected user or domain or
#   uses unusual characters. CISA SCuBA MS.SECURITYSUITE.2.4v1 asks that such warnings be shown,
#   and its steps turn on every safety tip and indicator of the default anti-phishing policy. The
#   Standard and Strict preset policies meet it as they are, the baseline says, so the rule skips
#   them; every other anti-phishing policy a recipient can get - a custom policy through its
#   enabled rule, or the default policy for everyone else - must have EnableFirstContactSafetyTips,
#   EnableUnauthenticatedSender and EnableViaTag on (Exchange Online Protection), and with Defender
#   for Office 365 also EnableSimilarUsersSafetyTips, EnableSimilarDomainsSafetyTips and
#   EnableUnusualCharactersSafetyTips. Without Defender for Office 365 those three do not exist,
#   and the tips Exchange Online Protection includes are what the baseline asks to be comparable
#   to. The finding names each policy in force that falls short.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about#first-contact-safety-tip
#     description: "Microsoft Learn: Anti-phishing policies, first contact safety tip"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about#unauthenticated-sender-indicators
#     description: "Microsoft Learn: Anti-phishing policies, unauthenticated sender indicators"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-antiphishpolicy
#     description: "Microsoft Learn: Set-AntiPhishPolicy"
#   - ref: https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/securitysuite.md
#     description: "CISA SCuBA Security Suite baseline (MS.SECURITYSUITE.2.4v1)"
# custom:
#   id: defender.safety_tips
#   severity: low
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
#     cisa_scuba: [MS.SECURITYSUITE.2.4v1]
#   license: []
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients. For the
#     policy the finding names: Microsoft Defender portal > Email & collaboration > Policies &
#     rules > Threat policies > Anti-phishing > the policy > Edit actions > Safety tips &
#     indicators: check every safety tip and indicator. In Exchange Online PowerShell:
#     Set-AntiPhishPolicy -Identity "<policy>" -EnableFirstContactSafetyTips $true
#     -EnableUnauthenticatedSender $true -EnableViaTag $true, and with Defender for Office 365
#     -EnableSimilarUsersSafetyTips $true -EnableSimilarDomainsSafetyTips $true
#     -EnableUnusualCharactersSafetyTips $true.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.safety_tips

import data.posture.lib.licenses
import data.posture.lib.mdo

# _tips are the safety tips each kind must show: the Exchange Online Protection ones follow the
# presets' EOP rule, the impersonation ones (Defender for Office 365) their Defender rule.
_tips["anti_phish_eop"] := ["EnableFirstContactSafetyTips", "EnableUnauthenticatedSender", "EnableViaTag"]

_tips["anti_phish"] := ["EnableSimilarUsersSafetyTips", "EnableSimilarDomainsSafetyTips", "EnableUnusualCharactersSafetyTips"] if {
	licenses.has_defender_office
}

deny contains v if {
	some kind, tips in _tips
	some e in mdo.reachable(kind)
	not e.role in {"strict", "standard"}
	some v in mdo.entry_violations(e, [{"prop": t, "equals": true} | some t in tips], "does not show users every safety tip")
}

deny contains v if {
	some kind, _ in _tips
	some v in mdo.gaps(kind)
}

error contains msg if {
	some kind, _ in _tips
	some msg in mdo.errors(kind)
}
