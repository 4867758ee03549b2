package posture.rules.entra.app_certificate_lifetime_limited_test

import data.posture.lib.fixtures
import data.posture.rules.entra.app_certificate_lifetime_limited

_keys(state, after, lifetime) := fixtures.app_restrictions([], [fixtures.app_restriction("asymmetricKeyLifetime", state, after, lifetime)])

test_passes_when_certificates_are_limited_to_366_days if {
	policy := fixtures.app_default_policy(true, _keys("enabled", fixtures.all_apps, "P366D"))
	app_certificate_lifetime_limited.deny == set() with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
	app_certificate_lifetime_limited.error == set() with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_passes_when_the_default_and_an_assigned_custom_policy_limit_certificates if {
	custom := fixtures.app_custom_policy("p1", "Partner apps", true, fixtures.app_hardened, ["a1"])
	app_certificate_lifetime_limited.deny == set() with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, fixtures.app_hardened)
		with input.entra.appManagementPolicies as [custom]
}

test_fails_when_certificates_may_live_two_years if {
	policy := fixtures.app_default_policy(true, _keys("enabled", fixtures.all_apps, "P730D"))
	"The default app management policy does not limit certificate lifetime to 365 days or less for applications: its applicationRestrictions let certificates be valid for 730 days (maxLifetime P730D); 365 days or less is a maxLifetime of P366D at most, as Entra compares with less-than" in fixtures.msgs(app_certificate_lifetime_limited.deny) with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_fails_when_no_certificate_lifetime_is_set if {
	policy := fixtures.app_default_policy(true, fixtures.app_restrictions([], []))
	fixtures.msgs(app_certificate_lifetime_limited.deny) == {
		"The default app management policy does not limit certificate lifetime to 365 days or less for applications: its applicationRestrictions have no asymmetricKeyLifetime restriction",
		"The default app management policy does not limit certificate lifetime to 365 days or less for service principals: its servicePrincipalRestrictions have no asymmetricKeyLifetime restriction",
	} with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_fails_when_the_limit_spares_older_applications if {
	policy := fixtures.app_default_policy(true, _keys("enabled", "2026-06-01T00:00:00Z", "P366D"))
	count(app_certificate_lifetime_limited.deny) == 2 with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}

test_fails_when_an_assigned_custom_policy_allows_longer_certificates if {
	custom := fixtures.app_custom_policy("p1", "Legacy ERP", true, _keys("enabled", fixtures.all_apps, "P1095D"), ["a1"])
	fixtures.msgs(app_certificate_lifetime_limited.deny) == {"Custom app management policy 'Legacy ERP' applies to 1 application or service principal in place of the default policy and does not limit certificate lifetime to 365 days or less: its restrictions let certificates be valid for 1095 days (maxLifetime P1095D); 365 days or less is a maxLifetime of P366D at most, as Entra compares with less-than"} with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, fixtures.app_hardened)
		with input.entra.appManagementPolicies as [custom]
}

test_errors_when_the_enabled_flag_is_missing if {
	policy := object.remove(fixtures.app_default_policy(true, fixtures.app_hardened), ["isEnabled"])
	app_certificate_lifetime_limited.error == {"entra.defaultAppManagementPolicy.isEnabled is null; expected true or false"} with input.entra.defaultAppManagementPolicy as policy
		with input.entra.appManagementPolicies as []
}
