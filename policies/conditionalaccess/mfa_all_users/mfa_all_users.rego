# METADATA
# title: Multifactor authentication is required for all users
# description: >-
#   A password alone is phished, sprayed or reused every day; requiring a second factor at every
#   sign-in stops most account takeovers, and an attacker only needs the one user who is left out.
#   The tenant passes when security defaults are on (they make every user register for MFA and ask
#   for it when Microsoft judges a sign-in risky), or when enabled Conditional Access policies
#   whose grant requires MFA or an authentication strength without offering an alternative, or
#   that block access, together cover in every class of their sign-ins (resources, client apps,
#   platforms, locations, risk levels, device filters, as posture.lib.ca_eval cuts them: policies
#   for complementary conditions add up, and a block counts) every enabled member user except
#   declared break-glass accounts. Report-only policies enforce nothing. Coverage is the share of
#   those users covered; any exclusion other than break-glass accounts reduces it, and the finding
#   names each policy that does not count and each exclusion that leaves users out. Accepting
#   security defaults is posture's own judgement: CISA SCuBA MS.AAD.3.2v2 (whose implementation is
#   a Conditional Access policy for All users requiring MFA, and which ScubaGear passes only on
#   such a policy) and CIS 5.2.2.2 (whose audit reads the Conditional Access policies) are not met
#   by security defaults, which ask ordinary users for MFA only when Microsoft deems a sign-in
#   risky. With security defaults on, the rule therefore warns (it does not fail) with a violation
#   that breaks those two controls, so the framework view fails them while posture's verdict is a
#   warning. A policy that requires the phishing-resistant authentication strength counts: it
#   enforces MFA, which is all MS.AAD.3.2v2's text asks (ScubaGear's Rego at 4d34e9a counts an
#   authentication strength only when it also offers a method that is not phishing-resistant, a
#   deliberate difference).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-policy-all-users-mfa
#     description: "Microsoft Learn: Require multifactor authentication for all users"
#   - ref: https://learn.microsoft.com/en-us/entra/fundamentals/security-defaults
#     description: "Microsoft Learn: Security defaults in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-report-only
#     description: "Microsoft Learn: Conditional Access report-only mode"
# custom:
#   id: conditionalaccess.mfa_all_users
#   severity: high
#   level: shall
#   requires:
#     - entra.securityDefaults
#     - entra.conditionalAccessPolicies
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#   accepts_unlicensed: [entra.conditionalAccessPolicies, entra.roleEligibilitySchedules]
#   # MFARegistrationV2 scores MFA *registration* (entra.mfa_registration), not enforcement;
#   # Secure Score has no control for requiring MFA of all users.
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.3.2v2]
#     cis_m365: ["5.2.2.2"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center open Entra ID > Conditional Access > Policies (formerly
#     Protection > Conditional Access) > New policy. Users: Include > All users; Exclude > Users
#     and groups: your break-glass accounts only. Target resources: Include > All resources
#     (formerly "All cloud apps"), no exclusions. Leave Conditions and Client apps unconfigured.
#     Grant: Grant access > Require multifactor authentication (or Require authentication
#     strength); with more than one control choose "Require all the selected controls". Enable
#     policy: Report-only first, then On. For each policy the finding names, fix what it says
#     (turn it On, remove the exclusion, or cover the excluded group with another policy).
#     Conditional Access needs Entra ID P1; a tenant without it turns on security defaults
#     instead: Entra ID > Overview > Properties > Manage security defaults > Enabled.
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
package posture.rules.conditionalaccess.mfa_all_users

import data.posture.lib.ca
import data.posture.lib.coverage as cov
import data.posture.lib.entity

# Every violation breaks both controls: each asks for a Conditional Access policy that requires
# MFA of every user.
_controls := ["MS.AAD.3.2v2", "5.2.2.2"]

# _eval is the evaluation of MFA over every class of sign-ins of the enabled member users.
_eval := cov.members_eval(ca.mfa)

default uncovered := set()

uncovered := _eval.uncovered if not cov.security_defaults

coverage := {"covered": cov.members_total - count(uncovered), "total": cov.members_total} if cov.members_total > 0

deny contains object.union(v, {"controls": _controls}) if {
	not cov.security_defaults
	some v in cov.member_violations(_eval)
}

# Posture accepts security defaults; the frameworks' controls need Conditional Access.
warn contains {"msg": msg, "entity": entity.setting("securityDefaults.isEnabled", "Security defaults"), "controls": _controls} if {
	cov.security_defaults
	n := count(_eval.uncovered)
	n > 0
	msg := sprintf("Security defaults are on, which posture accepts, but they ask users for multifactor authentication only when Microsoft deems a sign-in risky: no Conditional Access policy requires it at every sign-in for %d of %d enabled member users, which CISA SCuBA MS.AAD.3.2v2 and CIS 5.2.2.2 require", [n, cov.members_total])
}

error contains msg if {
	not cov.security_defaults
	some msg in cov.unverifiable(_eval)
}
