package posture.rules.defender.common_attachments_filter_test

import data.posture.lib.fixtures
import data.posture.rules.defender.common_attachments_filter

_kind := "malware_filter"

_good := {"EnableFileFilter": true, "FileTypes": ["ace", "ani", "apk", "app", "cab", "cmd", "com", "deb", "dmg", "exe", "hta", "iso", "jar", "js", "lnk", "msi", "ps1", "reg", "scr", "vbe", "vbs", "wsf"]}

_bad := {"EnableFileFilter": false, "FileTypes": ["ace", "ani", "apk", "app", "cab", "cmd", "com", "jar"]}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_prefix := "Anti-malware policy 'Default' (the default policy, applied to every recipient no other anti-malware policy covers) does not block executable attachments: "

test_passes_when_the_policy_everyone_gets_filters_executables if {
	common_attachments_filter.deny == set() with input.exchange as _x([_default(_good)], [])
	common_attachments_filter.error == set() with input.exchange as _x([_default(_good)], [])
}

test_fails_naming_the_default_policy_and_the_controls_each_problem_breaks if {
	common_attachments_filter.deny == {
		{
			"msg": concat("", [_prefix, "EnableFileFilter is false (expected true)"]),
			"entity": fixtures.policy_entity(_default({})),
			"controls": ["2.1.2", "MS.SECURITYSUITE.1.1v1"],
		},
		{
			"msg": concat("", [_prefix, "FileTypes lacks exe, vbe"]),
			"entity": fixtures.policy_entity(_default({})),
			"controls": ["MS.SECURITYSUITE.1.1v1"],
		},
	} with input.exchange as _x([_default(_bad)], [])
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	common_attachments_filter.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})])
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(common_attachments_filter.deny) == 4 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule])
}

test_fails_when_the_settings_are_missing if {
	some v in common_attachments_filter.deny with input.exchange as _x([_default({})], [])
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in common_attachments_filter.deny] == ["No anti-malware policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-malware protection"] with input.exchange as _x([], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	common_attachments_filter.error == {"rule 'Standard Preset Security Policy' applies anti-malware policy Standard Preset Security Policy1, which exchange.malwareFilterPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}
