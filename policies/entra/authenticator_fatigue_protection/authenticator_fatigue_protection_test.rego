package posture.rules.entra.authenticator_fatigue_protection_test

import data.posture.lib.fixtures
import data.posture.rules.entra.authenticator_fatigue_protection

_controls := ["MS.AAD.3.3v2", "5.2.3.1"]

_nobody := {"targetType": "group", "id": "00000000-0000-0000-0000-000000000000"}

_all := {"targetType": "group", "id": "all_users"}

_feature(state) := {"state": state, "includeTarget": _all, "excludeTarget": _nobody}

_authenticator(state, app, location) := {
	"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
	"id": "MicrosoftAuthenticator",
	"state": state,
	"isSoftwareOathEnabled": false,
	"featureSettings": {
		"displayAppInformationRequiredState": app,
		"displayLocationInformationRequiredState": location,
	},
	"excludeTargets": [],
	"includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false, "authenticationMode": "any"}],
}

_policy(authenticator, migration) := {
	"id": "authenticationMethodsPolicy",
	"policyMigrationState": migration,
	"authenticationMethodConfigurations": [
		{"id": "Fido2", "state": "enabled", "includeTargets": [], "excludeTargets": []},
		authenticator,
	],
}

_hardened := _policy(_authenticator("enabled", _feature("enabled"), _feature("enabled")), "migrationComplete")

_groups := [
	fixtures.group("g-pilot", "Authenticator pilot"),
	fixtures.group("g-contractors", "Contractors"),
]

_app_entity := {
	"type": "setting",
	"id": "authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator/featureSettings/displayAppInformationRequiredState",
	"name": "Microsoft Authenticator: Show application name in push and passwordless notifications",
}

_location_entity := {
	"type": "setting",
	"id": "authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator/featureSettings/displayLocationInformationRequiredState",
	"name": "Microsoft Authenticator: Show geographic location in push and passwordless notifications",
}

test_passes_when_application_and_location_are_shown_to_all_users if {
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as _hardened
	authenticator_fatigue_protection.error == set() with input.entra.authenticationMethodsPolicy as _hardened
	not authenticator_fatigue_protection.not_applicable with input.entra.authenticationMethodsPolicy as _hardened
}

test_fails_when_the_settings_are_microsoft_managed if {
	policy := _policy(_authenticator("enabled", _feature("default"), _feature("default")), "migrationComplete")
	authenticator_fatigue_protection.deny == fixtures.tagged(
		{
			{
				"msg": `Microsoft Authenticator notifications do not show the application name: Show application name in push and passwordless notifications is Microsoft managed (featureSettings.displayAppInformationRequiredState.state "default"), which Microsoft documents as disabled`,
				"entity": _app_entity,
			},
			{
				"msg": `Microsoft Authenticator notifications do not show the geographic location: Show geographic location in push and passwordless notifications is Microsoft managed (featureSettings.displayLocationInformationRequiredState.state "default"), which Microsoft documents as disabled`,
				"entity": _location_entity,
			},
		},
		_controls,
	) with input.entra.authenticationMethodsPolicy as policy
}

test_fails_when_location_is_disabled if {
	policy := _policy(_authenticator("enabled", _feature("enabled"), _feature("disabled")), "migrationComplete")
	authenticator_fatigue_protection.deny == fixtures.tagged(
		{{
			"msg": `Microsoft Authenticator notifications do not show the geographic location: Show geographic location in push and passwordless notifications is disabled (featureSettings.displayLocationInformationRequiredState.state "disabled")`,
			"entity": _location_entity,
		}},
		_controls,
	) with input.entra.authenticationMethodsPolicy as policy
}

test_fails_when_a_setting_targets_one_group if {
	app := object.union(_feature("enabled"), {"includeTarget": {"targetType": "group", "id": "g-pilot"}})
	policy := _policy(_authenticator("enabled", app, _feature("enabled")), "migrationComplete")
	authenticator_fatigue_protection.deny == fixtures.tagged(
		{{
			"msg": "Microsoft Authenticator notifications show the application name only to group 'Authenticator pilot' (featureSettings.displayAppInformationRequiredState.includeTarget), not to all users",
			"entity": _app_entity,
		}},
		_controls,
	) with input.entra.authenticationMethodsPolicy as policy
		with input.entra.groups as _groups
}

test_fails_when_a_setting_excludes_a_group if {
	location := object.union(_feature("enabled"), {"excludeTarget": {"targetType": "group", "id": "g-contractors"}})
	policy := _policy(_authenticator("enabled", _feature("enabled"), location), "migrationComplete")
	authenticator_fatigue_protection.deny == fixtures.tagged(
		{{
			"msg": "Microsoft Authenticator notifications do not show the geographic location to group 'Contractors', which featureSettings.displayLocationInformationRequiredState.excludeTarget excludes",
			"entity": _location_entity,
		}},
		_controls,
	) with input.entra.authenticationMethodsPolicy as policy
		with input.entra.groups as _groups
}

test_is_not_applicable_when_authenticator_is_disabled_after_migration if {
	policy := _policy(_authenticator("disabled", _feature("default"), _feature("default")), "migrationComplete")
	authenticator_fatigue_protection.not_applicable == "Microsoft Authenticator is disabled in the authentication methods policy and the migration to that policy is complete, so no user can receive Authenticator notifications" with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.error == set() with input.entra.authenticationMethodsPolicy as policy
}

test_checks_a_disabled_authenticator_before_migration_is_complete if {
	policy := _policy(_authenticator("disabled", _feature("enabled"), _feature("default")), "preMigration")
	not authenticator_fatigue_protection.not_applicable with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.deny == fixtures.tagged(
		{{
			"msg": `Microsoft Authenticator notifications do not show the geographic location: Show geographic location in push and passwordless notifications is Microsoft managed (featureSettings.displayLocationInformationRequiredState.state "default"), which Microsoft documents as disabled; Microsoft Authenticator is disabled in the authentication methods policy, but until the migration to that policy is complete the legacy MFA policy may still send its notifications`,
			"entity": _location_entity,
		}},
		_controls,
	) with input.entra.authenticationMethodsPolicy as policy
}

test_checks_a_disabled_authenticator_when_the_migration_state_is_unknown if {
	policy := _policy(_authenticator("disabled", _feature("default"), _feature("enabled")), null)
	not authenticator_fatigue_protection.not_applicable with input.entra.authenticationMethodsPolicy as policy
	count(authenticator_fatigue_protection.deny) == 1 with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_feature_settings_are_missing if {
	authenticator := object.remove(_authenticator("enabled", null, null), ["featureSettings"])
	policy := _policy(authenticator, "migrationComplete")
	authenticator_fatigue_protection.error == {"the Microsoft Authenticator configuration has no featureSettings, so whether its notifications show the application name and location is unknown"} with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_a_feature_setting_is_null if {
	policy := _policy(_authenticator("enabled", null, _feature("enabled")), "migrationComplete")
	authenticator_fatigue_protection.error == {"featureSettings.displayAppInformationRequiredState of the Microsoft Authenticator configuration is missing, so whether its notifications show the application name is unknown"} with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_a_feature_state_is_missing if {
	app := object.remove(_feature("enabled"), ["state"])
	policy := _policy(_authenticator("enabled", app, _feature("enabled")), "migrationComplete")
	authenticator_fatigue_protection.error == {"featureSettings.displayAppInformationRequiredState.state of the Microsoft Authenticator configuration is null, so whether its notifications show the application name is unknown"} with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_a_target_is_missing if {
	location := object.union(_feature("enabled"), {"excludeTarget": null})
	policy := _policy(_authenticator("enabled", _feature("enabled"), location), "migrationComplete")
	authenticator_fatigue_protection.error == {"featureSettings.displayLocationInformationRequiredState.excludeTarget of the Microsoft Authenticator configuration has no target id, so whom the setting applies to is unknown"} with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_the_authenticator_configuration_is_absent if {
	policy := object.union(_hardened, {"authenticationMethodConfigurations": [{"id": "Fido2", "state": "enabled"}]})
	authenticator_fatigue_protection.error == {"the authentication methods policy has no Microsoft Authenticator configuration (id MicrosoftAuthenticator), so whether the method is enabled is unknown"} with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as policy
	not authenticator_fatigue_protection.not_applicable with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_the_authenticator_state_is_unexpected if {
	policy := _policy(_authenticator(null, _feature("default"), _feature("default")), "migrationComplete")
	authenticator_fatigue_protection.error == {`the Microsoft Authenticator configuration has state null; expected "enabled" or "disabled"`} with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_the_policy_is_not_an_object if {
	authenticator_fatigue_protection.error == {"entra.authenticationMethodsPolicy is not an object"} with input.entra.authenticationMethodsPolicy as "authenticationMethodsPolicy"
}

test_authenticator_one_time_passcodes_break_only_the_scuba_control if {
	policy := _policy(object.union(_authenticator("enabled", _feature("enabled"), _feature("enabled")), {"isSoftwareOathEnabled": true}), "migrationComplete")
	authenticator_fatigue_protection.deny == set() with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.warn == {{
		"msg": "Microsoft Authenticator one-time passcodes are allowed (authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator/isSoftwareOathEnabled is true), which CISA SCuBA MS.AAD.3.3v2 turns off",
		"entity": {
			"type": "setting",
			"id": "authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator/isSoftwareOathEnabled",
			"name": "Microsoft Authenticator: Allow use of Microsoft Authenticator OTP",
		},
		"controls": ["MS.AAD.3.3v2"],
	}} with input.entra.authenticationMethodsPolicy as policy
	authenticator_fatigue_protection.warn == set() with input.entra.authenticationMethodsPolicy as _hardened
}

test_errors_when_the_one_time_passcode_setting_is_missing if {
	policy := _policy(object.remove(_authenticator("enabled", _feature("enabled"), _feature("enabled")), ["isSoftwareOathEnabled"]), "migrationComplete")
	authenticator_fatigue_protection.error == {"authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator/isSoftwareOathEnabled is null, so whether Authenticator one-time passcodes are allowed is unknown"} with input.entra.authenticationMethodsPolicy as policy
}
