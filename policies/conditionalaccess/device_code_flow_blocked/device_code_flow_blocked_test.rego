package posture.rules.conditionalaccess.device_code_flow_blocked_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.device_code_flow_blocked

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.guest("u4", "guest@fabrikam.com"),
	fixtures.disabled("u5", "left@contoso.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_input(policies) := {
	"tenant": {"id": "t1", "displayName": "Contoso"},
	"entra": {
		"users": _users,
		"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
		"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
		"roleAssignments": [],
		"conditionalAccessPolicies": policies,
	},
}

_controls := ["MS.AAD.3.9v1", "5.2.2.12"]

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_tenant := fixtures.tenant_entity

_entity := fixtures.ca_policy_entity("ca5", "CA05 Block device code flow")

_block(changes) := fixtures.ca_policy("ca5", "CA05 Block device code flow", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}, "authenticationFlows": {"transferMethods": "deviceCodeFlow"}}, "grantControls": {"builtInControls": ["block"]}}, changes))

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
	device_code_flow_blocked.deny == fixtures.tagged(
		{{
			"msg": "No Conditional Access policy blocks device code flow: 3 of 3 enabled member users can sign in with it",
			"entity": _tenant,
		}},
		_controls,
	) with input as _input([])
		with data.posture.config as _config
	device_code_flow_blocked.coverage == {"covered": 0, "total": 3} with input as _input([]) with data.posture.config as _config
}

test_fails_when_the_blocking_policy_is_report_only if {
	p := _block({"state": "enabledForReportingButNotEnforced"})
	device_code_flow_blocked.deny == fixtures.tagged(
		{
			{
				"msg": "Device code flow is not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
				"entity": _tenant,
			},
			{
				"msg": "policy 'CA05 Block device code flow' targets device code flow but does not block it: it is report-only",
				"entity": _entity,
			},
		},
		_controls,
	) with input as _input([p])
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
	device_code_flow_blocked.deny == fixtures.tagged(
		{
			{
				"msg": "Device code flow is not blocked for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
				"entity": _tenant,
			},
			{
				"msg": "policy 'CA05 Block device code flow' leaves device code flow open: excludes group 'Contractors' (2 users), which is not a declared break-glass group",
				"entity": _entity,
			},
		},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
	device_code_flow_blocked.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_fails_when_another_condition_narrows_the_policy if {
	p := _block({"conditions": {
		"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
		"clientAppTypes": ["browser"],
	}})
	{d.msg | some d in device_code_flow_blocked.deny} == {
		"Device code flow is not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
		"Browser client sign-ins from trusted locations using device code flow: no enforced policy requires blocking device code flow for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA05 Block device code flow' excludes locations all trusted locations",
		"Mobile app and desktop client sign-ins from outside trusted locations using device code flow: no enforced policy requires blocking device code flow for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA05 Block device code flow' is limited to client apps browser (not mobileAppsAndDesktopClients)",
		"Mobile app and desktop client sign-ins from trusted locations using device code flow: no enforced policy requires blocking device code flow for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA05 Block device code flow' excludes locations all trusted locations, is limited to client apps browser (not mobileAppsAndDesktopClients)",
	} with input as _input([p])
		with data.posture.config as _config
}

# A policy for trusted locations and one for everywhere else block every device code sign-in
# together (Microsoft Learn, "Conditional Access: Network assignment"; all policies that apply
# are enforced).
test_passes_when_policies_for_trusted_and_other_locations_add_up if {
	outside := _block({"conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}})
	inside := _block({"id": "ca6", "displayName": "CA06 Block device code flow on site", "conditions": {"locations": {"includeLocations": ["AllTrusted"], "excludeLocations": []}}})
	device_code_flow_blocked.deny == set() with input as _input([outside, inside]) with data.posture.config as _config
}

test_a_policy_for_authentication_transfer_only_does_not_count if {
	p := _block({"conditions": {"authenticationFlows": {"transferMethods": "authenticationTransfer"}}})
	device_code_flow_blocked.coverage == {"covered": 0, "total": 3} with input as _input([p]) with data.posture.config as _config
	device_code_flow_blocked.deny == fixtures.tagged(
		{{
			"msg": "No Conditional Access policy blocks device code flow: 3 of 3 enabled member users can sign in with it",
			"entity": fixtures.tenant_entity,
		}},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
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
