# METADATA
# title: No two assigned Windows policies set the same setting to different values
# description: >-
#   When two Intune policies that reach the same device set one setting to different values,
#   Intune applies neither: the device reports a conflict and keeps whatever it had, so a hardened
#   baseline quietly stops working where a second profile (a pilot ASR policy in audit mode, an old
#   device restrictions profile) overlaps it. The rule compares every setting that assigned Windows
#   settings catalog and security baseline profiles configure once (by settingDefinitionId), and
#   the baseline settings that legacy intents and device configuration profiles set through their
#   `legacy` mapping, and reports each pair of policies that may reach the same devices (one is
#   assigned to all devices, both to all users, or both to the same group) with different values.
#   Device group membership is not collected, so policies assigned to different groups are not
#   compared.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/configuration/device-profile-troubleshoot
#     description: "Microsoft Learn: Common questions and answers with device policies and profiles (conflicts)"
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/security-baselines
#     description: "Microsoft Learn: Use security baselines (avoid conflicts)"
# custom:
#   id: intune.setting_conflicts
#   severity: medium
#   level: should
#   requires: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   accepts_unlicensed: [intune.configurationPolicies, intune.intents, intune.deviceConfigurations]
#   secure_score: []
#   frameworks: {}
#   license: [INTUNE_A]
#   remediation: >-
#     Microsoft Intune admin center > Devices > Windows > Configuration (and Endpoint security >
#     Security baselines): open each policy the finding names, decide which value is right, and
#     remove the setting from the other policy or change it to the same value. Devices > Monitor >
#     Device configuration / per-setting status shows the devices that report the conflict.
#   user_impact: low
#   implementation_cost: low
package posture.rules.intune.setting_conflicts

import data.posture.lib.intune

not_applicable := intune.unlicensed

deny contains v if {
	some c in intune.conflicts
	v := {
		"msg": sprintf("Setting %s is set to %s by %s (%s) and to %s by %s (%s); devices that get both apply neither", [
			intune.setting_title(c.definitionId),
			intune.show(c.a.value), c.a.policy.label, intune.scope_text(c.a.policy.scope),
			intune.show(c.b.value), c.b.policy.label, intune.scope_text(c.b.policy.scope),
		]),
		"entity": {"type": "policy", "id": c.b.policy.id, "name": c.b.policy.name},
	}
}
