# METADATA
# title: A compliant or hybrid-joined device is required to sign in
# description: >-
#   Stolen credentials, even with a phished MFA approval, are much less useful to an attacker who
#   must also sign in from a device the organization manages: one that Intune marks compliant or
#   that is Microsoft Entra hybrid joined. The tenant passes when enabled Conditional Access
#   policies whose grant requires a compliant device or a hybrid-joined device without offering
#   anything else ("compliant device OR hybrid-joined device" counts, "compliant device OR
#   multifactor authentication" does not; with "Require all the selected controls" one device
#   control is enough), together cover, in every class of their sign-ins (resources, client apps,
#   platforms, locations, risk levels, device filters, as posture.lib.ca_eval cuts them: policies
#   for complementary conditions add up, and a block counts), every enabled member user except
#   declared break-glass accounts. Report-only policies enforce nothing, and security defaults do
#   not require managed devices. Coverage is the share of those users covered. Every violation
#   breaks CISA SCuBA MS.AAD.3.7v1 and CIS 5.2.2.9. Like the baseline's text ("Managed devices
#   SHOULD be required for authentication"), a policy requiring only a compliant device (or only a
#   hybrid-joined one) counts; ScubaGear at 4d34e9a accepts only a grant of exactly those two
#   controls with OR. conditionalaccess.admin_compliant_device asks the same of administrators
#   alone.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/policy-all-users-device-compliance
#     description: "Microsoft Learn: Require a compliant device, Microsoft Entra hybrid joined device, or MFA for all users"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-grant
#     description: "Microsoft Learn: Conditional Access grant controls"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad37v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.3.7v1"
# custom:
#   id: conditionalaccess.managed_device_required
#   severity: medium
#   level: should
#   requires:
#     - entra.securityDefaults
#     - entra.conditionalAccessPolicies
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#   accepts_unlicensed: [entra.conditionalAccessPolicies, entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.3.7v1]
#     cis_m365: ["5.2.2.9"]
#   # Entra ID P1 for Conditional Access; a compliant device also needs Intune (hybrid join does not).
#   license: [AAD_PREMIUM]
#   remediation: >-
#     Enroll the organization's devices in Intune with a compliance policy (Intune admin center >
#     Devices > Compliance), or hybrid join them, before enforcing this: users on other devices
#     are locked out. Then in the Microsoft Entra admin center open Entra ID > Conditional Access
#     > Policies (formerly Protection > Conditional Access) > New policy. Users: Include > All
#     users; Exclude > Users and groups: your break-glass accounts only. Target resources:
#     Include > All resources (formerly "All cloud apps"), no exclusions. Leave Conditions and
#     Client apps unconfigured. Grant: Grant access > Require device to be marked as compliant and
#     Require Microsoft Entra hybrid joined device > Require one of the selected controls. Enable
#     policy: Report-only first, then On. Graph: grantControls.builtInControls
#     ["compliantDevice", "domainJoinedDevice"] with operator "OR".
#   user_impact: high
#   implementation_cost: high
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
package posture.rules.conditionalaccess.managed_device_required

import data.posture.lib.ca
import data.posture.lib.coverage as cov

# Every violation breaks both controls the rule cites: each asks for a managed device at every
# sign-in of every user.
_controls := ["MS.AAD.3.7v1", "5.2.2.9"]

_eval := cov.members_eval(ca.managed_device)

uncovered := _eval.uncovered

coverage := {"covered": cov.members_total - count(uncovered), "total": cov.members_total} if cov.members_total > 0

deny contains object.union(v, {"controls": _controls}) if some v in cov.member_violations(_eval)

error contains msg if some msg in cov.unverifiable(_eval)
