# METADATA
# title: Devices require a password of 14 characters, remember 24 and lock after 15 minutes
# description: >-
#   A device password is required with a minimum length of 14 and a history of 24, the
#   interactive logon locks after at most 900 seconds of inactivity, blank-password accounts are
#   limited to the console, the lock screen camera is off and waking from sleep requires a
#   password. An unlocked or weakly locked laptop hands its signed-in session, cached
#   credentials and data to whoever picks it up. It also checks that removing the smart card
#   locks the workstation, standby states while sleeping are off, the lock screen shows no slide
#   show or toast notifications, and apps cannot be voice-activated above the lock. The rule
#   checks the 14 setting(s) of area 'device_lock' in baselines/windows.yaml (Security Baseline
#   for Windows 10 and later, version 25H2): each must be set to an expected value by a Windows
#   policy (settings catalog or security baseline profile, legacy baseline intent or device
#   configuration profile) assigned to all devices without exclusions or filters, and no other
#   assigned policy may set another value. A deny names the setting and what was found: not
#   configured, the wrong value and where, a policy assigned only to some groups or to all
#   users, an excluded group. Coverage is settings enforced / settings checked; per Secure Score
#   control (control_coverage), the settings mapped to it in baselines/windows.yaml that are
#   enforced / settings mapped to it. Parameter windowsBaseline overrides a setting's expected
#   value or skips it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/security-baseline-settings-mdm-all?pivots=mdm-25h2
#     description: "Microsoft Learn: Windows MDM security baseline settings reference (version 25H2)"
#   - ref: https://learn.microsoft.com/en-us/windows/client-management/mdm/policy-csp-devicelock
#     description: "Microsoft Learn: Policy CSP - DeviceLock"
# custom:
#   id: intune.baseline_device_lock
#   severity: medium
#   level: shall
#   requires: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   accepts_unlicensed: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   secure_score: [scid_32, scid_33, scid_28, scid_71]
#   frameworks: {}
#   license: [INTUNE_A]
#   remediation: >-
#     Microsoft Intune admin center > Endpoint security > Security baselines > Security
#     Baseline for Windows 10 and later > Create profile (or open the existing profile and
#     update it to the latest version), keep the defaults of the settings the finding names,
#     and under Assignments include All devices with no excluded groups. To set single settings
#     instead: Devices > Windows > Configuration > Create > New policy > Windows 10 and later >
#     Settings catalog, add the setting, and assign the profile to All devices. Remove or align
#     any other assigned profile that sets a different value (Devices > Monitor > Assignment
#     failures / the setting's conflict status).
#   user_impact: moderate
#   implementation_cost: low
#   parameters:
#     - name: windowsBaseline
#       type: object
#       description: >-
#         Per-setting overrides of baselines/windows.yaml by setting id: {<id>: {expected:
#         {value|values|min|max|equals: ...}}} replaces the expected value, {<id>: {skip:
#         "<reason>"}} leaves the setting out (the finding lists it as not checked).
#       default: {}
package posture.rules.intune.baseline_device_lock

import data.posture.lib.intune

_area := "device_lock"

not_applicable := intune.unlicensed

not_applicable := intune.not_applicable_reason(_area) if not intune.unlicensed

deny := intune.violations(_area)

coverage := intune.coverage(_area)

control_coverage := intune.control_coverage(_area)

error := intune.unloaded(_area)
