package posture.rules.entra.privileged_cloud_only_test

import data.posture.lib.fixtures
import data.posture.rules.entra.privileged_cloud_only

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

_user(id, upn, sync) := fixtures.user(id, upn, {"onPremisesSyncEnabled": sync})

# alice: active GA, cloud-only (null); bob: eligible Exchange Administrator through group Ops,
# stopped syncing (false); carol: Global Reader only (not privileged) and synced.
_entra(users) := {
	"users": users,
	"groups": [fixtures.group("g-ops", "Ops")],
	"groupMembers": {"g-ops": ["u2"]},
	"servicePrincipals": [{"id": "sp1", "displayName": "Automation", "appOwnerOrganizationId": "t1"}],
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "u3", _reader),
		fixtures.assignment("a3", "sp1", _ga),
	],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "g-ops", _exo)],
}

_cloud_users := [
	_user("u1", "alice@contoso.com", null),
	_user("u2", "bob@contoso.com", false),
	_user("u3", "carol@contoso.com", true),
]

test_passes_when_every_privileged_user_is_cloud_only if {
	privileged_cloud_only.deny == set() with input.entra as _entra(_cloud_users)
	privileged_cloud_only.error == set() with input.entra as _entra(_cloud_users)
}

test_fails_for_a_synchronized_admin_naming_their_roles if {
	users := [_user("u1", "alice@contoso.com", true), _user("u2", "bob@contoso.com", true), _user("u3", "carol@contoso.com", true)]
	privileged_cloud_only.deny == fixtures.tagged(
		{
			{
				"msg": "alice@contoso.com (Global Administrator) is not a cloud-only account: it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)",
				"entity": fixtures.user_entity("u1", "alice@contoso.com"),
			},
			{
				"msg": "bob@contoso.com (Exchange Administrator) is not a cloud-only account: it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)",
				"entity": fixtures.user_entity("u2", "bob@contoso.com"),
			},
		},
		["1.1.1", "MS.AAD.7.3v1"],
	) with input.entra as _entra(users)
}

test_fails_for_an_admin_anchored_to_an_on_premises_identity if {
	users := [object.union(_user("u1", "alice@contoso.com", false), {"onPremisesImmutableId": "Zm9vYmFy"}), _user("u2", "bob@contoso.com", null)]
	privileged_cloud_only.deny == fixtures.tagged(
		{{
			"msg": `alice@contoso.com (Global Administrator) is not a cloud-only account: it is linked to an on-premises or federated identity (onPremisesImmutableId is "Zm9vYmFy")`,
			"entity": fixtures.user_entity("u1", "alice@contoso.com"),
		}},
		["1.1.1", "MS.AAD.7.3v1"],
	) with input.entra as _entra(users)
}

test_fails_for_disabled_and_break_glass_admins_too if {
	users := [object.union(_user("u1", "alice@contoso.com", true), {"accountEnabled": false}), _user("u2", "bob@contoso.com", null)]
	count(privileged_cloud_only.deny) == 1 with input.entra as _entra(users)
		with data.posture.config as {"breakGlass": {"users": ["u1"]}}
}

test_errors_when_the_sync_state_of_an_admin_is_missing if {
	users := [object.remove(_user("u1", "alice@contoso.com", null), ["onPremisesSyncEnabled"]), _user("u2", "bob@contoso.com", null)]
	privileged_cloud_only.error == {"alice@contoso.com (Global Administrator) cannot be checked: the snapshot has no onPremisesSyncEnabled property for it"} with input.entra as _entra(users)
	privileged_cloud_only.deny == set() with input.entra as _entra(users)
}

test_errors_when_the_sync_state_is_not_a_boolean if {
	users := [_user("u1", "alice@contoso.com", "no"), _user("u2", "bob@contoso.com", null)]
	privileged_cloud_only.error == {`alice@contoso.com (Global Administrator) cannot be checked: its onPremisesSyncEnabled is "no", expected true, false or null`} with input.entra as _entra(users)
}

test_ignores_the_sync_state_of_non_privileged_users if {
	users := [_user("u1", "alice@contoso.com", null), _user("u2", "bob@contoso.com", null), {"id": "u3", "userPrincipalName": "carol@contoso.com"}]
	privileged_cloud_only.error == set() with input.entra as _entra(users)
	privileged_cloud_only.deny == set() with input.entra as _entra(users)
}

test_errors_when_a_privileged_group_has_no_collected_members if {
	entra := object.remove(_entra(_cloud_users), ["groupMembers"])
	privileged_cloud_only.error == {"Exchange Administrator is assigned to group 'Ops' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked"} with input.entra as entra
}

test_errors_when_a_privileged_role_goes_to_an_unknown_principal if {
	entra := object.union(_entra(_cloud_users), {"servicePrincipals": []})
	privileged_cloud_only.error == {"Global Administrator has an active assignment to principal sp1, which is not a user, group or service principal in the snapshot, so its holder cannot be checked"} with input.entra as entra
}

test_follows_the_privileged_roles_parameter if {
	users := [_user("u1", "alice@contoso.com", null), _user("u2", "bob@contoso.com", null), _user("u3", "carol@contoso.com", true)]
	privileged_cloud_only.deny == fixtures.tagged(
		{{
			"msg": "carol@contoso.com (Global Reader) is not a cloud-only account: it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)",
			"entity": fixtures.user_entity("u3", "carol@contoso.com"),
		}},
		["1.1.1"],
	) with input.entra as _entra(users)
		with data.posture.config as {"privilegedRoles": [_reader]}
}

test_a_role_scuba_does_not_count_as_highly_privileged_breaks_only_cis if {
	entra := object.union(_entra([_user("u1", "alice@contoso.com", null), _user("u3", "carol@contoso.com", true)]), {
		"roleAssignments": [fixtures.assignment("a2", "u3", fixtures.helpdesk_admin)],
		"roleEligibilitySchedules": [],
	})
	privileged_cloud_only.deny == {{
		"msg": "carol@contoso.com (Helpdesk Administrator) is not a cloud-only account: it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)",
		"entity": fixtures.user_entity("u3", "carol@contoso.com"),
		"controls": ["1.1.1"],
	}} with input.entra as entra
}

test_a_scuba_role_left_out_of_privileged_roles_still_breaks_the_scuba_control if {
	users := [_user("u1", "alice@contoso.com", null), _user("u2", "bob@contoso.com", true)]
	cfg := {"privilegedRoles": [fixtures.global_admin]}
	privileged_cloud_only.deny == set() with input.entra as _entra(users) with data.posture.config as cfg
	privileged_cloud_only.warn == {{
		"msg": "bob@contoso.com (Exchange Administrator, which CISA SCuBA counts as highly privileged) is not a cloud-only account: it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)",
		"entity": fixtures.user_entity("u2", "bob@contoso.com"),
		"controls": ["MS.AAD.7.3v1"],
	}} with input.entra as _entra(users)
		with data.posture.config as cfg
}
