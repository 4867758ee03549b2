package posture.rules.defender.phish_threshold_test

import data.posture.lib.fixtures
import data.posture.rules.defender.phish_threshold

_kind := "anti_phish"

_good := {"PhishThresholdLevel": 3}

_bad := {"PhishThresholdLevel": 1}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

test_passes_when_the_policy_everyone_gets_is_aggressive if {
	phish_threshold.deny == set() with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	phish_threshold.error == set() with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_naming_the_default_policy_when_it_is_at_the_default_threshold if {
	phish_threshold.deny == {{
		"msg": "Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) treats too little mail as phishing: PhishThresholdLevel is 1 (expected 2 or more)",
		"entity": fixtures.policy_entity(_default({})),
	}} with input.exchange as _x([_default(_bad)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	phish_threshold.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(phish_threshold.deny) == 2 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_when_the_settings_are_missing if {
	some v in phish_threshold.deny with input.exchange as _x([_default({})], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in phish_threshold.deny] == ["No anti-phishing policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-phishing protection"] with input.exchange as _x([], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	phish_threshold.error == {"rule 'Standard Preset Security Policy' applies anti-phishing policy Standard Preset Security Policy1, which exchange.antiPhishPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_not_applicable_without_defender_for_office_365 if {
	phish_threshold.not_applicable == "Advanced phishing thresholds needs Microsoft Defender for Office 365: the service plan ATP_ENTERPRISE (in Microsoft 365 Business Premium, Microsoft 365 E5, Microsoft Defender for Office 365 (Plan 1), Microsoft Defender for Office 365 (Plan 2)), which the tenant does not have" with input.entra.subscribedSkus as []
	phish_threshold.error == set() with input.entra.subscribedSkus as [] with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}

test_the_minimum_is_a_parameter if {
	count(phish_threshold.deny) == 1 with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as {"minPhishThresholdLevel": 4}
	phish_threshold.error == {"config minPhishThresholdLevel must be 1, 2, 3 or 4, got 5"} with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as {"minPhishThresholdLevel": 5}
}

test_fails_when_the_threshold_is_not_a_number if {
	some v in phish_threshold.deny with input.exchange as _x([_default({"PhishThresholdLevel": "3"})], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	endswith(v.msg, "PhishThresholdLevel is 3 (expected 2 or more)")
}
