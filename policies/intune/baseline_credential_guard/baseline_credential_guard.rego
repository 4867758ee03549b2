# METADATA
# title: Credential Guard, virtualization-based security and HVCI are on with UEFI lock
# description: >-
#   Credential Guard and hypervisor-protected code integrity run on virtualization-based
#   security with UEFI lock, VBS requires Secure Boot, System Guard Secure Launch is on and
#   kernel DMA protection blocks incompatible external devices. Credential Guard keeps NTLM
#   hashes and Kerberos tickets in an isolated VBS enclave where even SYSTEM cannot read them;
#   HVCI keeps unsigned and vulnerable drivers out of the kernel; the UEFI lock stops malware
#   with admin rights from turning them off remotely. Direct memory access is blocked until a
#   user signs in, and machine identity isolation stays off as the baseline sets it. The rule
#   checks the 8 setting(s) of area 'credential_guard' in baselines/windows.yaml (Security
#   Baseline for Windows 10 and later, version 25H2): each must be set to an expected value by a
#   Windows policy (settings catalog or security baseline profile, legacy baseline intent or
#   device configuration profile) assigned to all devices without exclusions or filters, and no
#   other assigned policy may set another value. A deny names the setting and what was found:
#   not configured, the wrong value and where, a policy assigned only to some groups or to all
#   users, an excluded group. Coverage is settings enforced / settings checked; per Secure Score
#   control (control_coverage), the settings mapped to it in baselines/windows.yaml that are
#   enforced / settings mapped to it. Parameter windowsBaseline overrides a setting's expected
#   value or skips it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/security-baseline-settings-mdm-all?pivots=mdm-25h2
#     description: "Microsoft Learn: Windows MDM security baseline settings reference (version 25H2)"
#   - ref: https://learn.microsoft.com/en-us/windows/security/identity-protection/credential-guard/configure
#     description: "Microsoft Learn: Configure Credential Guard"
# custom:
#   id: intune.baseline_credential_guard
#   severity: high
#   level: shall
#   requires: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   accepts_unlicensed: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   secure_score: [scid_2080]
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
#   implementation_cost: moderate
#   parameters:
#     - name: windowsBaseline
#       type: object
#       description: >-
#         Per-setting overrides of baselines/windows.yaml by setting id: {<id>: {expected:
#         {value|values|min|max|equals: ...}}} replaces the expected value, {<id>: {skip:
#         "<reason>"}} leaves the setting out (the finding lists it as not checked).
#       default: {}
package posture.rules.intune.baseline_credential_guard

import data.posture.lib.intune

_area := "credential_guard"

not_applicable := intune.unlicensed

not_applicable := intune.not_applicable_reason(_area) if not intune.unlicensed

deny := intune.violations(_area)

coverage := intune.coverage(_area)

control_coverage := intune.control_coverage(_area)

error := intune.unloaded(_area)
