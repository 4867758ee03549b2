package posture.rules.entra.legacy_auth_blocked_test

import data.posture.lib.fixtures
import data.posture.rules.entra.legacy_auth_blocked

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
		"securityDefaults": {"isEnabled": false},
		"users": _users,
		"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
		"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
		"roleAssignments": [],
		"conditionalAccessPolicies": policies,
	},
}

_controls := ["MS.AAD.1.1v1", "5.2.2.3"]

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_tenant := fixtures.tenant_entity

_block(changes) := fixtures.ca_policy("ca2", "CA02 Block legacy authentication", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}, "clientAppTypes": ["exchangeActiveSync", "other"]}, "grantControls": {"builtInControls": ["block"]}}, changes))

test_passes_when_an_enabled_policy_blocks_legacy_clients_for_everyone_but_break_glass if {
	legacy_auth_blocked.deny == set() with input as _input([_block({})]) with data.posture.config as _config
	legacy_auth_blocked.coverage == {"covered": 3, "total": 3} with input as _input([_block({})])
		with data.posture.config as _config
}

test_passes_when_security_defaults_are_enabled if {
	snapshot := object.union(_input([]), {"entra": {"securityDefaults": {"isEnabled": true}}})
	legacy_auth_blocked.deny == set() with input as snapshot with data.posture.config as _config
	legacy_auth_blocked.coverage == {"covered": 3, "total": 3} with input as snapshot with data.posture.config as _config
}

test_fails_when_no_policy_blocks_legacy_authentication if {
	legacy_auth_blocked.deny == fixtures.tagged(
		{{
			"msg": "No Conditional Access policy blocks legacy authentication (Exchange ActiveSync and other clients): 3 of 3 enabled member users can sign in with legacy protocols",
			"entity": _tenant,
		}},
		_controls,
	) with input as _input([])
		with data.posture.config as _config
	legacy_auth_blocked.coverage == {"covered": 0, "total": 3} with input as _input([]) with data.posture.config as _config
}

test_fails_when_the_blocking_policy_is_report_only if {
	p := _block({"state": "enabledForReportingButNotEnforced"})
	legacy_auth_blocked.deny == fixtures.tagged(
		{
			{
				"msg": "Legacy authentication is not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
				"entity": _tenant,
			},
			{
				"msg": "policy 'CA02 Block legacy authentication' blocks legacy authentication but does not count: it is report-only",
				"entity": fixtures.ca_policy_entity("ca2", "CA02 Block legacy authentication"),
			},
		},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_a_group_that_is_not_break_glass_is_excluded if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	legacy_auth_blocked.deny == fixtures.tagged(
		{
			{
				"msg": "Legacy authentication is not blocked for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
				"entity": _tenant,
			},
			{
				"msg": "policy 'CA02 Block legacy authentication' leaves legacy authentication open: excludes group 'Contractors' (2 users), which is not a declared break-glass group",
				"entity": fixtures.ca_policy_entity("ca2", "CA02 Block legacy authentication"),
			},
		},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
	legacy_auth_blocked.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_fails_when_a_user_exclusion_is_not_break_glass if {
	p := _block({"conditions": {"users": {"excludeUsers": ["u1"]}}})
	some d in legacy_auth_blocked.deny with input as _input([p]) with data.posture.config as _config
	d.entity.type == "policy"
	d.msg == "policy 'CA02 Block legacy authentication' leaves legacy authentication open: excludes user alice@contoso.com, who is not a declared break-glass account"
}

test_a_second_policy_can_cover_an_exclusion if {
	contractors := _block({"id": "ca3", "displayName": "CA03 Block legacy for contractors", "conditions": {"users": {"includeUsers": [], "includeGroups": ["g-ext"], "excludeGroups": []}}})
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	legacy_auth_blocked.deny == set() with input as _input([p, contractors]) with data.posture.config as _config
	legacy_auth_blocked.coverage == {"covered": 3, "total": 3} with input as _input([p, contractors])
		with data.posture.config as _config
}

# Each class of legacy sign-ins a narrowed policy leaves open is named.
test_fails_when_the_policy_is_narrowed if {
	p := _block({"conditions": {"platforms": {"includePlatforms": ["android", "iOS"]}, "clientAppTypes": ["exchangeActiveSync"]}})
	{d.msg | some d in legacy_auth_blocked.deny} == {
		"Legacy authentication is not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
		"Exchange ActiveSync client sign-ins on platforms other than android, iOS: no enforced policy requires blocking legacy authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA02 Block legacy authentication' is limited to platforms android, iOS",
		"Other legacy client sign-ins on android, iOS devices: no enforced policy requires blocking legacy authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA02 Block legacy authentication' is limited to client apps exchangeActiveSync (not other)",
		"Other legacy client sign-ins on platforms other than android, iOS: no enforced policy requires blocking legacy authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA02 Block legacy authentication' is limited to client apps exchangeActiveSync (not other), is limited to platforms android, iOS",
	} with input as _input([p])
		with data.posture.config as _config
}

# One policy for Exchange ActiveSync and one for other clients block every legacy sign-in
# together (Microsoft Learn, "Block legacy authentication with Conditional Access"; all policies
# that apply to a sign-in are enforced).
test_passes_when_one_policy_blocks_exchange_activesync_and_another_other_clients if {
	eas := _block({"conditions": {"clientAppTypes": ["exchangeActiveSync"]}})
	other := _block({"id": "ca3", "displayName": "CA03 Block other clients", "conditions": {"clientAppTypes": ["other"]}})
	legacy_auth_blocked.deny == set() with input as _input([eas, other]) with data.posture.config as _config
	legacy_auth_blocked.coverage == {"covered": 3, "total": 3} with input as _input([eas, other]) with data.posture.config as _config
}

test_blocking_every_client_type_counts if {
	p := _block({"conditions": {"clientAppTypes": ["all"]}})
	legacy_auth_blocked.deny == set() with input as _input([p]) with data.posture.config as _config
}

# A country block blocks legacy sign-ins from those countries too; the rest stays open.
test_a_country_block_blocks_legacy_sign_ins_from_its_countries_only if {
	country := _block({"id": "ca9", "displayName": "CA09 Block countries", "conditions": {
		"clientAppTypes": ["all"],
		"locations": {"includeLocations": ["loc-blocked"]},
	}})
	legacy_auth_blocked.deny == fixtures.tagged(
		{
			{
				"msg": "Legacy authentication is not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
				"entity": _tenant,
			},
			{
				"msg": "Exchange ActiveSync or other legacy client sign-ins from locations other than named location loc-blocked: no enforced policy requires blocking legacy authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA09 Block countries' is limited to locations loc-blocked",
				"entity": _tenant,
			},
		},
		_controls,
	) with input as _input([country])
		with data.posture.config as _config
}

test_counts_break_glass_accounts_when_none_are_declared if {
	legacy_auth_blocked.coverage == {"covered": 3, "total": 4} with input as _input([_block({})])
	some d in legacy_auth_blocked.deny with input as _input([_block({})])
	d.msg == "policy 'CA02 Block legacy authentication' leaves legacy authentication open: excludes group 'Emergency Access' (1 user), which is not a declared break-glass group"
}

test_names_at_most_ten_users if {
	many := [{"id": sprintf("m%02d", [i]), "userPrincipalName": sprintf("m%02d@contoso.com", [i]), "accountEnabled": true, "userType": "Member"} | some i in numbers.range(1, 12)]
	snapshot := object.union(_input([_block({"state": "disabled"})]), {"entra": {"users": many}})
	some d in legacy_auth_blocked.deny with input as snapshot
	d.entity.type == "tenant"
	d.msg == "Legacy authentication is not blocked for 12 of 12 enabled member users: m01@contoso.com, m02@contoso.com, m03@contoso.com, m04@contoso.com, m05@contoso.com, m06@contoso.com, m07@contoso.com, m08@contoso.com, m09@contoso.com, m10@contoso.com and 2 more"
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	legacy_auth_blocked.error == {"policy 'CA02 Block legacy authentication' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}

test_works_without_tenant_details_and_optional_keys if {
	snapshot := {"entra": {"users": _users, "conditionalAccessPolicies": []}}
	some d in legacy_auth_blocked.deny with input as snapshot
	d.entity == {"type": "tenant", "id": "", "name": ""}
}

test_security_defaults_break_only_the_cis_control_with_a_warning if {
	snapshot := object.union(_input([]), {"entra": {"securityDefaults": {"isEnabled": true}}})
	legacy_auth_blocked.deny == set() with input as snapshot with data.posture.config as _config
	legacy_auth_blocked.warn == {{
		"msg": "Security defaults are on and block legacy authentication, but no Conditional Access policy blocks it for 3 of 3 enabled member users, which CIS 5.2.2.3 asks for",
		"entity": {"type": "setting", "id": "securityDefaults.isEnabled", "name": "Security defaults"},
		"controls": ["5.2.2.3"],
	}} with input as snapshot with data.posture.config as _config
	legacy_auth_blocked.warn == set() with input as _input([_block({})]) with data.posture.config as _config
}
