package posture.lib.params_test

import data.posture.lib.params

test_value_returns_the_configured_parameter if {
	params.value("globalAdminMin", 2) == 3 with data.posture.config as {"globalAdminMin": 3}
}

test_value_falls_back_when_the_parameter_is_absent if {
	params.value("globalAdminMin", 2) == 2 with data.posture.config as {"other": 1}
}

test_value_falls_back_when_the_parameter_is_null if {
	params.value("globalAdminMin", 2) == 2 with data.posture.config as {"globalAdminMin": null}
}

test_value_keeps_falsy_values_that_are_not_null if {
	params.value("allowedUserConsentPolicies", ["x"]) == [] with data.posture.config as {"allowedUserConsentPolicies": []}
	params.value("flag", true) == false with data.posture.config as {"flag": false}
}

test_value_falls_back_when_there_is_no_config if {
	params.value("globalAdminMin", 2) == 2
}

test_value_falls_back_when_the_config_is_not_an_object if {
	params.value("globalAdminMin", 2) == 2 with data.posture.config as ["globalAdminMin"]
}
