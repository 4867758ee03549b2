package posture.lib.intune_test

import data.posture.lib.intune

_all := {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}

_users := {"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}

_filtered := {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterId": "f1", "deviceAndAppManagementAssignmentFilterType": "include"}}

test_all_devices_without_exclusions_covers_every_device if {
	intune.scope({"assignments": [_all]}).all
}

test_all_users_does_not_cover_every_device if {
	sc := intune.scope({"assignments": [_users]})
	not sc.all
	sc.assigned
	intune.scope_text(sc) == "assigned to all users"
	contains(intune.gap_text(sc), "devices without a signed-in licensed user")
}

test_a_filter_narrows_all_devices if {
	sc := intune.scope({"assignments": [_filtered]})
	not sc.all
	intune.gap_text(sc) == "an assignment filter narrows it to some devices"
}

test_only_exclusions_is_not_assigned if {
	sc := intune.scope({"assignments": [{"target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g"}}]})
	not sc.assigned
	intune.scope_text(sc) == "not assigned"
}

test_catalog_values_are_found_at_any_depth if {
	p := {"settings": [{"settingInstance": {"settingDefinitionId": "parent", "choiceSettingValue": {"value": "parent_1", "children": [
		{"settingDefinitionId": "child", "simpleSettingValue": {"value": 14}},
	]}}}]}
	intune.catalog_values(p) == [{"definitionId": "parent", "value": "parent_1"}, {"definitionId": "child", "value": 14}]
}

test_matches_each_kind_of_expectation if {
	intune.matches({"value": "a"}, "a")
	intune.matches({"values": ["a", "b"]}, "b")
	intune.matches({"min": 14}, 15)
	intune.matches({"max": 900}, 600)
	intune.matches({"equals": 3}, 3)
	not intune.matches({"min": 14}, "15")
	not intune.matches({"value": "a"}, null)
}

test_a_range_needs_both_bounds if {
	intune.matches({"min": 1, "max": 900}, 1)
	intune.matches({"min": 1, "max": 900}, 900)
	not intune.matches({"min": 1, "max": 900}, 0)
	not intune.matches({"min": 1, "max": 900}, 901)
	not intune.matches({"min": 1, "max": 900}, "600")
	intune.expected_text({"min": 1, "max": 900}) == "between 1 and 900"
}

test_a_collection_matches_when_it_holds_the_value if {
	intune.matches({"value": "a"}, ["b", "a"])
	not intune.matches({"value": "a"}, ["b"])
	not intune.matches({"value": "a"}, [])
}

test_collection_values_are_read if {
	raw := {"settings": [
		{"settingInstance": {"settingDefinitionId": "c", "choiceSettingCollectionValue": [{"value": "c_1", "children": []}, {"value": "c_2", "children": []}]}},
		{"settingInstance": {"settingDefinitionId": "s", "simpleSettingCollectionValue": [{"@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue", "value": "x"}]}},
		{"settingInstance": {"settingDefinitionId": "e", "choiceSettingCollectionValue": null}},
	]}
	intune.catalog_values(raw) == [{"definitionId": "c", "value": ["c_1", "c_2"]}, {"definitionId": "s", "value": ["x"]}, {"definitionId": "e", "value": null}]
}

test_control_coverage_counts_settings_per_control if {
	settings := [
		{"id": "a", "definitionId": "d_a", "title": "A", "area": "x", "severity": "low", "expected": {"value": "d_a_1"}, "secureScore": ["scid_1", "scid_2"]},
		{"id": "b", "definitionId": "d_b", "title": "B", "area": "x", "severity": "low", "expected": {"value": "d_b_1"}, "secureScore": ["scid_2"]},
		{"id": "c", "definitionId": "d_c", "title": "C", "area": "x", "severity": "low", "expected": {"value": "d_c_1"}},
		{"id": "d", "definitionId": "d_d", "title": "D", "area": "y", "severity": "low", "expected": {"value": "d_d_1"}, "secureScore": ["scid_3"]},
	]
	policy := {"id": "p", "name": "P", "platforms": "windows10", "assignments": [_all], "settings": [{"settingInstance": {"settingDefinitionId": "d_a", "choiceSettingValue": {"value": "d_a_1"}}}]}
	intune.control_coverage("x") == {"scid_1": {"covered": 1, "total": 1}, "scid_2": {"covered": 1, "total": 2}} with input.intune as {"configurationPolicies": [policy]}
		with data.posture.baselines.windows.settings as settings
	intune.control_coverage("x") == {"scid_1": {"covered": 0, "total": 1}, "scid_2": {"covered": 0, "total": 2}} with input.intune as {}
		with data.posture.baselines.windows.settings as settings
	intune.control_coverage("z") == {} with data.posture.baselines.windows.settings as settings
}

test_intent_values_are_decoded_from_value_json if {
	s := {"id": "x", "definitionId": "d", "title": "X", "area": "a", "expected": {"value": "d_1"}, "legacy": {"intent": {"definitionId": "deviceConfiguration--t_p", "value": true}}}
	i := {"id": "i1", "displayName": "Old baseline", "settings": [{"definitionId": "deviceConfiguration--t_p", "valueJson": "true"}], "assignments": [_all]}
	[f.ok | some f in intune.found(s)] == [true] with input.intune.intents as [i]
}

test_a_legacy_mapping_without_value_compares_with_expected if {
	s := {"id": "x", "definitionId": "d", "title": "X", "area": "a", "expected": {"min": 14}, "legacy": {"deviceConfiguration": {"type": "#microsoft.graph.windows10GeneralConfiguration", "property": "passwordMinimumLength"}}}
	dc := {"id": "c1", "displayName": "Restrictions", "@odata.type": "#microsoft.graph.windows10GeneralConfiguration", "passwordMinimumLength": 8, "assignments": [_all]}
	[f.ok | some f in intune.found(s)] == [false] with input.intune.deviceConfigurations as [dc]
}

test_a_dotted_legacy_property_is_a_path if {
	s := {"id": "x", "definitionId": "d", "title": "X", "area": "a", "expected": {"value": "d_true"}, "legacy": {"deviceConfiguration": {"type": "#microsoft.graph.windows10EndpointProtectionConfiguration", "property": "firewallProfileDomain.firewallEnabled", "value": "allowed"}}}
	dc := {"id": "c1", "displayName": "EP", "@odata.type": "#microsoft.graph.windows10EndpointProtectionConfiguration", "firewallProfileDomain": {"firewallEnabled": "allowed"}, "assignments": [_all]}
	intune.enforced(s) with input.intune.deviceConfigurations as [dc]
}

test_non_windows_policies_are_ignored if {
	count(intune.policies) == 0 with input.intune as {
		"configurationPolicies": [{"id": "m", "platforms": "macOS", "settings": []}],
		"deviceConfigurations": [{"id": "i", "@odata.type": "#microsoft.graph.iosGeneralDeviceConfiguration"}],
	}
}

_three := {"settings": [
	{"id": "a1", "area": "a", "definitionId": "d1", "expected": {"value": 1}},
	{"id": "a2", "area": "a", "definitionId": "d2", "expected": {"value": 1}},
	{"id": "b1", "area": "b", "definitionId": "d3", "expected": {"value": 1}},
]}

# checked and skipped split each area, in the baseline's order; an area without settings has
# neither.
test_checked_and_skipped_split_each_area if {
	skip := {"windowsBaseline": {"a2": {"skip": "handled by GPO"}}}
	[s.id | some s in intune.checked("a")] == ["a1"] with data.posture.baselines.windows as _three with data.posture.config as skip
	[s.id | some s in intune.skipped("a")] == ["a2"] with data.posture.baselines.windows as _three with data.posture.config as skip
	[s.id | some s in intune.checked("b")] == ["b1"] with data.posture.baselines.windows as _three with data.posture.config as skip
	intune.skipped("b") == [] with data.posture.baselines.windows as _three with data.posture.config as skip
	intune.checked("c") == [] with data.posture.baselines.windows as _three with data.posture.config as skip
	[s.id | some s in intune.checked("a")] == ["a1", "a2"] with data.posture.baselines.windows as _three with data.posture.config as {}
}

# found lists what a settings catalog policy sets for a setting, and nothing for a setting no
# policy sets (no key in _catalog_by_definition).
test_found_reads_only_the_ids_policies_set if {
	p := {"id": "p1", "name": "P", "platforms": "windows10", "assignments": [_all], "settings": [
		{"settingInstance": {"settingDefinitionId": "d1", "choiceSettingValue": {"value": 1}}},
		{"settingInstance": {"settingDefinitionId": "other", "choiceSettingValue": {"value": 2}}},
	]}
	fs := intune.found(_three.settings[0]) with data.posture.baselines.windows as _three with input.intune as {"configurationPolicies": [p]}
	[[f.policy.id, f.value, f.ok] | some f in fs] == [["p1", 1, true]]
	intune.found(_three.settings[1]) == [] with data.posture.baselines.windows as _three with input.intune as {"configurationPolicies": [p]}
}
