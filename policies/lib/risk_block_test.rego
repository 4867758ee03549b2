package posture.lib.risk_block_test

import data.posture.lib.fixtures
import data.posture.lib.risk_block

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_input(skus, policies) := fixtures.tenant({
	"subscribedSkus": skus,
	"users": _users,
	"groups": [fixtures.group("g-bg", "Emergency Access")],
	"groupMembers": {"g-bg": ["bg1"]},
	"roleAssignments": [],
	"conditionalAccessPolicies": policies,
})

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_policy(id, key, levels, controls) := fixtures.ca_policy(id, sprintf("CA %s", [id]), {
	"conditions": object.union({"users": {"excludeGroups": ["g-bg"]}}, {key: levels}),
	"grantControls": {"operator": "OR", "builtInControls": controls},
})

_user_block := _policy("ca1", "userRiskLevels", ["high"], ["block"])

test_candidates_are_the_policies_with_high_in_the_risk_condition if {
	policies := [_user_block, _policy("ca2", "userRiskLevels", ["medium"], ["block"]), _policy("ca3", "signInRiskLevels", ["high"], ["block"])]
	{p.id | some p in risk_block.candidates("userRiskLevels")} == {"ca1"} with input as _input([fixtures.p2_sku], policies)
	{p.id | some p in risk_block.candidates("signInRiskLevels")} == {"ca3"} with input as _input([fixtures.p2_sku], policies)
}

test_a_blocking_policy_covers_every_member_but_break_glass if {
	ev := risk_block.evaluation("userRiskLevels") with input as _input([fixtures.p2_sku], [_user_block]) with data.posture.config as _config
	risk_block.uncovered(ev) == set() with input as _input([fixtures.p2_sku], [_user_block]) with data.posture.config as _config
	risk_block.coverage_of(ev) == {"covered": 2, "total": 2} with input as _input([fixtures.p2_sku], [_user_block]) with data.posture.config as _config
}

test_a_password_change_is_a_shortfall_not_a_block if {
	p := _policy("ca1", "userRiskLevels", ["high"], ["passwordChange"])
	ev := risk_block.evaluation("userRiskLevels") with input as _input([fixtures.p2_sku], [p]) with data.posture.config as _config
	risk_block.uncovered(ev) == {"u1", "u2"} with input as _input([fixtures.p2_sku], [p]) with data.posture.config as _config
	count(risk_block.shortfalls(p, "userRiskLevels")) > 0 with input as _input([fixtures.p2_sku], [p]) with data.posture.config as _config
}

test_not_applicable_without_p2_naming_the_plan_and_scubagear if {
	reason := risk_block.not_applicable("userRiskLevels", "MS.AAD.2.1v1") with input as _input(fixtures.e3_skus, [_user_block])
	contains(reason, "AAD_PREMIUM_P2")
	endswith(reason, "(ScubaGear fails MS.AAD.2.1v1 without it)")
	not risk_block.not_applicable("userRiskLevels", "MS.AAD.2.1v1") with input as _input([fixtures.p2_sku], [_user_block])
}

test_errors_when_subscriptions_are_unknown if {
	ev := risk_block.evaluation("userRiskLevels") with input as _input(null, [_user_block]) with data.posture.config as _config
	fixtures.skus_unknown in risk_block.errors(ev) with input as _input(null, [_user_block]) with data.posture.config as _config
}
