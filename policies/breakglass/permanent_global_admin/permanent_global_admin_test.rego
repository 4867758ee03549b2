package posture.rules.breakglass.permanent_global_admin_test

import data.posture.lib.fixtures
import data.posture.rules.breakglass.permanent_global_admin

_ga := fixtures.global_admin

_active(id, principal) := {"id": id, "principalId": principal, "roleDefinitionId": _ga, "directoryScopeId": "/"}

_eligible(id, principal) := object.union(_active(id, principal), {"memberType": "Direct", "status": "Provisioned"})

_entra(assignments, eligibilities) := {
	"users": [
		{"id": "bg1", "userPrincipalName": "bg1@contoso.onmicrosoft.com", "accountEnabled": true},
		{"id": "bg2", "userPrincipalName": "bg2@contoso.onmicrosoft.com", "accountEnabled": true},
	],
	"groups": [
		{"id": "g-bg", "displayName": "Emergency Access", "isAssignableToRole": true},
		{"id": "g-tier0", "displayName": "Tier0 Admins", "isAssignableToRole": true},
	],
	"groupMembers": {"g-bg": ["bg1", "bg2"]},
	"roleAssignments": assignments,
	"roleEligibilitySchedules": eligibilities,
}

_config := {"breakGlass": {"users": ["bg1", "bg2"]}}

_entity(uid) := {"type": "user", "id": uid, "name": sprintf("%s@contoso.onmicrosoft.com", [uid])}

test_passes_with_direct_active_assignments if {
	entra := _entra([_active("a1", "bg1"), _active("a2", "bg2")], [])
	permanent_global_admin.deny == set() with input.entra as entra with data.posture.config as _config
	permanent_global_admin.error == set() with input.entra as entra with data.posture.config as _config
}

test_passes_with_an_active_assignment_through_a_group if {
	entra := _entra([_active("a1", "g-bg")], [])
	permanent_global_admin.deny == set() with input.entra as entra with data.posture.config as _config
}

test_passes_without_pim_data_when_assignments_are_active if {
	entra := object.remove(_entra([_active("a1", "bg1"), _active("a2", "bg2")], []), ["roleEligibilitySchedules"])
	permanent_global_admin.deny == set() with input.entra as entra with data.posture.config as _config
}

test_is_not_applicable_without_declared_accounts if {
	permanent_global_admin.not_applicable with input.entra as _entra([], [])
	not permanent_global_admin.not_applicable with input.entra as _entra([], []) with data.posture.config as _config
}

test_fails_when_the_role_is_only_eligible if {
	entra := _entra([_active("a1", "bg1")], [_eligible("e1", "bg2"), _eligible("e2", "g-bg")])
	permanent_global_admin.deny == {{
		"msg": "break-glass account bg2@contoso.onmicrosoft.com holds Global Administrator only as PIM eligible (eligible, eligible through group 'Emergency Access'): an emergency account must not depend on PIM activation, which itself depends on MFA and approval; make its assignment active and permanent",
		"entity": _entity("bg2"),
	}} with input.entra as entra
		with data.posture.config as _config
}

test_fails_when_the_account_does_not_hold_the_role if {
	entra := _entra([_active("a1", "bg1")], [])
	permanent_global_admin.deny == {{
		"msg": "break-glass account bg2@contoso.onmicrosoft.com does not hold Global Administrator, so it cannot recover the tenant; assign it the role, active and permanent",
		"entity": _entity("bg2"),
	}} with input.entra as entra
		with data.posture.config as _config
}

test_fails_when_the_assignment_is_not_tenant_wide if {
	scoped := object.union(_active("a2", "bg2"), {"directoryScopeId": "/administrativeUnits/au1"})
	entra := _entra([_active("a1", "bg1"), scoped], [])
	permanent_global_admin.deny == {{
		"msg": "break-glass account bg2@contoso.onmicrosoft.com holds Global Administrator only below the tenant scope (active at scope /administrativeUnits/au1), which does not let it recover the tenant; assign the role tenant-wide, active and permanent",
		"entity": _entity("bg2"),
	}} with input.entra as entra
		with data.posture.config as _config
}

test_ignores_revoked_eligibility if {
	revoked := object.union(_eligible("e1", "bg2"), {"status": "Revoked"})
	entra := _entra([_active("a1", "bg1")], [revoked])
	some d in permanent_global_admin.deny with input.entra as entra with data.posture.config as _config
	d.msg == "break-glass account bg2@contoso.onmicrosoft.com does not hold Global Administrator, so it cannot recover the tenant; assign it the role, active and permanent"
}

test_errors_when_the_role_goes_to_a_group_with_unknown_members if {
	entra := _entra([_active("a1", "bg1"), _active("a2", "g-tier0")], [])
	permanent_global_admin.error == {"Global Administrator is assigned to group 'Tier0 Admins' whose members are not in the snapshot (entra.groupMembers), so whether break-glass account bg2@contoso.onmicrosoft.com holds it actively cannot be verified"} with input.entra as entra
		with data.posture.config as _config
	permanent_global_admin.deny == set() with input.entra as entra with data.posture.config as _config
}

test_errors_for_declarations_that_do_not_resolve if {
	permanent_global_admin.error == {`break-glass account "ghost" does not match any user in the snapshot by object id or userPrincipalName`} with input.entra as _entra([_active("a1", "bg1")], [])
		with data.posture.config as {"breakGlass": {"users": ["bg1", "ghost"]}}
}
