# METADATA
# title: Managed Windows devices are compliant
# description: >-
#   Compliance policies only protect anything when devices actually pass them: a noncompliant
#   device is one that lacks BitLocker, runs an old build, has its firewall or antivirus off, or
#   failed another check the organization requires, and Conditional Access that requires a
#   compliant device locks its user out of Microsoft 365 until it is fixed. Every Windows device
#   Intune manages (managedDevices with operatingSystem Windows) should be compliant
#   (complianceState compliant). A device in its grace period, not yet evaluated (unknown), in
#   error or conflict, or whose compliance Configuration Manager evaluates (configManager) does
#   not count. Coverage is the share of managed Windows devices that are compliant; the devices
#   that are not are listed by name up to parameter maxListedDevices.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/compliance-policy-monitor
#     description: "Microsoft Learn: Monitor results of your Intune device compliance policies"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/intune-devices-manageddevice
#     description: "Microsoft Learn: managedDevice resource type (complianceState)"
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/device-compliance-get-started
#     description: "Microsoft Learn: Use compliance policies to set rules for devices you manage with Intune"
# custom:
#   id: intune.windows_devices_compliant
#   severity: medium
#   level: shall
#   requires: [intune.managedDevices]
#   accepts_unlicensed: [intune.managedDevices]
#   secure_score: []
#   frameworks:
#     cis_m365: []
#   license: [INTUNE_A]
#   parameters:
#     - name: maxListedDevices
#       type: integer
#       minimum: 0
#       description: >-
#         How many devices are listed one by one (sorted by device name); the rest are counted in
#         one further violation. Coverage always counts every device.
#       default: 1000
#   remediation: >-
#     Microsoft Intune admin center > Devices > Monitor > Noncompliant devices (or Devices >
#     Windows, filtered by Compliance): open each listed device > Device compliance to see which
#     policy and setting it fails, fix the device (turn on BitLocker, update Windows, turn the
#     firewall or antivirus back on) and select Sync so Intune evaluates it again. Devices that
#     have not checked in for longer than the compliance status validity period (Devices >
#     Compliance > Compliance settings) are marked noncompliant: retire or delete devices that
#     are gone.
#   user_impact: moderate
#   implementation_cost: moderate
package posture.rules.intune.windows_devices_compliant

import data.posture.lib.intune_compliance as ic

not_applicable := ic.unlicensed("intune.managedDevices")

not_applicable := "Intune manages no Windows devices" if {
	not ic.unlicensed("intune.managedDevices")
	count(ic.windows_devices) == 0
}

# uncovered are the managed Windows devices that are not compliant.
uncovered := ic.noncompliant_windows_devices

# uncovered keeps the listing order of ic.windows_devices, so its first devices are the ones to
# list.
_listed := array.slice(uncovered, 0, ic.max_listed_devices)

deny contains {"msg": msg, "entity": ic.device_entity(d)} if {
	some d in _listed
	msg := sprintf("%s is %s%s", [ic.device_label(d), _state_text(d), _last_sync(d)])
}

# Graph reports 0001-01-01T00:00:00Z for a device that never checked in.
_last_sync(d) := " (it never checked in)" if {
	startswith(d.lastSyncDateTime, "0001-01-01")
} else := sprintf(" (last check-in %s)", [substring(d.lastSyncDateTime, 0, 10)]) if {
	is_string(d.lastSyncDateTime)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}`, d.lastSyncDateTime)
} else := ""

deny contains {"msg": msg, "entity": object.union(ic.tenant_entity, {"name": "more devices"})} if {
	rest := count(uncovered) - count(_listed)
	rest > 0
	msg := sprintf("%d more Windows devices are not compliant (only the first %d are listed; raise parameter maxListedDevices to list more)", [rest, count(_listed)])
}

_states := {
	"noncompliant": "noncompliant: it fails a compliance policy assigned to it or Intune's built-in compliance policy (no compliance policy assigned, or no check-in within the compliance status validity period)",
	"inGracePeriod": "in its grace period: it fails a compliance policy and is marked noncompliant when the grace period ends",
	"unknown": "in compliance state unknown: Intune has not evaluated it",
	"error": "in compliance state error: evaluating its compliance failed",
	"conflict": "in compliance state conflict: its compliance policies conflict",
	"configManager": "in compliance state configManager: Configuration Manager evaluates its compliance, which Intune does not report",
}

_state_text(d) := _states[d.complianceState] if {
	_states[d.complianceState]
} else := sprintf("in compliance state %s, not compliant", [json.marshal(d.complianceState)]) if {
	d.complianceState != null
} else := "without a compliance state"

coverage := {"covered": total - count(uncovered), "total": total} if {
	total := count(ic.windows_devices)
	total > 0
}
