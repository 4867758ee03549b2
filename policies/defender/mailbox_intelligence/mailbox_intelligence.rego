# METADATA
# title: Mailbox intelligence protects every recipient from impersonation
# description: >-
#   Mailbox intelligence learns each user's usual correspondents and, with mailbox intelligence
#   based impersonation protection, acts on a message from a look-alike of someone the user
#   actually mails with - the pattern of most business email compromise. Every anti-phishing
#   policy a recipient can get - the Strict or Standard preset (through its Defender for Office
#   365 rule), a custom policy through its enabled rule, or the default policy for everyone else -
#   must turn on EnableMailboxIntelligence and EnableMailboxIntelligenceProtection and act on what
#   it finds (MailboxIntelligenceProtectionAction MoveToJmf, Quarantine, Redirect or Delete;
#   NoAction and BccMessage deliver the message). The finding names each policy in force that
#   falls short.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about
#     description: "Microsoft Learn: Anti-phishing policies in Microsoft 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-mdo-configure
#     description: "Microsoft Learn: Configure anti-phishing policies in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
# custom:
#   id: defender.mailbox_intelligence
#   severity: medium
#   level: shall
#   requires:
#     - exchange.antiPhishPolicies
#     - exchange.antiPhishRules
#     - exchange.eopProtectionPolicyRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.atpProtectionPolicyRules]
#   secure_score: [mdo_enablemailboxintelligence, mdo_mailboxintelligenceprotection, mdo_mailboxintelligenceprotectionaction]
#   frameworks:
#     cis_m365: ["2.1.7"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For the policy
#     the finding names: Threat policies > Anti-phishing > the policy > Edit protection settings:
#     turn on "Enable mailbox intelligence" and "Enable intelligence for impersonation
#     protection"; Edit actions: "If mailbox intelligence detects an impersonated user":
#     Quarantine the message (or move it to Junk Email). In Exchange Online PowerShell: Set-
#     AntiPhishPolicy -Identity "<policy>" -EnableMailboxIntelligence $true
#     -EnableMailboxIntelligenceProtection $true -MailboxIntelligenceProtectionAction Quarantine.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.mailbox_intelligence

import data.posture.lib.licenses
import data.posture.lib.mdo

_kind := "anti_phish"

not_applicable := mdo.needs_defender("Mailbox intelligence") if not licenses.has_defender_office

# _checks: mailbox intelligence and its impersonation protection on, with an action that keeps
# the message out of the inbox.
_checks := [
	{"prop": "EnableMailboxIntelligence", "equals": true},
	{"prop": "EnableMailboxIntelligenceProtection", "equals": true},
	{"prop": "MailboxIntelligenceProtectionAction", "in": ["Delete", "MoveToJmf", "Quarantine", "Redirect"]},
]

deny contains v if some v in mdo.violations(_kind, _checks, "does not act on impersonation that mailbox intelligence detects")

error contains msg if some msg in mdo.defender_errors(_kind)
