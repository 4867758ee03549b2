package posture.rules.entra.app_registration_restricted_test

import data.posture.lib.fixtures
import data.posture.rules.entra.app_registration_restricted

_controls := ["MS.AAD.5.1v1", "5.1.2.2"]

_policy(permissions) := {
	"id": "authorizationPolicy",
	"allowInvitesFrom": "adminsAndGuestInviters",
	"defaultUserRolePermissions": permissions,
}

_entity := {
	"type": "setting",
	"id": "authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps",
	"name": "Users can register applications",
}

test_passes_when_users_cannot_register_apps if {
	p := _policy({"allowedToCreateApps": false, "allowedToCreateTenants": true})
	app_registration_restricted.deny == set() with input.entra.authorizationPolicy as p
	app_registration_restricted.error == set() with input.entra.authorizationPolicy as p
}

test_fails_when_users_can_register_apps if {
	p := _policy({"allowedToCreateApps": true, "allowedToCreateTenants": false})
	app_registration_restricted.deny == fixtures.tagged(
		{{
			"msg": "Every user can register applications (authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps is true), creating app identities with their own credentials that no administrator reviewed",
			"entity": _entity,
		}},
		_controls,
	) with input.entra.authorizationPolicy as p
	app_registration_restricted.error == set() with input.entra.authorizationPolicy as p
}

test_errors_when_the_setting_is_missing_or_null if {
	msg := "authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps is not set, so whether users can register applications is unknown"
	app_registration_restricted.error == {msg} with input.entra.authorizationPolicy as _policy({"allowedToCreateTenants": false})
	app_registration_restricted.error == {msg} with input.entra.authorizationPolicy as _policy({"allowedToCreateApps": null})
	app_registration_restricted.error == {msg} with input.entra.authorizationPolicy as {"id": "authorizationPolicy"}
	app_registration_restricted.error == {msg} with input.entra.authorizationPolicy as _policy(null)
	app_registration_restricted.deny == set() with input.entra.authorizationPolicy as _policy(null)
}

test_errors_when_the_setting_is_not_a_boolean if {
	app_registration_restricted.error == {`authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps is "false"; expected true or false`} with input.entra.authorizationPolicy as _policy({"allowedToCreateApps": "false"})
}

test_errors_when_the_authorization_policy_is_not_an_object if {
	app_registration_restricted.error == {"entra.authorizationPolicy is not an object"} with input.entra.authorizationPolicy as [_policy({"allowedToCreateApps": false})]
}
