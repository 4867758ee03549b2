package posture.rules.defender.common_attachments_filter_test

import data.posture.rules.defender.common_attachments_filter

_good := {"EnableFileFilter": true, "FileTypes": ["ace", "ani", "apk", "app", "cab", "cmd", "com", "deb", "dmg", "exe", "hta", "iso", "jar", "js", "lnk", "msi", "ps1", "reg", "scr", "vbe", "vbs", "wsf"]}

_bad := {"EnableFileFilter": false, "FileTypes": ["ace", "ani", "apk", "app", "cab", "cmd", "com", "jar"]}

_fallback(settings) := object.union({"Name": "Default", "Identity": "Default", "IsDefault": true, "Guid": "g-fb"}, settings)

_standard(settings) := object.union({"Name": "Standard Preset Security Policy1", "Identity": "Standard Preset Security Policy1", "Guid": "g-std"}, settings)

_standard_rule := {"Identity": "Standard Preset Security Policy", "Name": "Standard Preset Security Policy", "State": "Enabled", "Priority": 1, "MalwareFilterPolicy": "Standard Preset Security Policy1", "SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null}

_exchange(policies, presets) := {"acceptedDomains": [{"DomainName": "contoso.com"}], "malwareFilterPolicies": policies, "eopProtectionPolicyRules": presets}

test_passes_when_the_policy_everyone_gets_filters_executables if {
	common_attachments_filter.deny == set() with input.exchange as _exchange([_fallback(_good)], [])
	common_attachments_filter.error == set() with input.exchange as _exchange([_fallback(_good)], [])
}

test_fails_naming_the_default_policy_when_it_has_the_filter_off if {
	common_attachments_filter.deny == {{
		"msg": "Anti-malware policy 'Default' (the default policy, applied to every recipient no other anti-malware policy covers) does not block executable attachments: EnableFileFilter is false (expected true); FileTypes lacks exe, vbe",
		"entity": {"type": "policy", "id": "g-fb", "name": "Default"},
	}} with input.exchange as _exchange([_fallback(_bad)], [])
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	common_attachments_filter.deny == set() with input.exchange as _exchange([_fallback(_bad), _standard(_good)], [_standard_rule])
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := object.union(_standard_rule, {"SentToMemberOf": ["Finance"]})
	count(common_attachments_filter.deny) == 2 with input.exchange as _exchange([_fallback(_bad), _standard(_bad)], [rule])
}

test_fails_when_the_settings_are_missing if {
	some v in common_attachments_filter.deny with input.exchange as _exchange([_fallback({})], [])
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in common_attachments_filter.deny] == ["No anti-malware policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-malware protection"] with input.exchange as _exchange([], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	common_attachments_filter.error == {"rule 'Standard Preset Security Policy' applies anti-malware policy Standard Preset Security Policy1, which exchange.malwareFilterPolicies holds 0 times"} with input.exchange as _exchange([_fallback(_good)], [_standard_rule])
}
