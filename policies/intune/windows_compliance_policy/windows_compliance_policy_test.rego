package posture.rules.intune.windows_compliance_policy_test

import data.posture.rules.intune.windows_compliance_policy

_all_devices := {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}}

_all_users := {"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}

_group(id) := {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": id}}

_exclude(id) := {"target": {"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": id}}

_groups := [{"id": "g1", "displayName": "Finance"}, {"id": "g2", "displayName": "Sales"}, {"id": "g3", "displayName": "Kiosks"}]

_good := {
	"bitLockerEnabled": true, "secureBootEnabled": true, "codeIntegrityEnabled": true,
	"activeFirewallRequired": true, "antivirusRequired": true, "defenderEnabled": false,
	"osMinimumVersion": "10.0.22631",
}

_policy(id, name, settings, assignments) := object.union(settings, {
	"@odata.type": "#microsoft.graph.windows10CompliancePolicy",
	"id": id, "displayName": name, "assignments": assignments,
})

_block(hours) := [{"id": "sa1", "ruleName": "PasswordRequired", "scheduledActionConfigurations": [
	{"id": "a1", "actionType": "notification", "gracePeriodHours": 0},
	{"id": "a2", "actionType": "block", "gracePeriodHours": hours},
]}]

_msgs(policies) := msgs if {
	msgs := {v.msg | some v in windows_compliance_policy.deny} with input.intune.deviceCompliancePolicies as policies
		with input.entra.groups as _groups
}

test_passes_with_a_complete_policy_for_all_devices if {
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", _good, [_all_devices])]
}

test_passes_with_a_policy_for_all_users if {
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", _good, [_all_users])]
}

test_passes_when_defender_stands_in_for_antivirus if {
	settings := object.union(_good, {"antivirusRequired": false, "defenderEnabled": true})
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", settings, [_all_devices])]
}

test_passes_when_requirements_are_split_across_policies_for_everyone if {
	health := object.remove(_good, ["activeFirewallRequired", "antivirusRequired", "osMinimumVersion"])
	security := {"activeFirewallRequired": true, "antivirusRequired": true, "osMinimumVersion": "10.0.19045.5011"}
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [
		_policy("p1", "Health", health, [_all_devices]),
		_policy("p2", "Security", security, [_all_users]),
	]
}

test_fails_when_there_is_no_windows_policy if {
	ios := {"@odata.type": "#microsoft.graph.iosCompliancePolicy", "id": "p9", "displayName": "iOS", "assignments": [_all_users]}
	windows_compliance_policy.deny == {{
		"msg": "No Windows compliance policy (Windows 10 and later) exists, so Intune never checks Windows devices for BitLocker, Secure Boot, code integrity, firewall, antivirus or OS version",
		"entity": {"type": "tenant", "id": "t1", "name": "Contoso"},
	}} with input.intune.deviceCompliancePolicies as [ios]
		with input.tenant as {"id": "t1", "displayName": "Contoso"}
}

test_fails_once_per_missing_requirement_naming_the_policy if {
	settings := {"bitLockerEnabled": false, "secureBootEnabled": true, "codeIntegrityEnabled": true, "activeFirewallRequired": true, "antivirusRequired": false}
	windows_compliance_policy.deny == {
		{
			"msg": "Windows compliance policy 'Windows' (assigned to all devices) does not require BitLocker (bitLockerEnabled false)",
			"entity": {"type": "policy", "id": "p1", "name": "Windows"},
		},
		{
			"msg": "Windows compliance policy 'Windows' (assigned to all devices) does not require antivirus (antivirusRequired false, defenderEnabled not set)",
			"entity": {"type": "policy", "id": "p1", "name": "Windows"},
		},
		{
			"msg": "Windows compliance policy 'Windows' (assigned to all devices) does not set a minimum OS version (osMinimumVersion not set; expected 10.0.19045 or newer, parameter windowsMinimumOsVersion)",
			"entity": {"type": "policy", "id": "p1", "name": "Windows"},
		},
	} with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", settings, [_all_devices])]
}

test_fails_naming_the_groups_of_a_group_only_policy if {
	_msgs([_policy("p1", "Windows", _good, [_group("g2"), _group("g1")])]) == {"Windows compliance policy 'Windows' is assigned to only groups 'Finance', 'Sales'; no Windows compliance policy is assigned to all devices or all users without exclusions, so the other devices are not checked"}
}

test_fails_when_the_all_devices_policy_excludes_a_group if {
	_msgs([_policy("p1", "Windows", _good, [_all_devices, _exclude("g3")])]) == {"Windows compliance policy 'Windows' is assigned to all devices but excludes group 'Kiosks'; no Windows compliance policy is assigned to all devices or all users without exclusions, so the other devices are not checked"}
}

test_fails_for_an_unassigned_policy if {
	_msgs([_policy("p1", "Windows", _good, [])]) == {"Windows compliance policy 'Windows' is assigned to nobody (it has no assignment); no Windows compliance policy is assigned to all devices or all users without exclusions, so the other devices are not checked"}
}

test_an_assignment_filter_keeps_a_policy_from_covering_every_device if {
	filtered := {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterId": "f1", "deviceAndAppManagementAssignmentFilterType": "include"}}
	_msgs([_policy("p1", "Windows", _good, [filtered])]) == {"Windows compliance policy 'Windows' is assigned to all devices only through an assignment filter; no Windows compliance policy is assigned to all devices or all users without exclusions, so the other devices are not checked"}
}

test_a_filter_of_type_none_does_not_narrow_the_assignment if {
	unfiltered := {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "deviceAndAppManagementAssignmentFilterId": null, "deviceAndAppManagementAssignmentFilterType": "none"}}
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", _good, [unfiltered])]
}

test_a_group_policy_does_not_make_up_for_the_all_devices_policy if {
	weak := object.union(_good, {"secureBootEnabled": false})
	_msgs([_policy("p1", "Windows", weak, [_all_devices]), _policy("p2", "Finance", _good, [_group("g1")])]) == {"Windows compliance policy 'Windows' (assigned to all devices) does not require Secure Boot (secureBootEnabled false)"}
}

test_fails_for_an_old_minimum_os_version if {
	old := object.union(_good, {"osMinimumVersion": "10.0.17763"})
	_msgs([_policy("p1", "Windows", old, [_all_devices])]) == {"Windows compliance policy 'Windows' (assigned to all devices) allows Windows older than 10.0.19045 (parameter windowsMinimumOsVersion): osMinimumVersion is 10.0.17763"}
}

test_compares_versions_by_number_not_text if {
	newer := object.union(_good, {"osMinimumVersion": "10.0.100000"})
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", newer, [_all_devices])]
}

test_the_minimum_os_version_is_a_parameter if {
	msgs := {v.msg | some v in windows_compliance_policy.deny} with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", _good, [_all_devices])]
		with data.posture.config as {"windowsMinimumOsVersion": "10.0.26100"}
	msgs == {"Windows compliance policy 'Windows' (assigned to all devices) allows Windows older than 10.0.26100 (parameter windowsMinimumOsVersion): osMinimumVersion is 10.0.22631"}
}

test_fails_for_a_minimum_os_version_that_is_not_a_version if {
	odd := object.union(_good, {"osMinimumVersion": "Windows 11"})
	_msgs([_policy("p1", "Windows", odd, [_all_devices])]) == {"Windows compliance policy 'Windows' (assigned to all devices) sets minimum OS version 'Windows 11', which is not a Windows version (expected 10.0.19045 or newer, parameter windowsMinimumOsVersion)"}
}

test_fails_for_a_long_grace_period_before_marking_noncompliant if {
	slow := object.union(_good, {"scheduledActionsForRule": _block(72)})
	_msgs([_policy("p1", "Windows", slow, [_all_devices])]) == {"Windows compliance policy 'Windows' (assigned to all devices) marks devices that fail it noncompliant only after a grace period of 72 hours (3 days), longer than the 24 hours of parameter maxComplianceGracePeriodHours"}
}

test_passes_for_a_grace_period_within_the_parameter if {
	prompt := object.union(_good, {"scheduledActionsForRule": _block(72)})
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", prompt, [_all_devices])]
		with data.posture.config as {"maxComplianceGracePeriodHours": 72}
}

test_fails_for_scheduled_actions_without_a_block_action if {
	actions := [{"id": "sa1", "ruleName": "PasswordRequired", "scheduledActionConfigurations": [{"id": "a1", "actionType": "notification", "gracePeriodHours": 0}]}]
	_msgs([_policy("p1", "Windows", object.union(_good, {"scheduledActionsForRule": actions}), [_all_devices])]) == {"Windows compliance policy 'Windows' (assigned to all devices) has no \"Mark device noncompliant\" action, so devices that fail it are never marked noncompliant"}
}

test_does_not_judge_the_grace_period_when_actions_were_not_collected if {
	expanded_without_configurations := object.union(_good, {"scheduledActionsForRule": [{"id": "sa1", "ruleName": "PasswordRequired"}]})
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", expanded_without_configurations, [_all_devices])]
}

test_treats_a_null_grace_period_as_immediate if {
	actions := [{"id": "sa1", "scheduledActionConfigurations": [{"id": "a2", "actionType": "block", "gracePeriodHours": null}]}]
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", object.union(_good, {"scheduledActionsForRule": actions}), [_all_devices])]
}

test_treats_odd_data_as_no_policy if {
	count(windows_compliance_policy.deny) == 1 with input.intune.deviceCompliancePolicies as ["not an object", 7]
	count(windows_compliance_policy.deny) == 1 with input.intune as {}
}

test_ignores_assignments_without_a_target if {
	_msgs([_policy("p1", "Windows", _good, [{"id": "a1"}, {"target": null}])]) == {"Windows compliance policy 'Windows' is assigned to nobody (it has no assignment); no Windows compliance policy is assigned to all devices or all users without exclusions, so the other devices are not checked"}
}

test_names_a_group_missing_from_the_snapshot_by_id if {
	_msgs([_policy("p1", "Windows", _good, [_group("g-unknown")])]) == {"Windows compliance policy 'Windows' is assigned to only group 'g-unknown'; no Windows compliance policy is assigned to all devices or all users without exclusions, so the other devices are not checked"}
}

test_not_applicable_without_intune if {
	windows_compliance_policy.not_applicable == "The tenant has no Microsoft Intune (service plan INTUNE_A; intune.deviceCompliancePolicies is unlicensed), so it manages no devices" with input.sources as {"intune.deviceCompliancePolicies": {"status": "unlicensed"}}
	not windows_compliance_policy.not_applicable with input.sources as {"intune.deviceCompliancePolicies": {"status": "ok"}}
}

test_names_every_policy_for_everyone_when_none_makes_a_requirement if {
	no_boot := object.union(_good, {"secureBootEnabled": false})
	_msgs([_policy("p1", "Laptops", no_boot, [_all_devices]), _policy("p2", "Users", object.remove(no_boot, ["secureBootEnabled"]), [_all_users])]) == {
		"Windows compliance policy 'Laptops' (assigned to all devices) does not require Secure Boot (secureBootEnabled false)",
		"Windows compliance policy 'Users' (assigned to all users) does not require Secure Boot (secureBootEnabled not set)",
	}
}

test_judges_only_windows_policies if {
	android := {"@odata.type": "#microsoft.graph.androidWorkProfileCompliancePolicy", "id": "p9", "displayName": "Android", "assignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}}]}
	windows_compliance_policy.deny == set() with input.intune.deviceCompliancePolicies as [_policy("p1", "Windows", _good, [_all_devices]), android]
}
