package posture.rules.entra.app_password_lifetime_limited_test

import data.posture.lib.fixtures
import data.posture.rules.entra.app_password_lifetime_limited

_lifetime(state, lifetime) := fixtures.app_restriction("passwordLifetime", state, fixtures.all_apps, lifetime)

_set(restrictions) := fixtures.app_restrictions(restrictions, [])

test_passes_when_passwords_are_limited_to_181_days if {
	policy := fixtures.app_default_policy(true, _set([_lifetime("enabled", "P181D")]))
	app_password_lifetime_limited.deny == set() with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
	app_password_lifetime_limited.error == set() with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
	not app_password_lifetime_limited.not_applicable with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_passes_with_a_lifetime_in_days_and_hours if {
	policy := fixtures.app_default_policy(true, _set([_lifetime("enabled", "P90DT12H")]))
	app_password_lifetime_limited.deny == set() with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_not_applicable_when_password_addition_is_blocked_everywhere if {
	app_password_lifetime_limited.not_applicable == "password addition is blocked for every application and service principal (MS.AAD.5.5v1), so no application password lifetime applies" with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, fixtures.app_hardened)
		with input.entra.appManagementPolicies as []
}

# A custom policy that lets its applications add passwords brings the lifetime back in play.
test_fails_when_an_assigned_custom_policy_allows_passwords_without_a_lifetime if {
	custom := fixtures.app_custom_policy("p1", "Legacy ERP", true, _set([]), ["a1"])
	not app_password_lifetime_limited.not_applicable with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, fixtures.app_hardened)
		with input.entra.appManagementPolicies as [custom]
	fixtures.msgs(app_password_lifetime_limited.deny) == {"Custom app management policy 'Legacy ERP' applies to 1 application or service principal in place of the default policy and does not limit password lifetime to 180 days or less: its restrictions have no passwordLifetime restriction"} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, fixtures.app_hardened)
		with input.entra.appManagementPolicies as [custom]
}

test_fails_when_passwords_may_live_a_year if {
	policy := fixtures.app_default_policy(true, _set([_lifetime("enabled", "P365D")]))
	app_password_lifetime_limited.deny == {
		{
			"msg": "The default app management policy does not limit password lifetime to 180 days or less for applications: its applicationRestrictions let passwords be valid for 365 days (maxLifetime P365D); 180 days or less is a maxLifetime of P181D at most, as Entra compares with less-than",
			"entity": {"type": "setting", "id": "defaultAppManagementPolicy.applicationRestrictions.passwordCredentials", "name": "Application policies: passwordLifetime (applications)"},
		},
		{
			"msg": "The default app management policy does not limit password lifetime to 180 days or less for service principals: its servicePrincipalRestrictions let passwords be valid for 365 days (maxLifetime P365D); 180 days or less is a maxLifetime of P181D at most, as Entra compares with less-than",
			"entity": {"type": "setting", "id": "defaultAppManagementPolicy.servicePrincipalRestrictions.passwordCredentials", "name": "Application policies: passwordLifetime (service principals)"},
		},
	} with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_fails_one_hour_over_the_limit if {
	policy := fixtures.app_default_policy(true, _set([_lifetime("enabled", "P181DT1H")]))
	count(app_password_lifetime_limited.deny) == 2 with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_fails_when_the_default_policy_is_off if {
	fixtures.msgs(app_password_lifetime_limited.deny) == {"The tenant's default app management policy is off (isEnabled false), so none of its restrictions apply and application passwords (client secrets) can be valid for any length of time"} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(false, fixtures.app_hardened)
		with input.entra.appManagementPolicies as []
}

test_errors_when_the_lifetime_is_not_a_duration if {
	policy := fixtures.app_default_policy(true, _set([_lifetime("enabled", "6 months")]))
	app_password_lifetime_limited.error == {
		`the passwordLifetime restriction in entra.defaultAppManagementPolicy.applicationRestrictions has maxLifetime "6 months"; expected an ISO 8601 duration such as P181D`,
		`the passwordLifetime restriction in entra.defaultAppManagementPolicy.servicePrincipalRestrictions has maxLifetime "6 months"; expected an ISO 8601 duration such as P181D`,
	} with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_errors_when_the_policies_are_not_a_list if {
	app_password_lifetime_limited.error == {"entra.appManagementPolicies is not an array"} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, _set([_lifetime("enabled", "P30D")]))
		with input.entra.appManagementPolicies as {}
}
