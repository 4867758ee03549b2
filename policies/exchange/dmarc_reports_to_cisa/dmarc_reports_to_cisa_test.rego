package posture.rules.exchange.dmarc_reports_to_cisa_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.dmarc_reports_to_cisa

_federal := {"federalAgency": true}

test_not_applicable_outside_the_federal_government if {
	x := fixtures.dmarc_exchange("v=DMARC1; p=reject; rua=mailto:d@contoso.com")
	dmarc_reports_to_cisa.not_applicable == "CISA SCuBA MS.EXO.4.3v1 binds only US federal executive-branch agencies, which alone should send DMARC reports to CISA; set parameter federalAgency to true if the tenant belongs to one" with input.exchange as x
	dmarc_reports_to_cisa.error == set() with input.exchange as fixtures.dns_exchange({"contoso.com": {"errors": {"dmarc": "timeout"}}})
}

test_passes_when_cisa_gets_the_aggregate_reports if {
	x := fixtures.dmarc_exchange("v=DMARC1; p=reject; rua=mailto:d@contoso.com, mailto:REPORTS@dmarc.cyber.dhs.gov!10m")
	dmarc_reports_to_cisa.deny == set() with input.exchange as x with data.posture.config as _federal
	not dmarc_reports_to_cisa.not_applicable with input.exchange as x with data.posture.config as _federal
}

test_fails_when_rua_lacks_cisas_address if {
	dmarc_reports_to_cisa.deny == {{
		"msg": "The DMARC record that governs contoso.com does not send aggregate reports to CISA: its rua= lacks mailto:reports@dmarc.cyber.dhs.gov (contoso.com: v=DMARC1; p=reject; rua=mailto:d@contoso.com)",
		"entity": fixtures.domain_entity("contoso.com"),
	}} with input.exchange as fixtures.dmarc_exchange("v=DMARC1; p=reject; rua=mailto:d@contoso.com") with data.posture.config as _federal
}

test_fails_without_a_record if {
	[v.msg | some v in dmarc_reports_to_cisa.deny] == ["Domain contoso.com has no single DMARC record that governs it, so no aggregate reports reach CISA (reports@dmarc.cyber.dhs.gov)"] with input.exchange as fixtures.dns_exchange({"contoso.com": {"dmarc": []}})
		with data.posture.config as _federal
}

test_a_subdomain_is_judged_by_its_parents_record if {
	x := {
		"acceptedDomains": fixtures.accepted_domains(["contoso.com", "mail.contoso.com"]),
		"dns": {"contoso.com": {"dmarc": ["v=DMARC1; p=reject; rua=mailto:reports@dmarc.cyber.dhs.gov"]}, "mail.contoso.com": {"dmarc": []}},
	}
	dmarc_reports_to_cisa.deny == set() with input.exchange as x with data.posture.config as _federal
}

test_a_failed_lookup_is_an_error_for_an_agency if {
	x := fixtures.dns_exchange({"contoso.com": {"errors": {"dmarc": "timeout"}}})
	dmarc_reports_to_cisa.error == {"the DMARC lookup for _dmarc.contoso.com failed: timeout"} with input.exchange as x with data.posture.config as _federal
}

test_errors_on_a_bad_parameter if {
	dmarc_reports_to_cisa.error == {`config federalAgency must be true or false, got "yes"`} with input.exchange as fixtures.dmarc_exchange("v=DMARC1; p=reject")
		with data.posture.config as {"federalAgency": "yes"}
}

test_judges_custom_domains_only if {
	x := fixtures.dns_exchange({
		"contoso.onmicrosoft.com": {"errors": {"dmarc": "SERVFAIL"}},
		"contoso.com": {"dmarc": ["v=DMARC1; p=reject; rua=mailto:reports@dmarc.cyber.dhs.gov"]},
	})
	dmarc_reports_to_cisa.deny == set() with input.exchange as x with data.posture.config as _federal
	dmarc_reports_to_cisa.error == set() with input.exchange as x with data.posture.config as _federal
	y := fixtures.dns_exchange({
		"contoso.onmicrosoft.com": {"dmarc": ["v=DMARC1; p=reject"]},
		"contoso.com": {"dmarc": ["v=DMARC1; p=reject; rua=mailto:reports@dmarc.cyber.dhs.gov"]},
	})
	dmarc_reports_to_cisa.deny == set() with input.exchange as y with data.posture.config as _federal
}
