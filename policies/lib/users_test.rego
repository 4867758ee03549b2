package posture.lib.users_test

import data.posture.lib.users

_users := [
	{"id": "u1", "userPrincipalName": "alice@contoso.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u2", "userPrincipalName": "bob@contoso.com", "accountEnabled": false, "userType": "Member"},
	{"id": "u3", "userPrincipalName": "carol@contoso.com", "accountEnabled": true, "userType": "Guest"},
	{"id": "u4", "userPrincipalName": "dave_fabrikam.com#EXT#@contoso.onmicrosoft.com", "accountEnabled": true, "userType": "Guest"},
	{"id": "u5", "userPrincipalName": "erin_fabrikam.com#EXT#@contoso.onmicrosoft.com", "accountEnabled": true, "userType": "Member"},
	{"id": "u6", "accountEnabled": true, "userType": "Member"},
	{"id": "u7", "userPrincipalName": "frank@contoso.com", "userType": "Member"},
]

test_enabled_member_ids_holds_only_enabled_members if {
	users.enabled_member_ids == {"u1", "u5", "u6"} with input.entra.users as _users
}

test_enabled_member_ids_is_empty_without_users if {
	users.enabled_member_ids == set() with input.entra as {}
}

test_by_id_indexes_users if {
	users.by_id.u3.userPrincipalName == "carol@contoso.com" with input.entra.users as _users
}

test_upn_falls_back_to_the_id if {
	users.upn("u1") == "alice@contoso.com" with input.entra.users as _users
	users.upn("u6") == "u6" with input.entra.users as _users
	users.upn("missing") == "missing" with input.entra.users as _users
}

test_upns_lists_sorted_upns if {
	users.upns({"u3", "u1", "u9"}) == "alice@contoso.com, carol@contoso.com, u9" with input.entra.users as _users
}

test_enabled_requires_account_enabled_true if {
	users.enabled("u1") with input.entra.users as _users
	not users.enabled("u2") with input.entra.users as _users
	not users.enabled("u7") with input.entra.users as _users
	not users.enabled("missing") with input.entra.users as _users
}

test_external_kind_tells_guests_apart if {
	not users.external_kind("u1") with input.entra.users as _users
	users.external_kind("u3") == "internalGuest" with input.entra.users as _users
	users.external_kind("u4") == "b2bCollaborationGuest" with input.entra.users as _users
	users.external_kind("u5") == "b2bCollaborationMember" with input.entra.users as _users
}

test_external_kind_ids_groups_users_by_kind if {
	users.external_kind_ids == {
		"internalGuest": {"u3"},
		"b2bCollaborationGuest": {"u4"},
		"b2bCollaborationMember": {"u5"},
	} with input.entra.users as _users
}
