package posture.rules.defender.bulk_threshold_test

import data.posture.lib.fixtures
import data.posture.rules.defender.bulk_threshold

_kind := "content_filter"

_good := {"BulkThreshold": 6}

_bad := {"BulkThreshold": 7}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

test_passes_when_the_policy_everyone_gets_catches_bulk_mail if {
	bulk_threshold.deny == set() with input.exchange as _x([_default(_good)], [])
	bulk_threshold.error == set() with input.exchange as _x([_default(_good)], [])
}

test_fails_naming_the_default_policy_when_it_keeps_the_default_threshold if {
	bulk_threshold.deny == {{
		"msg": "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) lets bulk mail through: BulkThreshold is 7 (expected 6 or less)",
		"entity": fixtures.policy_entity(_default({})),
	}} with input.exchange as _x([_default(_bad)], [])
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	bulk_threshold.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})])
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(bulk_threshold.deny) == 2 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule])
}

test_fails_when_the_settings_are_missing if {
	some v in bulk_threshold.deny with input.exchange as _x([_default({})], [])
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in bulk_threshold.deny] == ["No anti-spam policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-spam protection"] with input.exchange as _x([], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	bulk_threshold.error == {"rule 'Standard Preset Security Policy' applies anti-spam policy Standard Preset Security Policy1, which exchange.hostedContentFilterPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}

test_the_maximum_is_a_parameter if {
	bulk_threshold.deny == set() with input.exchange as _x([_default(_bad)], []) with data.posture.config as {"maxBulkThreshold": 7}
	bulk_threshold.error == {`config maxBulkThreshold must be a whole number from 1 to 9, got "7"`} with input.exchange as _x([_default(_good)], []) with data.posture.config as {"maxBulkThreshold": "7"}
}
