package posture.rules.intune.windows_devices_encrypted_test

import data.posture.rules.intune.windows_devices_encrypted

_device(id, name, encrypted) := {
	"id": id, "deviceName": name, "operatingSystem": "Windows", "osVersion": "10.0.26100.2314",
	"complianceState": "compliant", "isEncrypted": encrypted, "managementAgent": "mdm",
}

_devices := [
	_device("d1", "LT-001", true),
	_device("d2", "LT-002", false),
	_device("d3", "LT-003", true),
	{"id": "d4", "deviceName": "Pixel", "operatingSystem": "Android", "isEncrypted": false},
]

test_passes_when_every_windows_device_is_encrypted if {
	devices := [_device("d1", "LT-001", true), _devices[3]]
	windows_devices_encrypted.deny == set() with input.intune.managedDevices as devices
	windows_devices_encrypted.coverage == {"covered": 1, "total": 1} with input.intune.managedDevices as devices
}

test_fails_once_per_unencrypted_device if {
	windows_devices_encrypted.deny == {{
		"msg": "LT-002 (Windows 10.0.26100.2314) is not encrypted (isEncrypted false)",
		"entity": {"type": "device", "id": "d2", "name": "LT-002"},
	}} with input.intune.managedDevices as _devices
	windows_devices_encrypted.coverage == {"covered": 2, "total": 3} with input.intune.managedDevices as _devices
}

test_a_device_without_an_encryption_state_does_not_count if {
	devices := [object.remove(_device("d1", "A", null), ["isEncrypted"]), _device("d2", "B", null), _device("d3", "C", "yes")]
	{v.msg | some v in windows_devices_encrypted.deny} == {
		"A (Windows 10.0.26100.2314) does not report whether it is encrypted (isEncrypted not set)",
		"B (Windows 10.0.26100.2314) does not report whether it is encrypted (isEncrypted not set)",
		`C (Windows 10.0.26100.2314) does not report its disk encrypted (isEncrypted "yes")`,
	} with input.intune.managedDevices as devices
	windows_devices_encrypted.coverage == {"covered": 0, "total": 3} with input.intune.managedDevices as devices
}

test_not_applicable_without_windows_devices if {
	windows_devices_encrypted.not_applicable == "Intune manages no Windows devices" with input.intune.managedDevices as [_devices[3]]
	windows_devices_encrypted.deny == set() with input.intune.managedDevices as [_devices[3]]
}

test_not_applicable_without_intune if {
	windows_devices_encrypted.not_applicable == "The tenant has no Microsoft Intune (service plan INTUNE_A; intune.managedDevices is unlicensed), so it manages no devices" with input.sources as {"intune.managedDevices": {"status": "unlicensed"}}
		with input.intune as {}
}

test_lists_at_most_max_listed_devices_and_counts_the_rest if {
	devices := [_device(sprintf("d%d", [i]), sprintf("LT-%03d", [i]), false) | some i in numbers.range(1, 4)]
	denies := windows_devices_encrypted.deny with input.intune.managedDevices as devices
		with input.tenant as {"id": "t1"}
		with data.posture.config as {"maxListedDevices": 3}
	count(denies) == 4
	some v in denies
	v.msg == "1 more Windows devices are not encrypted (only the first 3 are listed; raise parameter maxListedDevices to list more)"
}
