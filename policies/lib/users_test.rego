package posture.lib.users_test

import data.posture.lib.fixtures
import data.posture.lib.users

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.disabled("u2", "bob@contoso.com"),
	fixtures.guest("u3", "carol@contoso.com"),
	fixtures.guest("u4", "dave_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
	fixtures.member("u5", "erin_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
	{"id": "u6", "accountEnabled": true, "userType": "Member"},
	{"id": "u7", "userPrincipalName": "frank@contoso.com", "userType": "Member"},
	{"id": "u8", "userPrincipalName": "grace@contoso.com", "accountEnabled": null, "userType": "Member"},
	{"id": "u9", "userPrincipalName": "heidi@contoso.com", "accountEnabled": true, "userType": null},
	{"id": "u10", "userPrincipalName": "ivan@contoso.com", "accountEnabled": true},
	{"id": "u11", "userPrincipalName": "judy@contoso.com", "accountEnabled": false, "userType": null},
]

test_enabled_member_ids_leaves_out_only_known_disabled_users_and_guests if {
	users.enabled_member_ids == {"u1", "u5", "u6", "u7", "u8", "u9", "u10"} with input.entra.users as _users
}

test_enabled_member_ids_counts_users_without_account_enabled if {
	# Missing data must not shrink the population a rule has to cover.
	users.enabled_member_ids == {"u7", "u8"} with input.entra.users as [_users[6], _users[7]]
}

test_enabled_member_ids_counts_users_without_user_type_as_members if {
	users.enabled_member_ids == {"u9", "u10"} with input.entra.users as [_users[8], _users[9], _users[10]]
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
	users.upns({"u3", "u1", "u99"}) == "alice@contoso.com, carol@contoso.com, u99" with input.entra.users as _users
}

test_enabled_requires_account_enabled_true if {
	users.enabled("u1") with input.entra.users as _users
	not users.enabled("u2") with input.entra.users as _users
	not users.enabled("u7") with input.entra.users as _users
	not users.enabled("u8") with input.entra.users as _users
	not users.enabled("missing") with input.entra.users as _users
}

test_disabled_requires_account_enabled_false if {
	users.disabled("u2") with input.entra.users as _users
	not users.disabled("u1") with input.entra.users as _users
	not users.disabled("u7") with input.entra.users as _users
	not users.disabled("u8") with input.entra.users as _users
	not users.disabled("missing") with input.entra.users as _users
}

test_guests_need_user_type_guest if {
	users.guest_ids == {"u3", "u4"} with input.entra.users as _users
	not users.external_kind("u9") with input.entra.users as _users
	not users.external_kind("u10") with input.entra.users as _users
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

test_kind_unknown_ids_are_users_without_either_property_and_without_ext if {
	known := [
		object.union(fixtures.member("u12", "kim@contoso.com"), {"externalUserState": null, "creationType": null}),
		object.union(fixtures.member("u13", "lee@contoso.com"), {"creationType": null}),
		object.union(fixtures.guest("u14", "mo@contoso.com"), {"externalUserState": "Accepted"}),
	]
	users.kind_unknown_ids == {"u1", "u2", "u3", "u6", "u7", "u8", "u9", "u10", "u11"} with input.entra.users as array.concat(_users, known)
	users.kind_unknown_ids == set() with input.entra.users as known
}
