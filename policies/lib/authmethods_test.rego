package posture.lib.authmethods_test

import data.posture.lib.authmethods

_policy := {
	"id": "authenticationMethodsPolicy",
	"policyMigrationState": "migrationInProgress",
	"authenticationMethodConfigurations": [
		{"id": "Sms", "state": "enabled", "includeTargets": [{"targetType": "group", "id": "all_users"}], "excludeTargets": [{"targetType": "group", "id": "g1"}]},
		{"id": "Voice", "state": "disabled", "includeTargets": [], "excludeTargets": []},
		{"id": "Email", "state": "enabled"},
		{"id": "Fido2", "state": "enabled", "includeTargets": [{"targetType": "group", "id": "g2"}, {"targetType": "role", "id": "r1"}]},
		{"id": "Fido2", "state": "disabled"},
		"not a configuration",
	],
}

_groups := [{"id": "g1", "displayName": "Contractors"}, {"id": "g2", "displayName": "Admins"}]

test_config_finds_a_method_ignoring_case if {
	authmethods.config("sms").id == "Sms" with input.entra.authenticationMethodsPolicy as _policy
	authmethods.config("VOICE").state == "disabled" with input.entra.authenticationMethodsPolicy as _policy
}

test_config_is_undefined_for_an_absent_or_duplicated_method if {
	not authmethods.config("MicrosoftAuthenticator") with input.entra.authenticationMethodsPolicy as _policy
	not authmethods.config("Fido2") with input.entra.authenticationMethodsPolicy as _policy
	count(authmethods.named("Fido2")) == 2 with input.entra.authenticationMethodsPolicy as _policy
}

test_enabled_requires_state_enabled if {
	authmethods.enabled("Sms") with input.entra.authenticationMethodsPolicy as _policy
	not authmethods.enabled("Voice") with input.entra.authenticationMethodsPolicy as _policy
	not authmethods.enabled("Missing") with input.entra.authenticationMethodsPolicy as _policy
}

test_unreadable_names_absent_and_duplicated_methods if {
	authmethods.unreadable(["Sms", "Fido2", "MicrosoftAuthenticator"]) == {
		"the authentication methods policy has 2 configurations with id Fido2, so the state of Passkey (FIDO2) is ambiguous",
		"the authentication methods policy has no Microsoft Authenticator configuration (id MicrosoftAuthenticator), so whether the method is enabled is unknown",
	} with input.entra.authenticationMethodsPolicy as _policy
}

test_unreadable_reports_a_missing_policy_once if {
	authmethods.unreadable(["Sms", "Voice"]) == {"entra.authenticationMethodsPolicy is not an object"} with input.entra as {}
	authmethods.unreadable(["Sms"]) == {"entra.authenticationMethodsPolicy has no authenticationMethodConfigurations list, so the state of its methods is unknown"} with input.entra.authenticationMethodsPolicy as {"id": "authenticationMethodsPolicy"}
}

test_migration_state_reads_the_policy if {
	authmethods.migration_state == "migrationInProgress" with input.entra.authenticationMethodsPolicy as _policy
	not authmethods.migration_complete with input.entra.authenticationMethodsPolicy as _policy
	authmethods.migration_complete with input.entra.authenticationMethodsPolicy as {"policyMigrationState": "migrationComplete"}
	not authmethods.migration_state with input.entra.authenticationMethodsPolicy as {"policyMigrationState": null}
}

test_audience_describes_include_and_exclude_targets if {
	authmethods.audience(authmethods.config("Sms")) == "all users except group 'Contractors'" with input.entra.authenticationMethodsPolicy as _policy
		with input.entra.groups as _groups
	authmethods.audience(authmethods.config("Voice")) == "no one (includeTargets is empty)" with input.entra.authenticationMethodsPolicy as _policy
	authmethods.audience(authmethods.config("Email")) == "unknown users (includeTargets is missing)" with input.entra.authenticationMethodsPolicy as _policy
	authmethods.audience(_policy.authenticationMethodConfigurations[3]) == "group 'Admins', role r1" with input.entra.groups as _groups
}

test_target_name_falls_back_to_the_group_id if {
	authmethods.target_name({"targetType": "group", "id": "g9"}) == "group 'g9'" with input.entra.groups as _groups
	authmethods.target_name({"id": "x"}) == "target x"
}

test_label_falls_back_to_the_id if {
	authmethods.label("Email") == "Email OTP"
	authmethods.label("QRCodePin") == "QRCodePin"
}
