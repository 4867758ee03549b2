package posture.rules.entra.admin_mfa_test

import data.posture.lib.fixtures
import data.posture.rules.entra.admin_mfa

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

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
		fixtures.assignment("a2", "u3", _reader),
		fixtures.assignment("a3", "u4", _ga),
		fixtures.assignment("a4", "bg1", _ga),
	],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "g-ops", _exo)],
	"conditionalAccessPolicies": policies,
}

_config := {"breakGlass": {"users": ["bg1@contoso.onmicrosoft.com"]}}

_admin_policy(changes) := fixtures.ca_policy("ca1", "CA01 Require MFA for admins", object.union({"conditions": {"users": {"includeUsers": [], "includeRoles": [_ga, _exo], "excludeUsers": ["bg1"]}}}, changes))

_msgs(result) := {d.msg | some d in result}

test_passes_when_an_enabled_policy_requires_mfa_for_all_admin_roles if {
	admin_mfa.deny == set() with input.entra as _entra([_admin_policy({})]) with data.posture.config as _config
	admin_mfa.coverage == {"covered": 2, "total": 2} with input.entra as _entra([_admin_policy({})])
		with data.posture.config as _config
	admin_mfa.error == set() with input.entra as _entra([_admin_policy({})]) with data.posture.config as _config
}

test_passes_when_security_defaults_are_enabled if {
	entra := object.union(_entra([]), {"securityDefaults": {"isEnabled": true}})
	admin_mfa.deny == set() with input.entra as entra with data.posture.config as _config
	admin_mfa.coverage == {"covered": 2, "total": 2} with input.entra as entra with data.posture.config as _config
}

test_fails_when_no_policy_requires_mfa if {
	admin_mfa.deny == {
		{
			"msg": "alice@contoso.com (Global Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: no policy requires it",
			"entity": fixtures.user_entity("u1", "alice@contoso.com"),
		},
		{
			"msg": "bob@contoso.com (Exchange Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: no policy requires it",
			"entity": fixtures.user_entity("u2", "bob@contoso.com"),
		},
	} with input.entra as _entra([])
		with data.posture.config as _config
	admin_mfa.coverage == {"covered": 0, "total": 2} with input.entra as _entra([]) with data.posture.config as _config
}

test_fails_when_the_mfa_policy_is_report_only if {
	p := _admin_policy({"state": "enabledForReportingButNotEnforced"})
	_msgs(admin_mfa.deny) == {
		"policy 'CA01 Require MFA for admins' does not count towards requiring multifactor authentication: it is report-only",
		"alice@contoso.com (Global Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Require MFA for admins' is report-only",
		"bob@contoso.com (Exchange Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Require MFA for admins' is report-only",
	} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_fails_when_a_group_exclusion_leaves_an_admin_out if {
	p := _admin_policy({"conditions": {"users": {"excludeGroups": ["g-ext"]}}})
	_msgs(admin_mfa.deny) == {"alice@contoso.com (Global Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Require MFA for admins' excludes alice@contoso.com through group 'Contractors'"} with input.entra as _entra([p])
		with data.posture.config as _config
	admin_mfa.coverage == {"covered": 1, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_when_the_grant_offers_an_alternative_to_mfa if {
	p := _admin_policy({"grantControls": {"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}})
	some d in admin_mfa.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity == fixtures.ca_policy_entity("ca1", "CA01 Require MFA for admins")
	d.msg == "policy 'CA01 Require MFA for admins' does not count towards requiring multifactor authentication: it lets users satisfy it with compliantDevice instead of multifactor authentication (grant: compliantDevice OR mfa)"
}

test_fails_for_the_admin_a_role_targeted_policy_does_not_include if {
	p := _admin_policy({"conditions": {"users": {"includeRoles": [_ga]}}})
	_msgs(admin_mfa.deny) == {"bob@contoso.com (Exchange Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Require MFA for admins' does not include bob@contoso.com"} with input.entra as _entra([p])
		with data.posture.config as _config
}

# Two narrowed policies leave the class of sign-ins neither reaches: other resources and Office
# 365 from trusted locations. Each policy is named with the condition that keeps it out.
test_names_the_uncovered_class_and_why_each_policy_misses_it if {
	narrowed := _admin_policy({
		"id": "ca2", "displayName": "CA02 MFA off-site",
		"conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}},
	})
	apps := _admin_policy({
		"id": "ca3", "displayName": "CA03 MFA for portals",
		"conditions": {"applications": {"includeApplications": ["MicrosoftAdminPortals"]}},
	})
	_msgs(admin_mfa.deny) == {
		"alice@contoso.com (Global Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: Sign-ins to resources other than Microsoft Admin Portals from trusted locations: policy 'CA02 MFA off-site' excludes locations all trusted locations; policy 'CA03 MFA for portals' targets only selected resources (MicrosoftAdminPortals)",
		"bob@contoso.com (Exchange Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: Sign-ins to resources other than Microsoft Admin Portals from trusted locations: policy 'CA02 MFA off-site' excludes locations all trusted locations; policy 'CA03 MFA for portals' targets only selected resources (MicrosoftAdminPortals)",
	} with input.entra as _entra([narrowed, apps])
		with data.posture.config as _config
}

# The two policies together cover admin portals everywhere and everything off-site; a third for
# trusted locations completes them (Microsoft Learn, "Conditional Access overview": all policies
# that apply must be satisfied).
test_passes_when_complementary_policies_cover_every_class if {
	off_site := _admin_policy({
		"id": "ca2", "displayName": "CA02 MFA off-site",
		"conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}},
	})
	on_site := _admin_policy({
		"id": "ca3", "displayName": "CA03 MFA on-site",
		"conditions": {"locations": {"includeLocations": ["AllTrusted"], "excludeLocations": []}},
	})
	admin_mfa.deny == set() with input.entra as _entra([off_site, on_site])
		with data.posture.config as _config
}

# bob is eligible for Exchange Administrator: a policy that excludes the role leaves his admin
# sessions without MFA, though he does not hold the role when he signs in.
test_an_excluded_role_leaves_an_eligible_admin_uncovered if {
	p := _admin_policy({"conditions": {"users": {"includeUsers": ["All"], "includeRoles": [], "excludeRoles": [_exo]}}})
	_msgs(admin_mfa.deny) == {"bob@contoso.com (Exchange Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Require MFA for admins' excludes bob@contoso.com through role 'Exchange Administrator'"} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_passes_with_an_all_users_policy_and_an_authentication_strength if {
	p := _admin_policy({"conditions": {"users": {"includeUsers": ["All"], "includeRoles": []}}, "grantControls": {
		"builtInControls": [],
		"authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"},
	}})
	admin_mfa.deny == set() with input.entra as _entra([p]) with data.posture.config as _config
}

test_counts_the_break_glass_admin_when_no_break_glass_is_declared if {
	admin_mfa.coverage == {"covered": 2, "total": 3} with input.entra as _entra([_admin_policy({})])
	_msgs(admin_mfa.deny) == {"bg1@contoso.onmicrosoft.com (Global Administrator) is not required to use multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Require MFA for admins' excludes bg1@contoso.onmicrosoft.com directly"} with input.entra as _entra([_admin_policy({})])
}

test_follows_the_privileged_roles_parameter if {
	cfg := object.union(_config, {"privilegedRoles": [_reader]})
	admin_mfa.admins == {"u3"} with input.entra as _entra([_admin_policy({})]) with data.posture.config as cfg
	_msgs(admin_mfa.deny) == {"carol@contoso.com (Global Reader) is not required to use multifactor authentication by an enforced Conditional Access policy: policy 'CA01 Require MFA for admins' does not include carol@contoso.com"} with input.entra as _entra([_admin_policy({})])
		with data.posture.config as cfg
}

test_works_without_eligibility_schedules_and_without_a_security_defaults_flag if {
	entra := object.remove(_entra([_admin_policy({})]), ["roleEligibilitySchedules", "securityDefaults"])
	admin_mfa.coverage == {"covered": 1, "total": 1} with input.entra as entra with data.posture.config as _config
	admin_mfa.deny == set() with input.entra as entra with data.posture.config as _config
}

test_has_no_coverage_when_there_are_no_admins if {
	entra := object.union(_entra([]), {"roleAssignments": [], "roleEligibilitySchedules": []})
	not admin_mfa.coverage with input.entra as entra
	admin_mfa.deny == set() with input.entra as entra
}

test_errors_when_a_privileged_role_is_held_through_an_uncollected_group if {
	entra := object.union(object.remove(_entra([_admin_policy({})]), ["groupMembers"]), {"groupMembers": {"g-ext": []}})
	admin_mfa.error == {
		"Exchange Administrator is assigned to group 'Ops' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked",
		"policy 'CA01 Require MFA for admins' includes role 'Exchange Administrator', which is assigned to group 'Ops' whose members are not in the snapshot (entra.groupMembers)",
	} with input.entra as entra
		with data.posture.config as _config
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _admin_policy({"conditions": {"users": {"excludeGroups": ["g-new"]}}})
	admin_mfa.error == {"policy 'CA01 Require MFA for admins' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input.entra as _entra([p])
		with data.posture.config as _config
}
