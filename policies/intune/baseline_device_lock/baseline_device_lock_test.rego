package posture.rules.intune.baseline_device_lock_test

import data.posture.rules.intune.baseline_device_lock as rule

_settings := [{"id": "device_password_required", "definitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "title": "Device password required (Device Password Enabled)", "area": "device_lock", "severity": "high", "expected": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0"}}]

_all := [{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}]

_pilot := [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g-pilot"}}]

_excluding := array.concat(_all, [{"target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g-kiosk"}}])

_groups := [{"id": "g-pilot", "displayName": "Pilot devices"}, {"id": "g-kiosk", "displayName": "Kiosks"}]

_policy(id, instance, assignments) := {
	"id": id, "name": concat(" ", ["Profile", id]), "platforms": "windows10", "technologies": "mdm",
	"settings": [{"id": "0", "settingInstance": instance}], "assignments": assignments,
}

_intune(policies) := {"configurationPolicies": policies, "intents": [], "deviceConfigurations": []}

test_passes_when_a_policy_for_all_devices_sets_the_expected_value if {
	rule.deny == set() with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
	rule.coverage == {"covered": 1, "total": 1} with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
}

test_fails_when_no_policy_configures_it if {
	[v.msg | some v in rule.deny] == ["Baseline setting 'Device password required (Device Password Enabled)' (device_password_required) is not enforced on every Windows device: no Windows policy configures it"] with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _settings
	rule.coverage == {"covered": 0, "total": 1} with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _settings
}

test_fails_naming_the_wrong_value_and_the_policy if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_999", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "settings catalog profile 'Profile p1' (assigned to all devices) sets it to device_vendor_msft_policy_config_devicelock_devicepasswordenabled_999, expected")
	v.entity == {"type": "setting", "id": "device_password_required", "name": "Device password required (Device Password Enabled)"}
}

test_fails_when_only_a_group_gets_it if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0", "children": []}}, _pilot)])
		with input.entra.groups as _groups with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "(assigned to group Pilot devices) but other devices are not covered")
}

test_fails_when_a_group_is_excluded if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0", "children": []}}, _excluding)])
		with input.entra.groups as _groups with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "it excludes devices of group(s) Kiosks")
}

test_fails_when_another_assigned_policy_sets_a_different_value if {
	count(rule.deny) == 1 with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0", "children": []}}, _all), _policy("p2", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_999", "children": []}}, _pilot)])
		with input.entra.groups as _groups with data.posture.baselines.windows.settings as _settings
}

test_an_unassigned_policy_counts_for_nothing if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0", "children": []}}, [])])
		with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "sets it (not assigned) but it is not assigned")
}

test_odd_shapes_never_pass if {
	odd := [
		{"id": "p1", "platforms": "windows10", "settings": [{"id": "0"}, {"id": "1", "settingInstance": null}], "assignments": _all},
		_policy("p2", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": null, "children": []}}, _all),
		{"id": "p3", "platforms": null, "settings": null, "assignments": null},
	]
	count(rule.deny) == 1 with input.intune as _intune(odd) with data.posture.baselines.windows.settings as _settings
	rule.coverage == {"covered": 0, "total": 1} with input.intune as _intune(odd) with data.posture.baselines.windows.settings as _settings
}

test_an_org_override_changes_the_expected_value if {
	rule.deny == set() with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_999", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
		with data.posture.config as {"windowsBaseline": {"device_password_required": {"expected": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_999"}}}}
}

test_a_skipped_setting_is_not_checked if {
	rule.not_applicable == "parameter windowsBaseline skips every setting of area device_lock" with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _settings
		with data.posture.config as {"windowsBaseline": {"device_password_required": {"skip": "handled by GPO"}}}
}

test_errors_when_the_baseline_data_is_missing if {
	count(rule.error) == 1 with input.intune as _intune([]) with data.posture.baselines.windows.settings as []
}

test_not_applicable_without_intune if {
	startswith(rule.not_applicable, "The tenant has no Microsoft Intune") with input.sources as {"intune.configurationPolicies": {"status": "unlicensed"}}
		with data.posture.baselines.windows.settings as _settings
}

_cc_settings := [{"id": "blank_passwords_console_only", "definitionId": "device_vendor_msft_policy_config_localpoliciessecurityoptions_accounts_limitlocalaccountuseofblankpasswordstoconsolelogononly", "title": "Local accounts with blank passwords limited to console logon", "area": "device_lock", "severity": "medium", "expected": {"value": "device_vendor_msft_policy_config_localpoliciessecurityoptions_accounts_limitlocalaccountuseofblankpasswordstoconsolelogononly_1"}, "secureScore": ["scid_71"]}, {"id": "device_password_required", "definitionId": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "title": "Device password required (Device Password Enabled)", "area": "device_lock", "severity": "high", "expected": {"value": "device_vendor_msft_policy_config_devicelock_devicepasswordenabled_0"}}]

test_control_coverage_counts_the_enforced_settings_of_each_control if {
	rule.control_coverage == {"scid_71": {"covered": 1, "total": 1}} with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_localpoliciessecurityoptions_accounts_limitlocalaccountuseofblankpasswordstoconsolelogononly", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_localpoliciessecurityoptions_accounts_limitlocalaccountuseofblankpasswordstoconsolelogononly_1", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _cc_settings
}

test_control_coverage_is_zero_without_intune_data if {
	rule.control_coverage == {"scid_71": {"covered": 0, "total": 1}} with input.intune as {}
		with data.posture.baselines.windows.settings as _cc_settings
}

test_control_coverage_leaves_out_a_control_whose_settings_are_skipped if {
	skips := {x.id: {"skip": "handled elsewhere"} | some x in _cc_settings; "secureScore" in object.keys(x)}
	rule.control_coverage == {} with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _cc_settings
		with data.posture.config as {"windowsBaseline": skips}
}

_inactivity := [{"id": "machine_inactivity_limit_900", "definitionId": "device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_machineinactivitylimit_v2", "title": "Machine inactivity limit between 1 and 900 seconds", "area": "device_lock", "severity": "medium", "expected": {"min": 1, "max": 900}, "secureScore": ["scid_28"]}]

_inactivity_policy(seconds) := _policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_machineinactivitylimit_v2", "simpleSettingValue": {"@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue", "value": seconds}}, _all)

test_an_inactivity_limit_of_0_fails if {
	some v in rule.deny with input.intune as _intune([_inactivity_policy(0)]) with data.posture.baselines.windows.settings as _inactivity
	contains(v.msg, "sets it to 0, expected between 1 and 900")
	rule.control_coverage == {"scid_28": {"covered": 0, "total": 1}} with input.intune as _intune([_inactivity_policy(0)]) with data.posture.baselines.windows.settings as _inactivity
}

test_an_inactivity_limit_above_900_fails if {
	count(rule.deny) == 1 with input.intune as _intune([_inactivity_policy(901)]) with data.posture.baselines.windows.settings as _inactivity
}

test_an_inactivity_limit_between_1_and_900_passes if {
	rule.deny == set() with input.intune as _intune([_inactivity_policy(900)]) with data.posture.baselines.windows.settings as _inactivity
	rule.control_coverage == {"scid_28": {"covered": 1, "total": 1}} with input.intune as _intune([_inactivity_policy(300)]) with data.posture.baselines.windows.settings as _inactivity
}
