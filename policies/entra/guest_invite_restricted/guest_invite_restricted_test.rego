package posture.rules.entra.guest_invite_restricted_test

import data.posture.lib.fixtures
import data.posture.rules.entra.guest_invite_restricted

_controls := ["MS.AAD.8.2v1", "5.1.6.3"]

_policy(from) := {"id": "authorizationPolicy", "guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3", "allowInvitesFrom": from}

_entity := {"type": "setting", "id": "authorizationPolicy.allowInvitesFrom", "name": "Guest invite restrictions"}

test_passes_when_only_admins_and_guest_inviters_can_invite if {
	guest_invite_restricted.deny == set() with input.entra.authorizationPolicy as _policy("adminsAndGuestInviters")
	guest_invite_restricted.error == set() with input.entra.authorizationPolicy as _policy("adminsAndGuestInviters")
}

test_passes_when_nobody_can_invite if {
	guest_invite_restricted.deny == set() with input.entra.authorizationPolicy as _policy("none")
}

test_fails_when_everyone_can_invite if {
	guest_invite_restricted.deny == fixtures.tagged(
		{{
			"msg": "Anyone in the organization, including guests, can invite guest users (authorizationPolicy.allowInvitesFrom is everyone), so guests are added without an approval step",
			"entity": _entity,
		}},
		_controls,
	) with input.entra.authorizationPolicy as _policy("everyone")
}

test_fails_when_all_members_can_invite if {
	guest_invite_restricted.deny == fixtures.tagged(
		{{
			"msg": "Every member user, besides admins and Guest Inviters, can invite guest users (authorizationPolicy.allowInvitesFrom is adminsGuestInvitersAndAllMembers), so guests are added without an approval step",
			"entity": _entity,
		}},
		_controls,
	) with input.entra.authorizationPolicy as _policy("adminsGuestInvitersAndAllMembers")
}

test_fails_for_an_unknown_value if {
	guest_invite_restricted.deny == fixtures.tagged(
		{{
			"msg": "Guest invitations are not limited to admins and Guest Inviters (authorizationPolicy.allowInvitesFrom is unknownFutureValue, expected adminsAndGuestInviters or none)",
			"entity": _entity,
		}},
		_controls,
	) with input.entra.authorizationPolicy as _policy("unknownFutureValue")
}

test_errors_when_the_setting_is_missing_or_null if {
	msg := "authorizationPolicy.allowInvitesFrom is not set, so who can invite guests is unknown"
	guest_invite_restricted.error == {msg} with input.entra.authorizationPolicy as _policy(null)
	guest_invite_restricted.error == {msg} with input.entra.authorizationPolicy as {"id": "authorizationPolicy"}
	guest_invite_restricted.deny == set() with input.entra.authorizationPolicy as _policy(null)
}

test_errors_when_the_setting_is_not_a_string if {
	guest_invite_restricted.error == {"authorizationPolicy.allowInvitesFrom is [\"everyone\"]; expected a string"} with input.entra.authorizationPolicy as _policy(["everyone"])
}

test_errors_when_the_authorization_policy_is_not_an_object if {
	guest_invite_restricted.error == {"entra.authorizationPolicy is not an object"} with input.entra.authorizationPolicy as []
}
