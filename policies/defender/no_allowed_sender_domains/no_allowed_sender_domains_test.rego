package posture.rules.defender.no_allowed_sender_domains_test

import data.posture.rules.defender.no_allowed_sender_domains

_good := {"AllowedSenderDomains": [], "AllowedSenders": []}

_bad := {"AllowedSenderDomains": ["fabrikam.com"], "AllowedSenders": null}

_fallback(settings) := object.union({"Name": "Default", "Identity": "Default", "IsDefault": true, "Guid": "g-fb"}, settings)

_standard(settings) := object.union({"Name": "Standard Preset Security Policy1", "Identity": "Standard Preset Security Policy1", "Guid": "g-std"}, settings)

_standard_rule := {"Identity": "Standard Preset Security Policy", "Name": "Standard Preset Security Policy", "State": "Enabled", "Priority": 1, "HostedContentFilterPolicy": "Standard Preset Security Policy1", "SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null}

_exchange(policies, presets) := {"acceptedDomains": [{"DomainName": "contoso.com"}], "hostedContentFilterPolicies": policies, "eopProtectionPolicyRules": presets}

test_passes_when_the_policy_everyone_gets_allows_no_one if {
	no_allowed_sender_domains.deny == set() with input.exchange as _exchange([_fallback(_good)], [])
	no_allowed_sender_domains.error == set() with input.exchange as _exchange([_fallback(_good)], [])
}

test_fails_naming_the_default_policy_when_it_allows_a_domain if {
	no_allowed_sender_domains.deny == {{
		"msg": "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) lets mail skip spam filtering: AllowedSenderDomains lists fabrikam.com",
		"entity": {"type": "policy", "id": "g-fb", "name": "Default"},
	}} with input.exchange as _exchange([_fallback(_bad)], [])
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	no_allowed_sender_domains.deny == set() with input.exchange as _exchange([_fallback(_bad), _standard(_good)], [_standard_rule])
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := object.union(_standard_rule, {"SentToMemberOf": ["Finance"]})
	count(no_allowed_sender_domains.deny) == 2 with input.exchange as _exchange([_fallback(_bad), _standard(_bad)], [rule])
}

test_passes_when_the_lists_are_missing_or_null if {
	no_allowed_sender_domains.deny == set() with input.exchange as _exchange([_fallback({}), _fallback({"AllowedSenderDomains": null, "AllowedSenders": null})], [])
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in no_allowed_sender_domains.deny] == ["No anti-spam policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-spam protection"] with input.exchange as _exchange([], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	no_allowed_sender_domains.error == {"rule 'Standard Preset Security Policy' applies anti-spam policy Standard Preset Security Policy1, which exchange.hostedContentFilterPolicies holds 0 times"} with input.exchange as _exchange([_fallback(_good)], [_standard_rule])
}
