package posture.rules.intune.windows_devices_compliant_test

import data.posture.rules.intune.windows_devices_compliant

_device(id, name, state) := {
	"id": id, "deviceName": name, "operatingSystem": "Windows", "osVersion": "10.0.22631.4460",
	"complianceState": state, "isEncrypted": true, "managementAgent": "mdm",
}

_devices := [
	_device("d1", "LT-001", "compliant"),
	_device("d2", "LT-002", "noncompliant"),
	_device("d3", "LT-003", "inGracePeriod"),
	_device("d4", "LT-004", "compliant"),
	{"id": "d5", "deviceName": "iPhone", "operatingSystem": "iOS", "complianceState": "noncompliant"},
]

test_passes_when_every_windows_device_is_compliant if {
	devices := [_device("d1", "LT-001", "compliant"), _device("d4", "LT-004", "compliant")]
	windows_devices_compliant.deny == set() with input.intune.managedDevices as devices
	windows_devices_compliant.coverage == {"covered": 2, "total": 2} with input.intune.managedDevices as devices
}

test_fails_once_per_device_that_is_not_compliant if {
	windows_devices_compliant.deny == {
		{
			"msg": "LT-002 (Windows 10.0.22631.4460) is noncompliant: it fails a compliance policy assigned to it or Intune's built-in compliance policy (no compliance policy assigned, or no check-in within the compliance status validity period)",
			"entity": {"type": "device", "id": "d2", "name": "LT-002"},
		},
		{
			"msg": "LT-003 (Windows 10.0.22631.4460) is in its grace period: it fails a compliance policy and is marked noncompliant when the grace period ends",
			"entity": {"type": "device", "id": "d3", "name": "LT-003"},
		},
	} with input.intune.managedDevices as _devices
}

test_coverage_counts_windows_devices_only if {
	windows_devices_compliant.coverage == {"covered": 2, "total": 4} with input.intune.managedDevices as _devices
}

test_not_applicable_without_windows_devices if {
	windows_devices_compliant.not_applicable == "Intune manages no Windows devices" with input.intune.managedDevices as [_devices[4]]
	not windows_devices_compliant.coverage with input.intune.managedDevices as [_devices[4]]
	windows_devices_compliant.not_applicable == "Intune manages no Windows devices" with input.intune as {}
}

test_not_applicable_without_intune if {
	windows_devices_compliant.not_applicable == "The tenant has no Microsoft Intune (service plan INTUNE_A; intune.managedDevices is unlicensed), so it manages no devices" with input.sources as {"intune.managedDevices": {"status": "unlicensed"}}
		with input.intune as {}
}

test_explains_unusual_and_missing_states if {
	devices := [
		_device("d1", "A", "configManager"),
		_device("d2", "B", "unknown"),
		object.remove(_device("d3", "C", null), ["complianceState"]),
		_device("d4", "D", "retired"),
		{"id": "d5", "operatingSystem": "windows", "complianceState": "error"},
	]
	{v.msg | some v in windows_devices_compliant.deny} == {
		"A (Windows 10.0.22631.4460) is in compliance state configManager: Configuration Manager evaluates its compliance, which Intune does not report",
		"B (Windows 10.0.22631.4460) is in compliance state unknown: Intune has not evaluated it",
		"C (Windows 10.0.22631.4460) is without a compliance state",
		`D (Windows 10.0.22631.4460) is in compliance state "retired", not compliant`,
		"d5 is in compliance state error: evaluating its compliance failed",
	} with input.intune.managedDevices as devices
	windows_devices_compliant.coverage == {"covered": 0, "total": 5} with input.intune.managedDevices as devices
}

test_lists_at_most_max_listed_devices_and_counts_the_rest if {
	devices := [_device(sprintf("d%d", [i]), sprintf("LT-%03d", [i]), "noncompliant") | some i in numbers.range(1, 5)]
	denies := windows_devices_compliant.deny with input.intune.managedDevices as devices
		with input.tenant as {"id": "t1", "displayName": "Contoso"}
		with data.posture.config as {"maxListedDevices": 2}
	{v.entity.name | some v in denies} == {"LT-001", "LT-002", "more devices"}
	some v in denies
	v.msg == "3 more Windows devices are not compliant (only the first 2 are listed; raise parameter maxListedDevices to list more)"
	v.entity == {"type": "tenant", "id": "t1", "name": "more devices"}
}

test_ignores_entries_that_are_not_devices if {
	windows_devices_compliant.coverage == {"covered": 1, "total": 1} with input.intune.managedDevices as ["x", null, _device("d1", "LT-001", "compliant")]
}

test_says_when_a_device_last_checked_in if {
	devices := [object.union(_device("d1", "LT-001", "unknown"), {"lastSyncDateTime": "2026-08-14T09:12:55Z"}), object.union(_device("d2", "LT-002", "unknown"), {"lastSyncDateTime": "0001-01-01T00:00:00Z"}), object.union(_device("d3", "LT-003", "unknown"), {"lastSyncDateTime": "yesterday"})]
	{v.msg | some v in windows_devices_compliant.deny} == {
		"LT-001 (Windows 10.0.22631.4460) is in compliance state unknown: Intune has not evaluated it (last check-in 2026-08-14)",
		"LT-002 (Windows 10.0.22631.4460) is in compliance state unknown: Intune has not evaluated it (it never checked in)",
		"LT-003 (Windows 10.0.22631.4460) is in compliance state unknown: Intune has not evaluated it",
	} with input.intune.managedDevices as devices
}
