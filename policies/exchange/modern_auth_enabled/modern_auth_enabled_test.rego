package posture.rules.exchange.modern_auth_enabled_test

import data.posture.rules.exchange.modern_auth_enabled

_config(enabled) := {
	"Identity": "contoso.onmicrosoft.com",
	"Name": "contoso.onmicrosoft.com",
	"OAuth2ClientProfileEnabled": enabled,
}

test_passes_when_modern_auth_is_on if {
	modern_auth_enabled.deny == set() with input.exchange.organizationConfig as _config(true)
	modern_auth_enabled.error == set() with input.exchange.organizationConfig as _config(true)
}

test_fails_when_modern_auth_is_off if {
	modern_auth_enabled.deny == {{
		"msg": "Modern authentication is off for Outlook (organizationConfig.OAuth2ClientProfileEnabled is false): Outlook signs in with basic authentication, which MFA and Conditional Access cannot protect",
		"entity": {"type": "setting", "id": "organizationConfig.OAuth2ClientProfileEnabled", "name": "Modern authentication for Outlook"},
	}} with input.exchange.organizationConfig as _config(false)
}

test_errors_when_the_setting_is_missing if {
	modern_auth_enabled.error == {"exchange.organizationConfig.OAuth2ClientProfileEnabled is null, not true or false"} with input.exchange.organizationConfig as {"Identity": "contoso.onmicrosoft.com"}
}

test_errors_when_the_setting_is_not_a_boolean if {
	modern_auth_enabled.error == {"exchange.organizationConfig.OAuth2ClientProfileEnabled is [true], not true or false"} with input.exchange.organizationConfig as _config([true])
}
