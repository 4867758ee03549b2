# METADATA
# title: A Windows compliance policy for every device requires BitLocker, Secure Boot, code integrity, firewall, antivirus and a supported OS
# description: >-
#   A compliance policy is what makes "compliant device" mean something: Conditional Access that
#   requires a compliant device only keeps out devices that fail a check Intune was told to make.
#   At least one Windows 10 and later compliance policy (windows10CompliancePolicy) assigned to
#   all devices or all users, with no exclusion group and no assignment filter, must require
#   BitLocker (bitLockerEnabled), Secure Boot (secureBootEnabled) and code integrity
#   (codeIntegrityEnabled) as Device Health Attestation reports them, an active firewall
#   (activeFirewallRequired), antivirus (antivirusRequired, any product registered with Windows
#   Security Center, or defenderEnabled, Microsoft Defender Antivirus), and a minimum OS version
#   (osMinimumVersion) no older than parameter windowsMinimumOsVersion. Requirements may be split
#   across several such policies, since a device must pass every policy assigned to it. A policy
#   assigned to users covers every device those users enrol; userless devices are then handled by
#   intune.noncompliant_by_default. When no policy covers every device, the finding names each
#   Windows compliance policy and the groups it is limited to. Where the snapshot holds a
#   policy's scheduled actions (scheduledActionsForRule), its "Mark device noncompliant" (block)
#   action must not wait longer than parameter maxComplianceGracePeriodHours; where it does not,
#   the grace period is not judged.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/compliance-policy-create-windows
#     description: "Microsoft Learn: Device compliance settings for Windows 10/11 in Intune"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/intune-deviceconfig-windows10compliancepolicy
#     description: "Microsoft Learn: windows10CompliancePolicy resource type"
#   - ref: https://learn.microsoft.com/en-us/intune/intune-service/protect/actions-for-noncompliance
#     description: "Microsoft Learn: Configure actions for noncompliant devices in Intune"
#   - ref: https://learn.microsoft.com/en-us/windows/release-health/release-information
#     description: "Microsoft Learn: Windows release information (supported versions and builds)"
# custom:
#   id: intune.windows_compliance_policy
#   severity: high
#   level: shall
#   requires: [intune.deviceCompliancePolicies]
#   accepts_unlicensed: [intune.deviceCompliancePolicies]
#   secure_score: []
#   frameworks:
#     cis_m365: []
#   license: [INTUNE_A]
#   parameters:
#     - name: windowsMinimumOsVersion
#       type: string
#       description: >-
#         The oldest Windows version a compliance policy may allow (osMinimumVersion must be this
#         version or newer). The default, 10.0.19045, is Windows 10 22H2, the oldest build that
#         still gets security updates (through Extended Security Updates); an organization on
#         Windows 11 only should raise it, e.g. to 10.0.26100 (Windows 11 24H2).
#       default: "10.0.19045"
#     - name: maxComplianceGracePeriodHours
#       type: integer
#       minimum: 0
#       description: >-
#         The longest grace period, in hours, a policy's "Mark device noncompliant" action may
#         give a device that fails it before it is marked noncompliant (Intune's default is 0,
#         immediately). Only judged where the snapshot holds the policy's scheduled actions.
#       default: 24
#   remediation: >-
#     Microsoft Intune admin center > Devices > Compliance > Policies > Create policy > Platform:
#     Windows 10 and later. Under Device Health set Require BitLocker, Require Secure Boot to be
#     enabled on the device and Require code integrity to Require; under Device Properties set
#     Minimum OS version (e.g. 10.0.19045, or 10.0.26100 for Windows 11 only); under System
#     Security set Firewall, Antivirus and Antispyware to Require (or Microsoft Defender
#     Antimalware to Require where Defender is the antivirus). Under Actions for noncompliance
#     keep "Mark device noncompliant" at 0 days or a short grace period. Assign the policy to All
#     devices or All users without exclusion groups or filters; for a policy the finding names,
#     open it from the same list, edit Compliance settings or Assignments. Pilot it with a
#     group first: once a Conditional Access policy requires compliant devices, a device that
#     fails it loses access.
#   user_impact: moderate
#   implementation_cost: moderate
package posture.rules.intune.windows_compliance_policy

import data.posture.lib.intune_compliance as ic
import data.posture.lib.params

not_applicable := ic.unlicensed("intune.deviceCompliancePolicies")

# _minimum is parameter windowsMinimumOsVersion when it is a Windows version; anything else
# is an error, never a silent fallback.
_minimum := v if {
	v := params.value("windowsMinimumOsVersion")
	ic.version(v)
}

error contains sprintf("config windowsMinimumOsVersion must be a Windows version such as 10.0.19045, got %s", [json.marshal(v)]) if {
	v := params.value("windowsMinimumOsVersion")
	not ic.version(v)
}

_max_grace := params.value("maxComplianceGracePeriodHours")

# _counting are the Windows compliance policies that apply to every device.
_counting := [p | some p in ic.windows_policies; ic.covers_all(p)]

# _requirements are the boolean settings a policy must require; any one property of a
# requirement will do (antivirus: any registered product, or Microsoft Defender Antivirus).
_requirements := [
	{"what": "BitLocker", "props": ["bitLockerEnabled"]},
	{"what": "Secure Boot", "props": ["secureBootEnabled"]},
	{"what": "code integrity", "props": ["codeIntegrityEnabled"]},
	{"what": "an active firewall", "props": ["activeFirewallRequired"]},
	{"what": "antivirus", "props": ["antivirusRequired", "defenderEnabled"]},
]

_requires(p, req) if {
	some prop in req.props
	p[prop] == true
}

_requires_minimum(p) if ic.version_at_least(p.osMinimumVersion, _minimum)

_state(p, prop) := "true" if {
	p[prop] == true
} else := sprintf("%v", [p[prop]]) if {
	p[prop] != null
} else := "not set"

_props_text(p, req) := concat(", ", [sprintf("%s %s", [prop, _state(p, prop)]) | some prop in req.props])

_label(p) := sprintf("Windows compliance policy '%s' (assigned to %s)", [ic.policy_name(p), ic.scope(p)])

# No Windows compliance policy at all.
deny contains {"msg": msg, "entity": ic.tenant_entity} if {
	count(ic.windows_policies) == 0
	msg := "No Windows compliance policy (Windows 10 and later) exists, so Intune never checks Windows devices for BitLocker, Secure Boot, code integrity, firewall, antivirus or OS version"
}

# Windows compliance policies exist, but none applies to every device: name each and its scope.
deny contains {"msg": msg, "entity": ic.policy_entity(p)} if {
	count(_counting) == 0
	some p in ic.windows_policies
	msg := sprintf("Windows compliance policy '%s' is assigned to %s; no Windows compliance policy is assigned to all devices or all users without exclusions, so the other devices are not checked", [ic.policy_name(p), ic.scope(p)])
}

# A requirement that no policy applying to every device makes: one violation per such policy.
deny contains {"msg": msg, "entity": ic.policy_entity(p)} if {
	some req in _requirements
	every q in _counting {
		not _requires(q, req)
	}
	some p in _counting
	msg := sprintf("%s does not require %s (%s)", [_label(p), req.what, _props_text(p, req)])
}

deny contains {"msg": msg, "entity": ic.policy_entity(p)} if {
	every q in _counting {
		not _requires_minimum(q)
	}
	some p in _counting
	msg := sprintf("%s %s", [_label(p), _minimum_text(p)])
}

_minimum_text(p) := sprintf("does not set a minimum OS version (osMinimumVersion not set; expected %s or newer, parameter windowsMinimumOsVersion)", [_minimum]) if {
	object.get(p, "osMinimumVersion", null) == null
} else := sprintf("sets minimum OS version '%v', which is not a Windows version (expected %s or newer, parameter windowsMinimumOsVersion)", [p.osMinimumVersion, _minimum]) if {
	not ic.version(p.osMinimumVersion)
} else := sprintf("allows Windows older than %s (parameter windowsMinimumOsVersion): osMinimumVersion is %s", [_minimum, p.osMinimumVersion])

# --- marking noncompliant devices promptly --------------------------------------------------

# _block_hours is the grace periods of the policy's "Mark device noncompliant" (block) actions;
# undefined when the snapshot does not hold its scheduled actions.
_block_hours(p) := {h |
	some r in p.scheduledActionsForRule
	some a in r.scheduledActionConfigurations
	a.actionType == "block"
	h := _hours(a)
} if {
	is_array(p.scheduledActionsForRule)
	some r in p.scheduledActionsForRule
	is_array(r.scheduledActionConfigurations)
}

# Graph leaves gracePeriodHours out or null for "immediately".
_hours(a) := a.gracePeriodHours if {
	is_number(a.gracePeriodHours)
} else := 0

deny contains {"msg": msg, "entity": ic.policy_entity(p)} if {
	some p in _counting
	count(_block_hours(p)) == 0
	msg := sprintf("%s has no \"Mark device noncompliant\" action, so devices that fail it are never marked noncompliant", [_label(p)])
}

deny contains {"msg": msg, "entity": ic.policy_entity(p)} if {
	some p in _counting
	hours := min(_block_hours(p))
	hours > _max_grace
	msg := sprintf("%s marks devices that fail it noncompliant only after a grace period of %v hours (%s), longer than the %v hours of parameter maxComplianceGracePeriodHours", [_label(p), hours, _days(hours), _max_grace])
}

_days(hours) := "1 day" if {
	hours == 24
} else := sprintf("%v days", [round((hours / 24) * 10) / 10])
