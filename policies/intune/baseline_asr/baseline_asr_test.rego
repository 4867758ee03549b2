package posture.rules.intune.baseline_asr_test

import data.posture.rules.intune.baseline_asr as rule

_settings := [{"id": "asr_obfuscated_scripts", "definitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "title": "ASR: block execution of potentially obfuscated scripts", "area": "asr", "severity": "high", "expected": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block"}}]

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
	rule.deny == set() with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
	rule.coverage == {"covered": 1, "total": 1} with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
}

test_fails_when_no_policy_configures_it if {
	[v.msg | some v in rule.deny] == ["Baseline setting 'ASR: block execution of potentially obfuscated scripts' (asr_obfuscated_scripts) is not enforced on every Windows device: no Windows policy configures it"] with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _settings
	rule.coverage == {"covered": 0, "total": 1} with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _settings
}

test_fails_naming_the_wrong_value_and_the_policy if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_999", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "settings catalog profile 'Profile p1' (assigned to all devices) sets it to device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_999, expected")
	v.entity == {"type": "setting", "id": "asr_obfuscated_scripts", "name": "ASR: block execution of potentially obfuscated scripts"}
}

test_fails_when_only_a_group_gets_it if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block", "children": []}}, _pilot)])
		with input.entra.groups as _groups with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "(assigned to group Pilot devices) but other devices are not covered")
}

test_fails_when_a_group_is_excluded if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block", "children": []}}, _excluding)])
		with input.entra.groups as _groups with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "it excludes devices of group(s) Kiosks")
}

test_fails_when_another_assigned_policy_sets_a_different_value if {
	count(rule.deny) == 1 with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block", "children": []}}, _all), _policy("p2", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_999", "children": []}}, _pilot)])
		with input.entra.groups as _groups with data.posture.baselines.windows.settings as _settings
}

test_an_unassigned_policy_counts_for_nothing if {
	some v in rule.deny with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block", "children": []}}, [])])
		with data.posture.baselines.windows.settings as _settings
	contains(v.msg, "sets it (not assigned) but it is not assigned")
}

test_odd_shapes_never_pass if {
	odd := [
		{"id": "p1", "platforms": "windows10", "settings": [{"id": "0"}, {"id": "1", "settingInstance": null}], "assignments": _all},
		_policy("p2", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": null, "children": []}}, _all),
		{"id": "p3", "platforms": null, "settings": null, "assignments": null},
	]
	count(rule.deny) == 1 with input.intune as _intune(odd) with data.posture.baselines.windows.settings as _settings
	rule.coverage == {"covered": 0, "total": 1} with input.intune as _intune(odd) with data.posture.baselines.windows.settings as _settings
}

test_an_org_override_changes_the_expected_value if {
	rule.deny == set() with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_999", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _settings
		with data.posture.config as {"windowsBaseline": {"asr_obfuscated_scripts": {"expected": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_999"}}}}
}

test_a_skipped_setting_is_not_checked if {
	rule.not_applicable == "parameter windowsBaseline skips every setting of area asr" with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _settings
		with data.posture.config as {"windowsBaseline": {"asr_obfuscated_scripts": {"skip": "handled by GPO"}}}
}

test_errors_when_the_baseline_data_is_missing if {
	count(rule.error) == 1 with input.intune as _intune([]) with data.posture.baselines.windows.settings as []
}

test_not_applicable_without_intune if {
	startswith(rule.not_applicable, "The tenant has no Microsoft Intune") with input.sources as {"intune.configurationPolicies": {"status": "unlicensed"}}
		with data.posture.baselines.windows.settings as _settings
}

_cc_settings := [{"id": "asr_obfuscated_scripts", "definitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "title": "ASR: block execution of potentially obfuscated scripts", "area": "asr", "severity": "high", "expected": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block"}, "secureScore": ["scid_2505"]}, {"id": "asr_win32_api_from_office_macros", "definitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockwin32apicallsfromofficemacros", "title": "ASR: block Win32 API calls from Office macros", "area": "asr", "severity": "high", "expected": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockwin32apicallsfromofficemacros_block"}}]

test_control_coverage_counts_the_enforced_settings_of_each_control if {
	rule.control_coverage == {"scid_2505": {"covered": 1, "total": 1}} with input.intune as _intune([_policy("p1", {"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance", "settingDefinitionId": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts", "choiceSettingValue": {"value": "device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutionofpotentiallyobfuscatedscripts_block", "children": []}}, _all)])
		with data.posture.baselines.windows.settings as _cc_settings
}

test_control_coverage_is_zero_without_intune_data if {
	rule.control_coverage == {"scid_2505": {"covered": 0, "total": 1}} with input.intune as {}
		with data.posture.baselines.windows.settings as _cc_settings
}

test_control_coverage_leaves_out_a_control_whose_settings_are_skipped if {
	skips := {x.id: {"skip": "handled elsewhere"} | some x in _cc_settings; "secureScore" in object.keys(x)}
	rule.control_coverage == {} with input.intune as _intune([])
		with data.posture.baselines.windows.settings as _cc_settings
		with data.posture.config as {"windowsBaseline": skips}
}
