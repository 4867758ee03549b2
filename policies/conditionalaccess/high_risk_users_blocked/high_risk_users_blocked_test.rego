package posture.rules.conditionalaccess.high_risk_users_blocked_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.high_risk_users_blocked as rule

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.guest("u4", "guest@fabrikam.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_p2 := {
	"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "skuPartNumber": "SPE_E5", "capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": "eec0eb4f-6444-4f95-aba0-50c24d67f998", "servicePlanName": "AAD_PREMIUM_P2", "provisioningStatus": "Success"}],
}

_input(skus, policies) := fixtures.tenant({
	"subscribedSkus": skus,
	"users": _users,
	"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
	"roleAssignments": [],
	"conditionalAccessPolicies": policies,
})

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_name := "CA11 Block high-risk users"

_block(changes) := fixtures.ca_policy("ca11", _name, object.union(
	{
		"conditions": {"users": {"excludeGroups": ["g-bg"]}, "userRiskLevels": ["high"]},
		"grantControls": {"builtInControls": ["block"]},
	},
	changes,
))

test_passes_when_an_enabled_policy_blocks_high_risk_users if {
	rule.deny == set() with input as _input([_p2], [_block({})]) with data.posture.config as _config
	rule.coverage == {"covered": 3, "total": 3} with input as _input([_p2], [_block({})]) with data.posture.config as _config
	rule.error == set() with input as _input([_p2], [_block({})]) with data.posture.config as _config
}

test_passes_when_the_policy_also_blocks_medium_risk if {
	p := _block({"conditions": {"userRiskLevels": ["medium", "high"]}})
	rule.deny == set() with input as _input([_p2], [p]) with data.posture.config as _config
}

test_fails_when_high_risk_users_only_change_their_password if {
	p := _block({"grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}})
	rule.deny == {
		{
			"msg": "policy 'CA11 Block high-risk users' responds to high user risk but does not block it: it does not require blocking access (grant: mfa AND passwordChange)",
			"entity": fixtures.ca_policy_entity("ca11", _name),
		},
		{
			"msg": "High-risk users are not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": fixtures.tenant_entity,
		},
	} with input as _input([_p2], [p])
		with data.posture.config as _config
	rule.coverage == {"covered": 0, "total": 3} with input as _input([_p2], [p]) with data.posture.config as _config
}

test_fails_when_no_policy_responds_to_user_risk if {
	rule.deny == {{
		"msg": "No Conditional Access policy blocks access at high user risk: 3 of 3 enabled member users are not blocked",
		"entity": fixtures.tenant_entity,
	}} with input as _input([_p2], [])
		with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only_or_narrowed if {
	p := _block({"state": "enabledForReportingButNotEnforced", "conditions": {"platforms": {"includePlatforms": ["android"]}}})
	some d in rule.deny with input as _input([_p2], [p]) with data.posture.config as _config
	d.msg == "policy 'CA11 Block high-risk users' responds to high user risk but does not block it: it is report-only"
}

# A policy for one platform leaves every other platform's high-risk sign-ins open; a second
# policy for the other platforms completes it (Microsoft Learn, "Conditional Access: Conditions",
# device platforms; all policies that apply are enforced).
test_names_the_platforms_a_narrowed_policy_leaves_open if {
	p := _block({"conditions": {"platforms": {"includePlatforms": ["android"]}}})
	fixtures.msgs(rule.deny) == {
		"High-risk users are not blocked for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
		"Sign-ins on platforms other than android at user risk high: no enforced policy requires blocking access for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA11 Block high-risk users' is limited to platforms android",
	} with input as _input([_p2], [p])
		with data.posture.config as _config
	q := _block({"id": "ca12", "conditions": {"platforms": {"includePlatforms": ["all"], "excludePlatforms": ["android"]}}})
	rule.deny == set() with input as _input([_p2], [p, q]) with data.posture.config as _config
}

test_fails_for_an_exclusion_that_is_not_break_glass if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	fixtures.msgs(rule.deny) == {
		"policy 'CA11 Block high-risk users' blocks access at high user risk but excludes group 'Contractors' (2 users), which is not a declared break-glass group",
		"High-risk users are not blocked for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
	} with input as _input([_p2], [p])
		with data.posture.config as _config
	rule.coverage == {"covered": 1, "total": 3} with input as _input([_p2], [p]) with data.posture.config as _config
}

test_not_applicable_without_entra_id_p2 if {
	every skus in [[], fixtures.e3_skus] {
		rule.not_applicable == "Conditional Access on user risk needs the service plan AAD_PREMIUM_P2 (in Enterprise Mobility + Security E5, Microsoft 365 E5, Microsoft Entra ID P2), which the tenant does not have (ScubaGear fails MS.AAD.2.1v1 without it)" with input as _input(skus, [_block({})])
			with data.posture.config as _config
		rule.error == set() with input as _input(skus, [_block({})]) with data.posture.config as _config
		not rule.coverage with input as _input(skus, [_block({})]) with data.posture.config as _config
	}
}

test_errors_when_subscriptions_are_unknown if {
	rule.error == {fixtures.skus_unknown} with input as json.remove(_input([], [_block({})]), ["entra/subscribedSkus"])
		with data.posture.config as _config
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	rule.error == {"policy 'CA11 Block high-risk users' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([_p2], [p])
		with data.posture.config as _config
}
