package posture.rules.conditionalaccess.device_code_flow_blocked_test

import data.posture.rules.conditionalaccess.device_code_flow_blocked

_users := [
	{"id": "u1", "userPrincipalName": "alice@contoso.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u2", "userPrincipalName": "bob@contoso.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u3", "userPrincipalName": "carol@contoso.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u4", "userPrincipalName": "guest@fabrikam.com", "accountEnabled": true, "userType": "Guest"},
	{"id": "u5", "userPrincipalName": "left@contoso.com", "accountEnabled": false, "userType": "Member"},
	{"id": "bg1", "userPrincipalName": "bg1@contoso.onmicrosoft.com", "accountEnabled": true, "userType": "Member"},
]

_input(policies) := {
	"tenant": {"id": "t1", "displayName": "Contoso"},
	"entra": {
		"users": _users,
		"groups": [{"id": "g-bg", "displayName": "Emergency Access"}, {"id": "g-ext", "displayName": "Contractors"}],
		"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
		"roleAssignments": [],
		"conditionalAccessPolicies": policies,
	},
}

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_tenant := {"type": "tenant", "id": "t1", "name": "Contoso"}

_entity := {"type": "policy", "id": "ca5", "name": "CA05 Block device code flow"}

_block(changes) := object.union(
	{
		"id": "ca5",
		"displayName": "CA05 Block device code flow",
		"state": "enabled",
		"conditions": {
			"users": {"includeUsers": ["All"], "excludeUsers": [], "excludeGroups": ["g-bg"], "includeGroups": [], "includeRoles": [], "excludeRoles": []},
			"applications": {"includeApplications": ["All"], "excludeApplications": []},
			"clientAppTypes": ["all"],
			"platforms": null,
			"locations": null,
			"signInRiskLevels": [],
			"userRiskLevels": [],
			"authenticationFlows": {"transferMethods": "deviceCodeFlow"},
		},
		"grantControls": {"operator": "OR", "builtInControls": ["block"]},
	},
	changes,
)

_msgs(result) := {d.msg | some d in result}

test_passes_when_an_enabled_policy_blocks_device_code_flow_for_everyone_but_break_glass if {
	device_code_flow_blocked.deny == set() with input as _input([_block({})]) with data.posture.config as _config
	device_code_flow_blocked.coverage == {"covered": 3, "total": 3} with input as _input([_block({})])
		with data.posture.config as _config
	device_code_flow_blocked.error == set() with input as _input([_block({})]) with data.posture.config as _config
}

test_passes_when_the_policy_also_selects_authentication_transfer if {
	p := _block({"conditions": {"authenticationFlows": {"transferMethods": "deviceCodeFlow,authenticationTransfer"}}})
	device_code_flow_blocked.deny == set() with input as _input([p]) with data.posture.config as _config
}

test_passes_when_the_policy_covers_only_modern_client_apps if {
	p := _block({"conditions": {"clientAppTypes": ["browser", "mobileAppsAndDesktopClients"]}})
	device_code_flow_blocked.deny == set() with input as _input([p]) with data.posture.config as _config
}

test_fails_when_no_policy_blocks_device_code_flow if {
	device_code_flow_blocked.deny == {{
		"msg": "No Conditional Access policy blocks device code flow: 3 of 3 enabled member users can sign in with it",
		"entity": _tenant,
	}} with input as _input([])
		with data.posture.config as _config
	device_code_flow_blocked.coverage == {"covered": 0, "total": 3} with input as _input([]) with data.posture.config as _config
}

test_fails_when_the_blocking_policy_is_report_only if {
	p := _block({"state": "enabledForReportingButNotEnforced"})
	device_code_flow_blocked.deny == {
		{
			"msg": "Device code flow is not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
		{
			"msg": "policy 'CA05 Block device code flow' targets device code flow but does not block it: it is report-only",
			"entity": _entity,
		},
	} with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_the_policy_requires_mfa_instead_of_blocking if {
	p := _block({"grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})
	_msgs(device_code_flow_blocked.deny) == {
		"Device code flow is not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
		"policy 'CA05 Block device code flow' targets device code flow but does not block it: it does not require blocking access (grant: mfa)",
	} with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_a_group_that_is_not_break_glass_is_excluded if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	device_code_flow_blocked.deny == {
		{
			"msg": "Device code flow is not blocked for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
		{
			"msg": "policy 'CA05 Block device code flow' leaves device code flow open: excludes group 'Contractors' (2 users), which is not a declared break-glass group",
			"entity": _entity,
		},
	} with input as _input([p])
		with data.posture.config as _config
	device_code_flow_blocked.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_fails_when_another_condition_narrows_the_policy if {
	p := _block({"conditions": {
		"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
		"clientAppTypes": ["browser"],
	}})
	some d in device_code_flow_blocked.deny with input as _input([p]) with data.posture.config as _config
	d.entity == _entity
	d.msg == "policy 'CA05 Block device code flow' targets device code flow but does not block it: it excludes locations all trusted locations, is limited to client apps browser (not mobileAppsAndDesktopClients)"
}

test_a_policy_for_authentication_transfer_only_does_not_count if {
	p := _block({"conditions": {"authenticationFlows": {"transferMethods": "authenticationTransfer"}}})
	device_code_flow_blocked.coverage == {"covered": 0, "total": 3} with input as _input([p]) with data.posture.config as _config
	device_code_flow_blocked.shortfalls(p) == {"is limited to authentication flows authenticationTransfer, not device code flow"}
}

test_a_policy_that_blocks_every_flow_counts if {
	p := _block({"conditions": {"authenticationFlows": null}})
	device_code_flow_blocked.deny == set() with input as _input([p]) with data.posture.config as _config
}

test_a_second_policy_can_cover_an_exclusion if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	contractors := _block({"id": "ca6", "conditions": {"users": {"includeUsers": [], "includeGroups": ["g-ext"], "excludeGroups": []}}})
	device_code_flow_blocked.deny == set() with input as _input([p, contractors]) with data.posture.config as _config
	device_code_flow_blocked.coverage == {"covered": 3, "total": 3} with input as _input([p, contractors])
		with data.posture.config as _config
}

test_a_policy_without_conditions_does_not_count if {
	p := object.union(_block({}), {"conditions": null})
	_msgs(device_code_flow_blocked.deny) == {"No Conditional Access policy blocks device code flow: 3 of 3 enabled member users can sign in with it"} with input as _input([p])
		with data.posture.config as _config
}

test_a_policy_without_grant_controls_does_not_count if {
	p := object.union(_block({}), {"grantControls": null})
	some d in device_code_flow_blocked.deny with input as _input([p]) with data.posture.config as _config
	d.msg == "policy 'CA05 Block device code flow' targets device code flow but does not block it: it has no grant controls"
}

test_counts_break_glass_accounts_when_none_are_declared if {
	device_code_flow_blocked.coverage == {"covered": 3, "total": 4} with input as _input([_block({})])
	some d in device_code_flow_blocked.deny with input as _input([_block({})])
	d.msg == "policy 'CA05 Block device code flow' leaves device code flow open: excludes group 'Emergency Access' (1 user), which is not a declared break-glass group"
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	device_code_flow_blocked.error == {"policy 'CA05 Block device code flow' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}
