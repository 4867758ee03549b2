package posture.rules.defender.phish_quarantined_test

import data.posture.lib.fixtures
import data.posture.rules.defender.phish_quarantined

_kind := "content_filter"

_good := {"PhishSpamAction": "Quarantine", "HighConfidencePhishAction": "Quarantine"}

_bad := {"PhishSpamAction": "AddXHeader", "HighConfidencePhishAction": "Quarantine"}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

test_passes_when_the_policy_everyone_gets_quarantines_phishing if {
	phish_quarantined.deny == set() with input.exchange as _x([_default(_good)], [])
	phish_quarantined.error == set() with input.exchange as _x([_default(_good)], [])
}

test_fails_the_scuba_control_when_phishing_reaches_the_inbox if {
	phish_quarantined.deny == {{
		"msg": "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) delivers phishing: PhishSpamAction is AddXHeader (expected Quarantine)",
		"entity": fixtures.policy_entity(_default({})),
		"controls": ["MS.SECURITYSUITE.6.1v1"],
	}} with input.exchange as _x([_default(_bad)], [])
}

test_phishing_in_junk_fails_posture_but_not_the_scuba_control if {
	phish_quarantined.deny == {{
		"msg": "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) delivers phishing: PhishSpamAction is MoveToJmf (expected Quarantine)",
		"entity": fixtures.policy_entity(_default({})),
		"controls": ["posture"],
	}} with input.exchange as _x([_default({"PhishSpamAction": "MoveToJmf", "HighConfidencePhishAction": "Quarantine"})], [])
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	phish_quarantined.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})])
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(phish_quarantined.deny) == 2 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule])
}

test_fails_when_the_settings_are_missing if {
	some v in phish_quarantined.deny with input.exchange as _x([_default({})], [])
	contains(v.msg, "is not set (expected")
	v.controls == ["MS.SECURITYSUITE.6.1v1"]
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in phish_quarantined.deny] == ["No anti-spam policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-spam protection"] with input.exchange as _x([], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	phish_quarantined.error == {"rule 'Standard Preset Security Policy' applies anti-spam policy Standard Preset Security Policy1, which exchange.hostedContentFilterPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}
