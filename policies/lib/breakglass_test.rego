package posture.lib.breakglass_test

import data.posture.lib.breakglass
import data.posture.lib.fixtures

_entra := {
	"users": [
		{"id": "u1", "userPrincipalName": "BreakGlass1@contoso.onmicrosoft.com"},
		{"id": "u2", "userPrincipalName": "breakglass2@contoso.onmicrosoft.com"},
		{"id": "u3", "userPrincipalName": "alice@contoso.com"},
	],
	"groups": [
		fixtures.group("g1", "Emergency Access"),
		fixtures.group("g2", "Dup"),
		fixtures.group("g3", "dup"),
		fixtures.group("g4", "No Members Collected"),
	],
	"groupMembers": {"g1": ["u2"]},
}

test_not_declared_without_config if {
	not breakglass.declared with input.entra as _entra
	not breakglass.declared with input.entra as _entra with data.posture.config as {"breakGlass": {"users": [], "groups": []}}
}

test_users_resolve_by_id_and_by_upn_ignoring_case if {
	cfg := {"breakGlass": {"users": ["u3", "breakglass1@CONTOSO.onmicrosoft.com", "breakglass2@contoso.onmicrosoft.com"]}}
	breakglass.account_ids == {"u1", "u2", "u3"} with input.entra as _entra with data.posture.config as cfg
	breakglass.user_ids_by_ref == {
		"u3": "u3",
		"breakglass1@CONTOSO.onmicrosoft.com": "u1",
		"breakglass2@contoso.onmicrosoft.com": "u2",
	} with input.entra as _entra
		with data.posture.config as cfg
	breakglass.unresolved == set() with input.entra as _entra with data.posture.config as cfg
}

test_ids_resolve_ignoring_case if {
	breakglass.account_ids == {"u1"} with input.entra as _entra with data.posture.config as {"breakGlass": {"users": ["U1"]}}
}

test_groups_resolve_by_id_or_display_name_to_their_members if {
	breakglass.account_ids == {"u2"} with input.entra as _entra with data.posture.config as {"breakGlass": {"groups": ["g1"]}}
	breakglass.account_ids == {"u2"} with input.entra as _entra with data.posture.config as {"breakGlass": {"groups": ["emergency access"]}}
	breakglass.group_ids == {"g1"} with input.entra as _entra with data.posture.config as {"breakGlass": {"groups": ["emergency access"]}}
}

test_unresolved_user_is_reported if {
	breakglass.unresolved == {`break-glass account "ghost@contoso.com" does not match any user in the snapshot by object id or userPrincipalName`} with input.entra as _entra
		with data.posture.config as {"breakGlass": {"users": ["ghost@contoso.com", "u1"]}}
	breakglass.account_ids == {"u1"} with input.entra as _entra
		with data.posture.config as {"breakGlass": {"users": ["ghost@contoso.com", "u1"]}}
}

test_unresolved_and_ambiguous_groups_are_reported if {
	breakglass.unresolved == {
		`break-glass group "Nobody" does not match any group in the snapshot by object id or displayName`,
		`break-glass group "DUP" matches 2 groups by displayName; declare it by object id`,
	} with input.entra as _entra
		with data.posture.config as {"breakGlass": {"groups": ["Nobody", "DUP"]}}
}

test_group_without_collected_members_is_reported if {
	breakglass.unresolved == {`the members of break-glass group "No Members Collected" (g4) are not in the snapshot (entra.groupMembers)`} with input.entra as _entra
		with data.posture.config as {"breakGlass": {"groups": ["No Members Collected"]}}
}

test_non_string_declarations_are_reported if {
	breakglass.unresolved == {"break-glass declaration 42 is not a string"} with input.entra as _entra
		with data.posture.config as {"breakGlass": {"users": [42]}}
}

test_malformed_config_is_reported if {
	breakglass.unresolved == {"config breakGlass must be an object with lists users and groups"} with input.entra as _entra
		with data.posture.config as {"breakGlass": "u1"}
	breakglass.unresolved == {"config breakGlass.users must be a list"} with input.entra as _entra
		with data.posture.config as {"breakGlass": {"users": "u1"}}
}

test_upns_of_role_holders_and_ca_exclusions_resolve if {
	entra := object.union(_entra, {
		"roleAssignments": [fixtures.assignment("a1", "u1", "62e90394-69f5-4237-9190-012177145e10")],
		"conditionalAccessPolicies": [{"id": "p1", "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["u2"]}}}],
	})
	cfg := {"breakGlass": {"users": ["breakglass1@contoso.onmicrosoft.com", "BREAKGLASS2@contoso.onmicrosoft.com", "alice@contoso.com"]}}
	breakglass.account_ids == {"u1", "u2", "u3"} with input.entra as entra with data.posture.config as cfg
}

test_group_names_resolve_among_collected_groups_first if {
	entra := object.union(_entra, {"groupMembers": {"g1": ["u2"], "g2": ["u1"]}})
	breakglass.group_ids == {"g2"} with input.entra as entra with data.posture.config as {"breakGlass": {"groups": ["dup"]}}
	breakglass.unresolved == set() with input.entra as entra with data.posture.config as {"breakGlass": {"groups": ["dup"]}}
}
