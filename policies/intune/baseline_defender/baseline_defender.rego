# METADATA
# title: Microsoft Defender Antivirus protections are on as the Windows baseline sets them
# description: >-
#   Microsoft Defender Antivirus real-time, behavior, on-access, cloud-delivered, archive,
#   script and download scanning are on, cloud block level is High with an extended timeout, PUA
#   and network protection block, Block at First Sight is on, samples are sent and local
#   administrator exclusions are ignored. Each protection that is off is a class of malware that
#   runs unseen; cloud protection and Block at First Sight stop new malware within seconds,
#   network protection blocks phishing and command-and-control domains for every application. It
#   also checks full scans of removable drives, converting warn verdicts to block, file hash
#   computation, exclusions hidden from local administrators, protection during setup (OOBE),
#   remediation in passive mode, exclusions included in quick scans, real-time scanning of
#   incoming and outgoing files, process scanning when real-time protection starts, and
#   routinely taking action on detections. The rule checks the 24 setting(s) of area 'defender'
#   in baselines/windows.yaml (Security Baseline for Windows 10 and later, version 25H2): each
#   must be set to an expected value by a Windows policy (settings catalog or security baseline
#   profile, legacy baseline intent or device configuration profile) assigned to all devices
#   without exclusions or filters, and no other assigned policy may set another value. A deny
#   names the setting and what was found: not configured, the wrong value and where, a policy
#   assigned only to some groups or to all users, an excluded group. Coverage is settings
#   enforced / settings checked; per Secure Score control (control_coverage), the settings
#   mapped to it in baselines/windows.yaml that are enforced / settings mapped to it. Parameter
#   windowsBaseline overrides a setting's expected value or skips it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/security-baseline-settings-mdm-all?pivots=mdm-25h2
#     description: "Microsoft Learn: Windows MDM security baseline settings reference (version 25H2)"
#   - ref: https://learn.microsoft.com/en-us/defender-endpoint/configure-microsoft-defender-antivirus-features
#     description: "Microsoft Learn: Configure Microsoft Defender Antivirus features"
# custom:
#   id: intune.baseline_defender
#   severity: high
#   level: shall
#   requires: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   accepts_unlicensed: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   secure_score: [scid_2012, scid_91, scid_2016, scid_92, scid_2013, scid_96, scid_89]
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
package posture.rules.intune.baseline_defender

import data.posture.lib.intune

_area := "defender"

not_applicable := intune.unlicensed

not_applicable := intune.not_applicable_reason(_area) if not intune.unlicensed

deny := intune.violations(_area)

coverage := intune.coverage(_area)

control_coverage := intune.control_coverage(_area)

error := intune.unloaded(_area)
