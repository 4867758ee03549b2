package posture.rules.exchange.customer_lockbox_test

import data.posture.lib.fixtures
import data.posture.lib.licenses
import data.posture.rules.exchange.customer_lockbox

_skus(plan_ids) := fixtures.skus(plan_ids)

_e5 := _skus([licenses.customer_lockbox, licenses.entra_id_p2])

_e3 := _skus([licenses.entra_id_p1])

_config(enabled) := {"Identity": "contoso.onmicrosoft.com", "CustomerLockBoxEnabled": enabled}

test_passes_when_lockbox_is_on if {
	customer_lockbox.deny == set() with input.exchange.organizationConfig as _config(true)
		with input.entra.subscribedSkus as _e5
	not customer_lockbox.not_applicable with input.exchange.organizationConfig as _config(true)
		with input.entra.subscribedSkus as _e5
}

test_fails_when_lockbox_is_off_and_licensed if {
	customer_lockbox.deny == {{
		"msg": "Customer Lockbox is off (organizationConfig.CustomerLockBoxEnabled is false): Microsoft support engineers can be granted access to mailbox and file content without anyone in the organization approving it",
		"entity": {"type": "setting", "id": "organizationConfig.CustomerLockBoxEnabled", "name": "Customer Lockbox"},
	}} with input.exchange.organizationConfig as _config(false)
		with input.entra.subscribedSkus as _e5
}

test_is_not_applicable_without_the_lockbox_plan if {
	customer_lockbox.not_applicable == "the tenant has no Customer Lockbox licence (service plan LOCKBOX_ENTERPRISE, in Microsoft 365 E5, Microsoft 365 E5 Compliance, Office 365 E5), so the setting cannot be turned on" with input.exchange.organizationConfig as _config(false)
		with input.entra.subscribedSkus as _e3
}

test_unknown_setting_without_licence_is_not_an_error if {
	customer_lockbox.error == set() with input.exchange.organizationConfig as {"Identity": "x"}
		with input.entra.subscribedSkus as _e3
}

test_errors_when_the_setting_is_missing_and_licensed if {
	customer_lockbox.error == {"exchange.organizationConfig.CustomerLockBoxEnabled is null, not true or false"} with input.exchange.organizationConfig as {"Identity": "x"}
		with input.entra.subscribedSkus as _e5
}
