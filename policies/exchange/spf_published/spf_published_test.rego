package posture.rules.exchange.spf_published_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.spf_published

_x(dns) := fixtures.dns_exchange(dns)

_ms := {"spf": ["v=spf1 include:spf.protection.outlook.com -all"], "dmarc": []}

_entity := fixtures.domain_entity("contoso.com")

test_passes_with_one_hard_fail_record if {
	x := _x({"contoso.onmicrosoft.com": _ms, "contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com ip4:203.0.113.10 -all"]}})
	spf_published.deny == set() with input.exchange as x
	spf_published.warn == set() with input.exchange as x
	spf_published.error == set() with input.exchange as x
}

test_fails_with_no_record if {
	x := _x({"contoso.onmicrosoft.com": _ms, "contoso.com": {"spf": [], "dmarc": []}})
	spf_published.deny == {{
		"msg": "Domain contoso.com publishes no SPF record: receivers cannot tell the organization's mail from mail forged in its name",
		"entity": _entity,
	}} with input.exchange as x
}

test_fails_with_two_records if {
	x := _x({"contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com -all", "v=spf1 include:_spf.google.com ~all"]}})
	spf_published.deny == {{
		"msg": "Domain contoso.com publishes 2 SPF records, which makes SPF a permanent error for every message (RFC 7208): v=spf1 include:_spf.google.com ~all | v=spf1 include:spf.protection.outlook.com -all",
		"entity": _entity,
	}} with input.exchange as x
}

test_soft_fail_warns_as_posture_only_because_scuba_accepts_it if {
	x := _x({"contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com ~all"]}})
	spf_published.deny == set() with input.exchange as x
	spf_published.warn == {{
		"msg": "The SPF record of contoso.com ends in ~all (soft fail): receivers accept mail from other servers, only marked as suspicious; -all makes them reject it (CISA SCuBA MS.EXO.2.2v3 accepts either): v=spf1 include:spf.protection.outlook.com ~all",
		"entity": _entity,
		"controls": ["posture"],
	}} with input.exchange as x
}

test_soft_fail_fails_posture_only_when_hard_fail_is_required if {
	x := _x({"contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com ~all"]}})
	[v.controls | some v in spf_published.deny] == [["posture"]] with input.exchange as x with data.posture.config as {"requireSpfHardFail": true}
	spf_published.warn == set() with input.exchange as x with data.posture.config as {"requireSpfHardFail": true}
}

test_fails_on_neutral_pass_all_or_no_all if {
	spf_published.deny == {{
		"msg": "The SPF record of contoso.com ends in ?all, which does not fail other senders: v=spf1 include:spf.protection.outlook.com ?all",
		"entity": _entity,
		"controls": ["MS.EXO.2.2v3"],
	}} with input.exchange as _x({"contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com ?all"]}})
	count(spf_published.deny) == 1 with input.exchange as _x({"contoso.com": {"spf": ["v=spf1 +all"]}})
	spf_published.deny == {{
		"msg": "The SPF record of contoso.com has no \"all\" mechanism or redirect, so mail from any other server is \"neutral\": v=spf1 include:spf.protection.outlook.com",
		"entity": _entity,
		"controls": ["MS.EXO.2.2v3"],
	}} with input.exchange as _x({"contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com"]}})
}

test_reads_the_record_case_insensitively if {
	x := _x({"Contoso.com": {"spf": ["V=SPF1 INCLUDE:spf.protection.outlook.com  -ALL"]}})
	spf_published.deny == set() with input.exchange as x
	spf_published.warn == set() with input.exchange as x
}

test_warns_on_a_redirect if {
	x := _x({"contoso.com": {"spf": ["v=spf1 redirect=_spf.contoso.com"]}})
	spf_published.warn == {{
		"msg": "The SPF record of contoso.com hands over to redirect=_spf.contoso.com, which posture does not look up; check that it ends in -all: v=spf1 redirect=_spf.contoso.com",
		"entity": _entity,
		"controls": ["MS.EXO.2.2v3"],
	}} with input.exchange as x
}

test_a_failed_lookup_is_an_error_not_a_missing_record if {
	x := _x({"contoso.com": {"dmarc": [], "errors": {"spf": "lookup contoso.com: SERVFAIL"}}})
	spf_published.error == {"the SPF lookup for contoso.com failed: lookup contoso.com: SERVFAIL"} with input.exchange as x
	spf_published.deny == set() with input.exchange as x
}

test_a_domain_that_was_not_looked_up_is_an_error if {
	x := _x({"contoso.onmicrosoft.com": _ms})
	spf_published.error == {"the SPF lookup for contoso.com failed or was not made (exchange.dns has no spf records for contoso.com)"} with input.exchange as x
}

test_ignores_onmicrosoft_domains_and_is_not_applicable_without_custom_ones if {
	x := {"acceptedDomains": fixtures.accepted_domains(["contoso.onmicrosoft.com"]), "dns": {"contoso.onmicrosoft.com": {"spf": []}}}
	spf_published.deny == set() with input.exchange as x
	spf_published.not_applicable == "the tenant has no accepted domain of its own; Microsoft publishes SPF for *.onmicrosoft.com domains" with input.exchange as x
}

test_errors_on_wrong_shapes if {
	spf_published.error == {"exchange.dns is not an object", "the SPF lookup for contoso.com failed or was not made (exchange.dns has no spf records for contoso.com)"} with input.exchange as _x([])
}

test_control_coverage_counts_domains_with_one_record_whatever_its_ending if {
	x := {
		"acceptedDomains": fixtures.accepted_domains(["contoso.onmicrosoft.com", "contoso.com", "fabrikam.com", "tailspin.com", "wingtip.com"]),
		"dns": {
			"contoso.onmicrosoft.com": _ms,
			"contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com ~all"]},
			"fabrikam.com": {"spf": ["v=spf1 include:spf.protection.outlook.com -all"]},
			"tailspin.com": {"spf": []},
			"wingtip.com": {"spf": ["v=spf1 -all", "v=spf1 ~all"]},
		},
	}
	spf_published.control_coverage == {"exo_SPF_records_for_all_domains": {"covered": 2, "total": 4}} with input.exchange as x
}

test_control_coverage_full_when_every_domain_publishes_one if {
	x := _x({"contoso.onmicrosoft.com": _ms, "contoso.com": {"spf": ["v=spf1 include:spf.protection.outlook.com -all"]}})
	spf_published.control_coverage == {"exo_SPF_records_for_all_domains": {"covered": 1, "total": 1}} with input.exchange as x
}

test_no_control_coverage_without_custom_domains if {
	x := {"acceptedDomains": fixtures.accepted_domains(["contoso.onmicrosoft.com"]), "dns": {"contoso.onmicrosoft.com": {"spf": []}}}
	spf_published.control_coverage == {} with input.exchange as x
}

test_control_coverage_counts_an_unanswered_lookup_as_not_covered if {
	# The rule is an error then (its finding carries no coverage); the figure still never
	# counts an unanswered lookup as a published record.
	x := {
		"acceptedDomains": fixtures.accepted_domains(["contoso.com", "fabrikam.com"]),
		"dns": {"contoso.com": {"dmarc": [], "errors": {"spf": "lookup contoso.com: SERVFAIL"}}, "fabrikam.com": {"spf": ["v=spf1 -all"]}},
	}
	spf_published.control_coverage == {"exo_SPF_records_for_all_domains": {"covered": 1, "total": 2}} with input.exchange as x
}
