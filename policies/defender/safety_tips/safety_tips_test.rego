package posture.rules.defender.safety_tips_test

import data.posture.lib.fixtures
import data.posture.rules.defender.safety_tips

_eop_tips := {"EnableFirstContactSafetyTips": true, "EnableUnauthenticatedSender": true, "EnableViaTag": true}

_mdo_tips := {"EnableSimilarUsersSafetyTips": true, "EnableSimilarDomainsSafetyTips": true, "EnableUnusualCharactersSafetyTips": true}

_all_tips := object.union(_eop_tips, _mdo_tips)

_x(policies, presets) := fixtures.mdo_exchange("anti_phish", policies, presets)

_default(settings) := fixtures.default_policy("anti_phish", settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_prefix := "Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) does not show users every safety tip: "

test_passes_when_the_default_policy_shows_every_tip if {
	safety_tips.deny == set() with input.exchange as _x([_default(_all_tips)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	safety_tips.error == set() with input.exchange as _x([_default(_all_tips)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_for_each_tip_left_off if {
	x := _x([_default(object.union(_all_tips, {"EnableFirstContactSafetyTips": false, "EnableUnusualCharactersSafetyTips": null}))], [])
	{v.msg | some v in safety_tips.deny} == {
		concat("", [_prefix, "EnableFirstContactSafetyTips is false (expected true)"]),
		concat("", [_prefix, "EnableUnusualCharactersSafetyTips is not set (expected true)"]),
	} with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_without_defender_only_the_exchange_online_protection_tips_count if {
	safety_tips.deny == set() with input.exchange as _x([_default(_eop_tips)], []) with input.entra.subscribedSkus as []
	count(safety_tips.deny) == 1 with input.exchange as _x([_default(_eop_tips)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_the_presets_meet_the_control_as_they_are if {
	x := _x([_default(_all_tips), _standard({"EnableFirstContactSafetyTips": false})], [fixtures.preset_rule("Standard", {})])
	safety_tips.deny == set() with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_a_preset_for_some_recipients_leaves_the_default_policy_to_judge if {
	x := _x([_default({}), _standard({})], [fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})])
	count(safety_tips.deny) == 2 with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in safety_tips.deny] == ["No anti-phishing policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-phishing protection"] with input.exchange as _x([], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	safety_tips.error == {"rule 'Standard Preset Security Policy' applies anti-phishing policy Standard Preset Security Policy1, which exchange.antiPhishPolicies holds 0 times"} with input.exchange as _x([_default(_all_tips)], [fixtures.preset_rule("Standard", {})])
		with input.entra.subscribedSkus as fixtures.mdo_skus
}
