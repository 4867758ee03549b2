package posture.rules.defender.connection_filter_no_allow_list_test

import data.posture.rules.defender.connection_filter_no_allow_list

_policy(settings) := object.union({"Identity": "Default", "Name": "Default", "Guid": "g-cx", "IsDefault": true, "IPBlockList": ["192.0.2.66"]}, settings)

_entity := {"type": "policy", "id": "g-cx", "name": "Default"}

test_passes_without_allow_list_or_safe_list if {
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": [], "EnableSafeList": false})]
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": null, "EnableSafeList": false})]
}

test_fails_when_an_ip_is_allowed if {
	connection_filter_no_allow_list.deny == {{
		"msg": "Connection filter policy 'Default' lets mail skip spam filtering and sender authentication: IPAllowList lists 203.0.113.25, 198.51.100.0/24",
		"entity": _entity,
	}} with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": ["203.0.113.25", "198.51.100.0/24"], "EnableSafeList": false})]
}

test_fails_when_the_safe_list_is_on_or_unknown if {
	[v.msg | some v in connection_filter_no_allow_list.deny] == ["Connection filter policy 'Default' lets mail skip spam filtering and sender authentication: EnableSafeList is true (expected false)"] with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": [], "EnableSafeList": true})]
	[v.msg | some v in connection_filter_no_allow_list.deny] == ["Connection filter policy 'Default' lets mail skip spam filtering and sender authentication: EnableSafeList is not set (expected false)"] with input.exchange.hostedConnectionFilterPolicies as [_policy({"IPAllowList": []})]
}

test_passes_when_there_is_no_connection_filter_policy if {
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as []
	connection_filter_no_allow_list.deny == set() with input.exchange.hostedConnectionFilterPolicies as ["odd"]
}
