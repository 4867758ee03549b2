package posture.lib.privileged_test

import data.posture.lib.privileged

_ga := "62e90394-69f5-4237-9190-012177145e10"

_exo := "29232cdf-9323-42fd-ade2-1d097af3e4de"

_reader := "f2ef992c-3afb-46b9-b7cf-a126ee74c451"

_entra := {
	"users": [
		{"id": "u1", "userPrincipalName": "alice@contoso.com"},
		{"id": "u2", "userPrincipalName": "bob@contoso.com"},
	],
	"groups": [{"id": "g1", "displayName": "Tier0"}, {"id": "g2", "displayName": "Hidden"}],
	"groupMembers": {"g1": ["u2"]},
	"servicePrincipals": [{"id": "sp1", "displayName": "Automation"}],
	"roleAssignments": [
		{"id": "a1", "principalId": "u1", "roleDefinitionId": _ga, "directoryScopeId": "/"},
		{"id": "a2", "principalId": "g1", "roleDefinitionId": _exo, "directoryScopeId": "/"},
		{"id": "a3", "principalId": "sp1", "roleDefinitionId": _ga, "directoryScopeId": "/"},
		{"id": "a4", "principalId": "ghost", "roleDefinitionId": _ga, "directoryScopeId": "/"},
		{"id": "a5", "principalId": "ghost", "roleDefinitionId": _reader, "directoryScopeId": "/"},
	],
	"roleEligibilitySchedules": [{"id": "e1", "principalId": "g2", "roleDefinitionId": _exo, "directoryScopeId": "/", "status": "Provisioned"}],
}

test_kind_tells_users_groups_and_service_principals_apart if {
	privileged.kind("u1") == "user" with input.entra as _entra
	privileged.kind("g1") == "group" with input.entra as _entra
	privileged.kind("sp1") == "servicePrincipal" with input.entra as _entra
	not privileged.kind("ghost") with input.entra as _entra
}

test_grants_keeps_only_privileged_roles if {
	{g.principalId | some g in privileged.grants} == {"u1", "g1", "sp1", "ghost", "g2"} with input.entra as _entra
	every g in privileged.grants {
		g.roleId != _reader
	} with input.entra as _entra
}

test_holder_errors_name_uncollected_groups_and_unknown_principals if {
	privileged.holder_errors == {
		"Exchange Administrator is assigned to group 'Hidden' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked",
		"Global Administrator has an active assignment to principal ghost, which is not a user, group or service principal in the snapshot, so its holder cannot be checked",
	} with input.entra as _entra
}

test_holder_errors_is_empty_for_a_consistent_snapshot if {
	entra := object.union(_entra, {
		"roleAssignments": [{"id": "a1", "principalId": "u1", "roleDefinitionId": _ga, "directoryScopeId": "/"}],
		"roleEligibilitySchedules": [],
	})
	privileged.holder_errors == set() with input.entra as entra
}

test_role_names_lists_privileged_roles_only if {
	entra := object.union(_entra, {"roleAssignments": [
		{"id": "a1", "principalId": "u2", "roleDefinitionId": _ga, "directoryScopeId": "/"},
		{"id": "a2", "principalId": "g1", "roleDefinitionId": _exo, "directoryScopeId": "/"},
		{"id": "a3", "principalId": "u2", "roleDefinitionId": _reader, "directoryScopeId": "/"},
	]})
	privileged.role_names("u2") == "Exchange Administrator, Global Administrator" with input.entra as entra
}

test_not_cloud_only_flags_synchronized_and_anchored_accounts if {
	privileged.not_cloud_only({"onPremisesSyncEnabled": true}) == "it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)"
	privileged.not_cloud_only({"onPremisesSyncEnabled": null, "onPremisesImmutableId": "abc=="}) == `it is linked to an on-premises or federated identity (onPremisesImmutableId is "abc==")`
	not privileged.not_cloud_only({"onPremisesSyncEnabled": null})
	not privileged.not_cloud_only({"onPremisesSyncEnabled": false, "onPremisesImmutableId": null})
}

test_sync_unknown_flags_missing_or_malformed_sync_state if {
	privileged.sync_unknown({"id": "u1"}) == "the snapshot has no onPremisesSyncEnabled property for it"
	privileged.sync_unknown({"onPremisesSyncEnabled": "yes"}) == `its onPremisesSyncEnabled is "yes", expected true, false or null`
	not privileged.sync_unknown({"onPremisesSyncEnabled": null})
	not privileged.sync_unknown({"onPremisesSyncEnabled": false})
	not privileged.sync_unknown({"onPremisesSyncEnabled": true})
}
