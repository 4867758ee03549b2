# METADATA
# title: Spam, high confidence spam and bulk mail stay out of the inbox
# description: >-
#   An anti-spam policy that only adds an X-header or tags the subject delivers spam to the inbox,
#   where users act on it. Every anti-spam policy in force - the Strict or Standard preset, a
#   custom policy, or the default policy for everyone else - must quarantine high confidence spam
#   (HighConfidenceSpamAction Quarantine), move spam to Junk Email or quarantine it (SpamAction
#   MoveToJmf or Quarantine), and keep bulk mail out of the inbox (BulkSpamAction MoveToJmf,
#   Quarantine, Redirect or Delete; not AddXHeader, ModifySubject or NoAction). Custom anti-spam
#   policies are checked as if they applied to someone, because their rules are not collected. The
#   finding names each policy that falls short. CISA SCuBA MS.SECURITYSUITE.6.1v1 only keeps spam
#   out of the inbox (Junk Email, quarantine, redirect or delete): high confidence spam in Junk
#   Email, spam redirected or deleted, and bulk mail are posture's own stricter judgement.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-protection-about
#     description: "Microsoft Learn: Anti-spam protection in cloud organizations"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-policies-configure
#     description: "Microsoft Learn: Configure anti-spam policies in EOP"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/recommended-settings-for-eop-and-office365
#     description: "Microsoft Learn: Recommended settings for EOP and Microsoft Defender for Office 365 security"
# custom:
#   id: defender.spam_actions
#   severity: medium
#   level: shall
#   requires:
#     - exchange.hostedContentFilterPolicies
#     - exchange.eopProtectionPolicyRules
#     - exchange.acceptedDomains
#   secure_score: [mdo_highconfidencespamaction, mdo_spamaction, mdo_bulkspamaction]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.6.1v1]
#   license: []
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For the policy
#     the finding names: Threat policies > Anti-spam > the inbound policy > Edit actions: Spam:
#     Move message to Junk Email folder; High confidence spam: Quarantine message; Bulk: Move
#     message to Junk Email folder. In Exchange Online PowerShell: Set-HostedContentFilterPolicy
#     -Identity "<policy>" -SpamAction MoveToJmf -HighConfidenceSpamAction Quarantine
#     -BulkSpamAction MoveToJmf.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.spam_actions

import data.posture.lib.mdo

_kind := "content_filter"

# _out_of_inbox are the actions CISA SCuBA MS.SECURITYSUITE.6.1v1 accepts for spam: none of them
# delivers to the inbox (the Junk Email folder is not the inbox).
_out_of_inbox := ["Delete", "MoveToJmf", "Quarantine", "Redirect"]

# _checks are the actions each verdict may take: stricter than SCuBA for high confidence spam
# (quarantine) and spam (junk or quarantine); bulk mail is posture's own requirement.
_checks := [
	{"prop": "HighConfidenceSpamAction", "in": ["Quarantine"], "accepts": {"MS.SECURITYSUITE.6.1v1": _out_of_inbox}},
	{"prop": "SpamAction", "in": ["MoveToJmf", "Quarantine"], "accepts": {"MS.SECURITYSUITE.6.1v1": _out_of_inbox}},
	{"prop": "BulkSpamAction", "in": _out_of_inbox, "controls": []},
]

deny contains v if some v in mdo.violations(_kind, _checks, "lets spam reach the inbox or treats it too lightly")

error contains msg if some msg in mdo.errors(_kind)
