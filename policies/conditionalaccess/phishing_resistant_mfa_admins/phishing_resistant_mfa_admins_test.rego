package posture.rules.conditionalaccess.phishing_resistant_mfa_admins_test

import data.posture.rules.conditionalaccess.phishing_resistant_mfa_admins as rule

_ga := "62e90394-69f5-4237-9190-012177145e10"

_exo := "29232cdf-9323-42fd-ade2-1d097af3e4de"

_reader := "f2ef992c-3afb-46b9-b7cf-a126ee74c451"

_phishing_resistant := {
	"id": "00000000-0000-0000-0000-000000000004",
	"displayName": "Phishing-resistant MFA",
	"requirementsSatisfied": "mfa",
	"allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}

_users := [
	{"id": "u1", "userPrincipalName": "alice@contoso.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u2", "userPrincipalName": "bob@contoso.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u3", "userPrincipalName": "carol@contoso.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u4", "userPrincipalName": "gone@contoso.com", "accountEnabled": false, "userType": "Member"},
	{"id": "bg1", "userPrincipalName": "bg1@contoso.onmicrosoft.com", "accountEnabled": true, "userType": "Member"},
]

# alice: active GA; bob: eligible Exchange Administrator through group g-ops; carol: Global
# Reader only (not privileged); gone: disabled GA; bg1: break-glass GA.
_entra(policies) := {
	"securityDefaults": {"id": "00000000-0000-0000-0000-000000000000", "isEnabled": false},
	"users": _users,
	"groups": [{"id": "g-ops", "displayName": "Ops"}, {"id": "g-ext", "displayName": "Contractors"}],
	"groupMembers": {"g-ops": ["u2"], "g-ext": ["u1", "u3"]},
	"roleAssignments": [
		{"id": "a1", "principalId": "u1", "roleDefinitionId": _ga, "directoryScopeId": "/"},
		{"id": "a2", "principalId": "u3", "roleDefinitionId": _reader, "directoryScopeId": "/"},
		{"id": "a3", "principalId": "u4", "roleDefinitionId": _ga, "directoryScopeId": "/"},
		{"id": "a4", "principalId": "bg1", "roleDefinitionId": _ga, "directoryScopeId": "/"},
	],
	"roleEligibilitySchedules": [{"id": "e1", "principalId": "g-ops", "roleDefinitionId": _exo, "directoryScopeId": "/", "status": "Provisioned"}],
	"conditionalAccessPolicies": policies,
}

_config := {"breakGlass": {"users": ["bg1@contoso.onmicrosoft.com"]}}

_ca1 := {"type": "policy", "id": "ca1", "name": "CA01 Phishing-resistant MFA for admins"}

_alice := {"type": "user", "id": "u1", "name": "alice@contoso.com"}

_bob := {"type": "user", "id": "u2", "name": "bob@contoso.com"}

_policy(changes) := object.union(
	{
		"id": "ca1",
		"displayName": "CA01 Phishing-resistant MFA for admins",
		"state": "enabled",
		"conditions": {
			"users": {"includeUsers": [], "includeRoles": [_ga, _exo], "excludeUsers": ["bg1"], "excludeGroups": [], "excludeRoles": []},
			"applications": {"includeApplications": ["All"], "excludeApplications": []},
			"clientAppTypes": ["all"],
			"locations": null,
			"platforms": null,
		},
		"grantControls": {"operator": "OR", "builtInControls": [], "authenticationStrength": _phishing_resistant},
	},
	changes,
)

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
	rule.deny == {
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
	} with input.entra as entra
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
	rule.deny == {
		{
			"msg": "policy 'CA01 Phishing-resistant MFA for admins' does not count towards requiring phishing-resistant multifactor authentication: it requires authentication strength 'Multifactor authentication', which allows methods that are not phishing-resistant (password,microsoftAuthenticatorPush; password,sms)",
			"entity": _ca1,
		},
		{
			"msg": "alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: none of the policies that ask for it counts",
			"entity": _alice,
		},
		{
			"msg": "bob@contoso.com (Exchange Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: none of the policies that ask for it counts",
			"entity": _bob,
		},
	} with input.entra as _entra([p])
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
	rule.deny == {{
		"msg": "alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Phishing-resistant MFA for admins' excludes alice@contoso.com through group 'Contractors'",
		"entity": _alice,
	}} with input.entra as _entra([p])
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
	rule.deny == {
		{
			"msg": "alice@contoso.com (Global Administrator) is not required to use phishing-resistant multifactor authentication by an enforced Conditional Access policy: no policy requires it",
			"entity": _alice,
		},
		{
			"msg": "1 more admins are not required to use phishing-resistant multifactor authentication (only the first 1 are listed; raise parameter maxListedUsers to list more)",
			"entity": {"type": "tenant", "id": "", "name": ""},
		},
	} with input.entra as _entra([])
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
