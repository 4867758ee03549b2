# METADATA
# title: SMB v1 is off, SMB signing is required and insecure guest logons are off
# description: >-
#   SMB v1 off, SMB signing required and insecure guest logons off on every Windows device. SMB
#   v1 has no integrity protection and carried WannaCry and NotPetya; unsigned SMB and guest
#   logons let an attacker on the network relay or tamper with file traffic and credentials. It
#   also holds SMB 3.0 as the lowest and 3.1.1 as the highest dialect of client and server,
#   turns on the server's authentication rate limiter (at least 2000 ms), turns mailslots off,
#   audits clients and servers without signing or encryption and insecure guest logons, and, as
#   the baseline sets it, does not require SMB client encryption. The rule checks the 21
#   setting(s) of area 'smb' in baselines/windows.yaml (Security Baseline for Windows 10 and
#   later, version 25H2): each must be set to an expected value by a Windows policy (settings
#   catalog or security baseline profile, legacy baseline intent or device configuration
#   profile) assigned to all devices without exclusions or filters, and no other assigned policy
#   may set another value. A deny names the setting and what was found: not configured, the
#   wrong value and where, a policy assigned only to some groups or to all users, an excluded
#   group. Coverage is settings enforced / settings checked; per Secure Score control
#   (control_coverage), the settings mapped to it in baselines/windows.yaml that are enforced /
#   settings mapped to it. Parameter windowsBaseline overrides a setting's expected value or
#   skips it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/security-baseline-settings-mdm-all?pivots=mdm-25h2
#     description: "Microsoft Learn: Windows MDM security baseline settings reference (version 25H2)"
#   - ref: https://learn.microsoft.com/en-us/windows-server/storage/file-server/troubleshoot/detect-enable-and-disable-smbv1-v2-v3
#     description: "Microsoft Learn: How to detect, enable and disable SMBv1, SMBv2, and SMBv3"
# custom:
#   id: intune.baseline_smb
#   severity: high
#   level: shall
#   requires: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   accepts_unlicensed: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   secure_score: [scid_30, scid_53, scid_54, scid_95, scid_94]
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
package posture.rules.intune.baseline_smb

import data.posture.lib.intune

_area := "smb"

not_applicable := intune.unlicensed

not_applicable := intune.not_applicable_reason(_area) if not intune.unlicensed

deny := intune.violations(_area)

coverage := intune.coverage(_area)

control_coverage := intune.control_coverage(_area)

error := intune.unloaded(_area)
