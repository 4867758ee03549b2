# METADATA
# title: Devices with no compliance policy are marked not compliant
# description: >-
#   Intune's built-in device compliance policy decides what happens to a device that no
#   compliance policy is assigned to. Out of the box such a device is marked Compliant, so a
#   device that falls outside every assignment (a new platform, a userless kiosk, a device of a
#   group nobody targeted) passes every Conditional Access policy that requires a compliant
#   device without having been checked for anything. The compliance policy setting "Mark devices
#   with no compliance policy assigned as" must be Not compliant, which Graph reports as
#   deviceManagement settings.secureByDefault true.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/device-compliance-get-started#compliance-policy-settings
#     description: "Microsoft Learn: Compliance policy settings (Mark devices with no compliance policy assigned as)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/intune-deviceconfig-devicemanagementsettings
#     description: "Microsoft Learn: deviceManagementSettings resource type (secureByDefault)"
#   - ref: https://maester.dev/docs/tests/CIS.M365.4.1
#     description: "Maester: CIS Microsoft 365 4.1, Ensure devices without a compliance policy are marked 'not compliant'"
# custom:
#   id: intune.noncompliant_by_default
#   severity: medium
#   level: shall
#   requires: [intune.deviceManagementSettings]
#   accepts_unlicensed: [intune.deviceManagementSettings]
#   secure_score: []
#   frameworks:
#     cis_m365: ["4.1"]
#   license: [INTUNE_A]
#   remediation: >-
#     Microsoft Intune admin center > Devices > Compliance > Compliance settings: set "Mark
#     devices with no compliance policy assigned as" to Not compliant and Save. Before that,
#     check in Devices > Monitor > "Devices without compliance policy" which devices would turn
#     noncompliant, and assign them a compliance policy, since a Conditional Access policy that
#     requires a compliant device will block them.
#   user_impact: moderate
#   implementation_cost: low
package posture.rules.intune.noncompliant_by_default

import data.posture.lib.intune_compliance as ic

not_applicable := ic.unlicensed("intune.deviceManagementSettings")

_entity := {"type": "setting", "id": "deviceManagement.settings.secureByDefault", "name": "Mark devices with no compliance policy assigned as"}

deny contains {"msg": msg, "entity": _entity} if {
	object.get(input, ["intune", "deviceManagementSettings", "secureByDefault"], null) != true
	msg := sprintf("Devices with no compliance policy assigned are marked Compliant, not Not compliant (secureByDefault %s), so a device no compliance policy reaches passes every check that requires a compliant device", [_state])
}

_state := "false" if {
	input.intune.deviceManagementSettings.secureByDefault == false
} else := json.marshal(input.intune.deviceManagementSettings.secureByDefault) if {
	input.intune.deviceManagementSettings.secureByDefault != null
} else := "not set"
