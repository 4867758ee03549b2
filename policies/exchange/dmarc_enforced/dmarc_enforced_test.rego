package posture.rules.exchange.dmarc_enforced_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.dmarc_enforced

_one(record) := fixtures.dmarc_exchange(record)

_entity(d) := fixtures.domain_entity(d)

# _dns is exchange.dns as given for contoso.com, with an accepted record for
# contoso.onmicrosoft.com.
_dns(contoso) := fixtures.dns_exchange({"contoso.onmicrosoft.com": fixtures.moera_dns, "contoso.com": contoso})

_reports := "rua=mailto:d@contoso.com; ruf=mailto:d@contoso.com"

test_passes_with_reject_and_reports if {
	x := _one("v=DMARC1; p=reject; rua=mailto:dmarc@contoso.com; ruf=mailto:dmarc@contoso.com; fo=1")
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.warn == set() with input.exchange as x
	dmarc_enforced.error == set() with input.exchange as x
}

test_quarantine_passes_posture_but_warns_for_scubas_reject if {
	record := concat("; ", ["v=DMARC1; p=quarantine; pct=100", _reports])
	dmarc_enforced.deny == set() with input.exchange as _one(record)
	dmarc_enforced.warn == {{
		"msg": sprintf("The DMARC policy of contoso.com is p=quarantine: posture accepts it (parameter dmarcRequireReject is false), but CISA SCuBA MS.EXO.4.2v1 requires p=reject (%s)", [record]),
		"entity": _entity("contoso.com"),
		"controls": ["MS.EXO.4.2v1"],
	}} with input.exchange as _one(record)
}

test_quarantine_fails_when_reject_is_required if {
	dmarc_enforced.deny == {{
		"msg": "The DMARC policy of contoso.com is p=quarantine, not p=reject: failing mail goes to junk instead of being rejected (v=DMARC1; p=quarantine; rua=mailto:d@contoso.com)",
		"entity": _entity("contoso.com"),
		"controls": ["MS.EXO.4.2v1"],
	}} with input.exchange as _one("v=DMARC1; p=quarantine; rua=mailto:d@contoso.com")
		with data.posture.config as {"dmarcRequireReject": true}
}

test_fails_at_p_none if {
	dmarc_enforced.deny == {{
		"msg": "The DMARC policy of contoso.com is p=none, not p=quarantine or p=reject: mail that fails authentication is delivered as usual, only reported (v=DMARC1; p=none; rua=mailto:d@contoso.com)",
		"entity": _entity("contoso.com"),
		"controls": ["MS.EXO.4.2v1", "2.1.10"],
	}} with input.exchange as _one("v=DMARC1; p=none; rua=mailto:d@contoso.com")
}

test_fails_every_control_without_a_p_tag if {
	[v.controls | some v in dmarc_enforced.deny] == [["MS.EXO.4.1v1", "MS.EXO.4.2v1", "MS.EXO.4.4v1", "2.1.10"]] with input.exchange as _one("v=DMARC1; rua=mailto:d@contoso.com")
}

test_fails_with_no_record if {
	dmarc_enforced.deny == {{
		"msg": "Domain contoso.com publishes no DMARC record (_dmarc.contoso.com): receivers decide on their own what to do with mail forged in its name",
		"entity": _entity("contoso.com"),
	}} with input.exchange as _dns({"dmarc": []})
}

test_fails_with_two_records if {
	x := _dns({"dmarc": ["v=DMARC1; p=reject", "v=DMARC1; p=none"]})
	dmarc_enforced.deny == {{
		"msg": "Domain contoso.com publishes 2 DMARC records, so receivers apply none of them (RFC 7489): v=DMARC1; p=none | v=DMARC1; p=reject",
		"entity": _entity("contoso.com"),
	}} with input.exchange as x
}

test_partial_pct_breaks_cis_and_sp_none_is_posture_only if {
	dmarc_enforced.deny == {
		{
			"msg": "The DMARC policy that applies to contoso.com covers only 25% of failing mail (pct=25): the rest is delivered as if p=none (v=DMARC1; p=reject; sp=none; pct=25; rua=mailto:d@contoso.com)",
			"entity": _entity("contoso.com"),
			"controls": ["2.1.10"],
		},
		{
			"msg": "The DMARC record of contoso.com sets sp=none: mail forged from its subdomains is delivered as usual (v=DMARC1; p=reject; sp=none; pct=25; rua=mailto:d@contoso.com)",
			"entity": _entity("contoso.com"),
			"controls": ["posture"],
		},
	} with input.exchange as _one("v=DMARC1; p=reject; sp=none; pct=25; rua=mailto:d@contoso.com")
}

test_warns_without_aggregate_or_failure_reports if {
	x := _one("v=DMARC1; p=reject")
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.warn == {
		{
			"msg": "The DMARC record of contoso.com asks for no aggregate reports (no rua=mailto:): nobody sees who sends mail in the domain's name (v=DMARC1; p=reject)",
			"entity": _entity("contoso.com"),
			"controls": ["MS.EXO.4.4v1", "2.1.10"],
		},
		{
			"msg": "The DMARC record of contoso.com asks for no failure reports (no ruf=mailto:): CISA SCuBA MS.EXO.4.4v1 and CIS 2.1.10 want a point of contact for them, though many receivers never send them (v=DMARC1; p=reject)",
			"entity": _entity("contoso.com"),
			"controls": ["MS.EXO.4.4v1", "2.1.10"],
		},
	} with input.exchange as x
}

test_reports_to_cisa_alone_lack_the_agencys_contact if {
	x := _one("v=DMARC1; p=reject; rua=mailto:reports@dmarc.cyber.dhs.gov; ruf=mailto:d@contoso.com")
	[v.controls | some v in dmarc_enforced.warn] == [["MS.EXO.4.4v1"]] with input.exchange as x
}

test_a_subdomain_without_a_record_inherits_the_parents_sp if {
	x := {
		"acceptedDomains": fixtures.accepted_domains(["contoso.com", "mail.contoso.com"]),
		"dns": {"contoso.com": {"dmarc": ["v=DMARC1; p=reject; sp=none; rua=mailto:d@contoso.com"]}, "mail.contoso.com": {"dmarc": []}},
	}
	dmarc_enforced.deny == {
		{
			"msg": "The DMARC record of contoso.com sets sp=none: mail forged from its subdomains is delivered as usual (v=DMARC1; p=reject; sp=none; rua=mailto:d@contoso.com)",
			"entity": _entity("contoso.com"),
			"controls": ["posture"],
		},
		{
			"msg": "Subdomain mail.contoso.com has no DMARC record and inherits contoso.com's subdomain policy p=none, not p=quarantine or p=reject: mail that fails authentication is delivered as usual, only reported (v=DMARC1; p=reject; sp=none; rua=mailto:d@contoso.com)",
			"entity": _entity("mail.contoso.com"),
			"controls": ["2.1.10", "MS.EXO.4.2v1"],
		},
	} with input.exchange as x
}

test_a_subdomain_inherits_p_when_there_is_no_sp if {
	x := {
		"acceptedDomains": fixtures.accepted_domains(["contoso.com", "mail.contoso.com"]),
		"dns": {"contoso.com": {"dmarc": [concat("; ", ["v=DMARC1; p=reject", _reports])]}, "mail.contoso.com": {"dmarc": []}},
	}
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.warn == set() with input.exchange as x
}

test_a_failed_lookup_is_an_error if {
	x := _dns({"spf": [], "errors": {"dmarc": "lookup _dmarc.contoso.com: i/o timeout"}})
	dmarc_enforced.error == {"the DMARC lookup for _dmarc.contoso.com failed: lookup _dmarc.contoso.com: i/o timeout"} with input.exchange as x
	dmarc_enforced.deny == set() with input.exchange as x
}

# The tenant's *.onmicrosoft.com domain is judged too, for CIS 2.1.10 alone; the mail routing
# domain is not.

_moera(dmarc) := {
	"acceptedDomains": fixtures.accepted_domains(["contoso.onmicrosoft.com", "contoso.mail.onmicrosoft.com"]),
	"dns": {"contoso.onmicrosoft.com": {"dmarc": dmarc}, "contoso.mail.onmicrosoft.com": {"dmarc": []}},
}

test_an_onmicrosoft_domain_without_a_record_fails_cis_only if {
	dmarc_enforced.deny == {{
		"msg": "Domain contoso.onmicrosoft.com publishes no DMARC record (_dmarc.contoso.onmicrosoft.com): receivers decide on their own what to do with mail forged in its name",
		"entity": _entity("contoso.onmicrosoft.com"),
		"controls": ["2.1.10"],
	}} with input.exchange as _moera([])
	not dmarc_enforced.not_applicable with input.exchange as _moera([])
}

test_an_onmicrosoft_domain_with_reject_and_reports_passes if {
	x := _moera(["v=DMARC1; p=reject; rua=mailto:d@contoso.com; ruf=mailto:d@contoso.com"])
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.warn == set() with input.exchange as x
	dmarc_enforced.error == set() with input.exchange as x
}

test_an_onmicrosoft_domains_violations_name_cis_or_posture_only if {
	none := _moera(["v=DMARC1; p=none; rua=mailto:d@contoso.com"])
	[v.controls | some v in dmarc_enforced.deny] == [["2.1.10"]] with input.exchange as none
	[v.controls | some v in dmarc_enforced.warn] == [["2.1.10"]] with input.exchange as none
	quarantine := _moera(["v=DMARC1; p=quarantine; rua=mailto:d@contoso.com; ruf=mailto:d@contoso.com"])
	dmarc_enforced.warn == set() with input.exchange as quarantine
	[v.controls | some v in dmarc_enforced.deny] == [["posture"]] with input.exchange as quarantine
		with data.posture.config as {"dmarcRequireReject": true}
	cisa_only := _moera(["v=DMARC1; p=reject; rua=mailto:reports@dmarc.cyber.dhs.gov; ruf=mailto:d@contoso.com"])
	dmarc_enforced.warn == set() with input.exchange as cisa_only
}

test_an_onmicrosoft_domain_whose_lookup_failed_is_an_error if {
	x := {"acceptedDomains": fixtures.accepted_domains(["contoso.onmicrosoft.com"]), "dns": {"contoso.onmicrosoft.com": {"errors": {"dmarc": "SERVFAIL"}}}}
	dmarc_enforced.error == {"the DMARC lookup for _dmarc.contoso.onmicrosoft.com failed: SERVFAIL"} with input.exchange as x
}

test_not_applicable_without_a_domain_whose_dmarc_the_tenant_sets if {
	x := {"acceptedDomains": fixtures.accepted_domains(["contoso.mail.onmicrosoft.com"]), "dns": {"contoso.mail.onmicrosoft.com": {"dmarc": []}}}
	dmarc_enforced.not_applicable == "the tenant has no accepted domain whose DMARC record it sets (a custom domain, or its own *.onmicrosoft.com domain)" with input.exchange as x
	dmarc_enforced.deny == set() with input.exchange as x
}

test_errors_on_a_bad_parameter if {
	dmarc_enforced.error == {"config dmarcRequireReject must be true or false, got \"yes\""} with input.exchange as _one("v=DMARC1; p=reject; rua=mailto:d@contoso.com")
		with data.posture.config as {"dmarcRequireReject": "yes"}
}
