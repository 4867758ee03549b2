# METADATA
# title: Anti-phishing policies use an advanced phishing threshold for every recipient
# description: >-
#   The phishing email threshold of a Defender for Office 365 anti-phishing policy
#   (PhishThresholdLevel) sets how confident the machine learning models must be before they treat
#   a message as phishing: 1 Standard (the default), 2 Aggressive, 3 More aggressive, 4 Most
#   aggressive. Microsoft's Standard preset uses 3 and Strict 4; Secure Score asks for 2 or more.
#   Every anti-phishing policy a recipient can get - the Strict or Standard preset (through its
#   Defender for Office 365 rule), a custom policy through its enabled rule, or the default policy
#   for everyone else - must be at least at parameter minPhishThresholdLevel. The finding names
#   each policy in force below it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about
#     description: "Microsoft Learn: Anti-phishing policies in Microsoft 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-mdo-configure
#     description: "Microsoft Learn: Configure anti-phishing policies in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/recommended-settings-for-eop-and-office365
#     description: "Microsoft Learn: Recommended settings for EOP and Microsoft Defender for Office 365 security"
# custom:
#   id: defender.phish_threshold
#   severity: medium
#   level: shall
#   requires:
#     - exchange.antiPhishPolicies
#     - exchange.antiPhishRules
#     - exchange.eopProtectionPolicyRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.atpProtectionPolicyRules]
#   secure_score: [mdo_phishthresholdlevel]
#   frameworks:
#     cis_m365: ["2.1.7"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For the policy
#     the finding names: Threat policies > Anti-phishing > the policy > Edit protection settings >
#     Phishing email threshold: 2 - Aggressive or higher. In Exchange Online PowerShell: Set-
#     AntiPhishPolicy -Identity "<policy>" -PhishThresholdLevel 2.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: minPhishThresholdLevel
#       type: integer
#       minimum: 1
#       maximum: 4
#       description: The lowest acceptable PhishThresholdLevel, 1 to 4.
#       default: 2
package posture.rules.defender.phish_threshold

import data.posture.lib.licenses
import data.posture.lib.mdo
import data.posture.lib.params

_kind := "anti_phish"

not_applicable := mdo.needs_defender("Advanced phishing thresholds") if not licenses.has_defender_office

# _param is the lowest acceptable threshold.
_param := params.value("minPhishThresholdLevel")

_checks := [{"prop": "PhishThresholdLevel", "at_least": _param}] if _valid_level(_param)

_valid_level(n) if {
	is_number(n)
	n in {1, 2, 3, 4}
}

deny contains v if some v in mdo.violations(_kind, _checks, "treats too little mail as phishing")

error contains msg if some msg in mdo.defender_errors(_kind)

error contains sprintf("config minPhishThresholdLevel must be 1, 2, 3 or 4, got %s", [json.marshal(_param)]) if {
	not _valid_level(_param)
}
