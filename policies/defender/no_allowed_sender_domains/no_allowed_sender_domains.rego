# METADATA
# title: Anti-spam policies allow no sender domains or senders
# description: >-
#   Mail from an allowed sender domain or address (AllowedSenderDomains, AllowedSenders) skips
#   spam filtering, and a spoofed sender in an allowed domain arrives in the inbox as if it were
#   trusted. Exceptions belong in the Tenant Allow/Block List, with an expiry, or in advanced
#   delivery for phishing simulations. No anti-spam policy in force - the Strict or Standard
#   preset, a custom policy, or the default policy for everyone else - may list allowed sender
#   domains or senders. Custom anti-spam policies are checked as if they applied to someone,
#   because their rules are not collected. The finding names each policy and what it allows.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-policies-configure
#     description: "Microsoft Learn: Configure anti-spam policies in EOP"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/create-safe-sender-lists-in-office-365
#     description: "Microsoft Learn: Create safe sender lists in cloud organizations"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/tenant-allow-block-list-about
#     description: "Microsoft Learn: Manage the Tenant Allow/Block List"
# custom:
#   id: defender.no_allowed_sender_domains
#   severity: high
#   level: shall
#   requires:
#     - exchange.hostedContentFilterPolicies
#     - exchange.eopProtectionPolicyRules
#     - exchange.acceptedDomains
#   secure_score: [mdo_allowedsenderscombined]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.6.2v1]
#     cis_m365: ["2.1.14"]
#   license: []
#   remediation: >-
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Anti-spam > the inbound policy the finding names > Edit allowed and blocked senders and
#     domains: remove every allowed sender and allowed domain; if a partner's mail is filtered
#     wrongly, submit it as a false positive and allow it in the Tenant Allow/Block List. In
#     Exchange Online PowerShell: Set-HostedContentFilterPolicy -Identity "<policy>"
#     -AllowedSenderDomains $null -AllowedSenders $null.
#   user_impact: moderate
#   implementation_cost: low
package posture.rules.defender.no_allowed_sender_domains

import data.posture.lib.mdo

_kind := "content_filter"

# _checks are the allow lists that must stay empty. CISA SCuBA MS.SECURITYSUITE.6.2v1 and CIS
# 2.1.14 forbid allowed domains; SCuBA lets allowed senders be added, so they are posture's own.
_checks := [
	{"prop": "AllowedSenderDomains", "empty": true, "controls": ["MS.SECURITYSUITE.6.2v1", "2.1.14"]},
	{"prop": "AllowedSenders", "empty": true, "controls": []},
]

deny contains v if some v in mdo.violations(_kind, _checks, "lets mail skip spam filtering")

error contains msg if some msg in mdo.errors(_kind)
