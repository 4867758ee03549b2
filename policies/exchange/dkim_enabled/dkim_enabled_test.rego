package posture.rules.exchange.dkim_enabled_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.dkim_enabled

_accepted(names) := fixtures.accepted_domains(names)

_dkim(domain, enabled, status) := {
	"Identity": domain, "Name": domain, "Domain": domain, "Enabled": enabled, "Status": status,
	"Selector1CNAME": sprintf("selector1-%s._domainkey.contoso.onmicrosoft.com", [replace(domain, ".", "-")]),
}

_domains := ["contoso.onmicrosoft.com", "contoso.com", "contosolabs.com"]

test_passes_when_every_custom_domain_signs if {
	cs := [_dkim("contoso.onmicrosoft.com", true, "Valid"), _dkim("contoso.com", true, "Valid"), _dkim("ContosoLabs.com", true, "Valid")]
	dkim_enabled.deny == set() with input.exchange.acceptedDomains as _accepted(_domains)
		with input.exchange.dkimSigningConfigs as cs
	dkim_enabled.error == set() with input.exchange.acceptedDomains as _accepted(_domains)
		with input.exchange.dkimSigningConfigs as cs
}

test_fails_for_a_disabled_and_a_missing_configuration if {
	cs := [_dkim("contoso.onmicrosoft.com", true, "Valid"), _dkim("contoso.com", false, "CnameMissing")]
	dkim_enabled.deny == {
		{
			"msg": "DKIM signing is off for contoso.com (Enabled is false, Status CnameMissing): receivers cannot verify that mail from contoso.com was sent by the organization",
			"entity": {"type": "domain", "id": "contoso.com", "name": "contoso.com"},
		},
		{
			"msg": "Accepted domain contosolabs.com has no DKIM signing configuration: its mail is signed only for the onmicrosoft.com domain, which does not align with contosolabs.com for DMARC",
			"entity": {"type": "domain", "id": "contosolabs.com", "name": "contosolabs.com"},
		},
	} with input.exchange.acceptedDomains as _accepted(_domains)
		with input.exchange.dkimSigningConfigs as cs
}

test_ignores_onmicrosoft_domains if {
	cs := [_dkim("contoso.onmicrosoft.com", false, "Valid"), _dkim("contoso.com", true, "Valid")]
	dkim_enabled.deny == set() with input.exchange.acceptedDomains as _accepted(["contoso.onmicrosoft.com", "contoso.mail.onmicrosoft.com", "contoso.com"])
		with input.exchange.dkimSigningConfigs as cs
}

test_is_not_applicable_with_only_onmicrosoft_domains if {
	dkim_enabled.not_applicable == "the tenant has no accepted domain of its own; Microsoft signs mail from *.onmicrosoft.com domains with DKIM itself" with input.exchange.acceptedDomains as _accepted(["contoso.onmicrosoft.com"])
		with input.exchange.dkimSigningConfigs as []
}

test_errors_when_enabled_is_unknown if {
	dkim_enabled.error == {"DKIM signing configuration of contoso.com: Enabled is null, not true or false"} with input.exchange.acceptedDomains as _accepted(["contoso.com"])
		with input.exchange.dkimSigningConfigs as [{"Domain": "contoso.com"}]
}

test_errors_when_a_source_is_not_a_list if {
	dkim_enabled.error == {"exchange.dkimSigningConfigs is not an array"} with input.exchange.acceptedDomains as _accepted(["contoso.com"])
		with input.exchange.dkimSigningConfigs as {}
}
