package posture.rules.conditionalaccess.sign_in_risk_policy_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.sign_in_risk_policy

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

_e3 := {
	"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "skuPartNumber": "SPE_E3", "capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"}],
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

_risk(changes) := fixtures.ca_policy("ca6", "CA06 Sign-in risk", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}, "signInRiskLevels": ["high", "medium"]}, "sessionControls": {"signInFrequency": {"isEnabled": true, "frequencyInterval": "everyTime", "authenticationType": "primaryAndSecondaryAuthentication"}}}, changes))

_block_high := _risk({
	"id": "ca7", "displayName": "CA07 Block high sign-in risk",
	"conditions": {"signInRiskLevels": ["high"]},
	"grantControls": {"operator": "OR", "builtInControls": ["block"]},
})

_mfa_medium := _risk({"id": "ca8", "displayName": "CA08 MFA at medium sign-in risk", "conditions": {"signInRiskLevels": ["medium"]}})

_msgs(result) := {d.msg | some d in result}

test_passes_when_one_policy_requires_mfa_at_high_and_medium_risk if {
	sign_in_risk_policy.deny == set() with input as _input([_risk({})]) with data.posture.config as _config
	sign_in_risk_policy.coverage == {"covered": 3, "total": 3} with input as _input([_risk({})])
		with data.posture.config as _config
	sign_in_risk_policy.error == set() with input as _input([_risk({})]) with data.posture.config as _config
}

test_passes_when_high_risk_is_blocked_and_medium_risk_requires_mfa if {
	sign_in_risk_policy.deny == set() with input as _input([_block_high, _mfa_medium]) with data.posture.config as _config
	sign_in_risk_policy.coverage == {"covered": 3, "total": 3} with input as _input([_block_high, _mfa_medium])
		with data.posture.config as _config
}

test_passes_with_an_authentication_strength_and_low_risk_included if {
	p := _risk({
		"conditions": {"signInRiskLevels": ["low", "medium", "high"]},
		"grantControls": {"builtInControls": [], "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000002"}},
	})
	sign_in_risk_policy.deny == set() with input as _input([p]) with data.posture.config as _config
}

test_not_applicable_when_the_tenant_lacks_p2 if {
	snapshot := object.union(_input([_risk({})]), {"entra": {"subscribedSkus": [_e3]}})
	sign_in_risk_policy.not_applicable == "Conditional Access on sign-in risk needs the service plan AAD_PREMIUM_P2 (in Enterprise Mobility + Security E5, Microsoft 365 E5, Microsoft Entra ID P2), which the tenant does not have" with input as snapshot
		with data.posture.config as _config
	sign_in_risk_policy.error == set() with input as snapshot with data.posture.config as _config
	not sign_in_risk_policy.coverage with input as snapshot with data.posture.config as _config
}

test_errors_when_subscriptions_are_unknown if {
	sign_in_risk_policy.error == {fixtures.skus_unknown} with input as json.remove(_input([_risk({})]), ["entra/subscribedSkus"])
		with data.posture.config as _config
}

test_fails_when_no_policy_responds_to_sign_in_risk if {
	sign_in_risk_policy.deny == {
		{
			"msg": "No Conditional Access policy blocks access or requires multifactor authentication at high sign-in risk: 3 of 3 enabled member users are unprotected",
			"entity": _tenant,
		},
		{
			"msg": "No Conditional Access policy blocks access or requires multifactor authentication at medium sign-in risk: 3 of 3 enabled member users are unprotected",
			"entity": _tenant,
		},
	} with input as _input([])
		with data.posture.config as _config
	sign_in_risk_policy.coverage == {"covered": 0, "total": 3} with input as _input([]) with data.posture.config as _config
}

test_fails_when_only_high_risk_is_covered if {
	sign_in_risk_policy.deny == {{
		"msg": "No Conditional Access policy blocks access or requires multifactor authentication at medium sign-in risk: 3 of 3 enabled member users are unprotected",
		"entity": _tenant,
	}} with input as _input([_block_high])
		with data.posture.config as _config
	sign_in_risk_policy.coverage == {"covered": 0, "total": 3} with input as _input([_block_high]) with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only if {
	p := _risk({"state": "enabledForReportingButNotEnforced"})
	sign_in_risk_policy.deny == {
		{
			"msg": "Sign-ins at high risk are not blocked or challenged with multifactor authentication for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
		{
			"msg": "Sign-ins at medium risk are not blocked or challenged with multifactor authentication for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
		{
			"msg": "policy 'CA06 Sign-in risk' responds to sign-in risk high, medium but does not count: it is report-only",
			"entity": fixtures.ca_policy_entity("ca6", "CA06 Sign-in risk"),
		},
	} with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_the_grant_offers_an_alternative_to_mfa if {
	p := _risk({"grantControls": {"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}})
	some d in sign_in_risk_policy.deny with input as _input([p]) with data.posture.config as _config
	d.entity.id == "ca6"
	d.msg == "policy 'CA06 Sign-in risk' responds to sign-in risk high, medium but does not count: it lets users satisfy it with compliantDevice instead of blocking access or multifactor authentication (grant: compliantDevice OR mfa)"
}

test_fails_when_a_group_that_is_not_break_glass_is_excluded if {
	p := _risk({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	_msgs(sign_in_risk_policy.deny) == {
		"Sign-ins at high risk are not blocked or challenged with multifactor authentication for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
		"Sign-ins at medium risk are not blocked or challenged with multifactor authentication for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
		"policy 'CA06 Sign-in risk' (sign-in risk high, medium) leaves users unprotected: excludes group 'Contractors' (2 users), which is not a declared break-glass group",
	} with input as _input([p])
		with data.posture.config as _config
	sign_in_risk_policy.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_an_exclusion_covered_at_one_level_is_reported_for_the_other if {
	# Contractors are excluded from the medium policy only; the high policy covers them.
	medium := object.union(_mfa_medium, {"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	_msgs(sign_in_risk_policy.deny) == {
		"Sign-ins at medium risk are not blocked or challenged with multifactor authentication for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
		"policy 'CA08 MFA at medium sign-in risk' (sign-in risk medium) leaves users unprotected: excludes group 'Contractors' (2 users), which is not a declared break-glass group",
	} with input as _input([_block_high, medium])
		with data.posture.config as _config
	sign_in_risk_policy.coverage == {"covered": 1, "total": 3} with input as _input([_block_high, medium]) with data.posture.config as _config
}

test_fails_when_another_condition_narrows_the_policy if {
	p := _risk({"conditions": {"userRiskLevels": ["high"], "platforms": {"includePlatforms": ["windows"]}}})
	some d in sign_in_risk_policy.deny with input as _input([p]) with data.posture.config as _config
	d.entity == fixtures.tenant_entity
	d.msg == "Sign-ins on windows devices at sign-in risk high at user risk low, medium, none: no enforced policy requires blocking access or multifactor authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA06 Sign-in risk' applies only at user risk high"
}

test_fails_when_the_policy_has_no_grant_or_conditions if {
	p := object.union(_risk({}), {"grantControls": null})
	some d in sign_in_risk_policy.deny with input as _input([p]) with data.posture.config as _config
	d.msg == "policy 'CA06 Sign-in risk' responds to sign-in risk high, medium but does not count: it has no grant controls"
	q := object.union(_risk({}), {"conditions": null})
	_msgs(sign_in_risk_policy.deny) == {
		"No Conditional Access policy blocks access or requires multifactor authentication at high sign-in risk: 3 of 3 enabled member users are unprotected",
		"No Conditional Access policy blocks access or requires multifactor authentication at medium sign-in risk: 3 of 3 enabled member users are unprotected",
	} with input as _input([q])
		with data.posture.config as _config
}

test_a_policy_without_a_sign_in_risk_condition_does_not_count if {
	p := _risk({"conditions": {"signInRiskLevels": []}})
	sign_in_risk_policy.coverage == {"covered": 0, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _risk({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	sign_in_risk_policy.error == {"policy 'CA06 Sign-in risk' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}
