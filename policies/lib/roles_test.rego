package posture.lib.roles_test

import data.posture.lib.fixtures
import data.posture.lib.roles

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

_entra := {
	"users": [
		{"id": "u1", "userPrincipalName": "alice@contoso.com"},
		{"id": "u2", "userPrincipalName": "bob@contoso.com"},
		{"id": "u3", "userPrincipalName": "carol@contoso.com"},
		{"id": "u4", "userPrincipalName": "dave@contoso.com"},
	],
	"groups": [fixtures.group("g1", "Tier0"), fixtures.group("g2", "Unknown members")],
	"groupMembers": {"g1": ["u3"]},
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "g1", _ga),
		fixtures.assignment("a3", "sp1", _ga),
		{"id": "a4", "principalId": "u4", "roleDefinitionId": _exo, "directoryScopeId": "/administrativeUnits/au1"},
		fixtures.assignment("a5", "g2", _exo),
	],
	"roleEligibilitySchedules": [
		fixtures.eligibility("e1", "u2", _ga),
		{"id": "e2", "principalId": "u4", "roleDefinitionId": _ga, "directoryScopeId": "/", "status": "Revoked"},
	],
}

test_holder_ids_counts_active_eligible_direct_and_group_holders if {
	roles.holder_ids(_ga) == {"u1", "u2", "u3"} with input.entra as _entra
}

test_holder_ids_ignores_service_principals_and_revoked_schedules if {
	not "sp1" in roles.holder_ids(_ga) with input.entra as _entra
	not "u4" in roles.holder_ids(_ga) with input.entra as _entra
}

test_holder_ids_work_without_eligibility_schedules if {
	roles.holder_ids(_ga) == {"u1", "u3"} with input.entra as object.remove(_entra, ["roleEligibilitySchedules"])
}

test_ca_holder_ids_activated_takes_tenant_wide_active_and_eligible if {
	roles.ca_holder_ids(_ga, "activated") == {"u1", "u2", "u3"} with input.entra as _entra
	roles.ca_holder_ids(_exo, "activated") == set() with input.entra as _entra
	roles.eligible_only_ids(_ga) == {"u2"} with input.entra as _entra
}

test_ca_holder_ids_signin_takes_only_tenant_wide_active_holders if {
	roles.ca_holder_ids(_ga, "signin") == {"u1", "u3"} with input.entra as _entra
}

test_ca_holder_ids_of_a_role_nobody_holds_tenant_wide_is_empty if {
	roles.ca_holder_ids(_reader, "activated") == set() with input.entra as _entra
	roles.ca_holder_ids(_reader, "signin") == set() with input.entra as _entra
	roles.ca_holder_ids(_exo, "signin") == set() with input.entra as _entra
}

test_unexpanded_group_grants_flags_groups_without_membership if {
	{g.principalId | some g in roles.unexpanded_group_grants} == {"g2"} with input.entra as _entra
}

test_privileged_user_ids_uses_the_default_list if {
	roles.privileged_user_ids == {"u1", "u2", "u3", "u4"} with input.entra as _entra
}

test_privileged_user_ids_follows_the_privileged_roles_parameter if {
	roles.privileged_user_ids == {"u4"} with input.entra as _entra
		with data.posture.config as {"privilegedRoles": [_exo]}
}

test_name_prefers_the_snapshot_then_the_builtin_list if {
	roles.name(_ga) == "Global Administrator" with input.entra as _entra
	roles.name(_reader) == "Global Reader" with input.entra as _entra
	roles.name("custom") == "Custom Role" with input.entra as {"roleDefinitions": [{"id": "custom", "displayName": "Custom Role"}]}
	roles.name("unknown") == "unknown" with input.entra as _entra
}

test_describe_says_how_a_role_is_held if {
	descriptions := {roles.describe(g) | some g in roles.grants_of("u3", _ga)} with input.entra as _entra
	descriptions == {"active through group 'Tier0'"}
	{roles.describe(g) | some g in roles.grants_of("u2", _ga)} == {"eligible"} with input.entra as _entra
}

test_roles_of_lists_every_role_held if {
	roles.roles_of("u4") == {_exo} with input.entra as _entra
}
