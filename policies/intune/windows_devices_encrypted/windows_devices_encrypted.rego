# METADATA
# title: Managed Windows devices are encrypted
# description: >-
#   A lost or stolen laptop whose disk is not encrypted hands its files, cached credentials and
#   tokens to whoever has it. Every Windows device Intune manages (managedDevices with
#   operatingSystem Windows) should report its disk encrypted (isEncrypted true, which Intune
#   reads from BitLocker on the OS drive). A device that does not report an encryption state
#   does not count. Coverage is the share of managed Windows devices that are encrypted; the
#   devices that are not are listed by name up to parameter maxListedDevices. Secure Score's
#   "Encrypt all BitLocker-supported drives" (scid_2090) is scored per device the same way.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/encrypt-devices
#     description: "Microsoft Learn: Encrypt Windows devices with BitLocker in Intune"
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/encryption-monitor
#     description: "Microsoft Learn: Monitor device encryption with Intune"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/intune-devices-manageddevice
#     description: "Microsoft Learn: managedDevice resource type (isEncrypted)"
# custom:
#   id: intune.windows_devices_encrypted
#   severity: high
#   level: shall
#   requires: [intune.managedDevices]
#   accepts_unlicensed: [intune.managedDevices]
#   secure_score: [scid_2090]
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
#     Microsoft Intune admin center > Endpoint security > Disk encryption > Create policy >
#     Windows > BitLocker: require device encryption and silent encryption (escrowing recovery
#     keys to Microsoft Entra ID), and assign it to all devices. Devices > Monitor > Encryption
#     report shows each device's encryption readiness and why it is not encrypted (for example no
#     TPM, or a policy conflict). Require BitLocker in the Windows compliance policy so an
#     unencrypted device is marked noncompliant.
#   user_impact: low
#   implementation_cost: moderate
package posture.rules.intune.windows_devices_encrypted

import data.posture.lib.intune_compliance as ic

not_applicable := ic.unlicensed("intune.managedDevices")

not_applicable := "Intune manages no Windows devices" if {
	not ic.unlicensed("intune.managedDevices")
	count(ic.windows_devices) == 0
}

# uncovered are the managed Windows devices that do not report their disk encrypted.
uncovered := ic.unencrypted_windows_devices

# uncovered keeps the listing order of ic.windows_devices, so its first devices are the ones to
# list.
_listed := array.slice(uncovered, 0, ic.max_listed_devices)

deny contains {"msg": msg, "entity": ic.device_entity(d)} if {
	some d in _listed
	msg := sprintf("%s %s", [ic.device_label(d), _state_text(d)])
}

deny contains {"msg": msg, "entity": object.union(ic.tenant_entity, {"name": "more devices"})} if {
	rest := count(uncovered) - count(_listed)
	rest > 0
	msg := sprintf("%d more Windows devices are not encrypted (only the first %d are listed; raise parameter maxListedDevices to list more)", [rest, count(_listed)])
}

_state_text(d) := "is not encrypted (isEncrypted false)" if {
	d.isEncrypted == false
} else := sprintf("does not report its disk encrypted (isEncrypted %s)", [json.marshal(d.isEncrypted)]) if {
	d.isEncrypted != null
} else := "does not report whether it is encrypted (isEncrypted not set)"

coverage := {"covered": total - count(uncovered), "total": total} if {
	total := count(ic.windows_devices)
	total > 0
}
