package posture.rules.entra.weak_auth_methods_disabled_test

import data.posture.lib.fixtures
import data.posture.rules.entra.weak_auth_methods_disabled

_all_users := [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}]

_sms(state) := {
	"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration",
	"id": "Sms",
	"state": state,
	"excludeTargets": [],
	"includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false, "isUsableForSignIn": false}],
}

_voice(state) := {
	"@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration",
	"id": "Voice",
	"state": state,
	"isOfficePhoneAllowed": false,
	"excludeTargets": [],
	"includeTargets": _all_users,
}

_email(state) := {
	"@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration",
	"id": "Email",
	"state": state,
	"allowExternalIdToUseEmailOtp": "default",
	"excludeTargets": [],
	"includeTargets": _all_users,
}

_fido2 := {"id": "Fido2", "state": "enabled", "excludeTargets": [], "includeTargets": _all_users}

_policy(configs) := {
	"id": "authenticationMethodsPolicy",
	"policyMigrationState": "migrationComplete",
	"authenticationMethodConfigurations": configs,
}

_hardened := _policy([_fido2, _sms("disabled"), _voice("disabled"), _email("disabled")])

_groups := [
	fixtures.group("g-field", "Field staff"),
	fixtures.group("g-contractors", "Contractors"),
]

_entity(id, name) := {"type": "setting", "id": sprintf("authenticationMethodsPolicy/authenticationMethodConfigurations/%s", [id]), "name": name}

test_passes_when_sms_voice_and_email_are_disabled if {
	weak_auth_methods_disabled.deny == set() with input.entra.authenticationMethodsPolicy as _hardened
	weak_auth_methods_disabled.error == set() with input.entra.authenticationMethodsPolicy as _hardened
}

test_fails_once_per_enabled_method if {
	policy := _policy([_fido2, _sms("enabled"), _voice("enabled"), _email("enabled")])
	weak_auth_methods_disabled.deny == fixtures.tagged(
		{
			{"msg": "SMS is enabled as an authentication method for all users", "entity": _entity("Sms", "SMS authentication method")},
			{"msg": "Voice call is enabled as an authentication method for all users", "entity": _entity("Voice", "Voice call authentication method")},
			{"msg": "Email OTP is enabled as an authentication method for all users", "entity": _entity("Email", "Email OTP authentication method")},
		},
		["MS.AAD.3.5v2", "5.2.3.5"],
	) with input.entra.authenticationMethodsPolicy as policy
}

test_fails_before_the_migration_for_an_enabled_method_under_both_controls if {
	# MS.AAD.3.5v2 applies whatever the migration state (v1 applied only after it); the
	# unfinished migration is posture's own judgement.
	policy := object.union(_policy([_fido2, _sms("enabled"), _voice("disabled"), _email("disabled")]), {"policyMigrationState": "migrationInProgress"})
	{[d.entity.id, d.controls] | some d in weak_auth_methods_disabled.deny} == {
		["authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", ["MS.AAD.3.5v2", "5.2.3.5"]],
		["authenticationMethodsPolicy.policyMigrationState", ["posture"]],
	} with input.entra.authenticationMethodsPolicy as policy
}

test_names_the_groups_a_method_is_enabled_for if {
	sms := object.union(_sms("enabled"), {
		"includeTargets": [{"targetType": "group", "id": "g-field", "isUsableForSignIn": true}],
		"excludeTargets": [{"targetType": "group", "id": "g-contractors"}],
	})
	policy := _policy([sms, _voice("disabled"), _email("disabled")])
	{d.msg | some d in weak_auth_methods_disabled.deny} == {"SMS is enabled as an authentication method for group 'Field staff' except group 'Contractors', and usable to sign in without a password (isUsableForSignIn) by group 'Field staff'"} with input.entra.authenticationMethodsPolicy as policy
		with input.entra.groups as _groups
}

test_names_office_phones_for_voice_calls if {
	voice := object.union(_voice("enabled"), {"isOfficePhoneAllowed": true})
	policy := _policy([_sms("disabled"), voice, _email("disabled")])
	{d.msg | some d in weak_auth_methods_disabled.deny} == {"Voice call is enabled as an authentication method for all users, including calls to office phones (isOfficePhoneAllowed)"} with input.entra.authenticationMethodsPolicy as policy
}

test_fails_for_an_enabled_method_that_targets_no_one if {
	email := object.union(_email("enabled"), {"includeTargets": []})
	policy := _policy([_sms("disabled"), _voice("disabled"), email])
	{d.msg | some d in weak_auth_methods_disabled.deny} == {"Email OTP is enabled as an authentication method for no one (includeTargets is empty)"} with input.entra.authenticationMethodsPolicy as policy
}

test_fails_when_the_migration_is_not_complete if {
	policy := object.union(_hardened, {"policyMigrationState": "migrationInProgress"})
	weak_auth_methods_disabled.deny == {{
		"msg": `The migration to the authentication methods policy is not complete (policyMigrationState is "migrationInProgress"), so the legacy MFA and SSPR policies may still allow text message, phone call and email codes whatever the authentication methods policy says`,
		"entity": {"type": "setting", "id": "authenticationMethodsPolicy.policyMigrationState", "name": "Authentication methods: Manage migration"},
		"controls": ["posture"],
	}} with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_a_method_configuration_is_absent if {
	policy := _policy([_fido2, _sms("disabled"), _email("disabled")])
	weak_auth_methods_disabled.error == {"the authentication methods policy has no Voice call configuration (id Voice), so whether the method is enabled is unknown"} with input.entra.authenticationMethodsPolicy as policy
	weak_auth_methods_disabled.deny == set() with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_a_method_appears_twice if {
	policy := _policy([_sms("disabled"), _sms("enabled"), _voice("disabled"), _email("disabled")])
	weak_auth_methods_disabled.error == {"the authentication methods policy has 2 configurations with id Sms, so the state of SMS is ambiguous"} with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_a_state_is_missing_or_unexpected if {
	sms := object.remove(_sms("disabled"), ["state"])
	policy := _policy([sms, _voice("Disabled"), _email("disabled")])
	weak_auth_methods_disabled.error == {
		`the SMS configuration has state null; expected "enabled" or "disabled"`,
		`the Voice call configuration has state "Disabled"; expected "enabled" or "disabled"`,
	} with input.entra.authenticationMethodsPolicy as policy
	weak_auth_methods_disabled.deny == set() with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_the_configuration_list_is_missing if {
	policy := object.remove(_hardened, ["authenticationMethodConfigurations"])
	weak_auth_methods_disabled.error == {"entra.authenticationMethodsPolicy has no authenticationMethodConfigurations list, so the state of its methods is unknown"} with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_the_migration_state_is_null if {
	policy := object.union(_hardened, {"policyMigrationState": null})
	weak_auth_methods_disabled.error == {"entra.authenticationMethodsPolicy.policyMigrationState is null, so whether the legacy MFA and SSPR policies still allow SMS, voice call and email codes is unknown"} with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_the_policy_is_not_an_object if {
	weak_auth_methods_disabled.error == {"entra.authenticationMethodsPolicy is not an object"} with input.entra.authenticationMethodsPolicy as null
	weak_auth_methods_disabled.deny == set() with input.entra.authenticationMethodsPolicy as null
}
