package posture.lib.intune_compliance_test

import data.posture.lib.intune_compliance as ic

test_version_pads_to_four_numbers if {
	ic.version("10.0.19045") == [10, 0, 19045, 0]
	ic.version("10.0.19045.5487") == [10, 0, 19045, 5487]
	ic.version("10") == [10, 0, 0, 0]
}

test_version_is_undefined_for_text_that_is_not_a_version if {
	not ic.version("Windows 11")
	not ic.version("10.0.19045.1.2")
	not ic.version("")
	not ic.version(10)
	not ic.version(null)
}

test_version_at_least_compares_numbers_in_order if {
	ic.version_at_least("10.0.19045", "10.0.19045")
	ic.version_at_least("10.0.22631", "10.0.19045")
	ic.version_at_least("10.0.19045.5487", "10.0.19045")
	ic.version_at_least("10.0.100000", "10.0.99999")
	ic.version_at_least("11.0.1", "10.0.26100")
	not ic.version_at_least("10.0.17763", "10.0.19045")
	not ic.version_at_least("10.0.19045", "10.0.19045.1")
	not ic.version_at_least("6.3.9600", "10.0.0")
	not ic.version_at_least("junk", "10.0.19045")
}

test_scope_names_all_targets_groups_and_exclusions if {
	all := {"assignments": [{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}, {"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}]}
	ic.scope(all) == "all devices and all users" with input.entra.groups as []
	ic.covers_all(all)
	excl := {"assignments": [{"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}, {"target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": "g1"}}]}
	ic.scope(excl) == "all users but excludes group 'Kiosks'" with input.entra.groups as [{"id": "g1", "displayName": "Kiosks"}]
	not ic.covers_all(excl)
}

test_listed_sorts_by_device_name_and_caps if {
	devices := [{"id": "3", "deviceName": "b"}, {"id": "1", "deviceName": "C"}, {"id": "2", "deviceName": "a"}]
	[d.id | some d in ic.listed(devices)] == ["2", "3", "1"]
	[d.id | some d in ic.listed(devices)] == ["2"] with data.posture.config as {"maxListedDevices": 1}
	[d.id | some d in ic.listed(devices)] == ["2", "3"] with data.posture.config as {}
		with data.posture.defaults.maxListedDevices as 2
}

test_a_filter_id_without_a_filter_type_narrows_the_target if {
	p := {"assignments": [{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterId": "f1"}}]}
	not ic.covers_all(p)
	ic.scope(p) == "all devices only through an assignment filter"
}

test_scope_prefers_groups_over_a_filtered_all_target if {
	p := {"assignments": [
		{"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterId": "f1", "deviceAndAppManagementAssignmentFilterType": "exclude"}},
		{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}},
	]}
	ic.scope(p) == "only group 'g1'" with input.entra.groups as []
}

test_unlicensed_only_for_an_unlicensed_source if {
	ic.unlicensed("intune.managedDevices") == "The tenant has no Microsoft Intune (service plan INTUNE_A; intune.managedDevices is unlicensed), so it manages no devices" with input.sources as {"intune.managedDevices": {"status": "unlicensed"}}
	not ic.unlicensed("intune.managedDevices") with input.sources as {"intune.managedDevices": {"status": "forbidden"}}
}
