package posture.rules.entra.privileged_service_principals_test

import data.posture.lib.fixtures
import data.posture.rules.entra.privileged_service_principals

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

_microsoft := "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

_sp(id, name, owner) := {"id": id, "appId": sprintf("app-%s", [id]), "displayName": name, "accountEnabled": true, "appOwnerOrganizationId": owner}

_active(principal, role) := {"id": sprintf("a-%s-%s", [principal, role]), "principalId": principal, "roleDefinitionId": role, "directoryScopeId": "/"}

_entra(sps, active, eligible) := {
	"users": [{"id": "u1", "userPrincipalName": "alice@contoso.com"}],
	"groups": [fixtures.group("g1", "Ops")],
	"servicePrincipals": sps,
	"roleAssignments": active,
	"roleEligibilitySchedules": eligible,
}

_graph := _sp("sp-graph", "Microsoft Graph", _microsoft)

_own := _sp("sp-own", "Tenant Automation", "t1")

test_passes_when_only_users_and_microsoft_apps_hold_privileged_roles if {
	entra := _entra([_graph, _own], [_active("u1", _ga), _active("sp-graph", _exo), _active("sp-own", _reader)], [])
	privileged_service_principals.deny == set() with input.entra as entra
	privileged_service_principals.error == set() with input.entra as entra
}

test_fails_when_an_own_application_holds_global_administrator if {
	entra := _entra([_graph, _own], [_active("sp-own", _ga)], [])
	privileged_service_principals.deny == {{
		"msg": "service principal 'Tenant Automation' (appId app-sp-own, owner organization t1) holds Global Administrator (active), which gives full control of the tenant; confirm the application needs it",
		"entity": {"type": "servicePrincipal", "id": "sp-own", "name": "Tenant Automation"},
	}} with input.entra as entra
}

test_fails_for_each_role_eligible_or_scoped if {
	eligible := object.union(_active("sp-own", _exo), {"status": "Provisioned", "directoryScopeId": "/administrativeUnits/au1"})
	entra := _entra([_graph, object.union(_own, {"accountEnabled": false})], [], [eligible])
	privileged_service_principals.deny == {{
		"msg": "disabled service principal 'Tenant Automation' (appId app-sp-own, owner organization t1) holds Exchange Administrator at scope /administrativeUnits/au1 (eligible); confirm the application needs it",
		"entity": {"type": "servicePrincipal", "id": "sp-own", "name": "Tenant Automation"},
	}} with input.entra as entra
}

test_fails_when_a_service_principals_owner_is_unknown if {
	sps := [object.remove(_sp("sp-x", "Mystery", null), ["appOwnerOrganizationId"]), _sp("sp-mi", "vm-identity", null)]
	entra := _entra(sps, [_active("sp-x", _exo), _active("sp-mi", _exo)], [])
	{d.msg | some d in privileged_service_principals.deny} == {
		"service principal 'Mystery' (appId app-sp-x, owner organization not in the snapshot) holds Exchange Administrator (active); confirm the application needs it",
		"service principal 'vm-identity' (appId app-sp-mi, owner organization none) holds Exchange Administrator (active); confirm the application needs it",
	} with input.entra as entra
}

test_follows_the_microsoft_owner_parameter if {
	entra := _entra([_graph, _own], [_active("sp-own", _ga), _active("sp-graph", _ga)], [])
	{d.entity.id | some d in privileged_service_principals.deny} == {"sp-graph"} with input.entra as entra
		with data.posture.config as {"microsoftOwnerOrganizationIds": ["T1"]}
}

test_errors_on_an_invalid_microsoft_owner_parameter if {
	entra := _entra([_graph], [], [])
	privileged_service_principals.error == {`config microsoftOwnerOrganizationIds must be a list of tenant ids, got "t1"`} with input.entra as entra
		with data.posture.config as {"microsoftOwnerOrganizationIds": "t1"}
}

test_errors_when_a_privileged_role_goes_to_an_unknown_principal if {
	entra := _entra([_graph], [_active("ghost", _ga)], [])
	privileged_service_principals.error == {"Global Administrator has an active assignment to principal ghost, which is not a user, group or service principal in the snapshot, so it cannot be checked"} with input.entra as entra
}

test_works_without_eligibility_schedules if {
	entra := object.remove(_entra([_own], [_active("sp-own", _exo)], []), ["roleEligibilitySchedules"])
	count(privileged_service_principals.deny) == 1 with input.entra as entra
}
