package posture.rules.defender.spam_actions_test

import data.posture.lib.fixtures
import data.posture.rules.defender.spam_actions

_kind := "content_filter"

_good := {"SpamAction": "MoveToJmf", "HighConfidenceSpamAction": "Quarantine", "BulkSpamAction": "MoveToJmf"}

_bad := {"SpamAction": "AddXHeader", "HighConfidenceSpamAction": "MoveToJmf", "BulkSpamAction": "MoveToJmf"}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_prefix := "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) lets spam reach the inbox or treats it too lightly: "

test_passes_when_the_policy_everyone_gets_keeps_spam_out if {
	spam_actions.deny == set() with input.exchange as _x([_default(_good)], [])
	spam_actions.error == set() with input.exchange as _x([_default(_good)], [])
}

test_fails_naming_the_default_policy_and_the_control_each_problem_breaks if {
	spam_actions.deny == {
		{
			"msg": concat("", [_prefix, "SpamAction is AddXHeader (expected MoveToJmf or Quarantine)"]),
			"entity": fixtures.policy_entity(_default({})),
			"controls": ["MS.SECURITYSUITE.6.1v1"],
		},
		{
			"msg": concat("", [_prefix, "HighConfidenceSpamAction is MoveToJmf (expected Quarantine)"]),
			"entity": fixtures.policy_entity(_default({})),
			"controls": ["posture"],
		},
	} with input.exchange as _x([_default(_bad)], [])
}

test_junk_redirect_and_delete_keep_spam_out_of_the_inbox_as_scuba_asks if {
	x := _x([_default({"SpamAction": "Redirect", "HighConfidenceSpamAction": "Delete", "BulkSpamAction": "AddXHeader"})], [])
	{v.controls | some v in spam_actions.deny} == {["posture"]} with input.exchange as x
	count(spam_actions.deny) == 1 with input.exchange as x
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	spam_actions.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})])
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(spam_actions.deny) == 4 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule])
}

test_fails_when_the_settings_are_missing if {
	some v in spam_actions.deny with input.exchange as _x([_default({})], [])
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in spam_actions.deny] == ["No anti-spam policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-spam protection"] with input.exchange as _x([], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	spam_actions.error == {"rule 'Standard Preset Security Policy' applies anti-spam policy Standard Preset Security Policy1, which exchange.hostedContentFilterPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}
