package posture.rules.exchange.transport_rule_allowlist_domains_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.transport_rule_allowlist_domains

_rule(name, changes) := fixtures.transport_rule(name, object.union({"SenderDomainIs": null, "SetSCL": null, "SetHeaderName": null, "SenderIpRanges": null}, changes))

_entity(name) := {"type": "transportRule", "id": sprintf("tr-%s", [name]), "name": name}

test_fails_for_a_rule_that_allow_lists_sender_domains if {
	rs := [_rule("Allow partners", {"SenderDomainIs": ["fabrikam.com", "litware.com"], "SetSCL": -1})]
	transport_rule_allowlist_domains.deny == {{
		"msg": "Mail flow rule 'Allow partners' bypasses spam filtering (SetSCL -1) for mail from SenderDomainIs fabrikam.com, litware.com: anyone who forges such a sender gets past the filters",
		"entity": _entity("Allow partners"),
	}} with input.exchange.transportRules as rs
}

test_reads_scl_given_as_a_string if {
	rs := [_rule("Allow", {"FromAddressContainsWords": ["@fabrikam.com"], "SetSCL": "-1"})]
	count(transport_rule_allowlist_domains.deny) == 1 with input.exchange.transportRules as rs
}

test_fails_for_a_rule_that_skips_safe_links_for_a_domain if {
	rs := [_rule("No Safe Links for vendor", {"SenderDomainIs": ["vendor.example"], "SetHeaderName": "X-MS-Exchange-Organization-SkipSafeLinksProcessing", "SetHeaderValue": "1"})]
	transport_rule_allowlist_domains.deny == {{
		"msg": "Mail flow rule 'No Safe Links for vendor' switches off Defender for Office 365 scanning (sets header X-MS-Exchange-Organization-SkipSafeLinksProcessing) for mail from SenderDomainIs vendor.example: anyone who forges such a sender gets past the filters",
		"entity": _entity("No Safe Links for vendor"),
	}} with input.exchange.transportRules as rs
}

test_passes_for_disabled_and_audit_mode_rules if {
	rs := [
		_rule("Old allow list", {"SenderDomainIs": ["fabrikam.com"], "SetSCL": -1, "State": "Disabled"}),
		_rule("Trial", {"SenderDomainIs": ["fabrikam.com"], "SetSCL": -1, "Mode": "Audit"}),
	]
	transport_rule_allowlist_domains.deny == set() with input.exchange.transportRules as rs
}

test_passes_for_ip_based_bypass_and_other_scl_values if {
	rs := [
		_rule("Phish simulation", {"SenderIpRanges": ["198.51.100.0/24"], "SetSCL": -1}),
		_rule("Mark as spam", {"SenderDomainIs": ["spam.example"], "SetSCL": 6}),
	]
	transport_rule_allowlist_domains.deny == set() with input.exchange.transportRules as rs
}

test_a_rule_without_state_counts_as_enforced if {
	rs := [object.remove(_rule("Allow", {"SenderDomainIs": ["fabrikam.com"], "SetSCL": -1}), ["State", "Mode"])]
	count(transport_rule_allowlist_domains.deny) == 1 with input.exchange.transportRules as rs
}

test_passes_with_no_rules if {
	transport_rule_allowlist_domains.deny == set() with input.exchange.transportRules as []
}

test_errors_when_the_rules_are_not_a_list if {
	transport_rule_allowlist_domains.error == {"exchange.transportRules is not an array"} with input.exchange.transportRules as {}
}
