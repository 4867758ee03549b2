# METADATA
# title: PowerShell script block logging is on
# description: >-
#   PowerShell script block logging records the code PowerShell runs, deobfuscated, in the
#   Microsoft-Windows-PowerShell/Operational event log. Most hands-on-keyboard attacks use
#   PowerShell; without script block logging an investigation cannot tell what ran. The rule
#   checks the 2 setting(s) of area 'powershell' in baselines/windows.yaml (Security Baseline
#   for Windows 10 and later, version 25H2): each must be set to an expected value by a Windows
#   policy (settings catalog or security baseline profile, legacy baseline intent or device
#   configuration profile) assigned to all devices without exclusions or filters, and no other
#   assigned policy may set another value. A deny names the setting and what was found: not
#   configured, the wrong value and where, a policy assigned only to some groups or to all
#   users, an excluded group. Coverage is settings enforced / settings checked. Parameter
#   windowsBaseline overrides a setting's expected value or skips it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/security-baseline-settings-mdm-all?pivots=mdm-25h2
#     description: "Microsoft Learn: Windows MDM security baseline settings reference (version 25H2)"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_logging_windows
#     description: "Microsoft Learn: about_Logging_Windows"
# custom:
#   id: intune.baseline_powershell
#   severity: medium
#   level: should
#   requires: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   accepts_unlicensed: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   secure_score: []
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
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: windowsBaseline
#       type: object
#       description: >-
#         Per-setting overrides of baselines/windows.yaml by setting id: {<id>: {expected:
#         {value|values|min|max|equals: ...}}} replaces the expected value, {<id>: {skip:
#         "<reason>"}} leaves the setting out (the finding lists it as not checked).
#       default: {}
package posture.rules.intune.baseline_powershell

import data.posture.lib.intune

_area := "powershell"

not_applicable := intune.unlicensed

not_applicable := intune.not_applicable_reason(_area) if not intune.unlicensed

deny := intune.violations(_area)

coverage := intune.coverage(_area)

control_coverage := intune.control_coverage(_area)

error := intune.unloaded(_area)
