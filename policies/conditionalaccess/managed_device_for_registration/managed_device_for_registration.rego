# METADATA
# title: Security information can be registered only from a compliant or hybrid-joined device
# description: >-
#   An attacker with a stolen password (and, before registration, no second factor to pass) can
#   register their own authenticator to the account and keep it. Requiring a device the
#   organization manages to register security information (MFA methods, passkeys, SSPR data) stops
#   that from the attacker's own device. The tenant passes when enabled Conditional Access
#   policies that target the user action "Register security information"
#   (urn:user:registersecurityinfo) whose grant requires a compliant device or a hybrid-joined
#   device without offering anything else, together cover, in every class of their sign-ins
#   (resources, client apps, platforms, locations, risk levels, device filters, as
#   posture.lib.ca_eval cuts them: policies for complementary conditions add up, and a block
#   counts), every enabled member user except declared break-glass accounts. Report-only policies
#   enforce nothing. Coverage is the share of those users covered. Every violation breaks CISA
#   SCuBA MS.AAD.3.8v1 and CIS 5.2.2.10. ScubaGear at 4d34e9a also counts a grant that offers the
#   device controls beside another control (such as MFA), which lets the attacker register from
#   any device; the baseline's text asks for a managed device, and so does this rule.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/policy-all-users-security-info-registration
#     description: "Microsoft Learn: Securing security info registration"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-cloud-apps#user-actions
#     description: "Microsoft Learn: Conditional Access user actions"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad38v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.3.8v1"
# custom:
#   id: conditionalaccess.managed_device_for_registration
#   severity: medium
#   level: should
#   requires:
#     - entra.conditionalAccessPolicies
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#   accepts_unlicensed: [entra.conditionalAccessPolicies, entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.3.8v1]
#     cis_m365: ["5.2.2.10"]
#   license: [AAD_PREMIUM]
#   remediation: >-
#     In the Microsoft Entra admin center open Entra ID > Conditional Access > Policies (formerly
#     Protection > Conditional Access) > New policy. Users: Include > All users; Exclude > Users
#     and groups: your break-glass accounts only. Target resources: User actions > Register
#     security information. Leave Conditions unconfigured. Grant: Grant access > Require device to
#     be marked as compliant and Require Microsoft Entra hybrid joined device > Require one of the
#     selected controls. Enable policy: Report-only first, then On. Graph:
#     conditions.applications.includeUserActions ["urn:user:registersecurityinfo"],
#     grantControls.builtInControls ["compliantDevice", "domainJoinedDevice"] with operator "OR".
#     New employees without a managed device yet need a Temporary Access Pass to register.
#   user_impact: moderate
#   implementation_cost: moderate
#   parameters:
#     - name: maxNamedUsers
#       type: integer
#       minimum: 0
#       description: >-
#         How many uncovered users the summary violation names (the first object ids in order);
#         the rest are counted. Coverage always counts every user.
#       default: 10
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); their
#         exclusion does not count against a policy and they are left out of coverage.
#       default: {users: [], groups: []}
package posture.rules.conditionalaccess.managed_device_for_registration

import data.posture.lib.ca
import data.posture.lib.coverage as cov
import data.posture.lib.entity

# Every violation breaks both controls the rule cites.
_controls := ["MS.AAD.3.8v1", "5.2.2.10"]

_action := "urn:user:registersecurityinfo"

_targets_action(p) if {
	some a in object.get(p, ["conditions", "applications", "includeUserActions"], [])
	lower(a) == _action
}

_action_reasons(p) := set() if {
	_targets_action(p)
} else := {"does not target the user action Register security information"}

# shortfalls is the set of reasons a policy for the user action requires a managed device in no
# registration at all: it is not enabled, its grant does not, or it targets no user. Conditions
# that narrow it are not shortfalls: other policies may cover the rest, which the class
# violations judge.
shortfalls(p) := ((ca.state_reasons(p) | _action_reasons(p)) | ca.grant_reasons(p, ca.managed_device)) | {"targets no users" | not ca.targets_users(p)}

# _eval is the evaluation (posture.lib.ca_eval) of a managed device over every class of
# registrations of security information (the user action is the only resource) of the enabled
# member users: policies for complementary conditions add up, and a block counts.
_eval := cov.members_eval({
	"controls": ca.managed_device.controls,
	"what": "a compliant or hybrid-joined device to register security information",
	"clientAppTypes": ca.all_client_app_types,
	"resources": [_action],
})

# Candidates are the policies for the user action: the ones meant to protect registration.
_candidates := [p | some p in ca.policies; _targets_action(p)]

_counting := _eval.pols

uncovered := _eval.uncovered

_total := cov.members_total

coverage := {"covered": _total - count(uncovered), "total": _total} if _total > 0

_violations contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) == 0
	msg := sprintf("No Conditional Access policy requires a compliant or hybrid-joined device to register security information: %d of %d enabled member users can register from any device", [count(uncovered), _total])
}

_violations contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) > 0
	msg := sprintf("A compliant or hybrid-joined device is not required to register security information for %d of %d enabled member users: %s", [count(uncovered), _total, cov.named(uncovered)])
}

# Each class of registrations left without a managed device, when the policies tell classes apart.
_violations contains v if {
	count(uncovered) > 0
	some v in cov.class_violations(_eval)
}

# A counting policy whose exclusions leave users out.
_violations contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _counting
	gaps := cov.gaps_text(p, uncovered, "signin")
	gaps != ""
	msg := sprintf("%s requires a managed device to register security information but %s", [ca.label(p), gaps])
}

# A policy for the user action that does not count, while users are exposed.
_violations contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _candidates
	reasons := shortfalls(p)
	count(reasons) > 0
	msg := sprintf("%s targets registering security information but does not count: it %s", [ca.label(p), concat(", ", sort(reasons))])
}

deny contains object.union(v, {"controls": _controls}) if some v in _violations

error contains msg if some msg in cov.unverifiable(_eval)
