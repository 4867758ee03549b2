package posture.rules.breakglass.excluded_from_ca_test

import data.posture.lib.fixtures
import data.posture.rules.breakglass.excluded_from_ca

_ga := fixtures.global_admin

_entra(policies) := {
	"users": [
		fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
		fixtures.member("bg2", "bg2@contoso.onmicrosoft.com"),
		fixtures.member("u1", "alice@contoso.com"),
	],
	"groups": [
		fixtures.group("g-bg", "Emergency Access"),
		fixtures.group("g-ops", "Ops"),
		fixtures.group("g-ext", "Contractors"),
	],
	"groupMembers": {"g-bg": ["bg1", "bg2"], "g-ops": ["bg1", "u1"], "g-ext": ["u1"]},
	"roleAssignments": [
		fixtures.assignment("a1", "bg1", _ga),
		fixtures.assignment("a2", "bg2", _ga),
	],
	"conditionalAccessPolicies": policies,
}

_by_group := {"breakGlass": {"groups": ["Emergency Access"]}}

_by_user := {"breakGlass": {"users": ["BG1@contoso.onmicrosoft.com", "bg2"]}}

_policy(changes) := fixtures.ca_policy("ca1", "CA01 Require MFA", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}}}, changes))

_entity := fixtures.ca_policy_entity("ca1", "CA01 Require MFA")

test_is_not_applicable_without_declared_break_glass if {
	excluded_from_ca.not_applicable == "no break-glass account or group is declared in the config (breakGlass.users, breakGlass.groups)" with input.entra as _entra([_policy({})])
	excluded_from_ca.not_applicable with input.entra as _entra([_policy({})]) with data.posture.config as {"breakGlass": {"users": []}}
	not excluded_from_ca.not_applicable with input.entra as _entra([_policy({})]) with data.posture.config as _by_group
}

test_passes_when_the_break_glass_group_is_excluded if {
	excluded_from_ca.deny == set() with input.entra as _entra([_policy({})]) with data.posture.config as _by_group
	excluded_from_ca.deny == set() with input.entra as _entra([_policy({})]) with data.posture.config as _by_user
	excluded_from_ca.error == set() with input.entra as _entra([_policy({})]) with data.posture.config as _by_user
}

test_passes_when_accounts_are_excluded_directly_or_through_an_active_role if {
	direct := _policy({"conditions": {"users": {"excludeGroups": [], "excludeUsers": ["bg1", "bg2"]}}})
	excluded_from_ca.deny == set() with input.entra as _entra([direct]) with data.posture.config as _by_user
	by_role := _policy({"conditions": {"users": {"excludeGroups": [], "excludeRoles": [_ga]}}})
	excluded_from_ca.deny == set() with input.entra as _entra([by_role]) with data.posture.config as _by_user
}

test_fails_when_an_enabled_policy_does_not_exclude_an_account if {
	p := _policy({"conditions": {"users": {"excludeGroups": [], "excludeUsers": ["bg2"]}}})
	excluded_from_ca.deny == {{
		"msg": "policy 'CA01 Require MFA' (enabled) does not exclude break-glass account bg1@contoso.onmicrosoft.com; it applies to the account today",
		"entity": _entity,
	}} with input.entra as _entra([p])
		with data.posture.config as _by_user
}

test_fails_once_per_policy_and_account if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-ext"]}}})
	q := _policy({"id": "ca2", "displayName": "CA02 Block legacy", "conditions": {"users": {"excludeGroups": ["g-ops"]}}})
	{[d.entity.id, d.msg] | some d in excluded_from_ca.deny} == {
		["ca1", "policy 'CA01 Require MFA' (enabled) does not exclude break-glass account bg1@contoso.onmicrosoft.com; it applies to the account today"],
		["ca1", "policy 'CA01 Require MFA' (enabled) does not exclude break-glass account bg2@contoso.onmicrosoft.com; it applies to the account today"],
		["ca2", "policy 'CA02 Block legacy' (enabled) does not exclude break-glass account bg2@contoso.onmicrosoft.com; it applies to the account today"],
	} with input.entra as _entra([p, q])
		with data.posture.config as _by_group
}

test_fails_for_a_report_only_policy if {
	p := _policy({"state": "enabledForReportingButNotEnforced", "conditions": {"users": {"excludeGroups": []}}})
	some d in excluded_from_ca.deny with input.entra as _entra([p]) with data.posture.config as {"breakGlass": {"users": ["bg1"]}}
	d.msg == "policy 'CA01 Require MFA' (report-only) does not exclude break-glass account bg1@contoso.onmicrosoft.com; it applies to the account today"
}

test_fails_when_the_policy_does_not_apply_to_the_account_today if {
	p := _policy({"conditions": {"users": {"includeUsers": [], "includeGroups": ["g-ext"], "excludeGroups": []}}})
	excluded_from_ca.deny == {{
		"msg": "policy 'CA01 Require MFA' (enabled) does not exclude break-glass account bg1@contoso.onmicrosoft.com; it does not apply to the account today, but would as soon as its assignments or the account's memberships change",
		"entity": _entity,
	}} with input.entra as _entra([p])
		with data.posture.config as {"breakGlass": {"users": ["bg1"]}}
}

test_ignores_disabled_and_workload_identity_policies if {
	off := _policy({"state": "disabled", "conditions": {"users": {"excludeGroups": []}}})
	workload := {"id": "ca3", "displayName": "CA03 Workloads", "state": "enabled", "conditions": {
		"users": {"includeUsers": ["None"]},
		"clientApplications": {"includeServicePrincipals": ["ServicePrincipalsInMyTenant"]},
	}}
	excluded_from_ca.deny == set() with input.entra as _entra([off, workload]) with data.posture.config as _by_group
}

test_errors_when_a_declared_account_does_not_resolve if {
	cfg := {"breakGlass": {"users": ["bg1", "ghost@contoso.onmicrosoft.com"], "groups": ["Missing Group"]}}
	excluded_from_ca.error == {
		`break-glass account "ghost@contoso.onmicrosoft.com" does not match any user in the snapshot by object id or userPrincipalName`,
		`break-glass group "Missing Group" does not match any group in the snapshot by object id or displayName`,
	} with input.entra as _entra([_policy({})])
		with data.posture.config as cfg
}

test_errors_when_the_break_glass_config_is_malformed if {
	excluded_from_ca.error == {"config breakGlass.users must be a list"} with input.entra as _entra([_policy({})])
		with data.posture.config as {"breakGlass": {"users": "bg1"}}
}

test_errors_when_an_excluded_group_has_no_collected_members if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	excluded_from_ca.error == {"policy 'CA01 Require MFA' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input.entra as _entra([p])
		with data.posture.config as _by_group
}

test_stays_not_applicable_when_undeclared_and_a_group_is_uncollected if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-new"]}}})
	excluded_from_ca.error == set() with input.entra as _entra([p])
	excluded_from_ca.not_applicable with input.entra as _entra([p])
}

test_passes_with_no_policies if {
	excluded_from_ca.deny == set() with input.entra as _entra([]) with data.posture.config as _by_group
	excluded_from_ca.deny == set() with input.entra as object.remove(_entra([]), ["conditionalAccessPolicies"])
		with data.posture.config as _by_group
}

test_is_not_applicable_when_declared_groups_have_no_members if {
	entra := object.union(_entra([_policy({"conditions": {"users": {"excludeGroups": []}}})]), {"groupMembers": {"g-bg": []}})
	excluded_from_ca.not_applicable == "the declared break-glass groups have no members, so there is no break-glass account to check" with input.entra as entra
		with data.posture.config as _by_group
	excluded_from_ca.error == set() with input.entra as entra with data.posture.config as _by_group
}

test_errors_when_a_policy_has_no_state_or_no_user_conditions if {
	no_state := object.remove(_policy({}), ["state"])
	no_users := _policy({"id": "ca2", "displayName": "CA02 Broken", "conditions": {"users": null}})
	excluded_from_ca.error == {
		"policy 'CA01 Require MFA' has state null; expected enabled, disabled or enabledForReportingButNotEnforced",
		"policy 'CA02 Broken' has no conditions.users in the snapshot, so whom it applies to cannot be told",
	} with input.entra as _entra([no_state, no_users])
		with data.posture.config as _by_group
	excluded_from_ca.error == set() with input.entra as _entra([no_state, no_users])
}
