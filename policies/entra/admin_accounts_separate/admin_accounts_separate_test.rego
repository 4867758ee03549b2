package posture.rules.entra.admin_accounts_separate_test

import data.posture.lib.fixtures
import data.posture.rules.entra.admin_accounts_separate

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

_e5 := "06ebc4ee-1bb5-47dd-8120-11324bc54e06"

_p2 := "84a661c4-e949-4bd2-a560-ed7766fcaf2b"

_user(id, upn, sync, skus) := {
	"id": id,
	"userPrincipalName": upn,
	"onPremisesSyncEnabled": sync,
	"assignedLicenses": [{"disabledPlans": [], "skuId": s} | some s in skus],
}

# alice: active GA; bob: Exchange Administrator eligible through group Ops; carol: Global Reader
# only (not privileged), licensed and synced.
_entra(users) := {
	"users": users,
	"groups": [fixtures.group("g-ops", "Ops")],
	"groupMembers": {"g-ops": ["u2"]},
	"servicePrincipals": [],
	"subscribedSkus": [
		{"skuId": _e5, "skuPartNumber": "SPE_E5", "capabilityStatus": "Enabled", "servicePlans": []},
		{"skuId": _p2, "skuPartNumber": "AAD_PREMIUM_P2", "capabilityStatus": "Enabled", "servicePlans": []},
	],
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "u3", _reader),
	],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "g-ops", _exo)],
}

_good := [
	_user("u1", "admin-alice@contoso.onmicrosoft.com", null, []),
	_user("u2", "admin-bob@contoso.onmicrosoft.com", false, [_p2]),
	_user("u3", "carol@contoso.com", true, [_e5]),
]

test_passes_for_unlicensed_or_entra_only_cloud_admins if {
	admin_accounts_separate.deny == set() with input.entra as _entra(_good)
	admin_accounts_separate.error == set() with input.entra as _entra(_good)
}

test_fails_for_an_admin_with_a_productivity_licence if {
	users := [_user("u1", "alice@contoso.com", null, [_e5, _p2, "0c266dff-15dd-4b49-8397-2bb16070ed52"]), _good[1]]
	admin_accounts_separate.deny == {{
		"msg": "alice@contoso.com (Global Administrator) is not a dedicated cloud-only admin account: it has licences with applications (0c266dff-15dd-4b49-8397-2bb16070ed52, SPE_E5)",
		"entity": fixtures.user_entity("u1", "alice@contoso.com"),
		"controls": ["1.1.4"],
	}} with input.entra as _entra(users)
}

test_fails_for_a_synchronized_admin_with_every_reason if {
	users := [_good[0], _user("u2", "bob@contoso.com", true, [_e5])]
	admin_accounts_separate.deny == {{
		"msg": "bob@contoso.com (Exchange Administrator) is not a dedicated cloud-only admin account: it has licences with applications (SPE_E5); it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)",
		"entity": fixtures.user_entity("u2", "bob@contoso.com"),
		"controls": ["1.1.1", "1.1.4"],
	}} with input.entra as _entra(users)
}

test_follows_the_allowed_licences_parameter_by_id_or_part_number if {
	users := [_user("u1", "alice@contoso.com", null, [_e5]), _good[1]]
	admin_accounts_separate.deny == set() with input.entra as _entra(users)
		with data.posture.config as {"allowedAdminSkuIds": ["spe_e5", _p2]}
	admin_accounts_separate.deny == set() with input.entra as _entra(users)
		with data.posture.config as {"allowedAdminSkuIds": [upper(_e5), _p2]}

	# Replacing the default list drops Entra ID P2 from it.
	count(admin_accounts_separate.deny) == 1 with input.entra as _entra(_good)
		with data.posture.config as {"allowedAdminSkuIds": []}
}

test_errors_on_an_invalid_allowed_licences_parameter if {
	admin_accounts_separate.error == {`config allowedAdminSkuIds must be a list of skuIds or skuPartNumbers, got "SPE_E5"`} with input.entra as _entra(_good)
		with data.posture.config as {"allowedAdminSkuIds": "SPE_E5"}
}

test_errors_when_an_admin_has_no_licence_or_sync_data if {
	users := [{"id": "u1", "userPrincipalName": "alice@contoso.com"}, _good[1]]
	admin_accounts_separate.error == {
		"alice@contoso.com (Global Administrator) cannot be checked: the snapshot has no assignedLicenses list for it",
		"alice@contoso.com (Global Administrator) cannot be checked: the snapshot has no onPremisesSyncEnabled property for it",
	} with input.entra as _entra(users)
	admin_accounts_separate.deny == set() with input.entra as _entra(users)
}

test_errors_on_null_licences_or_a_licence_without_sku if {
	admin_accounts_separate.error == {"alice@contoso.com (Global Administrator) cannot be checked: the snapshot has no assignedLicenses list for it"} with input.entra as _entra([object.union(_user("u1", "alice@contoso.com", null, []), {"assignedLicenses": null}), _good[1]])
	admin_accounts_separate.error == {"alice@contoso.com (Global Administrator) cannot be checked: one of its assignedLicenses has no skuId"} with input.entra as _entra([object.union(_user("u1", "alice@contoso.com", null, []), {"assignedLicenses": [{"disabledPlans": []}]}), _good[1]])
}

test_ignores_non_privileged_users if {
	users := [_good[0], _good[1], {"id": "u3", "userPrincipalName": "carol@contoso.com"}]
	admin_accounts_separate.deny == set() with input.entra as _entra(users)
	admin_accounts_separate.error == set() with input.entra as _entra(users)
}

test_errors_when_a_privileged_group_has_no_collected_members if {
	entra := object.remove(_entra(_good), ["groupMembers"])
	admin_accounts_separate.error == {"Exchange Administrator is assigned to group 'Ops' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked"} with input.entra as entra
}
