package posture.rules.conditionalaccess.user_risk_policy_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.user_risk_policy

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.guest("u4", "guest@fabrikam.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_e5 := {
	"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "skuPartNumber": "SPE_E5", "capabilityStatus": "Enabled",
	"servicePlans": [
		{"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"},
		{"servicePlanId": "eec0eb4f-6444-4f95-aba0-50c24d67f998", "servicePlanName": "AAD_PREMIUM_P2", "provisioningStatus": "Success"},
	],
}

_input(policies) := {
	"tenant": {"id": "t1", "displayName": "Contoso"},
	"entra": {
		"subscribedSkus": [_e5],
		"users": _users,
		"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
		"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
		"roleAssignments": [],
		"conditionalAccessPolicies": policies,
	},
}

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_tenant := fixtures.tenant_entity

_entity := fixtures.ca_policy_entity("ca8", "CA08 High user risk: secure password change")

_risk(changes) := fixtures.ca_policy("ca8", "CA08 High user risk: secure password change", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}, "userRiskLevels": ["high"]}, "grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}}, changes))

_msgs(result) := {d.msg | some d in result}

test_passes_when_high_risk_users_must_change_their_password_with_mfa if {
	user_risk_policy.deny == set() with input as _input([_risk({})]) with data.posture.config as _config
	user_risk_policy.coverage == {"covered": 3, "total": 3} with input as _input([_risk({})])
		with data.posture.config as _config
	user_risk_policy.error == set() with input as _input([_risk({})]) with data.posture.config as _config
}

test_passes_when_high_risk_users_are_blocked if {
	p := _risk({"conditions": {"userRiskLevels": ["medium", "high"]}, "grantControls": {"operator": "OR", "builtInControls": ["block"]}})
	user_risk_policy.deny == set() with input as _input([p]) with data.posture.config as _config
}

test_passes_with_an_authentication_strength_and_risk_remediation if {
	strength := {"id": "00000000-0000-0000-0000-000000000002", "requirementsSatisfied": "mfa"}
	password := _risk({"grantControls": {"builtInControls": ["passwordChange"], "authenticationStrength": strength}})
	remediation := _risk({"grantControls": {"builtInControls": ["riskRemediation"], "authenticationStrength": strength}})
	user_risk_policy.deny == set() with input as _input([password]) with data.posture.config as _config
	user_risk_policy.deny == set() with input as _input([remediation]) with data.posture.config as _config
}

_unlicensed := "Conditional Access on user risk needs the service plan AAD_PREMIUM_P2 (in Enterprise Mobility + Security E5, Microsoft 365 E5, Microsoft Entra ID P2), which the tenant does not have"

test_not_applicable_when_the_tenant_lacks_p2 if {
	snapshot := object.union(_input([_risk({})]), {"entra": {"subscribedSkus": fixtures.e3_skus}})
	user_risk_policy.not_applicable == _unlicensed with input as snapshot with data.posture.config as _config
	user_risk_policy.error == set() with input as snapshot with data.posture.config as _config
	not user_risk_policy.coverage with input as snapshot with data.posture.config as _config
}

test_not_applicable_when_subscriptions_are_suspended if {
	suspended := object.union(_e5, {"capabilityStatus": "Suspended"})
	snapshot := object.union(_input([_risk({})]), {"entra": {"subscribedSkus": [suspended]}})
	user_risk_policy.not_applicable == _unlicensed with input as snapshot with data.posture.config as _config
}

test_errors_when_subscriptions_are_unknown if {
	user_risk_policy.error == {fixtures.skus_unknown} with input as json.remove(_input([_risk({})]), ["entra/subscribedSkus"])
		with data.posture.config as _config
}

test_fails_when_no_policy_responds_to_user_risk if {
	user_risk_policy.deny == {{
		"msg": "No Conditional Access policy blocks access or requires a secure password change at high user risk: 3 of 3 enabled member users are unprotected",
		"entity": _tenant,
	}} with input as _input([])
		with data.posture.config as _config
	user_risk_policy.coverage == {"covered": 0, "total": 3} with input as _input([]) with data.posture.config as _config
}

test_fails_when_mfa_alone_is_enough if {
	p := _risk({"grantControls": {"operator": "OR", "builtInControls": ["mfa", "passwordChange"]}})
	user_risk_policy.deny == {
		{
			"msg": "High-risk users are not blocked or made to change their password for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
		{
			"msg": "policy 'CA08 High user risk: secure password change' responds to high user risk but does not count: it neither blocks access nor requires a password change together with multifactor authentication (grant: mfa OR passwordChange)",
			"entity": _entity,
		},
	} with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_the_policy_only_applies_at_medium_risk if {
	p := _risk({"conditions": {"userRiskLevels": ["medium"]}})
	user_risk_policy.deny == {{
		"msg": "No Conditional Access policy blocks access or requires a secure password change at high user risk: 3 of 3 enabled member users are unprotected",
		"entity": _tenant,
	}} with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only_or_narrowed if {
	p := _risk({"state": "enabledForReportingButNotEnforced", "conditions": {
		"signInRiskLevels": ["high"],
		"applications": {"excludeApplications": ["00000003-0000-0ff1-ce00-000000000000"]},
	}})
	some d in user_risk_policy.deny with input as _input([p]) with data.posture.config as _config
	d.entity == _entity
	d.msg == "policy 'CA08 High user risk: secure password change' responds to high user risk but does not count: it is report-only"
}

test_fails_when_a_group_that_is_not_break_glass_is_excluded if {
	p := _risk({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	user_risk_policy.deny == {
		{
			"msg": "High-risk users are not blocked or made to change their password for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
		{
			"msg": "policy 'CA08 High user risk: secure password change' leaves high-risk users unprotected: excludes group 'Contractors' (2 users), which is not a declared break-glass group",
			"entity": _entity,
		},
	} with input as _input([p])
		with data.posture.config as _config
	user_risk_policy.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_fails_when_the_policy_has_no_grant_controls if {
	p := object.union(_risk({}), {"grantControls": null})
	some d in user_risk_policy.deny with input as _input([p]) with data.posture.config as _config
	d.msg == "policy 'CA08 High user risk: secure password change' responds to high user risk but does not count: it has no grant controls"
}

test_a_policy_with_null_conditions_does_not_count if {
	p := object.union(_risk({}), {"conditions": null})
	user_risk_policy.coverage == {"covered": 0, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _risk({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	user_risk_policy.error == {"policy 'CA08 High user risk: secure password change' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}
