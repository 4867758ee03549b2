package posture.rules.entra.guest_access_restricted_test

import data.posture.lib.fixtures
import data.posture.rules.entra.guest_access_restricted

_controls := ["MS.AAD.8.1v1", "5.1.6.2"]

_policy(role) := {"id": "authorizationPolicy", "allowInvitesFrom": "everyone", "guestUserRoleId": role}

_entity := {"type": "setting", "id": "authorizationPolicy.guestUserRoleId", "name": "Guest user access restrictions"}

test_passes_for_limited_and_restricted_guest_access if {
	guest_access_restricted.deny == set() with input.entra.authorizationPolicy as _policy("10dae51f-b6af-4016-8d66-8c2a99b929b3")
	guest_access_restricted.deny == set() with input.entra.authorizationPolicy as _policy("2af84b1e-32c8-42b7-82bc-daa82404023b")
	guest_access_restricted.deny == set() with input.entra.authorizationPolicy as _policy("2AF84B1E-32C8-42B7-82BC-DAA82404023B")
	guest_access_restricted.error == set() with input.entra.authorizationPolicy as _policy("2af84b1e-32c8-42b7-82bc-daa82404023b")
}

test_fails_when_guests_have_the_same_access_as_members if {
	guest_access_restricted.deny == fixtures.tagged(
		{{
			"msg": "Guest users have the same access to the directory as members (authorizationPolicy.guestUserRoleId is a0b1b346-4d3e-4e8b-98f8-753987be4970), so any guest can enumerate all users, groups and memberships",
			"entity": _entity,
		}},
		_controls,
	) with input.entra.authorizationPolicy as _policy("a0b1b346-4d3e-4e8b-98f8-753987be4970")
}

test_fails_for_an_unknown_guest_role if {
	guest_access_restricted.deny == fixtures.tagged(
		{{
			"msg": "Guest user access is not a known restricted level (authorizationPolicy.guestUserRoleId is 00000000-0000-0000-0000-000000000000, expected 10dae51f-b6af-4016-8d66-8c2a99b929b3 limited or 2af84b1e-32c8-42b7-82bc-daa82404023b restricted)",
			"entity": _entity,
		}},
		_controls,
	) with input.entra.authorizationPolicy as _policy("00000000-0000-0000-0000-000000000000")
}

test_errors_when_the_guest_role_is_missing_or_null if {
	msg := "authorizationPolicy.guestUserRoleId is not set, so the guest access level is unknown"
	guest_access_restricted.error == {msg} with input.entra.authorizationPolicy as _policy(null)
	guest_access_restricted.error == {msg} with input.entra.authorizationPolicy as {"id": "authorizationPolicy"}
	guest_access_restricted.deny == set() with input.entra.authorizationPolicy as _policy(null)
}

test_errors_when_the_guest_role_is_not_a_string if {
	guest_access_restricted.error == {"authorizationPolicy.guestUserRoleId is 3; expected a role id string"} with input.entra.authorizationPolicy as _policy(3)
}

test_errors_when_the_authorization_policy_is_not_an_object if {
	guest_access_restricted.error == {"entra.authorizationPolicy is not an object"} with input.entra.authorizationPolicy as null
}
