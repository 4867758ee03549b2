# METADATA
# title: Zero-hour auto purge removes spam, phishing and malware after delivery
# description: >-
#   Verdicts change after delivery: a link turns malicious, a campaign is recognized, a malware
#   signature arrives. Zero-hour auto purge (ZAP) then moves the messages already delivered out
#   of the mailboxes. It is on by default and is switched off per policy: every anti-spam policy
#   in force must keep PhishZapEnabled and SpamZapEnabled on, and every anti-malware policy in
#   force ZapEnabled - the Strict or Standard preset, a custom policy, or the default policy for
#   everyone else (custom anti-spam and anti-malware policies are checked as if they applied to
#   someone, because their rules are not collected). The finding names each policy that has ZAP
#   off. CISA SCuBA MS.SECURITYSUITE.1.2v1 asks for malware ZAP only: spam and phishing ZAP are
#   posture's own requirement and break no framework control.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/zero-hour-auto-purge
#     description: "Microsoft Learn: Zero-hour auto purge (ZAP) in Exchange Online"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-policies-configure
#     description: "Microsoft Learn: Configure anti-spam policies in EOP"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-malware-policies-configure
#     description: "Microsoft Learn: Configure anti-malware policies in EOP"
# custom:
#   id: defender.zero_hour_auto_purge
#   severity: medium
#   level: shall
#   requires:
#     - exchange.hostedContentFilterPolicies
#     - exchange.malwareFilterPolicies
#     - exchange.eopProtectionPolicyRules
#     - exchange.acceptedDomains
#   secure_score: [mdo_zapphish, mdo_zapmalware]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.1.2v1]
#   license: []
#   remediation: >-
#     In the Microsoft Defender portal go to Email & collaboration > Policies & rules > Threat
#     policies. Anti-spam > the inbound policy the finding names > Edit actions: check "Enable
#     zero-hour auto purge (ZAP)" with "Enable for phishing messages" and "Enable for spam
#     messages". Anti-malware > the policy > Edit protection settings: check "Enable zero-hour auto
#     purge for malware". In Exchange Online PowerShell: Set-HostedContentFilterPolicy -Identity
#     "<policy>" -PhishZapEnabled $true -SpamZapEnabled $true; Set-MalwareFilterPolicy -Identity
#     "<policy>" -ZapEnabled $true.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.zero_hour_auto_purge

import data.posture.lib.mdo

# _checks are the ZAP switches each kind of policy must have on. CISA SCuBA MS.SECURITYSUITE.1.2v1
# asks only for malware ZAP; spam and phishing ZAP are posture's own.
_checks := {
	"content_filter": [
		{"prop": "PhishZapEnabled", "equals": true, "controls": []},
		{"prop": "SpamZapEnabled", "equals": true, "controls": []},
	],
	"malware_filter": [{"prop": "ZapEnabled", "equals": true, "controls": ["MS.SECURITYSUITE.1.2v1"]}],
}

deny contains v if {
	some kind, checks in _checks
	some v in mdo.violations(kind, checks, "does not purge delivered messages that turn out harmful")
}

error contains msg if {
	some kind, _ in _checks
	some msg in mdo.errors(kind)
}
