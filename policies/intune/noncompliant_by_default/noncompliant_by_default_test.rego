package posture.rules.intune.noncompliant_by_default_test

import data.posture.rules.intune.noncompliant_by_default

_entity := {"type": "setting", "id": "deviceManagement.settings.secureByDefault", "name": "Mark devices with no compliance policy assigned as"}

test_passes_when_devices_without_a_policy_are_not_compliant if {
	noncompliant_by_default.deny == set() with input.intune.deviceManagementSettings as {"deviceComplianceCheckinThresholdDays": 30, "isScheduledActionEnabled": true, "secureByDefault": true}
}

test_fails_when_devices_without_a_policy_are_compliant if {
	noncompliant_by_default.deny == {{
		"msg": "Devices with no compliance policy assigned are marked Compliant, not Not compliant (secureByDefault false), so a device no compliance policy reaches passes every check that requires a compliant device",
		"entity": _entity,
	}} with input.intune.deviceManagementSettings as {"deviceComplianceCheckinThresholdDays": 30, "isScheduledActionEnabled": true, "secureByDefault": false}
}

test_fails_when_the_setting_is_missing_or_null if {
	some v in noncompliant_by_default.deny with input.intune.deviceManagementSettings as {"deviceComplianceCheckinThresholdDays": 30}
	contains(v.msg, "(secureByDefault not set)")
	count(noncompliant_by_default.deny) == 1 with input.intune.deviceManagementSettings as {"secureByDefault": null}
	count(noncompliant_by_default.deny) == 1 with input.intune as {}
}

test_fails_for_a_value_that_is_not_true if {
	some v in noncompliant_by_default.deny with input.intune.deviceManagementSettings as {"secureByDefault": "true"}
	contains(v.msg, `(secureByDefault "true")`)
	count(noncompliant_by_default.deny) == 1 with input.intune.deviceManagementSettings as "odd"
}

test_not_applicable_without_intune if {
	noncompliant_by_default.not_applicable == "The tenant has no Microsoft Intune (service plan INTUNE_A; intune.deviceManagementSettings is unlicensed), so it manages no devices" with input.sources as {"intune.deviceManagementSettings": {"status": "unlicensed"}}
}
