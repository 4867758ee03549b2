package posture.rules.breakglass.phishing_resistant_method_test

import data.posture.lib.fixtures
import data.posture.rules.breakglass.phishing_resistant_method

_entra(details) := {
	"users": [
		{"id": "bg1", "userPrincipalName": "bg1@contoso.onmicrosoft.com"},
		{"id": "bg2", "userPrincipalName": "bg2@contoso.onmicrosoft.com"},
	],
	"groups": [],
	"groupMembers": {},
	"userRegistrationDetails": details,
}

_entry(id, methods) := {"id": id, "userPrincipalName": sprintf("%s@contoso.onmicrosoft.com", [id]), "isMfaCapable": true, "methodsRegistered": methods}

_config := {"breakGlass": {"users": ["bg1", "bg2"]}}

test_passes_when_both_accounts_have_a_security_key_or_passkey if {
	entra := _entra([_entry("bg1", ["fido2"]), _entry("bg2", ["passKeyDeviceBound", "mobilePhone"])])
	phishing_resistant_method.deny == set() with input.entra as entra with data.posture.config as _config
	phishing_resistant_method.error == set() with input.entra as entra with data.posture.config as _config
}

test_every_documented_phishing_resistant_value_passes if {
	every m in phishing_resistant_method.phishing_resistant {
		phishing_resistant_method.deny == set() with input.entra as _entra([_entry("bg1", [m]), _entry("bg2", [m])])
			with data.posture.config as _config
	}
}

test_uses_the_engine_index_when_present if {
	index := {"bg1": _entry("bg1", ["fido2"]), "bg2": _entry("bg2", ["windowsHelloForBusiness"])}
	phishing_resistant_method.deny == set() with input.entra as _entra([])
		with input.derived.registrationById as index
		with data.posture.config as _config
}

test_fails_with_only_phishable_methods if {
	entra := _entra([_entry("bg1", ["fido2"]), _entry("bg2", ["mobilePhone", "microsoftAuthenticatorPush", "passKeySynced"])])
	phishing_resistant_method.deny == {{
		"msg": "break-glass account bg2@contoso.onmicrosoft.com has no phishing-resistant authentication method registered (registered: microsoftAuthenticatorPush, mobilePhone, passKeySynced); register a FIDO2 security key (passkey) or set up certificate-based authentication",
		"entity": fixtures.user_entity("bg2", "bg2@contoso.onmicrosoft.com"),
	}} with input.entra as entra
		with data.posture.config as _config
}

test_fails_with_nothing_registered if {
	entra := _entra([_entry("bg1", ["fido2"]), _entry("bg2", [])])
	some d in phishing_resistant_method.deny with input.entra as entra with data.posture.config as _config
	d.msg == "break-glass account bg2@contoso.onmicrosoft.com has no phishing-resistant authentication method registered (nothing is registered); register a FIDO2 security key (passkey) or set up certificate-based authentication"
}

test_errors_when_the_report_has_no_entry if {
	entra := _entra([_entry("bg1", ["fido2"])])
	phishing_resistant_method.error == {"the registration report (entra.userRegistrationDetails) has no entry for break-glass account bg2@contoso.onmicrosoft.com, so its methods cannot be checked"} with input.entra as entra
		with data.posture.config as _config
	phishing_resistant_method.deny == set() with input.entra as entra with data.posture.config as _config
}

test_errors_when_methods_are_missing if {
	entra := _entra([_entry("bg1", ["fido2"]), {"id": "bg2", "methodsRegistered": null}])
	phishing_resistant_method.error == {"the registration report entry of break-glass account bg2@contoso.onmicrosoft.com has no methodsRegistered list, so its methods cannot be checked"} with input.entra as entra
		with data.posture.config as _config
}

test_is_not_applicable_without_declared_accounts if {
	phishing_resistant_method.not_applicable with input.entra as _entra([])
	phishing_resistant_method.error == set() with input.entra as _entra([])
}
