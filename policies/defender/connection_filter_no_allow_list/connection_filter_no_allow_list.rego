# METADATA
# title: The connection filter allows no IP addresses and does not use the safe list
# description: >-
#   Mail from an address on the connection filter's IP Allow List (IPAllowList) skips spam
#   filtering and sender authentication (SPF, DKIM, DMARC), and so does mail from the servers on
#   Microsoft's third-party safe list when EnableSafeList is on - a list administrators cannot
#   see. Anyone who can send from such an address, or spoof mail through it, reaches the inbox.
#   Every connection filter policy (there is normally only the default one) must have an empty
#   IPAllowList and EnableSafeList false. Trusted relays belong in an inbound connector or in
#   Enhanced Filtering for Connectors instead.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/connection-filter-policies-configure
#     description: "Microsoft Learn: Configure connection filtering"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/create-safe-sender-lists-in-office-365
#     description: "Microsoft Learn: Create safe sender lists in cloud organizations"
# custom:
#   id: defender.connection_filter_no_allow_list
#   severity: medium
#   level: should
#   requires: [exchange.hostedConnectionFilterPolicies]
#   secure_score: [mdo_connectionfilter]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.8.1v1, MS.SECURITYSUITE.8.2v1]
#     cis_m365: ["2.1.12", "2.1.13"]
#   license: []
#   remediation: >-
#     In the Microsoft Defender portal go to Email & collaboration > Policies & rules > Threat
#     policies > Anti-spam > Connection filter policy (Default) > Edit connection filter policy:
#     remove every entry under "Always allow messages from the following IP addresses or address
#     range" and clear "Turn on safe list". In Exchange Online PowerShell:
#     Set-HostedConnectionFilterPolicy -Identity Default -IPAllowList $null -EnableSafeList
#     $false. For a relay or scanner that must be trusted, configure an inbound connector (and
#     Enhanced Filtering for Connectors) instead.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.connection_filter_no_allow_list

import data.posture.lib.mdo

# _checks: no IP Allow List (CISA SCuBA MS.SECURITYSUITE.8.1v1, CIS 2.1.12) and no safe list
# (MS.SECURITYSUITE.8.2v1, CIS 2.1.13).
_checks := [
	{"prop": "IPAllowList", "empty": true, "controls": ["MS.SECURITYSUITE.8.1v1", "2.1.12"]},
	{"prop": "EnableSafeList", "equals": false, "controls": ["MS.SECURITYSUITE.8.2v1", "2.1.13"]},
]

# Every connection filter policy applies to all inbound mail (there is normally only the default).
deny contains v if {
	some p in mdo.list("hostedConnectionFilterPolicies")
	e := {"policy": p, "text": sprintf("connection filter policy '%s'", [mdo.name(p)])}
	some v in mdo.entry_violations(e, _checks, "lets mail skip spam filtering and sender authentication")
}
