# METADATA
# title: Break-glass accounts are excluded from every Conditional Access policy
# description: >-
#   Emergency access (break-glass) accounts exist to get back into the tenant when Conditional
#   Access locks everyone else out: a broken policy, an MFA outage, a federation failure. That
#   only works if no policy can block them. Every Conditional Access policy that is on or in
#   report-only mode (report-only policies are switched on later) must exclude every declared
#   break-glass account, by user, through an excluded group, or through an excluded directory
#   role the account actively holds. Declarations that match nothing in the snapshot, and
#   policies whose state or user conditions the snapshot lacks, make the result an error, since
#   the accounts cannot be checked; declared groups without members make it not applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access
#     description: "Microsoft Learn: Manage emergency access accounts in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-users-groups#exclude-users
#     description: "Microsoft Learn: Conditional Access users and groups - Exclude users"
# custom:
#   id: breakglass.excluded_from_ca
#   severity: high
#   level: shall
#   requires:
#     - entra.conditionalAccessPolicies
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#   accepts_unlicensed: [entra.conditionalAccessPolicies]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["1.1.2"]
#   license: []
#   remediation: >-
#     For each listed policy, in the Microsoft Entra admin center open Entra ID > Conditional
#     Access > Policies (formerly Protection > Conditional Access) > the policy > Users > Exclude
#     > Users and groups, and select the break-glass accounts, or better one group that holds
#     exactly them (make it role-assignable, or protect it with PIM for Groups, so that Groups
#     Administrators cannot add themselves to it). Save. Declare the accounts or the group in
#     the posture config under breakGlass.users / breakGlass.groups.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts: users (object ids or userPrincipalNames) and groups (object ids
#         or display names) whose members are the accounts.
#       default: {users: [], groups: []} # none declared: the rule is not applicable
package posture.rules.breakglass.excluded_from_ca

import data.posture.lib.breakglass
import data.posture.lib.breakglass_checks as checks
import data.posture.lib.ca
import data.posture.lib.entity
import data.posture.lib.users

# Nothing declared, or only groups without members: there is no account to check, which must not
# read as a pass.
not_applicable := checks.not_applicable_reason

error contains msg if some msg in breakglass.unresolved

# The policies that must exclude the accounts: on or report-only, and aimed at users (policies
# for workload identities only cannot sign in a user).
checked := checks.policies_to_exclude_from

deny contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	some p in checked
	some uid in breakglass.account_ids
	not ca.excluded(p, uid, "signin")
	msg := sprintf("%s (%s) does not exclude break-glass account %s; %s", [ca.label(p), ca.state_label(p), users.upn(uid), _today(p, uid)])
}

_today(p, uid) := "it applies to the account today" if {
	ca.applies_to(p, uid, "signin")
} else := "it does not apply to the account today, but would as soon as its assignments or the account's memberships change"

# An excluded group whose members were not collected may or may not hold the accounts.
error contains msg if {
	breakglass.declared
	some p in checked
	some msg in ca.unverifiable_exclusions(p)
}

# A policy whose state or user conditions are missing would otherwise be skipped unchecked.
error contains msg if {
	breakglass.declared
	some msg in checks.policy_errors(ca.policies)
}
