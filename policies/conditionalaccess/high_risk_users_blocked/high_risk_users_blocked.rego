# METADATA
# title: Users detected as high risk are blocked
# description: >-
#   Microsoft Entra ID Protection marks a user high risk when their account is likely compromised
#   (leaked credentials, a run of risky sign-ins, threat intelligence). CISA SCuBA MS.AAD.2.1v1 asks
#   that such users be blocked until an administrator has looked at the account, not let through
#   after MFA or a password change. The tenant passes when enabled Conditional Access policies with
#   "high" in their user risk condition and Block access as their grant, together cover, in every
#   class of their sign-ins (resources, client apps, platforms, locations, risk levels, device
#   filters, as posture.lib.ca_eval cuts them: policies for complementary conditions add up, and a
#   block counts), every enabled member user except declared break-glass accounts (the baseline's
#   policies exclude emergency access accounts). Report-only policies enforce nothing. Coverage is
#   the share of those users blocked. conditionalaccess.user_risk_policy is posture's own, looser
#   judgement (a secure password change also counts there, as Microsoft's template and CIS 5.2.2.6
#   allow). Risk-based policies need Microsoft Entra ID P2; without its service plan AAD_PREMIUM_P2
#   the rule is not_applicable and names it (CISA SCuBA asks for the block whatever the licence, and
#   ScubaGear at 4d34e9a fails MS.AAD.2.1v1 then).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/id-protection/concept-identity-protection-risks
#     description: "Microsoft Learn: What are risk detections?"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-conditions#user-risk
#     description: "Microsoft Learn: Conditional Access conditions - user risk"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad21v1
#     description: "CISA SCuBA Microsoft Entra ID baseline: MS.AAD.2.1v1"
# custom:
#   id: conditionalaccess.high_risk_users_blocked
#   severity: high
#   level: shall
#   requires:
#     - entra.conditionalAccessPolicies
#     - entra.subscribedSkus
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#   accepts_unlicensed: [entra.conditionalAccessPolicies, entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.2.1v1]
#     cis_m365: []
#   license: [AAD_PREMIUM_P2]
#   remediation: >-
#     In the Microsoft Entra admin center open Entra ID > Conditional Access > Policies (formerly
#     Protection > Conditional Access) > New policy. Users: Include > All users; Exclude > Users
#     and groups: your break-glass accounts only. Target resources: Include > All resources
#     (formerly "All cloud apps"), no exclusions. Conditions > User risk > Configure: Yes, tick
#     High; configure no other condition. Grant: Block access. Enable policy: Report-only first,
#     then On. In Graph: conditions.userRiskLevels ["high"], grantControls.builtInControls
#     ["block"]. A blocked user stays blocked until an administrator dismisses the risk or resets
#     the password (Entra ID > ID Protection > Risky users). Risk-based Conditional Access needs
#     Microsoft Entra ID P2.
#   user_impact: moderate
#   implementation_cost: moderate
#   parameters:
#     - name: maxNamedUsers
#       type: integer
#       minimum: 0
#       description: >-
#         How many unprotected users the summary violation names (the first object ids in
#         order); the rest are counted. Coverage always counts every user.
#       default: 10
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); their
#         exclusion does not count against the policy and they are left out of coverage.
#       default: {users: [], groups: []}
package posture.rules.conditionalaccess.high_risk_users_blocked

import data.posture.lib.risk_block

_key := "userRiskLevels"

_eval := risk_block.evaluation(_key)

uncovered := risk_block.uncovered(_eval)

coverage := risk_block.coverage_of(_eval)

not_applicable := risk_block.not_applicable(_key, "MS.AAD.2.1v1")

deny contains v if some v in risk_block.violations(_eval, _key, "users")

error contains msg if some msg in risk_block.errors(_eval)
