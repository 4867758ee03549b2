package posture.rules.defender.no_allowed_sender_domains_test

import data.posture.lib.fixtures
import data.posture.rules.defender.no_allowed_sender_domains

_kind := "content_filter"

_good := {"AllowedSenderDomains": [], "AllowedSenders": []}

_bad := {"AllowedSenderDomains": ["fabrikam.com"], "AllowedSenders": null}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_prefix := "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) lets mail skip spam filtering: "

test_passes_when_the_policy_everyone_gets_allows_no_one if {
	no_allowed_sender_domains.deny == set() with input.exchange as _x([_default(_good)], [])
	no_allowed_sender_domains.error == set() with input.exchange as _x([_default(_good)], [])
}

test_fails_naming_the_default_policy_when_it_allows_a_domain if {
	no_allowed_sender_domains.deny == {{
		"msg": concat("", [_prefix, "AllowedSenderDomains lists fabrikam.com"]),
		"entity": fixtures.policy_entity(_default({})),
		"controls": ["2.1.14", "MS.SECURITYSUITE.6.2v1"],
	}} with input.exchange as _x([_default(_bad)], [])
}

test_allowed_senders_fail_posture_but_no_framework_control if {
	no_allowed_sender_domains.deny == {{
		"msg": concat("", [_prefix, "AllowedSenders lists orders@fabrikam.com"]),
		"entity": fixtures.policy_entity(_default({})),
		"controls": ["posture"],
	}} with input.exchange as _x([_default({"AllowedSenders": ["orders@fabrikam.com"]})], [])
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	no_allowed_sender_domains.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})])
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(no_allowed_sender_domains.deny) == 2 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule])
}

test_passes_when_the_lists_are_missing_or_null if {
	no_allowed_sender_domains.deny == set() with input.exchange as _x([_default({}), _default({"AllowedSenderDomains": null, "AllowedSenders": null})], [])
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in no_allowed_sender_domains.deny] == ["No anti-spam policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-spam protection"] with input.exchange as _x([], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	no_allowed_sender_domains.error == {"rule 'Standard Preset Security Policy' applies anti-spam policy Standard Preset Security Policy1, which exchange.hostedContentFilterPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}
