package posture.rules.defender.zero_hour_auto_purge_test

import data.posture.rules.defender.zero_hour_auto_purge

_spam(settings) := object.union({"Name": "Default", "Identity": "Default", "IsDefault": true, "Guid": "g-cf"}, settings)

_malware(settings) := object.union({"Name": "Default", "Identity": "Default", "IsDefault": true, "Guid": "g-mf"}, settings)

_exchange(spam, malware) := {"acceptedDomains": [{"DomainName": "contoso.com"}], "hostedContentFilterPolicies": spam, "malwareFilterPolicies": malware, "eopProtectionPolicyRules": []}

test_passes_when_zap_is_on_everywhere if {
	zero_hour_auto_purge.deny == set() with input.exchange as _exchange([_spam({"PhishZapEnabled": true, "SpamZapEnabled": true})], [_malware({"ZapEnabled": true})])
}

test_fails_naming_each_policy_with_zap_off if {
	x := _exchange(
		[_spam({"PhishZapEnabled": true, "SpamZapEnabled": false}), {"Name": "Sales", "Identity": "Sales", "Guid": "g-s", "PhishZapEnabled": false, "SpamZapEnabled": true}],
		[_malware({"ZapEnabled": false})],
	)
	zero_hour_auto_purge.deny == {
		{"msg": "Anti-spam policy 'Sales' (custom; its rule is not collected, so it may apply to any recipient) does not purge delivered messages that turn out harmful: PhishZapEnabled is false (expected true)", "entity": {"type": "policy", "id": "g-s", "name": "Sales"}},
		{"msg": "Anti-spam policy 'Default' (the default policy, applied to every recipient no other anti-spam policy covers) does not purge delivered messages that turn out harmful: SpamZapEnabled is false (expected true)", "entity": {"type": "policy", "id": "g-cf", "name": "Default"}},
		{"msg": "Anti-malware policy 'Default' (the default policy, applied to every recipient no other anti-malware policy covers) does not purge delivered messages that turn out harmful: ZapEnabled is false (expected true)", "entity": {"type": "policy", "id": "g-mf", "name": "Default"}},
	} with input.exchange as x
}

test_fails_when_the_switches_are_missing if {
	count(zero_hour_auto_purge.deny) == 2 with input.exchange as _exchange([_spam({})], [_malware({"ZapEnabled": null})])
}

test_fails_when_there_is_no_default_policy if {
	[v.msg | some v in zero_hour_auto_purge.deny] == ["No anti-malware policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-malware protection"] with input.exchange as _exchange([_spam({"PhishZapEnabled": true, "SpamZapEnabled": true})], [])
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	x := object.union(_exchange([_spam({"PhishZapEnabled": true, "SpamZapEnabled": true})], [_malware({"ZapEnabled": true})]), {"eopProtectionPolicyRules": [{"Identity": "Standard Preset Security Policy", "State": "Enabled", "HostedContentFilterPolicy": "Standard Preset Security Policy1", "MalwareFilterPolicy": "Standard Preset Security Policy1"}]})
	zero_hour_auto_purge.error == {
		"rule 'Standard Preset Security Policy' applies anti-spam policy Standard Preset Security Policy1, which exchange.hostedContentFilterPolicies holds 0 times",
		"rule 'Standard Preset Security Policy' applies anti-malware policy Standard Preset Security Policy1, which exchange.malwareFilterPolicies holds 0 times",
	} with input.exchange as x
}
