package posture.rules.intune.setting_conflicts_test

import data.posture.rules.intune.setting_conflicts as rule

_asr := "device_vendor_msft_policy_config_defender_attacksurfacereductionrules"

_rule_id := concat("", [_asr, "_blockexecutionofpotentiallyobfuscatedscripts"])

_settings := [{"id": "asr_obfuscated_scripts", "definitionId": _rule_id, "title": "ASR: block obfuscated scripts", "area": "asr", "severity": "high", "expected": {"value": concat("", [_rule_id, "_block"])}}]

_all := [{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}]

_pilot := [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g-pilot"}}]

_sales := [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g-sales"}}]

# _asr_policy is a settings catalog policy with the ASR group collection holding one rule.
_asr_policy(id, mode, assignments) := {
	"id": id, "name": concat(" ", ["ASR", id]), "platforms": "windows10",
	"settings": [{"id": "0", "settingInstance": {
		"@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
		"settingDefinitionId": _asr,
		"groupSettingCollectionValue": [{"children": [{
			"@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
			"settingDefinitionId": _rule_id,
			"choiceSettingValue": {"value": concat("_", [_rule_id, mode]), "children": []},
		}]}],
	}}],
	"assignments": assignments,
}

_intune(ps) := {"configurationPolicies": ps, "intents": [], "deviceConfigurations": []}

test_passes_when_policies_agree if {
	rule.deny == set() with input.intune as _intune([_asr_policy("a", "block", _all), _asr_policy("b", "block", _pilot)])
		with data.posture.baselines.windows.settings as _settings
}

test_fails_naming_both_policies_and_values if {
	[v.msg | some v in rule.deny] == [concat("", [
		"Setting 'ASR: block obfuscated scripts' (", _rule_id, ") is set to ", _rule_id, "_block by settings catalog profile 'ASR a' (assigned to all devices) and to ",
		_rule_id, "_audit by settings catalog profile 'ASR b' (assigned to group g-pilot); devices that get both apply neither",
	])] with input.intune as _intune([_asr_policy("a", "block", _all), _asr_policy("b", "audit", _pilot)])
		with data.posture.baselines.windows.settings as _settings
}

test_policies_for_different_groups_are_not_compared if {
	rule.deny == set() with input.intune as _intune([_asr_policy("a", "block", _sales), _asr_policy("b", "audit", _pilot)])
		with data.posture.baselines.windows.settings as _settings
}

test_an_unassigned_policy_never_conflicts if {
	rule.deny == set() with input.intune as _intune([_asr_policy("a", "block", _all), _asr_policy("b", "audit", [])])
		with data.posture.baselines.windows.settings as _settings
}

test_a_legacy_profile_conflicts_with_a_catalog_profile if {
	dc := {"id": "d1", "displayName": "Old EP", "@odata.type": "#microsoft.graph.windows10EndpointProtectionConfiguration", "defenderScriptObfuscatedMacroCodeType": "auditMode", "assignments": _all}
	s := object.union(_settings[0], {"legacy": {"deviceConfiguration": {"type": "#microsoft.graph.windows10EndpointProtectionConfiguration", "property": "defenderScriptObfuscatedMacroCodeType", "value": "block"}}})
	count(rule.deny) == 1 with input.intune as {"configurationPolicies": [_asr_policy("a", "block", _all)], "intents": [], "deviceConfigurations": [dc]}
		with data.posture.baselines.windows.settings as [s]
}

test_odd_shapes_do_not_break_it if {
	rule.deny == set() with input.intune as {"configurationPolicies": [{"id": "x", "platforms": "windows10", "settings": [{"settingInstance": null}], "assignments": _all}, "junk"], "intents": null, "deviceConfigurations": [1]}
		with data.posture.baselines.windows.settings as _settings
}
