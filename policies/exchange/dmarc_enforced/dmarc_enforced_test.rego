package posture.rules.exchange.dmarc_enforced_test

import data.posture.rules.exchange.dmarc_enforced

_accepted(names) := [{"Name": n, "DomainName": n, "DomainType": "Authoritative"} | some n in names]

_x(dns) := {"acceptedDomains": _accepted(["contoso.onmicrosoft.com", "contoso.com"]), "dns": dns}

_one(record) := _x({"contoso.com": {"spf": [], "dmarc": [record]}})

_entity(d) := {"type": "domain", "id": d, "name": d}

test_passes_with_reject_and_reports if {
	x := _one("v=DMARC1; p=reject; rua=mailto:dmarc@contoso.com; ruf=mailto:dmarc@contoso.com; fo=1")
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.warn == set() with input.exchange as x
	dmarc_enforced.error == set() with input.exchange as x
}

test_passes_with_quarantine_by_default if {
	dmarc_enforced.deny == set() with input.exchange as _one("v=DMARC1; p=quarantine; pct=100; rua=mailto:d@contoso.com")
}

test_quarantine_fails_when_reject_is_required if {
	dmarc_enforced.deny == {{
		"msg": "The DMARC policy of contoso.com is p=quarantine, not p=reject: failing mail goes to junk instead of being rejected (v=DMARC1; p=quarantine; rua=mailto:d@contoso.com)",
		"entity": _entity("contoso.com"),
	}} with input.exchange as _one("v=DMARC1; p=quarantine; rua=mailto:d@contoso.com")
		with data.posture.config as {"dmarcRequireReject": true}
}

test_fails_at_p_none if {
	dmarc_enforced.deny == {{
		"msg": "The DMARC policy of contoso.com is p=none, not p=quarantine or p=reject: mail that fails authentication is delivered as usual, only reported (v=DMARC1; p=none; rua=mailto:d@contoso.com)",
		"entity": _entity("contoso.com"),
	}} with input.exchange as _one("v=DMARC1; p=none; rua=mailto:d@contoso.com")
}

test_fails_without_a_p_tag if {
	count(dmarc_enforced.deny) == 1 with input.exchange as _one("v=DMARC1; rua=mailto:d@contoso.com")
}

test_fails_with_no_record if {
	dmarc_enforced.deny == {{
		"msg": "Domain contoso.com publishes no DMARC record (_dmarc.contoso.com): receivers decide on their own what to do with mail forged in its name",
		"entity": _entity("contoso.com"),
	}} with input.exchange as _x({"contoso.com": {"dmarc": []}})
}

test_fails_with_two_records if {
	x := _x({"contoso.com": {"dmarc": ["v=DMARC1; p=reject", "v=DMARC1; p=none"]}})
	dmarc_enforced.deny == {{
		"msg": "Domain contoso.com publishes 2 DMARC records, so receivers apply none of them (RFC 7489): v=DMARC1; p=none | v=DMARC1; p=reject",
		"entity": _entity("contoso.com"),
	}} with input.exchange as x
}

test_fails_for_partial_pct_and_weak_subdomain_policy if {
	dmarc_enforced.deny == {
		{
			"msg": "The DMARC policy that applies to contoso.com covers only 25% of failing mail (pct=25): the rest is delivered as if p=none (v=DMARC1; p=reject; sp=none; pct=25; rua=mailto:d@contoso.com)",
			"entity": _entity("contoso.com"),
		},
		{
			"msg": "The DMARC record of contoso.com sets sp=none: mail forged from its subdomains is delivered as usual (v=DMARC1; p=reject; sp=none; pct=25; rua=mailto:d@contoso.com)",
			"entity": _entity("contoso.com"),
		},
	} with input.exchange as _one("v=DMARC1; p=reject; sp=none; pct=25; rua=mailto:d@contoso.com")
}

test_warns_without_aggregate_reports if {
	x := _one("v=DMARC1; p=reject")
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.warn == {{
		"msg": "The DMARC record of contoso.com asks for no aggregate reports (no rua=): nobody sees who sends mail in the domain's name (v=DMARC1; p=reject)",
		"entity": _entity("contoso.com"),
	}} with input.exchange as x
}

test_a_subdomain_without_a_record_inherits_the_parents_sp if {
	x := {
		"acceptedDomains": _accepted(["contoso.com", "mail.contoso.com"]),
		"dns": {"contoso.com": {"dmarc": ["v=DMARC1; p=reject; sp=none; rua=mailto:d@contoso.com"]}, "mail.contoso.com": {"dmarc": []}},
	}
	dmarc_enforced.deny == {
		{
			"msg": "The DMARC record of contoso.com sets sp=none: mail forged from its subdomains is delivered as usual (v=DMARC1; p=reject; sp=none; rua=mailto:d@contoso.com)",
			"entity": _entity("contoso.com"),
		},
		{
			"msg": "Subdomain mail.contoso.com has no DMARC record and inherits contoso.com's subdomain policy p=none, not p=quarantine or p=reject: mail that fails authentication is delivered as usual, only reported (v=DMARC1; p=reject; sp=none; rua=mailto:d@contoso.com)",
			"entity": _entity("mail.contoso.com"),
		},
	} with input.exchange as x
}

test_a_subdomain_inherits_p_when_there_is_no_sp if {
	x := {
		"acceptedDomains": _accepted(["contoso.com", "mail.contoso.com"]),
		"dns": {"contoso.com": {"dmarc": ["v=DMARC1; p=reject; rua=mailto:d@contoso.com"]}, "mail.contoso.com": {"dmarc": []}},
	}
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.warn == set() with input.exchange as x
}

test_a_failed_lookup_is_an_error if {
	x := _x({"contoso.com": {"spf": [], "errors": {"dmarc": "lookup _dmarc.contoso.com: i/o timeout"}}})
	dmarc_enforced.error == {"the DMARC lookup for _dmarc.contoso.com failed: lookup _dmarc.contoso.com: i/o timeout"} with input.exchange as x
	dmarc_enforced.deny == set() with input.exchange as x
}

test_ignores_onmicrosoft_domains if {
	x := {"acceptedDomains": _accepted(["contoso.onmicrosoft.com"]), "dns": {"contoso.onmicrosoft.com": {"dmarc": []}}}
	dmarc_enforced.deny == set() with input.exchange as x
	dmarc_enforced.not_applicable with input.exchange as x
}

test_errors_on_a_bad_parameter if {
	dmarc_enforced.error == {"config dmarcRequireReject must be true or false, got \"yes\""} with input.exchange as _one("v=DMARC1; p=reject; rua=mailto:d@contoso.com")
		with data.posture.config as {"dmarcRequireReject": "yes"}
}
