package posture.lib.exchange_test

import data.posture.lib.exchange

test_prop_reads_any_casing_and_defaults_to_null if {
	exchange.prop({"AuditDisabled": false}, "AuditDisabled") == false
	exchange.prop({"auditdisabled": true}, "AuditDisabled") == true
	exchange.prop({"Other": 1}, "AuditDisabled") == null
	exchange.prop("not an object", "AuditDisabled") == null
}

test_bool_reads_booleans_and_boolean_strings_only if {
	exchange.bool({"Enabled": true}, "Enabled") == true
	exchange.bool({"Enabled": "False"}, "Enabled") == false
	not exchange.has_bool({"Enabled": null}, "Enabled")
	not exchange.has_bool({"Enabled": 1}, "Enabled")
	not exchange.has_bool({}, "Enabled")
}

test_strings_normalizes_multi_valued_properties if {
	exchange.strings({"Domains": ["a", 1, "b"]}, "Domains") == ["a", "b"]
	exchange.strings({"Domains": "a"}, "Domains") == ["a"]
	exchange.strings({"Domains": null}, "Domains") == []
}

test_name_and_entity_prefer_name_and_guid if {
	exchange.name({"Identity": "Default", "Name": "Anti-spam"}) == "Anti-spam"
	exchange.name({"DomainName": "contoso.com"}) == "contoso.com"
	exchange.name({}) == "?"
	exchange.entity("policy", {"Name": "P", "Guid": "g"}) == {"type": "policy", "id": "g", "name": "P"}
	exchange.entity("policy", {"Name": "P"}) == {"type": "policy", "id": "P", "name": "P"}
}

_accepted := [
	{"DomainName": "Contoso.com"}, {"DomainName": "contoso.onmicrosoft.com"},
	{"DomainName": "contoso.mail.onmicrosoft.com"}, {"DomainName": "mail.contoso.com"}, {"Name": "no domain"},
]

test_custom_domains_leave_out_microsoft_domains if {
	exchange.custom_domains == {"contoso.com", "mail.contoso.com"} with input.exchange.acceptedDomains as _accepted
	exchange.is_microsoft_domain("fabrikam.onmicrosoft.us")
	not exchange.is_microsoft_domain("onmicrosoft.com.evil.example")
}

test_parent_domain_is_the_nearest_accepted_parent if {
	exchange.parent_domain("mail.contoso.com") == "contoso.com" with input.exchange.acceptedDomains as _accepted
	exchange.parent_domain("a.mail.contoso.com") == "mail.contoso.com" with input.exchange.acceptedDomains as _accepted
	not exchange.parent_domain("contoso.com") with input.exchange.acceptedDomains as _accepted
}

test_external_addresses_are_outside_accepted_domains if {
	exchange.is_external_address("ap@fabrikam.com") with input.exchange.acceptedDomains as _accepted
	not exchange.is_external_address("legal@CONTOSO.com") with input.exchange.acceptedDomains as _accepted
	not exchange.is_external_address("x@eu.contoso.com") with input.exchange.acceptedDomains as _accepted
	not exchange.is_external_address("Legal Team") with input.exchange.acceptedDomains as _accepted
	not exchange.is_external_address("x@notcontoso.com.contoso.com") with input.exchange.acceptedDomains as _accepted
	exchange.is_external_address("x@evilcontoso.com") with input.exchange.acceptedDomains as _accepted
}

test_lookup_tells_no_record_from_a_failed_lookup if {
	dns := {
		"contoso.com": {"spf": [], "dmarc": ["v=DMARC1; p=none"]},
		"fabrikam.com": {"dmarc": [], "errors": {"spf": "SERVFAIL"}},
	}
	exchange.lookup("Contoso.com", "spf") == {"known": true, "records": []} with input.exchange.dns as dns
	exchange.lookup("contoso.com", "dmarc") == {"known": true, "records": ["v=DMARC1; p=none"]} with input.exchange.dns as dns
	exchange.lookup("fabrikam.com", "spf") == {"known": false, "reason": "the SPF lookup for fabrikam.com failed: SERVFAIL"} with input.exchange.dns as dns
	exchange.lookup("litware.com", "dmarc") == {"known": false, "reason": "the DMARC lookup for _dmarc.litware.com failed or was not made (exchange.dns has no dmarc records for litware.com)"} with input.exchange.dns as dns
}

test_tags_parses_dmarc_records if {
	exchange.tags("v=DMARC1; P=Reject ; rua=mailto:a@b.c;; sp=none; p=none") == {"v": "DMARC1", "p": "Reject", "rua": "mailto:a@b.c", "sp": "none"}
	exchange.tags("v=DMARC1; ruf=mailto:x@y.z?a=b") == {"v": "DMARC1", "ruf": "mailto:x@y.z?a=b"}
}

test_spf_terms_split_on_any_whitespace if {
	exchange.spf_terms("v=spf1  include:Spf.Protection.Outlook.com\t-ALL") == ["v=spf1", "include:spf.protection.outlook.com", "-all"]
}

test_enforced_rules_are_enabled_and_not_in_test_mode if {
	exchange.enforced({"State": "Enabled", "Mode": "Enforce"})
	exchange.enforced({})
	not exchange.enforced({"State": "Disabled", "Mode": "Enforce"})
	not exchange.enforced({"State": "Enabled", "Mode": "AuditAndNotify"})
}

test_scl_reads_numbers_and_strings if {
	exchange.scl({"SetSCL": -1}) == -1
	exchange.scl({"SetSCL": " -1 "}) == -1
	not exchange.scl({"SetSCL": null})
	not exchange.scl({"SetSCL": "abc"})
}

# --- organization settings ------------------------------------------------------------

test_switch_violations_fire_on_the_wrong_value_only if {
	msg := "auditing is off"
	exchange.switch_violations("organizationConfig", "AuditDisabled", true, "Mailbox auditing", msg) == {{
		"msg": msg,
		"entity": {"type": "setting", "id": "organizationConfig.AuditDisabled", "name": "Mailbox auditing"},
	}} with input.exchange.organizationConfig as {"AuditDisabled": "True"}
	exchange.switch_violations("organizationConfig", "AuditDisabled", true, "Mailbox auditing", msg) == set() with input.exchange.organizationConfig as {"AuditDisabled": false}
	exchange.switch_violations("organizationConfig", "AuditDisabled", true, "Mailbox auditing", msg) == set() with input.exchange.organizationConfig as {}
}

test_setting_errors_name_an_unreadable_object_or_switch if {
	exchange.setting_errors("transportConfig", ["A", "B"]) == {"exchange.transportConfig.B is null, not true or false"} with input.exchange.transportConfig as {"A": true, "B": null}
	exchange.setting_errors("transportConfig", ["A"]) == {"exchange.transportConfig is not an object"} with input.exchange.transportConfig as [{"A": true}]
	exchange.setting_errors("transportConfig", ["A"]) == {"exchange.transportConfig is not an object"} with input.exchange as {}
	exchange.setting_errors("transportConfig", ["A"]) == set() with input.exchange.transportConfig as {"a": false}
}

# --- DMARC ----------------------------------------------------------------------------

_dmarc_x := {
	"acceptedDomains": [{"DomainName": "contoso.com"}, {"DomainName": "mail.contoso.com"}, {"DomainName": "contosolabs.com"}, {"DomainName": "fabrikam.com"}],
	"dns": {
		"contoso.com": {"dmarc": ["v=DMARC1; p=reject; sp=quarantine"]},
		"mail.contoso.com": {"dmarc": []},
		"contosolabs.com": {"dmarc": ["v=DMARC1; p=none", "v=DMARC1; p=reject"]},
		"fabrikam.com": {"errors": {"dmarc": "SERVFAIL"}},
	},
}

test_dmarc_policy_is_the_domains_own_record_or_its_parents if {
	pols := exchange.dmarc_policy with input.exchange as _dmarc_x
	pols["contoso.com"] == {"source": "contoso.com", "tags": {"v": "DMARC1", "p": "reject", "sp": "quarantine"}, "record": "v=DMARC1; p=reject; sp=quarantine", "inherited": false}
	pols["mail.contoso.com"].source == "contoso.com"
	pols["mail.contoso.com"].inherited
	not pols["contosolabs.com"]
	object.keys(exchange.dmarc_records) == {"contoso.com", "mail.contoso.com", "contosolabs.com"} with input.exchange as _dmarc_x
	exchange.dmarc_errors == {"fabrikam.com": "the DMARC lookup for _dmarc.fabrikam.com failed: SERVFAIL"} with input.exchange as _dmarc_x
}

test_moera_domains_are_the_tenants_onmicrosoft_domains_without_the_routing_domain if {
	accepted := array.concat(_accepted, [
		{"DomainName": "Contoso2.onmicrosoft.com"},
		{"DomainName": "fabrikam.onmicrosoft.us", "IsCoexistenceDomain": false},
		{"DomainName": "routing.example.onmicrosoft.com", "IsCoexistenceDomain": true},
	])
	exchange.moera_domains == {"contoso.onmicrosoft.com", "contoso2.onmicrosoft.com", "fabrikam.onmicrosoft.us"} with input.exchange.acceptedDomains as accepted
	exchange.dmarc_domains == {"contoso.com", "mail.contoso.com", "contoso.onmicrosoft.com", "contoso2.onmicrosoft.com", "fabrikam.onmicrosoft.us"} with input.exchange.acceptedDomains as accepted
}

test_moera_domains_have_dmarc_records_and_no_parent if {
	x := {
		"acceptedDomains": [{"DomainName": "contoso.com"}, {"DomainName": "contoso.onmicrosoft.com"}, {"DomainName": "contoso.mail.onmicrosoft.com"}],
		"dns": {
			"contoso.com": {"dmarc": ["v=DMARC1; p=reject"]},
			"contoso.onmicrosoft.com": {"dmarc": []},
			"contoso.mail.onmicrosoft.com": {"dmarc": []},
		},
	}
	exchange.dmarc_records == {"contoso.com": ["v=DMARC1; p=reject"], "contoso.onmicrosoft.com": []} with input.exchange as x
	not exchange.dmarc_policy["contoso.onmicrosoft.com"] with input.exchange as x
}

test_report_addresses_reads_mailto_uris if {
	tags := exchange.tags("v=DMARC1; p=reject; rua=mailto:A@contoso.com!10m, https://x.example, mailto:reports@dmarc.cyber.dhs.gov; ruf=")
	exchange.report_addresses(tags, "rua") == {"a@contoso.com", "reports@dmarc.cyber.dhs.gov"}
	exchange.report_addresses(tags, "ruf") == set()
	exchange.report_addresses(tags, "none") == set()
}
