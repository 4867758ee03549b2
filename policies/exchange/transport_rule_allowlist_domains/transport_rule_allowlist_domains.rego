# METADATA
# title: No mail flow rule lets sender domains skip spam filtering
# description: >-
#   A mail flow (transport) rule that sets the spam confidence level to -1 (SetSCL -1) marks the
#   messages it matches as not spam, so they skip spam, bulk and spoof filtering and land in the
#   inbox. Keyed on the sender's domain or address (SenderDomainIs, FromAddressContainsWords,
#   FromAddressMatchesPatterns), such a rule trusts a From address anyone can forge: spoofed and
#   compromised-partner mail goes straight through. The same holds for rules that set the
#   X-MS-Exchange-Organization-SkipSafeLinksProcessing or -SkipSafeAttachmentProcessing headers.
#   No enforced rule (State Enabled, Mode Enforce) may do either for sender domains or addresses.
#   Rules keyed on connecting IP ranges (third-party filters, phishing simulations) are left
#   alone; the advanced delivery policy is the better home for those.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/exchange/security-and-compliance/mail-flow-rules/use-rules-to-set-scl
#     description: "Microsoft Learn: Use mail flow rules to set the spam confidence level (SCL)"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/create-safe-sender-lists-in-office-365
#     description: "Microsoft Learn: Create safe sender lists in EOP (why domain allow lists are risky)"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-transportrule
#     description: "Microsoft Learn: Set-TransportRule"
# custom:
#   id: exchange.transport_rule_allowlist_domains
#   severity: high
#   level: shall
#   requires: [exchange.transportRules]
#   secure_score: [exo_transportrulesallowlistdomains]
#   frameworks:
#     cis_m365: ["6.2.2"]
#   license: []
#   remediation: >-
#     In the Exchange admin center go to Mail flow > Rules, open each rule named in the finding
#     and delete it, or remove the "Set the spam confidence level (SCL) to Bypass spam filtering"
#     action (or the sender-domain condition). In Exchange Online PowerShell: Remove-TransportRule
#     -Identity "<rule>", or Disable-TransportRule -Identity "<rule>". If a partner's mail is
#     wrongly filtered, submit it to Microsoft and use the Tenant Allow/Block List, which honours
#     authentication, instead.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.transport_rule_allowlist_domains

import data.posture.lib.exchange

# bypass_headers are the headers that, set by a rule, switch off Safe Links or Safe Attachments.
bypass_headers := {"x-ms-exchange-organization-skipsafelinksprocessing", "x-ms-exchange-organization-skipsafeattachmentprocessing"}

# sender_conditions are the conditions that match on the (forgeable) sender domain or address.
sender_conditions := ["SenderDomainIs", "FromAddressContainsWords", "FromAddressMatchesPatterns"]

deny contains {"msg": msg, "entity": exchange.entity("transportRule", r)} if {
	some r in exchange.objects("transportRules")
	exchange.enforced(r)
	bypass := _bypass(r)
	senders := _senders(r)
	count(senders) > 0
	msg := sprintf("Mail flow rule '%s' %s for mail from %s: anyone who forges such a sender gets past the filters", [exchange.name(r), bypass, concat(", ", senders)])
}

_bypass(r) := "bypasses spam filtering (SetSCL -1)" if {
	exchange.scl(r) == -1
} else := sprintf("switches off Defender for Office 365 scanning (sets header %s)", [h]) if {
	h := exchange.prop(r, "SetHeaderName")
	is_string(h)
	lower(h) in bypass_headers
}

_senders(r) := [sprintf("%s %s", [c, concat(", ", vs)]) |
	some c in sender_conditions
	vs := exchange.strings(r, c)
	count(vs) > 0
]

error contains "exchange.transportRules is not an array" if not is_array(input.exchange.transportRules)
