# METADATA
# title: Phishing-resistant multifactor authentication is required for all users
# description: >-
#   Adversary-in-the-middle phishing kits relay push approvals, SMS and app codes in real time, so
#   ordinary MFA no longer stops a determined phishing campaign. Passkeys (FIDO2), Windows Hello
#   for Business and certificate-based authentication are bound to the real sign-in page and
#   cannot be relayed. The tenant passes when enabled Conditional Access policies whose grant
#   requires the built-in Phishing-resistant MFA authentication strength (or a custom strength
#   allowing only phishing-resistant methods) without offering an alternative, or that block
#   access, together cover in every class of their sign-ins (resources, client apps, platforms,
#   locations, risk levels, device filters, as posture.lib.ca_eval cuts them: policies for
#   complementary conditions add up, and a block counts) every enabled member user except declared
#   break-glass accounts. Security defaults do not satisfy this: they accept Microsoft
#   Authenticator notifications and codes. Report-only policies enforce nothing. Coverage is the
#   share of those users covered; any exclusion other than break-glass accounts reduces it, and
#   the finding names each policy that does not count (including policies that require a weaker
#   authentication strength) and each exclusion that leaves users out.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-strengths
#     description: "Microsoft Learn: Conditional Access authentication strength"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-policy-all-users-mfa
#     description: "Microsoft Learn: Require multifactor authentication for all users"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-report-only
#     description: "Microsoft Learn: Conditional Access report-only mode"
# custom:
#   id: conditionalaccess.phishing_resistant_mfa_all_users
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
#     cisa_scuba: [MS.AAD.3.1v1]
#     cis_m365: []
#   license: [AAD_PREMIUM]
#   remediation: >-
#     Roll out phishing-resistant methods first: enable Passkey (FIDO2) (and, where used,
#     certificate-based authentication) under Entra ID > Authentication methods > Policies, and
#     have users register a passkey or Windows Hello for Business (a Temporary Access Pass helps
#     them bootstrap); the policy locks out anyone without one. Then in the Microsoft Entra admin
#     center open Entra ID > Conditional Access > Policies (formerly Protection > Conditional
#     Access) > New policy. Users: Include > All users; Exclude > Users and groups: your
#     break-glass accounts only. Target resources: Include > All resources (formerly "All cloud
#     apps"), no exclusions. Leave Conditions and Client apps unconfigured. Grant: Grant access
#     > Require authentication strength > Phishing-resistant MFA. Enable policy: Report-only
#     first, then On. Graph: grantControls.authenticationStrength.id
#     00000000-0000-0000-0000-000000000004. Conditional Access needs Entra ID P1 and security
#     defaults turned off.
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
package posture.rules.conditionalaccess.phishing_resistant_mfa_all_users

import data.posture.lib.ca
import data.posture.lib.coverage as cov

_eval := cov.members_eval(ca.phishing_resistant_mfa)

uncovered := _eval.uncovered

coverage := {"covered": cov.members_total - count(uncovered), "total": cov.members_total} if cov.members_total > 0

deny contains v if some v in cov.member_violations(_eval)

error contains msg if some msg in cov.unverifiable(_eval)
