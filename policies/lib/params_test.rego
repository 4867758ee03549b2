package posture.lib.params_test

import data.posture.lib.params

_defaults := {"globalAdminMin": 2, "allowedUserConsentPolicies": ["x"], "flag": true}

test_value_returns_the_configured_parameter if {
	params.value("globalAdminMin") == 3 with data.posture.config as {"globalAdminMin": 3}
		with data.posture.defaults as _defaults
}

test_value_falls_back_to_the_declared_default_when_the_parameter_is_absent if {
	params.value("globalAdminMin") == 2 with data.posture.config as {"other": 1}
		with data.posture.defaults as _defaults
}

test_value_falls_back_when_the_parameter_is_null if {
	params.value("globalAdminMin") == 2 with data.posture.config as {"globalAdminMin": null}
		with data.posture.defaults as _defaults
}

test_value_keeps_falsy_values_that_are_not_null if {
	params.value("allowedUserConsentPolicies") == [] with data.posture.config as {"allowedUserConsentPolicies": []}
		with data.posture.defaults as _defaults
	params.value("flag") == false with data.posture.config as {"flag": false}
		with data.posture.defaults as _defaults
}

test_value_falls_back_when_there_is_no_config if {
	params.value("globalAdminMin") == 2 with data.posture.defaults as _defaults
}

test_value_falls_back_when_the_config_is_not_an_object if {
	params.value("globalAdminMin") == 2 with data.posture.config as ["globalAdminMin"]
		with data.posture.defaults as _defaults
}

test_value_is_undefined_without_a_value_or_a_default if {
	not params.value("undeclared") with data.posture.config as {}
		with data.posture.defaults as _defaults
}

test_the_runner_provides_the_declared_defaults if {
	# go test ./policies and posture test load data.posture.defaults from the rules' METADATA.
	params.value("globalAdminMax") == 8 with data.posture.config as {}
	params.value("privilegedRoles")[0] == "62e90394-69f5-4237-9190-012177145e10" with data.posture.config as {}
}
