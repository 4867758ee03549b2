package posture.rules.entra.app_password_addition_blocked_test

import data.posture.lib.fixtures
import data.posture.rules.entra.app_password_addition_blocked

_addition(state, after) := fixtures.app_restriction("passwordAddition", state, after, null)

_set(restrictions) := fixtures.app_restrictions(restrictions, [])

_blocked := _set([_addition("enabled", fixtures.all_apps)])

_entity(set) := {
	"type": "setting",
	"id": sprintf("defaultAppManagementPolicy.%s.passwordCredentials", [set]),
	"name": sprintf("Application policies: passwordAddition (%s)", [{"applicationRestrictions": "applications", "servicePrincipalRestrictions": "service principals"}[set]]),
}

test_passes_when_the_default_policy_blocks_passwords_for_every_application if {
	app_password_addition_blocked.deny == set() with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _blocked)
		with input.entra.appManagementPolicies as []
	app_password_addition_blocked.error == set() with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _blocked)
		with input.entra.appManagementPolicies as []
}

test_passes_with_a_null_start_date if {
	app_password_addition_blocked.deny == set() with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _set([_addition("enabled", null)]))
		with input.entra.appManagementPolicies as []
}

test_passes_when_an_assigned_custom_policy_blocks_passwords_too if {
	custom := fixtures.app_custom_policy("p1", "Partner apps", true, fixtures.app_hardened, ["a1"])
	app_password_addition_blocked.deny == set() with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _blocked)
		with input.entra.appManagementPolicies as [custom]
}

test_passes_when_a_custom_policy_that_allows_passwords_is_assigned_to_nothing if {
	custom := fixtures.app_custom_policy("p1", "Unused", true, _set([]), [])
	app_password_addition_blocked.deny == set() with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _blocked)
		with input.entra.appManagementPolicies as [custom]
}

test_fails_when_the_default_policy_is_off if {
	app_password_addition_blocked.deny == {{
		"msg": "The tenant's default app management policy is off (isEnabled false), so none of its restrictions apply and applications and service principals can be given passwords (client secrets)",
		"entity": {"type": "setting", "id": "defaultAppManagementPolicy.isEnabled", "name": "Application policies (the default app management policy)"},
	}} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(false, _blocked)
		with input.entra.appManagementPolicies as []
}

test_fails_once_per_restriction_set_without_the_restriction if {
	app_password_addition_blocked.deny == {
		{
			"msg": "The default app management policy does not block password addition for applications: its applicationRestrictions have no passwordAddition restriction",
			"entity": _entity("applicationRestrictions"),
		},
		{
			"msg": "The default app management policy does not block password addition for service principals: its servicePrincipalRestrictions have no passwordAddition restriction",
			"entity": _entity("servicePrincipalRestrictions"),
		},
	} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, null)
		with input.entra.appManagementPolicies as []
}

test_fails_when_the_restriction_is_turned_off_for_service_principals if {
	policy := object.union(fixtures.app_default_policy(true, _blocked), {"servicePrincipalRestrictions": _set([_addition("disabled", fixtures.all_apps)])})
	fixtures.msgs(app_password_addition_blocked.deny) == {`The default app management policy does not block password addition for service principals: its servicePrincipalRestrictions have the passwordAddition restriction turned off (state "disabled")`} with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_fails_when_the_block_spares_older_applications if {
	policy := fixtures.app_default_policy(true, _set([_addition("enabled", "2025-01-01T00:00:00Z")]))
	"The default app management policy does not block password addition for applications: its applicationRestrictions apply the passwordAddition restriction only to those created after 2025-01-01T00:00:00Z (restrictForAppsCreatedAfterDateTime), so older ones are exempt" in fixtures.msgs(app_password_addition_blocked.deny) with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

# An assigned custom policy replaces the default for its objects: one without the restriction
# exempts them, although it disables nothing.
test_fails_when_an_assigned_custom_policy_does_not_block_passwords if {
	custom := fixtures.app_custom_policy("p1", "Legacy ERP", true, _set([fixtures.app_restriction("passwordLifetime", "enabled", fixtures.all_apps, "P90D")]), ["a1", "a2"])
	app_password_addition_blocked.deny == {{
		"msg": "Custom app management policy 'Legacy ERP' applies to 2 applications or service principals in place of the default policy and does not block password addition: its restrictions have no passwordAddition restriction",
		"entity": {"type": "policy", "id": "p1", "name": "Legacy ERP"},
	}} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _blocked)
		with input.entra.appManagementPolicies as [custom]
}

test_fails_when_an_assigned_custom_policy_is_off if {
	custom := fixtures.app_custom_policy("p1", "Legacy ERP", false, _blocked, ["a1"])
	fixtures.msgs(app_password_addition_blocked.deny) == {"Custom app management policy 'Legacy ERP' applies to 1 application or service principal in place of the default policy and does not block password addition: it is off (isEnabled false)"} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _blocked)
		with input.entra.appManagementPolicies as [custom]
}

test_errors_when_the_default_policy_is_not_an_object if {
	app_password_addition_blocked.error == {"entra.defaultAppManagementPolicy is not an object"} with input.entra.defaultAppManagementPolicy as [fixtures.app_default_policy(true, _blocked)]
		with input.entra.appManagementPolicies as []
}

test_errors_when_a_restriction_has_no_state if {
	policy := fixtures.app_default_policy(true, _set([object.remove(_addition("enabled", fixtures.all_apps), ["state"])]))
	app_password_addition_blocked.error == {
		"the passwordAddition restriction in entra.defaultAppManagementPolicy.applicationRestrictions has state null; expected enabled or disabled",
		"the passwordAddition restriction in entra.defaultAppManagementPolicy.servicePrincipalRestrictions has state null; expected enabled or disabled",
	} with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_errors_when_a_custom_policy_lacks_its_assignments if {
	custom := object.remove(fixtures.app_custom_policy("p1", "Legacy ERP", true, _blocked, ["a1"]), ["appliesTo"])
	app_password_addition_blocked.error == {"entra.appManagementPolicies[0] is not an object with an appliesTo array"} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _blocked)
		with input.entra.appManagementPolicies as [custom]
}

test_errors_when_a_restriction_set_is_not_an_object if {
	policy := object.union(fixtures.app_default_policy(true, _blocked), {"applicationRestrictions": "blocked"})
	app_password_addition_blocked.error == {`entra.defaultAppManagementPolicy.applicationRestrictions is "blocked"; expected an object or null`} with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}
