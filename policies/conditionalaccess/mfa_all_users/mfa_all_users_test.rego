package posture.rules.conditionalaccess.mfa_all_users_test

import data.posture.rules.conditionalaccess.mfa_all_users

import data.posture.lib.fixtures

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.guest("u4", "guest@fabrikam.com"),
	fixtures.disabled("u5", "left@contoso.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_input(policies) := object.union(
	fixtures.tenant({
		"securityDefaults": {"isEnabled": false},
		"users": _users,
		"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
		"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
		"roleAssignments": [],
		"conditionalAccessPolicies": policies,
	}),
	{"sources": {"entra.conditionalAccessPolicies": {"status": "ok"}}},
)

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_controls := ["MS.AAD.3.2v2", "5.2.2.2"]

_tenant := fixtures.tenant_entity

_ca1 := fixtures.ca_policy_entity("ca1", "CA01 Require MFA for all users")

_mfa(changes) := fixtures.ca_policy("ca1", "CA01 Require MFA for all users", object.union(fixtures.ca_users({"excludeGroups": ["g-bg"]}), changes))

test_passes_when_an_enabled_policy_requires_mfa_for_everyone_but_break_glass if {
	mfa_all_users.deny == set() with input as _input([_mfa({})]) with data.posture.config as _config
	mfa_all_users.coverage == {"covered": 3, "total": 3} with input as _input([_mfa({})]) with data.posture.config as _config
	mfa_all_users.error == set() with input as _input([_mfa({})]) with data.posture.config as _config
}

test_passes_when_security_defaults_are_enabled if {
	snapshot := object.union(_input([]), {"entra": {"securityDefaults": {"isEnabled": true}}})
	mfa_all_users.deny == set() with input as snapshot with data.posture.config as _config
	mfa_all_users.coverage == {"covered": 3, "total": 3} with input as snapshot with data.posture.config as _config
}

test_security_defaults_break_the_framework_controls_with_a_warning if {
	snapshot := object.union(_input([]), {"entra": {"securityDefaults": {"isEnabled": true}}})
	mfa_all_users.warn == {{
		"msg": "Security defaults are on, which posture accepts, but they ask users for multifactor authentication only when Microsoft deems a sign-in risky: no Conditional Access policy requires it at every sign-in for 3 of 3 enabled member users, which CISA SCuBA MS.AAD.3.2v2 and CIS 5.2.2.2 require",
		"entity": {"type": "setting", "id": "securityDefaults.isEnabled", "name": "Security defaults"},
		"controls": _controls,
	}} with input as snapshot with data.posture.config as _config
	mfa_all_users.warn == set() with input as _input([_mfa({})]) with data.posture.config as _config
}

test_fails_when_no_policy_requires_mfa if {
	mfa_all_users.deny == fixtures.tagged(
		{{
			"msg": "Multifactor authentication is not required by Conditional Access for 3 of 3 enabled member users (no policy requires it): alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		}},
		_controls,
	) with input as _input([])
		with data.posture.config as _config
	mfa_all_users.coverage == {"covered": 0, "total": 3} with input as _input([]) with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only if {
	p := _mfa({"state": "enabledForReportingButNotEnforced"})
	mfa_all_users.deny == fixtures.tagged(
		{
			{
				"msg": "policy 'CA01 Require MFA for all users' does not count towards requiring multifactor authentication: it is report-only",
				"entity": _ca1,
			},
			{
				"msg": "Multifactor authentication is not required by Conditional Access for 3 of 3 enabled member users (none of the policies that ask for it counts): alice@contoso.com, bob@contoso.com, carol@contoso.com",
				"entity": _tenant,
			},
		},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_a_group_that_is_not_break_glass_is_excluded if {
	p := _mfa({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	mfa_all_users.deny == fixtures.tagged(
		{
			{
				"msg": "policy 'CA01 Require MFA for all users' requires multifactor authentication but excludes group 'Contractors' (2 users), which is not a declared break-glass group",
				"entity": _ca1,
			},
			{
				"msg": "Multifactor authentication is not required by Conditional Access for 2 of 3 enabled member users (the enforced policies that require it exclude them or do not include them): bob@contoso.com, carol@contoso.com",
				"entity": _tenant,
			},
		},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
	mfa_all_users.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_names_a_user_exclusion_that_is_not_break_glass if {
	p := _mfa({"conditions": {"users": {"excludeUsers": ["u1"]}}})
	some d in mfa_all_users.deny with input as _input([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Require MFA for all users' requires multifactor authentication but excludes user alice@contoso.com, who is not a declared break-glass account"
}

test_a_second_policy_can_cover_an_exclusion if {
	p := _mfa({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	contractors := _mfa({"id": "ca2", "displayName": "CA02 MFA for contractors", "conditions": {"users": {"includeUsers": [], "includeGroups": ["g-ext"], "excludeGroups": []}}})
	mfa_all_users.deny == set() with input as _input([p, contractors]) with data.posture.config as _config
	mfa_all_users.coverage == {"covered": 3, "total": 3} with input as _input([p, contractors]) with data.posture.config as _config
}

test_fails_when_the_grant_offers_an_alternative_to_mfa if {
	p := _mfa({"grantControls": {"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}})
	some d in mfa_all_users.deny with input as _input([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Require MFA for all users' does not count towards requiring multifactor authentication: it lets users satisfy it with compliantDevice instead of multifactor authentication (grant: compliantDevice OR mfa)"
}

# A narrowed policy leaves three classes of sign-ins uncovered; each is named with how the policy
# misses it.
test_names_every_class_a_narrowed_policy_leaves_uncovered if {
	p := _mfa({"conditions": {
		"applications": {"includeApplications": ["Office365"]},
		"platforms": {"includePlatforms": ["android", "iOS"]},
	}})
	{d.msg | some d in mfa_all_users.deny} == {
		"Multifactor authentication is not required by Conditional Access for 3 of 3 enabled member users (no enforced policy that requires it applies to sign-ins to Office 365 on platforms other than android, iOS (and 2 more classes of sign-ins)): alice@contoso.com, bob@contoso.com, carol@contoso.com",
		"Sign-ins to Office 365 on platforms other than android, iOS: no enforced policy requires multifactor authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA01 Require MFA for all users' is limited to platforms android, iOS",
		"Sign-ins to resources other than Office 365 on android, iOS devices: no enforced policy requires multifactor authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA01 Require MFA for all users' targets only selected resources (Office365)",
		"Sign-ins to resources other than Office 365 on platforms other than android, iOS: no enforced policy requires multifactor authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA01 Require MFA for all users' is limited to platforms android, iOS, targets only selected resources (Office365)",
	} with input as _input([p])
		with data.posture.config as _config
}

# Complementary policies add up (Microsoft Learn, "What is Conditional Access?": "all policies
# that apply must be satisfied"): one for modern clients and one for legacy clients, or one for
# Office 365 and one for all resources except Office 365, cover every sign-in.
test_passes_when_complementary_policies_cover_every_sign_in if {
	modern := _mfa({"conditions": {"clientAppTypes": ["browser", "mobileAppsAndDesktopClients"]}})
	legacy := _mfa({"id": "ca2", "displayName": "CA02 legacy", "conditions": {"clientAppTypes": ["exchangeActiveSync", "other"]}})
	mfa_all_users.deny == set() with input as _input([modern, legacy]) with data.posture.config as _config
	o365 := _mfa({"conditions": {"applications": {"includeApplications": ["Office365"]}}})
	rest := _mfa({"id": "ca2", "displayName": "CA02 rest", "conditions": {"applications": {"includeApplications": ["All"], "excludeApplications": ["Office365"]}}})
	mfa_all_users.deny == set() with input as _input([o365, rest]) with data.posture.config as _config
	mfa_all_users.coverage == {"covered": 3, "total": 3} with input as _input([o365, rest]) with data.posture.config as _config
}

test_says_when_no_counting_policy_includes_all_users if {
	contractors := _mfa({"id": "ca2", "displayName": "CA02 MFA for contractors", "conditions": {"users": {"includeUsers": [], "includeGroups": ["g-ext"], "excludeGroups": []}}})
	mfa_all_users.deny == fixtures.tagged(
		{{
			"msg": "Multifactor authentication is not required by Conditional Access for 1 of 3 enabled member users (no enforced policy that requires it includes All users): alice@contoso.com",
			"entity": _tenant,
		}},
		_controls,
	) with input as _input([contractors])
		with data.posture.config as _config
}

test_a_group_policy_is_not_charged_for_exclusions_of_users_it_never_included if {
	# CA02 covers Contractors except carol; alice is outside its scope, not excluded by it.
	p := _mfa({"id": "ca2", "displayName": "CA02 MFA for contractors", "conditions": {"users": {"includeUsers": [], "includeGroups": ["g-ext"], "excludeUsers": ["u1", "u3"], "excludeGroups": []}}})
	{d.msg | some d in mfa_all_users.deny} == {
		"policy 'CA02 MFA for contractors' requires multifactor authentication but excludes user carol@contoso.com, who is not a declared break-glass account",
		"Multifactor authentication is not required by Conditional Access for 2 of 3 enabled member users (no enforced policy that requires it includes All users): alice@contoso.com, carol@contoso.com",
	} with input as _input([p])
		with data.posture.config as _config
}

test_names_at_most_max_named_users if {
	cfg := object.union(_config, {"maxNamedUsers": 2})
	some d in mfa_all_users.deny with input as _input([]) with data.posture.config as cfg
	d.msg == "Multifactor authentication is not required by Conditional Access for 3 of 3 enabled member users (no policy requires it): alice@contoso.com, bob@contoso.com and 1 more"
}

test_counts_break_glass_accounts_when_none_are_declared if {
	mfa_all_users.coverage == {"covered": 3, "total": 4} with input as _input([_mfa({})])
	some d in mfa_all_users.deny with input as _input([_mfa({})])
	d.msg == "policy 'CA01 Require MFA for all users' requires multifactor authentication but excludes group 'Emergency Access' (1 user), which is not a declared break-glass group"
}

test_says_so_when_conditional_access_is_unlicensed if {
	snapshot := object.union(_input([]), {"sources": {"entra.conditionalAccessPolicies": {"status": "unlicensed"}}})
	some d in mfa_all_users.deny with input as snapshot with data.posture.config as _config
	d.entity == _tenant
	d.msg == "The tenant has no Conditional Access (entra.conditionalAccessPolicies is unlicensed: it needs Microsoft Entra ID P1), so no policy can require multifactor authentication"
}

test_fails_when_the_security_defaults_flag_is_null if {
	snapshot := object.union(_input([]), {"entra": {"securityDefaults": {"isEnabled": null}}})
	count(mfa_all_users.deny) == 1 with input as snapshot with data.posture.config as _config
	mfa_all_users.coverage == {"covered": 0, "total": 3} with input as snapshot with data.posture.config as _config
}

test_fails_when_the_policy_has_no_conditions if {
	p := object.union(_mfa({}), {"conditions": null})
	mfa_all_users.coverage == {"covered": 0, "total": 3} with input as _input([p]) with data.posture.config as _config
	some d in mfa_all_users.deny with input as _input([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Require MFA for all users' does not count towards requiring multifactor authentication: it targets no resources, targets no users"
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _mfa({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	mfa_all_users.error == {"policy 'CA01 Require MFA for all users' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}

test_works_without_tenant_details_and_optional_keys if {
	snapshot := {"entra": {"users": _users, "conditionalAccessPolicies": []}}
	some d in mfa_all_users.deny with input as snapshot
	d.entity == {"type": "tenant", "id": "", "name": ""}
}
