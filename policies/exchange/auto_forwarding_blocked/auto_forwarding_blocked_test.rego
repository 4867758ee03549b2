package posture.rules.exchange.auto_forwarding_blocked_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.auto_forwarding_blocked

_accepted := [
	{"DomainName": "contoso.com", "DomainType": "Authoritative", "Default": true},
	{"DomainName": "contoso.onmicrosoft.com", "DomainType": "Authoritative", "Default": false},
]

_remote(name, domain, forward) := {"Identity": name, "Name": name, "DomainName": domain, "Guid": sprintf("rd-%s", [name]), "AutoForwardEnabled": forward}

_outbound(name, mode) := {"Identity": name, "Name": name, "Guid": sprintf("ob-%s", [name]), "IsDefault": name == "Default", "AutoForwardingMode": mode}

_rule(name, changes) := fixtures.transport_rule(name, object.union({"RedirectMessageTo": null, "BlindCopyTo": null, "CopyTo": null, "AddToRecipients": null}, changes))

_input(remote, outbound, rules) := {
	"acceptedDomains": _accepted,
	"remoteDomains": remote,
	"hostedOutboundSpamFilterPolicies": outbound,
	"transportRules": rules,
}

_blocked := _input([_remote("Default", "*", false)], [_outbound("Default", "Off")], [])

test_passes_when_every_control_blocks_forwarding if {
	auto_forwarding_blocked.deny == set() with input.exchange as _blocked
	auto_forwarding_blocked.error == set() with input.exchange as _blocked
}

test_fails_for_microsofts_defaults if {
	x := _input([_remote("Default", "*", true)], [_outbound("Default", "Automatic")], [])
	auto_forwarding_blocked.deny == {
		{
			"msg": "Remote domain 'Default' (*) allows automatic forwarding to every external domain (AutoForwardEnabled is true): inbox rules and mailbox forwarding can send mail to any outside address",
			"entity": {"type": "remoteDomain", "id": "rd-Default", "name": "Default"},
			"controls": ["MS.EXO.1.1v2"],
		},
		{
			"msg": "Outbound spam filter policy 'Default' leaves external forwarding to Microsoft (AutoForwardingMode is Automatic, not Off): it blocks forwarding today, but only an explicit Off keeps it blocked",
			"entity": {"type": "policy", "id": "ob-Default", "name": "Default"},
			"controls": ["6.2.1"],
		},
	} with input.exchange as x
}

test_automatic_mode_can_be_accepted_but_still_breaks_cis if {
	x := _input([_remote("Default", "*", false)], [_outbound("Default", "Automatic")], [])
	auto_forwarding_blocked.deny == set() with input.exchange as x
		with data.posture.config as {"acceptAutomaticForwardingMode": true}
	auto_forwarding_blocked.warn == {{
		"msg": "Outbound spam filter policy 'Default' leaves external forwarding to Microsoft (AutoForwardingMode is Automatic): accepted by parameter acceptAutomaticForwardingMode, but CIS 6.2.1 asks for Off",
		"entity": {"type": "policy", "id": "ob-Default", "name": "Default"},
		"controls": ["6.2.1"],
	}} with input.exchange as x
		with data.posture.config as {"acceptAutomaticForwardingMode": true}
	auto_forwarding_blocked.warn == set() with input.exchange as _blocked with data.posture.config as {"acceptAutomaticForwardingMode": true}
}

test_fails_for_an_outbound_policy_that_allows_forwarding if {
	x := _input([_remote("Default", "*", false)], [_outbound("Default", "Off"), _outbound("Executives", "On")], [])
	auto_forwarding_blocked.deny == {{
		"msg": "Outbound spam filter policy 'Executives' allows automatic forwarding to external recipients (AutoForwardingMode is On)",
		"entity": {"type": "policy", "id": "ob-Executives", "name": "Executives"},
		"controls": ["6.2.1"],
	}} with input.exchange as x
}

test_fails_for_a_partner_remote_domain_unless_allowed if {
	x := _input([_remote("Default", "*", false), _remote("Fabrikam", "fabrikam.com", true)], [_outbound("Default", "Off")], [])
	auto_forwarding_blocked.deny == {{
		"msg": "Remote domain 'Fabrikam' (fabrikam.com) allows automatic forwarding to fabrikam.com (AutoForwardEnabled is true) and fabrikam.com is not in parameter allowedForwardingDomains",
		"entity": {"type": "remoteDomain", "id": "rd-Fabrikam", "name": "Fabrikam"},
		"controls": ["MS.EXO.1.1v2"],
	}} with input.exchange as x
	auto_forwarding_blocked.deny == set() with input.exchange as x
		with data.posture.config as {"allowedForwardingDomains": ["Fabrikam.com"]}
}

test_the_default_domain_cannot_be_allowed if {
	x := _input([_remote("Default", "*", true)], [_outbound("Default", "Off")], [])
	count(auto_forwarding_blocked.deny) == 1 with input.exchange as x
		with data.posture.config as {"allowedForwardingDomains": ["*"]}
}

test_fails_for_a_rule_that_redirects_outside if {
	r := _rule("Invoices to partner", {"BlindCopyTo": ["ap@fabrikam.com", "finance"], "RedirectMessageTo": ["archive@contoso.com"]})
	x := _input([_remote("Default", "*", false)], [_outbound("Default", "Off")], [r])
	auto_forwarding_blocked.deny == {{
		"msg": "Mail flow rule 'Invoices to partner' sends mail to recipients outside the organization (BlindCopyTo ap@fabrikam.com), whatever the forwarding settings",
		"entity": {"type": "transportRule", "id": "tr-Invoices to partner", "name": "Invoices to partner"},
		"controls": ["6.2.1"],
	}} with input.exchange as x
}

test_rules_to_internal_or_allowed_recipients_pass if {
	rs := [
		_rule("Legal copy", {"CopyTo": ["legal@contoso.com", "legal@eu.contoso.com", "Legal Team"]}),
		_rule("Partner", {"AddToRecipients": ["ap@fabrikam.com"]}),
		_rule("Disabled", {"RedirectMessageTo": ["x@evil.example"], "State": "Disabled"}),
		_rule("Test", {"RedirectMessageTo": ["x@evil.example"], "Mode": "Audit"}),
	]
	x := _input([_remote("Default", "*", false)], [_outbound("Default", "Off")], rs)
	auto_forwarding_blocked.deny == set() with input.exchange as x
		with data.posture.config as {"allowedForwardingDomains": ["fabrikam.com"]}
}

test_errors_on_unknown_settings if {
	x := _input([_remote("Default", "*", null)], [{"Name": "Default"}], [])
	auto_forwarding_blocked.error == {
		"remote domain 'Default': AutoForwardEnabled is null, not true or false",
		"outbound spam filter policy 'Default': AutoForwardingMode is null, not a string",
	} with input.exchange as x
}

test_errors_when_a_source_is_not_a_list if {
	x := object.union(_blocked, {"transportRules": {}})
	auto_forwarding_blocked.error == {"exchange.transportRules is not an array"} with input.exchange as x
}

test_errors_on_bad_parameters if {
	auto_forwarding_blocked.error == {
		`config allowedForwardingDomains must be a list of domain names, got "fabrikam.com"`,
		"config acceptAutomaticForwardingMode must be true or false, got 1",
	} with input.exchange as _blocked
		with data.posture.config as {"allowedForwardingDomains": "fabrikam.com", "acceptAutomaticForwardingMode": 1}
}
