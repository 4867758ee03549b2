# Intune compliance policies and managed devices, from input.intune (objects as Microsoft Graph
# returns them: compliance policies from beta, where activeFirewallRequired, antivirusRequired
# and the assignment filter fields are; managed devices from v1.0): which Windows compliance
# policies apply to every device, and which managed devices run Windows.
#
# Assignment scope. A compliance policy is evaluated per device. It applies to every device
# when an assignment targets all devices (allDevicesAssignmentTarget) or all users
# (allLicensedUsersAssignmentTarget: the devices every licensed user enrols), with no
# assignment filter narrowing it and no exclusion group (exclusionGroupAssignmentTarget) taking
# devices out. Userless devices (kiosks, shared devices) get no policy from a user assignment;
# with "Mark devices with no compliance policy assigned as Not compliant"
# (intune.noncompliant_by_default) they are then not compliant, which is the safe side. A policy
# assigned to groups covers the devices of those groups only; device group membership is not
# collected, so findings name the groups.
package posture.lib.intune_compliance

import data.posture.lib.groups
import data.posture.lib.params

# list is input.intune[key]'s objects; [] when it is missing or not a list.
list(key) := [o | some o in input.intune[key]; is_object(o)] if {
	is_array(input.intune[key])
} else := []

# unlicensed is the not_applicable reason when the tenant has no Intune: the collector marks an
# Intune source "unlicensed" when Graph answers that Intune does not apply to the tenant.
unlicensed(key) := sprintf("The tenant has no Microsoft Intune (service plan INTUNE_A; %s is unlicensed), so it manages no devices", [key]) if {
	input.sources[key].status == "unlicensed"
}

# --- compliance policies ------------------------------------------------------------------

windows_policy_type := "#microsoft.graph.windows10CompliancePolicy"

# windows_policies are the Windows 10 and later compliance policies.
windows_policies := [p | some p in list("deviceCompliancePolicies"); p["@odata.type"] == windows_policy_type]

_all_targets := {
	"#microsoft.graph.allDevicesAssignmentTarget": "all devices",
	"#microsoft.graph.allLicensedUsersAssignmentTarget": "all users",
}

_group_target := "#microsoft.graph.groupAssignmentTarget"

_exclusion_target := "#microsoft.graph.exclusionGroupAssignmentTarget"

_targets(p) := [a.target |
	some a in object.get(p, "assignments", [])
	is_object(a)
	is_object(a.target)
]

# _filtered is true when an assignment filter narrows the target (filter type include or exclude).
_filtered(t) if {
	object.get(t, "deviceAndAppManagementAssignmentFilterType", "none") in {"include", "exclude"}
}

_filtered(t) if {
	object.get(t, "deviceAndAppManagementAssignmentFilterType", null) == null
	is_string(t.deviceAndAppManagementAssignmentFilterId)
	t.deviceAndAppManagementAssignmentFilterId != ""
}

# all_labels is the set of "all devices" / "all users" the policy is assigned to without a filter.
all_labels(p) := {_all_targets[t["@odata.type"]] |
	some t in _targets(p)
	_all_targets[t["@odata.type"]]
	not _filtered(t)
}

_filtered_all_labels(p) := {_all_targets[t["@odata.type"]] |
	some t in _targets(p)
	_all_targets[t["@odata.type"]]
	_filtered(t)
}

# included_groups and excluded_groups are the group names the policy's assignments name.
included_groups(p) := {groups.name(t.groupId) | some t in _targets(p); t["@odata.type"] == _group_target}

excluded_groups(p) := {groups.name(t.groupId) | some t in _targets(p); t["@odata.type"] == _exclusion_target}

# covers_all is true when the policy applies to every device (see the package comment).
covers_all(p) if {
	count(all_labels(p)) > 0
	count(excluded_groups(p)) == 0
}

# scope is how far the policy reaches, for messages: "all devices", "all users",
# "all users and all devices" or, when it does not cover every device, why not.
scope(p) := concat(" and ", sort(all_labels(p))) if {
	covers_all(p)
} else := sprintf("%s but excludes %s", [concat(" and ", sort(all_labels(p))), _groups_text(excluded_groups(p))]) if {
	count(all_labels(p)) > 0
} else := sprintf("%s only through an assignment filter", [concat(" and ", sort(_filtered_all_labels(p)))]) if {
	count(_filtered_all_labels(p)) > 0
	count(included_groups(p)) == 0
} else := sprintf("only %s", [_groups_text(included_groups(p))]) if {
	count(included_groups(p)) > 0
} else := "nobody (it has no assignment)"

_groups_text(names) := sprintf("group '%s'", [n]) if {
	count(names) == 1
	some n in names
} else := sprintf("groups %s", [concat(", ", [sprintf("'%s'", [n]) | some n in sort(names)])])

policy_name(p) := p.displayName if {
	is_string(p.displayName)
} else := object.get(p, "id", "?")

policy_entity(p) := {"type": "policy", "id": object.get(p, "id", ""), "name": policy_name(p)}

# --- versions -----------------------------------------------------------------------------

# version is a dotted Windows version ("10.0.19045" or "10.0.19045.5487") as four numbers for
# comparison; undefined when s is not one.
version(s) := parts if {
	is_string(s)
	regex.match(`^[0-9]{1,9}(\.[0-9]{1,9}){0,3}$`, s)
	nums := [to_number(x) | some x in split(s, ".")]
	parts := array.slice(array.concat(nums, [0, 0, 0]), 0, 4)
}

# version_at_least is true when version string a is the same as or newer than b.
version_at_least(a, b) if {
	va := version(a)
	vb := version(b)
	not _older(va, vb)
}

# _older compares the four numbers in order: a is older when it is lower at the first place
# where the two differ.
_older(a, b) if {
	some i in numbers.range(0, 3)
	a[i] < b[i]
	array.slice(a, 0, i) == array.slice(b, 0, i)
}

# --- managed devices ----------------------------------------------------------------------

# windows_devices are the managed devices whose operatingSystem is Windows, in the order rules
# list them (see listed): by device name, then id, then place in the snapshot. A rule that keeps
# this order in what it filters from them lists its first max_listed_devices without sorting.
# The engine precomputes it in Go as input.derived.windowsDevices (sorting 50,000 devices in
# Rego costs a tenth of a second per rule); without it, e.g. in unit tests, Rego sorts them.
windows_devices := input.derived.windowsDevices if {
	is_array(input.derived.windowsDevices)
} else := listed_order(_windows_devices)

_windows_devices := [d |
	some d in list("managedDevices")
	is_string(d.operatingSystem)
	lower(d.operatingSystem) == "windows"
]

# noncompliant_windows_devices are the Windows devices whose complianceState is not "compliant"
# (or that have none), and unencrypted_windows_devices those whose isEncrypted is not true, both
# in the order of windows_devices. The engine precomputes them with windows_devices.
noncompliant_windows_devices := input.derived.windowsNoncompliantDevices if {
	is_array(input.derived.windowsNoncompliantDevices)
} else := [d | some d in windows_devices; object.get(d, "complianceState", null) != "compliant"]

unencrypted_windows_devices := input.derived.windowsUnencryptedDevices if {
	is_array(input.derived.windowsUnencryptedDevices)
} else := [d | some d in windows_devices; object.get(d, "isEncrypted", null) != true]

device_name(d) := d.deviceName if {
	is_string(d.deviceName)
	d.deviceName != ""
} else := object.get(d, "id", "?")

# device_label names a device with its Windows version, e.g. "NW-LT-002 (Windows 10.0.19045.5011)".
device_label(d) := sprintf("%s (Windows %s)", [device_name(d), d.osVersion]) if {
	is_string(d.osVersion)
	d.osVersion != ""
} else := device_name(d)

device_entity(d) := {"type": "device", "id": object.get(d, "id", ""), "name": device_name(d)}

tenant_entity := {
	"type": "tenant",
	"id": object.get(input, ["tenant", "id"], ""),
	"name": object.get(input, ["tenant", "displayName"], ""),
}

# max_listed_devices is parameter maxListedDevices: how many devices a rule lists one by one.
max_listed_devices := params.value("maxListedDevices")

# listed is the first max_listed_devices of the devices, by device name then id, so the same
# snapshot always lists the same devices.
listed(devices) := array.slice(listed_order(devices), 0, max_listed_devices)

# listed_order is the devices by device name, then id, then place in the list.
listed_order(devices) := [d |
	some k in sort([[lower(device_name(d)), object.get(d, "id", ""), i] | some i, d in devices])
	d := devices[k[2]]
]
