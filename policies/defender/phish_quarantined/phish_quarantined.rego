# METADATA
# title: Phishing is quarantined for every recipient
# description: >-
#   Anti-spam filtering classifies inbound mail as phishing or high confidence phishing; what
#   happens next is the action of the anti-spam policy the recipient gets. Moving phishing to the
#   Junk Email folder still delivers it to a place users open and click from; quarantine keeps it
#   away from them. Every anti-spam policy in force - the Strict or Standard preset, a custom
#   policy, or the default policy for everyone else - must quarantine both (PhishSpamAction and
#   HighConfidencePhishAction Quarantine). Custom anti-spam policies are checked as if they
#   applied to someone, because their rules are not collected. The finding names each policy that
#   falls short.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-protection-about
#     description: "Microsoft Learn: Anti-spam protection in cloud organizations"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-policies-configure
#     description: "Microsoft Learn: Configure anti-spam policies in EOP"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/recommended-settings-for-eop-and-office365
#     description: "Microsoft Learn: Recommended settings for EOP and Microsoft Defender for Office 365 security"
# custom:
#   id: defender.phish_quarantined
#   severity: high
#   level: shall
#   requires:
#     - exchange.hostedContentFilterPolicies
#     - exchange.eopProtectionPolicyRules
#     - exchange.acceptedDomains
#   secure_score: [mdo_highconfidencephishaction, mdo_phisspamacation]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.6.1v1]
#   license: []
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For the policy
#     the finding names: Threat policies > Anti-spam > the inbound policy > Edit actions:
#     Phishing: Quarantine message; High confidence phishing: Quarantine message. In Exchange
#     Online PowerShell: Set-HostedContentFilterPolicy -Identity "<policy>" -PhishSpamAction
#     Quarantine -HighConfidencePhishAction Quarantine.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.phish_quarantined

import data.posture.lib.mdo

_kind := "content_filter"

# _out_of_inbox are the actions CISA SCuBA MS.SECURITYSUITE.6.1v1 accepts for phishing.
_out_of_inbox := ["Delete", "MoveToJmf", "Quarantine", "Redirect"]

# _checks: every anti-spam policy in force quarantines phishing (SCuBA accepts any action that
# keeps it out of the inbox).
_checks := [
	{"prop": "PhishSpamAction", "in": ["Quarantine"], "accepts": {"MS.SECURITYSUITE.6.1v1": _out_of_inbox}},
	{"prop": "HighConfidencePhishAction", "in": ["Quarantine"], "accepts": {"MS.SECURITYSUITE.6.1v1": _out_of_inbox}},
]

deny contains v if some v in mdo.violations(_kind, _checks, "delivers phishing")

error contains msg if some msg in mdo.errors(_kind)
