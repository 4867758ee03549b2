package posture.rules.entra.tenant_creation_restricted_test

import data.posture.rules.entra.tenant_creation_restricted

_policy(permissions) := {"id": "authorizationPolicy", "defaultUserRolePermissions": permissions}

_entity := {
	"type": "setting",
	"id": "authorizationPolicy.defaultUserRolePermissions.allowedToCreateTenants",
	"name": "Restrict non-admin users from creating tenants",
}

test_passes_when_users_cannot_create_tenants if {
	p := _policy({"allowedToCreateApps": true, "allowedToCreateTenants": false})
	tenant_creation_restricted.deny == set() with input.entra.authorizationPolicy as p
	tenant_creation_restricted.error == set() with input.entra.authorizationPolicy as p
}

test_fails_when_users_can_create_tenants if {
	p := _policy({"allowedToCreateApps": false, "allowedToCreateTenants": true})
	tenant_creation_restricted.deny == {{
		"msg": "Every user can create new Microsoft Entra tenants and become their Global Administrator (authorizationPolicy.defaultUserRolePermissions.allowedToCreateTenants is true)",
		"entity": _entity,
	}} with input.entra.authorizationPolicy as p
}

test_errors_when_the_setting_is_missing_or_null if {
	msg := "authorizationPolicy.defaultUserRolePermissions.allowedToCreateTenants is not set, so whether users can create tenants is unknown"
	tenant_creation_restricted.error == {msg} with input.entra.authorizationPolicy as _policy({"allowedToCreateApps": false})
	tenant_creation_restricted.error == {msg} with input.entra.authorizationPolicy as _policy({"allowedToCreateTenants": null})
	tenant_creation_restricted.error == {msg} with input.entra.authorizationPolicy as {"id": "authorizationPolicy"}
	tenant_creation_restricted.deny == set() with input.entra.authorizationPolicy as {"id": "authorizationPolicy"}
}

test_errors_when_the_setting_is_not_a_boolean if {
	tenant_creation_restricted.error == {`authorizationPolicy.defaultUserRolePermissions.allowedToCreateTenants is "no"; expected true or false`} with input.entra.authorizationPolicy as _policy({"allowedToCreateTenants": "no"})
}

test_errors_when_the_authorization_policy_is_not_an_object if {
	tenant_creation_restricted.error == {"entra.authorizationPolicy is not an object"} with input.entra.authorizationPolicy as "authorizationPolicy"
}
