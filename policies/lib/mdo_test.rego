package posture.lib.mdo_test

import data.posture.lib.fixtures
import data.posture.lib.mdo

_domains := [{"DomainName": "contoso.com"}, {"DomainName": "Contoso.onmicrosoft.com"}]

_built_in := {"Name": "Built-In Protection Policy", "Identity": "Built-In Protection Policy", "IsBuiltInProtection": true, "Guid": "g-bi"}

_standard_sl := {"Name": "Standard Preset Security Policy1622650008534", "Identity": "Standard Preset Security Policy1622650008534"}

_strict_sl := {"Name": "Strict Preset Security Policy1622650017041", "Identity": "Strict Preset Security Policy1622650017041"}

_preset_rule(identity, extra) := object.union(
	{"Identity": identity, "Name": identity, "State": "Enabled", "Priority": 0, "SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null},
	extra,
)

_rule(policy, prio, extra) := object.union(
	{"Name": policy, "Identity": policy, "SafeLinksPolicy": policy, "State": "Enabled", "Priority": prio, "SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null, "ExceptIfSentTo": null, "ExceptIfSentToMemberOf": null, "ExceptIfRecipientDomainIs": null},
	extra,
)

_roles(es) := [e.role | some e in es]

test_presets_for_all_shadow_custom_and_built_in_policies if {
	x := {
		"acceptedDomains": _domains,
		"safeLinksPolicies": [_built_in, _standard_sl, _strict_sl, {"Name": "Finance"}],
		"safeLinksRules": [_rule("Finance", 0, {"SentToMemberOf": ["Finance"]})],
		"atpProtectionPolicyRules": [
			_preset_rule("Strict Preset Security Policy", {"SafeLinksPolicy": _strict_sl.Name, "SentToMemberOf": ["Executives"]}),
			_preset_rule("Standard Preset Security Policy", {"SafeLinksPolicy": _standard_sl.Name, "Priority": 1}),
		],
	}
	_roles(mdo.in_force("safe_links")) == ["strict", "standard", "custom", "built_in"] with input.exchange as x
	_roles(mdo.reachable("safe_links")) == ["strict", "standard"] with input.exchange as x
	mdo.everyone_covered("safe_links") with input.exchange as x
	mdo.gaps("safe_links") == set() with input.exchange as x
}

test_a_scoped_custom_policy_leaves_the_rest_to_built_in_protection if {
	x := {
		"acceptedDomains": _domains,
		"safeLinksPolicies": [_built_in, {"Name": "Finance"}],
		"safeLinksRules": [_rule("Finance", 0, {"SentToMemberOf": ["Finance"], "ExceptIfSentTo": ["ceo@contoso.com"]})],
	}
	es := mdo.reachable("safe_links") with input.exchange as x
	_roles(es) == ["custom", "built_in"]
	es[0].text == "Safe Links policy 'Finance' (custom, rule priority 0, applied to members of Finance except recipients ceo@contoso.com)"
	es[1].text == "Safe Links policy 'Built-In Protection Policy' (the Built-in protection preset, applied to every recipient no other Safe Links policy covers)"
}

test_a_custom_policy_naming_every_accepted_domain_covers_everyone if {
	x := {
		"acceptedDomains": _domains,
		"safeLinksPolicies": [_built_in, {"Name": "All"}, {"Name": "Later"}],
		"safeLinksRules": [
			_rule("All", 1, {"RecipientDomainIs": ["contoso.onmicrosoft.com", "CONTOSO.COM"]}),
			_rule("Later", 2, {"SentTo": ["a@contoso.com"]}),
		],
	}
	_roles(mdo.reachable("safe_links")) == ["custom"] with input.exchange as x
	mdo.reachable("safe_links")[0].text == "Safe Links policy 'All' (custom, rule priority 1, applied to all recipients)" with input.exchange as x
}

test_a_custom_policy_missing_a_domain_does_not_cover_everyone if {
	x := {
		"acceptedDomains": _domains,
		"safeLinksPolicies": [{"Name": "Main"}],
		"safeLinksRules": [_rule("Main", 0, {"RecipientDomainIs": ["contoso.com"]})],
	}
	not mdo.everyone_covered("safe_links") with input.exchange as x
	mdo.gaps("safe_links") == {{
		"msg": "No Safe Links policy applies to every recipient (there is no Built-In Protection Policy and no enabled preset or custom policy covers every accepted domain without exceptions), so some recipients get no Safe Links protection",
		"entity": {"type": "tenant", "id": "t1", "name": "Contoso"},
	}} with input.exchange as x with input.tenant as {"id": "t1", "displayName": "Contoso"}
	mdo.reachable("safe_links")[0].text == "Safe Links policy 'Main' (custom, rule priority 0, applied to recipients in contoso.com)" with input.exchange as x
}

test_domains_never_prove_coverage_without_accepted_domains if {
	x := {"safeLinksPolicies": [{"Name": "Main"}], "safeLinksRules": [_rule("Main", 0, {"RecipientDomainIs": ["contoso.com"]})]}
	not mdo.everyone_covered("safe_links") with input.exchange as x
}

test_disabled_rules_and_ruleless_policies_are_not_in_force if {
	x := {
		"safeLinksPolicies": [_built_in, {"Name": "Off"}, {"Name": "Orphan"}, _standard_sl],
		"safeLinksRules": [_rule("Off", 0, {"State": "Disabled"})],
		"atpProtectionPolicyRules": [_preset_rule("Standard Preset Security Policy", {"SafeLinksPolicy": _standard_sl.Name, "State": "Disabled"})],
	}
	_roles(mdo.in_force("safe_links")) == ["built_in"] with input.exchange as x
}

test_preset_with_exceptions_does_not_cover_everyone if {
	x := {
		"safeLinksPolicies": [_built_in, _standard_sl],
		"atpProtectionPolicyRules": [_preset_rule("Standard Preset Security Policy", {"SafeLinksPolicy": _standard_sl.Name, "ExceptIfSentToMemberOf": ["Lab"]})],
	}
	es := mdo.reachable("safe_links") with input.exchange as x
	_roles(es) == ["standard", "built_in"]
	es[0].text == "Safe Links policy 'Standard Preset Security Policy1622650008534' (the Standard preset security policy, applied to all recipients except members of Lab)"
}

test_built_in_protection_honours_its_rule_when_collected if {
	off := {"safeLinksPolicies": [_built_in], "atpProtectionPolicyRules": [{"Identity": "ATP Built-In Protection Rule", "State": "Disabled"}]}
	mdo.in_force("safe_links") == [] with input.exchange as off
	count(mdo.gaps("safe_links")) == 1 with input.exchange as off
	excepted := {"safeLinksPolicies": [_built_in], "atpProtectionPolicyRules": [{"Identity": "ATP Built-In Protection Rule", "State": "Enabled", "ExceptIfSentTo": ["svc@contoso.com"]}]}
	not mdo.everyone_covered("safe_links") with input.exchange as excepted
	[g.msg | some g in mdo.gaps("safe_links")] == ["No Safe Links policy applies to every recipient (the ATP Built-In Protection Rule rule has exceptions except recipients svc@contoso.com), so some recipients get no Safe Links protection"] with input.exchange as excepted
}

test_anti_phish_presets_are_named_by_the_eop_rule_and_scoped_by_the_atp_rule if {
	ap := {"Name": "Standard Preset Security Policy1", "Identity": "Standard Preset Security Policy1"}
	x := {
		"antiPhishPolicies": [{"Name": "Office365 AntiPhish Default", "IsDefault": true}, ap],
		"antiPhishRules": [],
		"eopProtectionPolicyRules": [_preset_rule("Standard Preset Security Policy", {"AntiPhishPolicy": ap.Name})],
		"atpProtectionPolicyRules": [_preset_rule("Standard Preset Security Policy", {"SafeLinksPolicy": "x", "State": "Disabled"})],
	}
	_roles(mdo.reachable("anti_phish")) == ["default"] with input.exchange as x
	on := json.patch(x, [{"op": "replace", "path": "/atpProtectionPolicyRules/0/State", "value": "Enabled"}])
	_roles(mdo.reachable("anti_phish")) == ["standard"] with input.exchange as on
}

test_custom_anti_spam_policies_without_rules_are_unscoped if {
	x := {
		"hostedContentFilterPolicies": [
			{"Name": "Default", "IsDefault": true},
			{"Name": "Sales relaxed", "IsDefault": false},
			{"Name": "Standard Preset Security Policy1", "IsDefault": false},
		],
		"eopProtectionPolicyRules": [],
	}
	es := mdo.reachable("content_filter") with input.exchange as x
	_roles(es) == ["unscoped", "default"]
	es[0].text == "anti-spam policy 'Sales relaxed' (custom; its rule is not collected, so it may apply to any recipient)"
	es[1].text == "anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers)"
}

test_unresolved_names_rules_whose_policy_is_missing if {
	x := {
		"safeLinksPolicies": [_built_in],
		"safeLinksRules": [_rule("Gone", 0, {}), _rule("Off", 1, {"State": "Disabled"})],
		"atpProtectionPolicyRules": [_preset_rule("Strict Preset Security Policy", {"SafeLinksPolicy": "Strict Preset Security Policy9"})],
	}
	mdo.unresolved("safe_links") == {
		"rule 'Gone' applies Safe Links policy Gone, which exchange.safeLinksPolicies holds 0 times",
		"rule 'Strict Preset Security Policy' applies Safe Links policy Strict Preset Security Policy9, which exchange.safeLinksPolicies holds 0 times",
	} with input.exchange as x
}

test_odd_data_is_skipped_not_fatal if {
	x := {
		"safeLinksPolicies": ["not a policy", _built_in, null],
		"safeLinksRules": {"not": "a list"},
		"acceptedDomains": [{"DomainName": null}, "x"],
	}
	_roles(mdo.reachable("safe_links")) == ["built_in"] with input.exchange as x
	mdo.accepted_domains == set() with input.exchange as x
	mdo.in_force("content_filter") == [] with input.exchange as {}
	count(mdo.gaps("content_filter")) == 1 with input.exchange as {}
}

test_values_reads_lists_strings_and_nulls if {
	mdo.values({"SentTo": "a@b.c"}, "SentTo") == ["a@b.c"]
	mdo.values({"SentTo": ["a", 1, "b"]}, "SentTo") == ["a", "b"]
	mdo.values({"SentTo": null}, "SentTo") == []
	mdo.values({"SentTo": ""}, "SentTo") == []
	mdo.values({}, "SentTo") == []
}

test_scope_joins_conditions_that_must_all_match if {
	r := _rule("X", 0, {"SentToMemberOf": ["Finance"], "RecipientDomainIs": ["contoso.com"]})
	mdo.scope(r) == "members of Finance who are also recipients in contoso.com"
}

test_mismatch_and_not_one_of_describe_wrong_values if {
	mdo.mismatch({"ScanUrls": false}, "ScanUrls", true) == "ScanUrls is false (expected true)"
	mdo.mismatch({}, "ScanUrls", true) == "ScanUrls is not set (expected true)"
	mdo.mismatch({"ScanUrls": "True"}, "ScanUrls", true) == "ScanUrls is True (expected true)"
	not mdo.mismatch({"ScanUrls": true}, "ScanUrls", true)
	mdo.not_one_of({"SpamAction": "AddXHeader"}, "SpamAction", {"Quarantine", "MoveToJmf"}) == "SpamAction is AddXHeader (expected MoveToJmf or Quarantine)"
	not mdo.not_one_of({"SpamAction": "Quarantine"}, "SpamAction", {"Quarantine", "MoveToJmf"})
}

test_violation_names_the_policy if {
	e := {"policy": _built_in, "text": "Safe Links policy 'Built-In Protection Policy' (x)"}
	mdo.violation(e, "is wrong") == {
		"msg": "Safe Links policy 'Built-In Protection Policy' (x) is wrong",
		"entity": {"type": "policy", "id": "g-bi", "name": "Built-In Protection Policy"},
	}
	mdo.violation({"policy": {"Identity": "Default"}, "text": "a"}, "b").entity == {"type": "policy", "id": "Default", "name": "Default"}
}

_mdo_sku := [{"capabilityStatus": "Enabled", "servicePlans": [{"servicePlanId": "f20fedf3-f3c3-43c3-8267-2bfdd51c0939", "provisioningStatus": "Success"}]}]

test_unlicensed_sources_are_suspect_only_with_a_licence if {
	srcs := {"exchange.safeLinksPolicies": {"status": "unlicensed"}, "exchange.safeLinksRules": {"status": "ok"}}
	mdo.unlicensed_but_licensed(["exchange.safeLinksPolicies", "exchange.safeLinksRules"]) == {"exchange.safeLinksPolicies is unlicensed although the tenant has Microsoft Defender for Office 365"} with input.sources as srcs
		with input.entra.subscribedSkus as _mdo_sku
	mdo.unlicensed_but_licensed(["exchange.safeLinksPolicies"]) == set() with input.sources as srcs
		with input.entra.subscribedSkus as []
}

# --- expectations -------------------------------------------------------------------------

test_problems_describe_each_kind_of_check if {
	p := {"A": false, "B": "AddXHeader", "N": 7, "L": ["exe", "Megan;MEGAN@contoso.com"], "E": ["x.com"], "Z": []}
	texts := {pr.text | some pr in mdo.problems(p, [
		{"prop": "A", "equals": true},
		{"prop": "B", "in": ["Quarantine", "MoveToJmf"]},
		{"prop": "N", "at_most": 6},
		{"prop": "N", "at_least": 8},
		{"prop": "L", "includes": ["EXE", "cmd", "megan@contoso.com"]},
		{"prop": "E", "empty": true},
		{"prop": "Z", "not_empty": true, "text": "Z holds nothing"},
		{"prop": "Missing", "equals": false},
	])}
	texts == {
		"A is false (expected true)",
		"B is AddXHeader (expected MoveToJmf or Quarantine)",
		"N is 7 (expected 6 or less)",
		"N is 7 (expected 8 or more)",
		"L lacks cmd",
		"E lists x.com",
		"Z holds nothing",
		"Missing is not set (expected false)",
	}
}

test_passing_checks_are_no_problems if {
	p := {"A": true, "B": "Quarantine", "N": 6, "L": ["exe"], "E": null, "Z": ["y"]}
	mdo.problems(p, [
		{"prop": "A", "equals": true}, {"prop": "B", "in": ["Quarantine"]}, {"prop": "N", "at_most": 6},
		{"prop": "N", "at_least": 6}, {"prop": "L", "includes": ["exe"]}, {"prop": "E", "empty": true},
		{"prop": "Z", "not_empty": true},
	]) == set()
}

test_problems_name_the_controls_a_value_breaks if {
	c := {"prop": "Action", "in": ["Block"], "controls": ["2.1.4"], "accepts": {"MS.SECURITYSUITE.1.3v1": ["Block", "DynamicDelivery"]}}
	[pr.controls | some pr in mdo.problems({"Action": "Monitor"}, [c])] == [["2.1.4", "MS.SECURITYSUITE.1.3v1"]]
	[pr.controls | some pr in mdo.problems({"Action": "DynamicDelivery"}, [c])] == [["2.1.4"]]
	[pr.controls | some pr in mdo.problems({"A": false}, [{"prop": "A", "equals": true, "controls": []}])] == [["posture"]]
	[pr.controls | some pr in mdo.problems({"A": false}, [{"prop": "A", "equals": true}])] == [null]
}

test_violations_split_a_policy_by_the_controls_its_problems_break if {
	x := {"acceptedDomains": _domains, "safeLinksPolicies": [object.union(_built_in, {"A": false, "B": false, "C": false})]}
	checks := [
		{"prop": "A", "equals": true, "controls": ["7.1"]},
		{"prop": "B", "equals": true, "controls": ["7.1"]},
		{"prop": "C", "equals": true},
	]
	vs := mdo.violations("safe_links", checks, "is wrong") with input.exchange as x
	{[v.msg, object.get(v, "controls", "all")] | some v in vs} == {
		["Safe Links policy 'Built-In Protection Policy' (the Built-in protection preset, applied to every recipient no other Safe Links policy covers) is wrong: A is false (expected true); B is false (expected true)", ["7.1"]],
		["Safe Links policy 'Built-In Protection Policy' (the Built-in protection preset, applied to every recipient no other Safe Links policy covers) is wrong: C is false (expected true)", "all"],
	}
}

test_violations_include_the_gap if {
	[v.entity.type | some v in mdo.violations("content_filter", [], "is wrong")] == ["tenant"] with input.exchange as {"hostedContentFilterPolicies": []}
}

test_errors_of_defender_kinds_need_the_licence if {
	x := {"acceptedDomains": _domains, "safeLinksPolicies": [], "atpProtectionPolicyRules": [_preset_rule("Standard Preset Security Policy", {"SafeLinksPolicy": "Missing"})]}
	mdo.errors("safe_links") == {"rule 'Standard Preset Security Policy' applies Safe Links policy Missing, which exchange.safeLinksPolicies holds 0 times"} with input.exchange as x
	mdo.defender_errors("safe_links") == set() with input.exchange as x with input.entra.subscribedSkus as []
	mdo.defender_errors("safe_links") == mdo.errors("safe_links") with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_string_list_accepts_lists_of_strings_only if {
	mdo.string_list([])
	mdo.string_list(["a@contoso.com"])
	not mdo.string_list("a@contoso.com")
	not mdo.string_list(["a", 1])
}
