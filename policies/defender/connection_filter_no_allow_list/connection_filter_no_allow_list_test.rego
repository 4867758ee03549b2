package posture.rules.defender.connection_filter_no_allow_list_test

import data.posture.lib.fixtures
import data.posture.rules.defender.connection_filter_no_allow_list

_policy(settings) := fixtures.default_policy("content_filter", object.union({"IPBlockList": ["192.0.2.66"]}, settings))

_prefix := "Connection filter policy 'Default' lets mail skip spam filtering and sender authentication: "

test_passes_without_allow_list_or_safe_list if {
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": [], "EnableSafeList": false})]
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": null, "EnableSafeList": false})]
}

test_fails_for_an_allowed_ip_under_the_allow_list_controls_only if {
	connection_filter_no_allow_list.deny == {{
		"msg": concat("", [_prefix, "IPAllowList lists 198.51.100.0/24, 203.0.113.25"]),
		"entity": fixtures.policy_entity(_policy({})),
		"controls": ["2.1.12", "MS.SECURITYSUITE.8.1v1"],
	}} with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": ["203.0.113.25", "198.51.100.0/24"], "EnableSafeList": false})]
}

test_fails_for_the_safe_list_under_the_safe_list_controls_only if {
	connection_filter_no_allow_list.deny == {{
		"msg": concat("", [_prefix, "EnableSafeList is true (expected false)"]),
		"entity": fixtures.policy_entity(_policy({})),
		"controls": ["2.1.13", "MS.SECURITYSUITE.8.2v1"],
	}} with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": [], "EnableSafeList": true})]
	[v.msg | some v in connection_filter_no_allow_list.deny] == [concat("", [_prefix, "EnableSafeList is not set (expected false)"])] with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": []})]
}

test_fails_twice_for_both_lists if {
	count(connection_filter_no_allow_list.deny) == 2 with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": ["203.0.113.25"], "EnableSafeList": true})]
}

test_passes_when_there_is_no_connection_filter_policy if {
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as []
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as ["odd"]
}
