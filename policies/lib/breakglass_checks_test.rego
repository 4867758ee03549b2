package posture.lib.breakglass_checks_test

import data.posture.lib.breakglass_checks as checks
import data.posture.lib.fixtures

_ga := fixtures.global_admin

_entra := {
	"users": [
		{"id": "bg1", "userPrincipalName": "bg1@contoso.onmicrosoft.com", "accountEnabled": true, "onPremisesSyncEnabled": null},
		{"id": "bg2", "userPrincipalName": "bg2@contoso.onmicrosoft.com", "accountEnabled": false},
	],
	"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-empty", "Empty")],
	"groupMembers": {"g-bg": ["bg1", "bg2", "x9"], "g-empty": []},
	"roleAssignments": [
		fixtures.assignment("a1", "bg1", _ga),
		{"id": "a2", "principalId": "bg2", "roleDefinitionId": _ga, "directoryScopeId": "/administrativeUnits/au1"},
	],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "bg2", _ga)],
}

test_not_applicable_without_declarations_or_with_empty_groups_only if {
	checks.not_applicable_reason == checks.undeclared with input.entra as _entra
	checks.not_applicable_reason == "the declared break-glass groups have no members, so there is no break-glass account to check" with input.entra as _entra
		with data.posture.config as {"breakGlass": {"groups": ["Empty"]}}
	not checks.not_applicable_reason with input.entra as _entra with data.posture.config as {"breakGlass": {"users": ["bg1"]}}
}

test_unresolved_declarations_are_not_read_as_nothing_to_check if {
	not checks.not_applicable_reason with input.entra as _entra with data.posture.config as {"breakGlass": {"users": ["ghost"]}}
	count(checks.errors) == 1 with input.entra as _entra with data.posture.config as {"breakGlass": {"users": ["ghost"]}}
}

test_group_members_missing_from_users_are_errors if {
	checks.accounts == {"bg1", "bg2"} with input.entra as _entra with data.posture.config as {"breakGlass": {"groups": ["g-bg"]}}
	checks.unknown_accounts == {"x9"} with input.entra as _entra with data.posture.config as {"breakGlass": {"groups": ["g-bg"]}}
	checks.errors == {"break-glass account x9 (a member of a declared break-glass group) is not among the snapshot's users (entra.users), so it cannot be checked"} with input.entra as _entra
		with data.posture.config as {"breakGlass": {"groups": ["g-bg"]}}
}

test_properties_tell_null_from_false_from_absent if {
	checks.property("bg2", "accountEnabled") == false with input.entra as _entra
	not checks.property("bg1", "onPremisesSyncEnabled") with input.entra as _entra
	checks.missing("bg1", "onPremisesSyncEnabled") with input.entra as _entra
	checks.has_property("bg1", "onPremisesSyncEnabled") with input.entra as _entra
	not checks.has_property("bg2", "onPremisesSyncEnabled") with input.entra as _entra
	not checks.missing("bg2", "accountEnabled") with input.entra as _entra
}

test_active_global_admin_needs_an_active_tenant_wide_assignment if {
	checks.active_global_admin("bg1") with input.entra as _entra
	not checks.active_global_admin("bg2") with input.entra as _entra
	count(checks.global_admin_grants("bg2")) == 2 with input.entra as _entra
}

test_policies_to_exclude_from_are_on_or_report_only_and_aimed_at_users if {
	policies := [
		{"id": "p1", "state": "enabled", "conditions": {"users": {"includeUsers": ["All"]}}},
		{"id": "p2", "state": "enabledForReportingButNotEnforced", "conditions": {"users": {"includeGroups": ["g-bg"]}}},
		{"id": "p3", "state": "disabled", "conditions": {"users": {"includeUsers": ["All"]}}},
		{"id": "p4", "state": "enabled", "conditions": {"users": {"includeUsers": ["None"]}}},
	]
	{p.id | some p in checks.policies_to_exclude_from} == {"p1", "p2"} with input.entra.conditionalAccessPolicies as policies
}

test_policy_errors_name_unknown_states_and_missing_user_conditions if {
	policies := [
		{"id": "p1", "displayName": "A", "state": "on", "conditions": {"users": {}}},
		{"id": "p2", "displayName": "B", "state": "enabled", "conditions": {"users": null}},
		{"id": "p3", "displayName": "C", "state": "disabled"},
		{"id": "p4", "displayName": "D", "state": "enabled", "conditions": {"users": {"includeUsers": ["All"]}}},
	]
	checks.policy_errors(policies) == {
		`policy 'A' has state "on"; expected enabled, disabled or enabledForReportingButNotEnforced`,
		"policy 'B' has no conditions.users in the snapshot, so whom it applies to cannot be told",
	}
}

test_entity_names_the_user_by_upn if {}
