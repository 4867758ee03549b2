package posture.rules.defender.zero_hour_auto_purge_test

import data.posture.lib.fixtures
import data.posture.rules.defender.zero_hour_auto_purge

_spam(settings) := fixtures.default_policy("content_filter", object.union({"Guid": "g-cf"}, settings))

_malware(settings) := fixtures.default_policy("malware_filter", object.union({"Guid": "g-mf"}, settings))

_x(spam, malware) := object.union(fixtures.mdo_exchange("content_filter", spam, []), {"malwareFilterPolicies": malware})

test_passes_when_zap_is_on_everywhere if {
	zero_hour_auto_purge.deny == set() with input.exchange as _x([_spam({"PhishZapEnabled": true, "SpamZapEnabled": true})], [_malware({"ZapEnabled": true})])
}

test_fails_naming_each_policy_with_zap_off_and_only_malware_zap_breaks_scuba if {
	sales := fixtures.custom_policy("Sales", {"PhishZapEnabled": false, "SpamZapEnabled": true})
	x := _x(
		[_spam({"PhishZapEnabled": true, "SpamZapEnabled": false}), sales],
		[_malware({"ZapEnabled": false})],
	)
	zero_hour_auto_purge.deny == {
		{"msg": "Anti-spam policy 'Sales' (custom; its rule is not collected, so it may apply to any recipient) does not purge delivered messages that turn out harmful: PhishZapEnabled is false (expected true)", "entity": fixtures.policy_entity(sales), "controls": ["posture"]},
		{"msg": "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) does not purge delivered messages that turn out harmful: SpamZapEnabled is false (expected true)", "entity": {"type": "policy", "id": "g-cf", "name": "Default"}, "controls": ["posture"]},
		{"msg": "Anti-malware policy 'Default' (the default policy, applied to every recipient no other anti-malware policy covers) does not purge delivered messages that turn out harmful: ZapEnabled is false (expected true)", "entity": {"type": "policy", "id": "g-mf", "name": "Default"}, "controls": ["MS.SECURITYSUITE.1.2v1"]},
	} with input.exchange as x
}

test_fails_when_the_switches_are_missing if {
	count(zero_hour_auto_purge.deny) == 2 with input.exchange as _x([_spam({})], [_malware({"ZapEnabled": null})])
}

test_fails_when_there_is_no_default_policy if {
	[v.msg | some v in zero_hour_auto_purge.deny] == ["No anti-malware policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-malware protection"] with input.exchange as _x([_spam({"PhishZapEnabled": true, "SpamZapEnabled": true})], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	x := _x([_spam({"PhishZapEnabled": true, "SpamZapEnabled": true})], [_malware({"ZapEnabled": true})])
	zero_hour_auto_purge.error == {
		"rule 'Standard Preset Security Policy' applies anti-spam policy Standard Preset Security Policy1, which exchange.hostedContentFilterPolicies holds 0 times",
		"rule 'Standard Preset Security Policy' applies anti-malware policy Standard Preset Security Policy1, which exchange.malwareFilterPolicies holds 0 times",
	} with input.exchange as x with input.exchange.eopProtectionPolicyRules as [fixtures.preset_rule("Standard", {})]
}
