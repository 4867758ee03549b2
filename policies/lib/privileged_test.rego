package posture.lib.privileged_test

import data.posture.lib.fixtures
import data.posture.lib.privileged

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

_entra := {
	"users": [
		{"id": "u1", "userPrincipalName": "alice@contoso.com"},
		{"id": "u2", "userPrincipalName": "bob@contoso.com"},
	],
	"groups": [fixtures.group("g1", "Tier0"), fixtures.group("g2", "Hidden")],
	"groupMembers": {"g1": ["u2"]},
	"servicePrincipals": [{"id": "sp1", "displayName": "Automation"}],
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "g1", _exo),
		fixtures.assignment("a3", "sp1", _ga),
		fixtures.assignment("a4", "ghost", _ga),
		fixtures.assignment("a5", "ghost", _reader),
	],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "g2", _exo)],
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
		"roleAssignments": [fixtures.assignment("a1", "u1", _ga)],
		"roleEligibilitySchedules": [],
	})
	privileged.holder_errors == set() with input.entra as entra
}

test_role_names_lists_privileged_roles_only if {
	entra := object.union(_entra, {"roleAssignments": [
		fixtures.assignment("a1", "u2", _ga),
		fixtures.assignment("a2", "g1", _exo),
		fixtures.assignment("a3", "u2", _reader),
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
