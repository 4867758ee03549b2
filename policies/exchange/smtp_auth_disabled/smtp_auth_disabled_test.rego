package posture.rules.exchange.smtp_auth_disabled_test

import data.posture.rules.exchange.smtp_auth_disabled

_config(disabled) := {
	"Identity": "Transport Settings",
	"Name": "Transport Settings",
	"SmtpClientAuthenticationDisabled": disabled,
}

test_passes_when_smtp_auth_is_disabled if {
	smtp_auth_disabled.deny == set() with input.exchange.transportConfig as _config(true)
	smtp_auth_disabled.error == set() with input.exchange.transportConfig as _config(true)
}

test_fails_when_smtp_auth_is_allowed if {
	smtp_auth_disabled.deny == {{
		"msg": "SMTP AUTH is allowed for every mailbox (transportConfig.SmtpClientAuthenticationDisabled is false): it accepts a password alone, so MFA cannot protect mail submission",
		"entity": {"type": "setting", "id": "transportConfig.SmtpClientAuthenticationDisabled", "name": "SMTP AUTH (organization)"},
	}} with input.exchange.transportConfig as _config(false)
}

test_errors_when_the_setting_is_missing if {
	smtp_auth_disabled.error == {"exchange.transportConfig.SmtpClientAuthenticationDisabled is null, not true or false"} with input.exchange.transportConfig as _config(null)
	smtp_auth_disabled.deny == set() with input.exchange.transportConfig as _config(null)
}

test_errors_when_the_config_is_not_an_object if {
	smtp_auth_disabled.error == {"exchange.transportConfig is not an object"} with input.exchange.transportConfig as [_config(true)]
}
