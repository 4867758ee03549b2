package posture.rules.conditionalaccess.phishing_resistant_mfa_admins_test

import data.posture.rules.conditionalaccess.phishing_resistant_mfa_admins as rule

import data.posture.lib.fixtures

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_phishing_resistant := {
	"id": "00000000-0000-0000-0000-000000000004",
	"displayName": "Phishing-resistant MFA",
	"requirementsSatisfied": "mfa",
	"allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.disabled("u4", "gone@contoso.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

# alice: active GA; bob: eligible Exchange Administrator through group g-ops; carol: Global
# Reader only (not privileged); gone: disabled GA; bg1: break-glass GA.
_entra(policies) := {
	"securityDefaults": {"id": "00000000-0000-0000-0000-000000000000", "isEnabled": false},
	"users": _users,
	"groups": [fixtures.group("g-ops", "Ops"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-ops": ["u2"], "g-ext": ["u1", "u3"]},
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "u3", fixtures.global_reader),
		fixtures.assignment("a3", "u4", _ga),
		fixtures.assignment("a4", "bg1", _ga),
	],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "g-ops", _exo)],
	"conditionalAccessPolicies": policies,
}

_config := {"breakGlass": {"users": ["bg1@contoso.onmicrosoft.com"]}}

_controls := ["MS.AAD.3.6v1", "5.2.2.5"]

_ca1 := fixtures.ca_policy_entity("ca1", "CA01 Phishing-resistant MFA for admins")

_alice := fixtures.user_entity("u1", "alice@contoso.com")

_bob := fixtures.user_entity("u2", "bob@contoso.com")

_policy(changes) := fixtures.ca_policy("ca1", "CA01 Phishing-resistant MFA for admins", object.union(
	{
		"conditions": {"users": {"includeUsers": [], "includeRoles": [_ga, _exo], "excludeUsers": ["bg1"]}},
		"grantControls": {"builtInControls": [], "authenticationStrength": _phishing_resistant},
	},
	changes,
))

_msgs(result) := {d.msg | some d in result}

test_passes_when_an_enabled_policy_requires_phishing_resistant_mfa_for_all_admin_roles if {
	rule.deny == set() with input.entra as _entra([_policy({})]) with data.posture.config as _config
	rule.coverage == {"covered": 2, "total": 2} with input.entra as _entra([_policy({})]) with data.posture.config as _config
	rule.error == set() with input.entra as _entra([_policy({})]) with data.posture.config as _config
}

test_passes_with_a_custom_strength_of_phishing_resistant_methods_only if {
	p := _policy({"grantControls": {"authenticationStrength": {"id": "custom-1", "displayName": "Keys only", "allowedCombinations": ["fido2"]}}})
	rule.deny == set() with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_with_security_defaults_alone if {
	entra := object.union(_entra([]), {"securityDefaults": {"isEnabled": true}})
	rule.deny == fixtures.tagged(
		{
			{
				"msg": "Security defaults are on, but they do not require phishing-resistant multifactor authentication; the Conditional Access policies that can require it need security defaults turned off",
				"entity": {"type": "setting", "id": "securityDefaults.isEnabled", "name": "Security defaults"},
			},
			{
				"msg": "alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: no policy requires it",
				"entity": _alice,
			},
			{
				"msg": "bob@contoso.com (Exchange Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: no policy requires it",
				"entity": _bob,
			},
		},
		_controls,
	) with input.entra as entra
		with data.posture.config as _config
	rule.coverage == {"covered": 0, "total": 2} with input.entra as entra with data.posture.config as _config
}

test_fails_when_the_policy_only_requires_plain_mfa if {
	p := _policy({"grantControls": {"builtInControls": ["mfa"], "authenticationStrength": null}})
	_msgs(rule.deny) == {
		"alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: no policy requires it",
		"bob@contoso.com (Exchange Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: no policy requires it",
	} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_names_a_weaker_authentication_strength if {
	p := _policy({"grantControls": {"authenticationStrength": {
		"id": "00000000-0000-0000-0000-000000000002",
		"displayName": "Multifactor authentication",
		"requirementsSatisfied": "mfa",
		"allowedCombinations": ["fido2", "password,microsoftAuthenticatorPush", "password,sms"],
	}}})
	rule.deny == fixtures.tagged(
		{
			{
				"msg": "policy 'CA01 Phishing-resistant MFA for admins' does not count towards requiring phishing-resistant multifactor authentication: it requires authentication strength 'Multifactor authentication', which allows methods that are not phishing-resistant (password,microsoftAuthenticatorPush; password,sms)",
				"entity": _ca1,
			},
			{
				"msg": "alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' requires authentication strength 'Multifactor authentication', which allows methods that are not phishing-resistant (password,microsoftAuthenticatorPush; password,sms)",
				"entity": _alice,
			},
			{
				"msg": "bob@contoso.com (Exchange Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' requires authentication strength 'Multifactor authentication', which allows methods that are not phishing-resistant (password,microsoftAuthenticatorPush; password,sms)",
				"entity": _bob,
			},
		},
		_controls,
	) with input.entra as _entra([p])
		with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only if {
	p := _policy({"state": "enabledForReportingButNotEnforced"})
	some d in rule.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Phishing-resistant MFA for admins' does not count towards requiring phishing-resistant multifactor authentication: it is report-only"
	rule.coverage == {"covered": 0, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_when_the_grant_offers_plain_mfa_as_an_alternative if {
	p := _policy({"grantControls": {"builtInControls": ["mfa"]}})
	some d in rule.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Phishing-resistant MFA for admins' does not count towards requiring phishing-resistant multifactor authentication: it lets users satisfy it with mfa instead of phishing-resistant multifactor authentication (grant: mfa OR phishingResistantAuthenticationStrength)"
}

test_fails_for_the_admin_a_group_exclusion_leaves_out if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-ext"]}}})
	rule.deny == fixtures.tagged(
		{{
			"msg": "alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' excludes alice@contoso.com through group 'Contractors'",
			"entity": _alice,
		}},
		_controls,
	) with input.entra as _entra([p])
		with data.posture.config as _config
	rule.coverage == {"covered": 1, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_for_the_admin_a_role_targeted_policy_does_not_include if {
	p := _policy({"conditions": {"users": {"includeRoles": [_ga]}}})
	_msgs(rule.deny) == {"bob@contoso.com (Exchange Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' does not include bob@contoso.com"} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_an_all_users_policy_covers_admins if {
	p := _policy({"conditions": {"users": {"includeUsers": ["All"], "includeRoles": []}}})
	rule.deny == set() with input.entra as _entra([p]) with data.posture.config as _config
}

test_lists_at_most_max_listed_users_admins if {
	cfg := object.union(_config, {"maxListedUsers": 1})
	rule.deny == fixtures.tagged(
		{
			{
				"msg": "alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: no policy requires it",
				"entity": _alice,
			},
			{
				"msg": "1 more admins are not required to use phishing-resistant multifactor authentication (only the first 1 are listed; raise parameter maxListedUsers to list more)",
				"entity": {"type": "tenant", "id": "", "name": ""},
			},
		},
		_controls,
	) with input.entra as _entra([])
		with data.posture.config as cfg
}

test_counts_the_break_glass_admin_when_no_break_glass_is_declared if {
	rule.coverage == {"covered": 2, "total": 3} with input.entra as _entra([_policy({})])
	_msgs(rule.deny) == {"bg1@contoso.onmicrosoft.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' excludes bg1@contoso.onmicrosoft.com directly"} with input.entra as _entra([_policy({})])
}

test_has_no_coverage_when_there_are_no_admins if {
	entra := object.union(_entra([]), {"roleAssignments": [], "roleEligibilitySchedules": []})
	not rule.coverage with input.entra as entra
	rule.deny == set() with input.entra as entra
}

test_fails_when_the_strength_has_no_known_methods if {
	p := _policy({"grantControls": {"authenticationStrength": {"id": "custom-2", "displayName": null, "allowedCombinations": null}}})
	some d in rule.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Phishing-resistant MFA for admins' does not count towards requiring phishing-resistant multifactor authentication: it requires authentication strength 'custom-2', whose allowed methods are not in the snapshot"
}

test_fails_when_the_grant_controls_are_null if {
	p := object.union(_policy({}), {"grantControls": null})
	rule.coverage == {"covered": 0, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
	count(rule.deny) == 2 with input.entra as _entra([p]) with data.posture.config as _config
}

test_errors_when_a_privileged_role_is_held_through_an_uncollected_group if {
	entra := object.union(object.remove(_entra([_policy({})]), ["groupMembers"]), {"groupMembers": {"g-ext": []}})
	rule.error == {
		"Exchange Administrator is assigned to group 'Ops' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked",
		"policy 'CA01 Phishing-resistant MFA for admins' includes role 'Exchange Administrator', which is assigned to group 'Ops' whose members are not in the snapshot (entra.groupMembers)",
	} with input.entra as entra
		with data.posture.config as _config
}

test_a_holder_of_a_role_scuba_does_not_count_as_highly_privileged_breaks_only_cis if {
	# carol becomes Helpdesk Administrator, which posture counts and SCuBA does not.
	entra := object.union(_entra([_policy({})]), {"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "u3", fixtures.helpdesk_admin),
		fixtures.assignment("a4", "bg1", _ga),
	]})
	rule.deny == {{
		"msg": "carol@contoso.com (Helpdesk Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' does not include carol@contoso.com",
		"entity": fixtures.user_entity("u3", "carol@contoso.com"),
		"controls": ["5.2.2.5"],
	}} with input.entra as entra
		with data.posture.config as _config
}

test_a_scuba_role_left_out_of_privileged_roles_still_breaks_the_scuba_control if {
	# The organization's privilegedRoles leave out Exchange Administrator, which SCuBA names.
	cfg := object.union(_config, {"privilegedRoles": [_ga]})
	p := _policy({"conditions": {"users": {"includeRoles": [_ga]}}})
	rule.deny == set() with input.entra as _entra([p]) with data.posture.config as cfg
	rule.warn == {{
		"msg": "bob@contoso.com (Exchange Administrator) holds a role CISA SCuBA counts as highly privileged (not in parameter privilegedRoles) and is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' does not include bob@contoso.com",
		"entity": _bob,
		"controls": ["MS.AAD.3.6v1"],
	}} with input.entra as _entra([p])
		with data.posture.config as cfg
	rule.warn == set() with input.entra as _entra([p]) with data.posture.config as _config
}
