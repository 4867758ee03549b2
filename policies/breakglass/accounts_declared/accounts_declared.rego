# METADATA
# title: At least two break-glass (emergency access) accounts are declared
# description: >-
#   Emergency access accounts get an organization back into its tenant when no administrator
#   can sign in: a Conditional Access policy that blocks them all, an MFA or federation outage,
#   the last Global Administrator gone. Microsoft and CIS ask for two or more, so that losing
#   one (a lost security key, a disabled account) does not lose the way back in. posture checks
#   the accounts the config declares (breakGlass.users, breakGlass.groups). The rule passes when
#   the declarations resolve to at least two accounts in the snapshot, fails with exactly one
#   (or with declared groups that have no members), and is an error while a declaration matches
#   nothing. With nothing declared the finding is a warning that proposes candidates: enabled
#   Global Administrators whom every enabled or report-only Conditional Access policy excludes,
#   as break-glass accounts are; the other break-glass rules are then not applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access
#     description: "Microsoft Learn: Manage emergency access accounts in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/architecture/resilience-in-credentials
#     description: "Microsoft Learn: Build resilience in credential management"
# custom:
#   id: breakglass.accounts_declared
#   severity: high
#   level: shall
#   requires:
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.conditionalAccessPolicies
#   accepts_unlicensed: [entra.roleEligibilitySchedules, entra.conditionalAccessPolicies]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["1.1.2"]
#   license: []
#   remediation: >-
#     Create two (or more) cloud-only emergency access accounts on the tenant's *.onmicrosoft.com
#     domain, unlicensed, each with a permanent active Global Administrator assignment and a
#     FIDO2 security key (Microsoft Entra admin center > Entra ID > Users > New user, then Roles &
#     admins > Global Administrator > Add assignments, Assignment type Active, Permanently
#     assigned). Exclude them from every Conditional Access policy, ideally through one
#     role-assignable group that holds exactly them. Then declare them in the posture config,
#     under breakGlass.users (object ids or UPNs) or breakGlass.groups (that group's id or name).
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts: users (object ids or userPrincipalNames) and groups (object ids
#         or display names) whose members are the accounts.
#       default: {users: [], groups: []} # none declared: a warning proposing candidates
package posture.rules.breakglass.accounts_declared

import data.posture.lib.breakglass
import data.posture.lib.breakglass_checks as checks
import data.posture.lib.ca
import data.posture.lib.entity
import data.posture.lib.groups
import data.posture.lib.roles
import data.posture.lib.users

error contains msg if some msg in checks.errors

_tenant := entity.tenant

deny contains {"msg": msg, "entity": entity.user(uid)} if {
	count(breakglass.account_ids) == 1
	some uid in breakglass.account_ids
	msg := sprintf("only one break-glass account is declared (%s); declare at least two, so that losing one (a lost key, a disabled account) does not lose emergency access to the tenant", [users.upn(uid)])
}

deny contains {"msg": msg, "entity": _tenant} if {
	breakglass.declared
	count(breakglass.account_ids) == 0
	count(breakglass.unresolved) == 0
	names := concat(", ", sort([sprintf("'%s'", [groups.name(g)]) | some g in breakglass.group_ids]))
	msg := sprintf("the declared break-glass groups (%s) have no members, so no break-glass account is declared; at least two are needed", [names])
}

# Without declarations the rule suggests which accounts look like break-glass accounts: enabled
# Global Administrators that no Conditional Access policy can block. With no such policy at all
# every administrator looks like that, so the suggestion would say nothing.
_policies := checks.policies_to_exclude_from

_global_admins := {uid | some uid in roles.holder_ids(roles.global_administrator); users.enabled(uid)}

candidates := {uid |
	count(_policies) > 0
	some uid in _global_admins
	every p in _policies {
		ca.excluded(p, uid, "signin")
	}
}

warn contains {"msg": msg, "entity": _tenant} if {
	not breakglass.declared
	msg := sprintf("%s; %s", [checks.undeclared, _suggestion])
}

_suggestion := sprintf("candidates, being enabled Global Administrators whom every enabled or report-only Conditional Access policy excludes: %s", [users.upns(candidates)]) if {
	count(candidates) > 0
} else := "no enabled Global Administrator is excluded from every enabled or report-only Conditional Access policy, so the tenant appears to have no break-glass account" if {
	count(_policies) > 0
} else := "the tenant has no enabled or report-only Conditional Access policy to tell break-glass accounts apart by, and no enabled user holds Global Administrator" if {
	count(_global_admins) == 0
} else := sprintf("the tenant has no enabled or report-only Conditional Access policy to tell break-glass accounts apart by; enabled Global Administrators: %s", [users.upns(_global_admins)])
