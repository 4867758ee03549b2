# METADATA
# title: No Conditional Access policy can block every administrator, break-glass accounts included
# description: >-
#   A Conditional Access policy that blocks access for all users, or for the Global
#   Administrator role, on all resources, stops every administrator who could undo it; the only
#   way back in is an emergency access account the policy leaves out, and without one recovery
#   is a support case with Microsoft. Every enabled policy whose grant is Block access, that
#   includes All users or the Global Administrator role, targets All resources (exclusions
#   notwithstanding) and can match a browser sign-in (its client apps include browsers and it
#   has no authentication-flow condition), must exclude every declared break-glass account,
#   whatever its other conditions: a location, platform, risk or device condition still matches
#   on the day a named location is wrong or a device is not at hand. One violation per policy,
#   naming the accounts it does not exclude. With no break-glass account declared, a policy that
#   blocks all users (or the role) on all resources for every client with no condition at all
#   fails unless it leaves out at least one enabled user holding Global Administrator,
#   Conditional Access Administrator or Security Administrator (an active, tenant-wide
#   assignment), the roles that can change Conditional Access (a tenant with no such
#   administrator at all is entra.global_admin_count's finding). Report-only and disabled
#   policies enforce nothing.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access
#     description: "Microsoft Learn: Manage emergency access accounts in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-resilient-controls
#     description: "Microsoft Learn: Create a resilient access control management strategy"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-users-groups#exclude-users
#     description: "Microsoft Learn: Conditional Access users and groups - Exclude users"
# custom:
#   id: breakglass.lockout
#   severity: critical
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
#     cis_m365: []
#   license: []
#   remediation: >-
#     For each listed policy, in the Microsoft Entra admin center open Entra ID > Conditional
#     Access > Policies > the policy > Users > Exclude > Users and groups, and add the break-glass
#     accounts (or the group that holds exactly them). If no break-glass account exists yet, set
#     the policy to Report-only first, create two (see breakglass.accounts_declared), exclude
#     them, and declare them in the posture config. If you are already locked out, sign in with a
#     break-glass account and turn the policy off; without one, open a case with Microsoft support.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts: users (object ids or userPrincipalNames) and groups (object ids
#         or display names) whose members are the accounts.
#       default: {users: [], groups: []}
package posture.rules.breakglass.lockout

import data.posture.lib.breakglass
import data.posture.lib.breakglass_checks as checks
import data.posture.lib.ca
import data.posture.lib.entity
import data.posture.lib.roles
import data.posture.lib.users

error contains msg if some msg in breakglass.unresolved

# A blocking policy whose state or user conditions are missing may be one that locks everyone out.
error contains msg if {
	some msg in checks.policy_errors([p | some p in ca.policies; ca.blocks(p)])
}

# Roles whose holders can change Conditional Access policies.
_ca_managers := {
	roles.global_administrator,
	"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", # Conditional Access Administrator
	"194ae4cb-b126-40b2-bd5b-6091b380977d", # Security Administrator
}

_include_roles(p) := r if {
	r := object.get(p, ["conditions", "users", "includeRoles"], null)
	is_array(r)
} else := []

# _whom says whose sign-ins the policy blocks, when that takes in every administrator.
_whom(p) := "all users" if {
	ca.includes_all_users(p)
} else := "the Global Administrator role" if {
	roles.global_administrator in _include_roles(p)
}

_all_resources(p) if "All" in object.get(p, ["conditions", "applications", "includeApplications"], [])

# A policy limited to other client apps (legacy clients) or to authentication flows (device code,
# authentication transfer) cannot stop an administrator signing in to a portal in a browser.
_reaches_browsers(p) if count(ca.client_app_reasons(p, {"browser"})) == 0

_no_flow_condition(p) if object.get(p, ["conditions", "authenticationFlows", "transferMethods"], "") in {"", null}

# blocking is the list of enforced policies that can block every administrator.
blocking := [p |
	some p in ca.policies
	ca.enabled(p)
	ca.blocks(p)
	_whom(p)
	_all_resources(p)
	_reaches_browsers(p)
	_no_flow_condition(p)
]

_entity(p) := entity.ca_policy(p)

# What narrows the policy, if anything: said in the message, because such a policy still matches
# on the day its conditions do.
_conditions(p) := "" if {
	count(_narrowing(p)) == 0
} else := sprintf(" whenever its conditions match (it %s)", [concat("; ", sort(_narrowing(p)))])

_narrowing(p) := (ca.condition_reasons(p) | ca.resource_reasons(p)) | ca.client_app_reasons(p, ca.all_client_app_types)

# --- declared break-glass accounts ----------------------------------------------------------

_accounts := breakglass.account_ids

deny contains {"msg": msg, "entity": _entity(p)} if {
	count(_accounts) > 0
	some p in blocking
	left_in := {uid | some uid in _accounts; not ca.excluded(p, uid, "signin")}
	count(left_in) > 0
	msg := sprintf("%s blocks %s on all resources%s and %s", [ca.label(p), _whom(p), _conditions(p), _verdict(left_in)])
}

_verdict(left_in) := sprintf("excludes none of the break-glass accounts (%s): this policy can lock every administrator out of the tenant", [users.upns(left_in)]) if {
	count(left_in) == count(_accounts)
} else := sprintf("does not exclude break-glass %s %s, so only %s can still get in when it blocks the administrators", [
	_account_word(count(left_in)),
	users.upns(left_in),
	users.upns(_accounts - left_in),
])

_account_word(1) := "account"

_account_word(n) := "accounts" if n != 1

# An excluded group whose members were not collected may or may not hold the accounts.
error contains msg if {
	count(_accounts) > 0
	some p in blocking
	some msg in ca.unverifiable_exclusions(p)
}

# --- no break-glass account -----------------------------------------------------------------

# Who could still sign in and switch a blocking policy off: enabled users with an active,
# tenant-wide assignment to a role that can change Conditional Access.
recoverers := {g.userId |
	some g in roles.user_grants
	g.roleId in _ca_managers
	g.kind == "active"
	g.scope == "/"
	users.enabled(g.userId)
}

# Without declared accounts only an unconditional block is certain to hit every administrator;
# its exclusions are then the only way back in.
_unconditional := [p |
	count(_accounts) == 0
	some p in blocking
	ca.counts(p, ca.block_all)
]

deny contains {"msg": msg, "entity": _entity(p)} if {
	some p in _unconditional
	count(recoverers) > 0
	every uid in recoverers {
		ca.applies_to(p, uid, "signin")
	}
	count(ca.unverifiable_exclusions(p)) == 0
	msg := sprintf("%s blocks %s on all resources with no condition, no break-glass account is declared, and it leaves out no enabled administrator who can change Conditional Access (%s): this policy can lock every administrator out of the tenant", [ca.label(p), _whom(p), users.upns(recoverers)])
}

error contains msg if {
	some p in _unconditional
	some msg in ca.unverifiable_exclusions(p)
}
