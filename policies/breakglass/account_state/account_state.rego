# METADATA
# title: Break-glass accounts are enabled, cloud-only, unlicensed and on an onmicrosoft.com domain
# description: >-
#   An emergency access account must work on the day everything else is broken, and must not
#   give attackers more to aim at the rest of the time. Each declared break-glass account must
#   be enabled (accountEnabled true); cloud-only (onPremisesSyncEnabled not true), because a
#   synchronized account depends on on-premises Active Directory and whoever controls it; have
#   no licence assigned (assignedLicenses empty), because a productivity licence gives it a
#   mailbox and apps, which widen its phishing and attack surface, while an emergency account
#   needs none; and sign in on an *.onmicrosoft.com (initial) domain, which cannot be federated,
#   so the account never depends on a federation service. One violation per account and problem.
#   A property missing from the snapshot makes the result an error; with nothing declared the
#   rule is not applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access
#     description: "Microsoft Learn: Manage emergency access accounts in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/user
#     description: "Microsoft Learn: user resource type (accountEnabled, onPremisesSyncEnabled, assignedLicenses)"
# custom:
#   id: breakglass.account_state
#   severity: high
#   level: shall
#   requires: [entra.users, entra.groups, entra.groupMembers]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["1.1.2"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center open Entra ID > Users > the account. Disabled: Edit
#     properties > Settings > Account enabled. Synchronized from Active Directory: create a new
#     cloud-only account on the tenant's *.onmicrosoft.com domain (a synced account stays bound
#     to its on-premises object), give it the role and credentials, and retire the synced one.
#     Licensed: Licenses > remove every assignment (for a licence assigned through a group,
#     remove the account from that group). Custom domain: Edit properties > User principal name,
#     choose the *.onmicrosoft.com domain. Update the posture config (breakGlass) if the account
#     changes.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts: users (object ids or userPrincipalNames) and groups (object ids
#         or display names) whose members are the accounts.
#       default: {users: [], groups: []} # none declared: the rule is not applicable
package posture.rules.breakglass.account_state

import data.posture.lib.breakglass_checks as checks
import data.posture.lib.entity
import data.posture.lib.privileged
import data.posture.lib.users

not_applicable := checks.not_applicable_reason

error contains msg if some msg in checks.errors

# Initial domains, which Microsoft creates per cloud and which cannot be federated: global
# (onmicrosoft.com), US Government (onmicrosoft.us), 21Vianet (partner.onmschina.cn).
_initial_domain_suffixes := {".onmicrosoft.com", ".onmicrosoft.us", ".onmschina.cn"}

_violation(uid, text) := {"msg": sprintf("break-glass account %s %s", [users.upn(uid), text]), "entity": entity.user(uid)}

deny contains _violation(uid, "is disabled (accountEnabled false), so it cannot sign in in an emergency") if {
	some uid in checks.accounts
	checks.property(uid, "accountEnabled") == false
}

# Cloud-only is judged as for every privileged account (posture.lib.privileged).
deny contains _violation(uid, sprintf("is not cloud-only: %s; it depends on the on-premises directory, and whoever controls that directory controls the account", [why])) if {
	some uid in checks.accounts
	why := privileged.not_cloud_only(users.by_id[uid])
}

deny contains _violation(uid, text) if {
	some uid in checks.accounts
	skus := [object.get(l, "skuId", "?") | some l in checks.property(uid, "assignedLicenses")]
	count(skus) > 0
	text := sprintf("has %s assigned (skuId %s): an emergency account needs none, and a productivity licence gives it a mailbox and apps that widen its phishing and attack surface", [
		_licences(count(skus)),
		concat(", ", sort(skus)),
	])
}

_licences(1) := "a licence"

_licences(n) := sprintf("%d licences", [n]) if n != 1

deny contains _violation(uid, text) if {
	some uid in checks.accounts
	upn := checks.property(uid, "userPrincipalName")
	is_string(upn)
	domain := lower(regex.replace(upn, `^.*@`, ""))
	not _initial(domain)
	text := sprintf("signs in on domain %s instead of the tenant's *.onmicrosoft.com domain: if that domain is or becomes federated, the account can only sign in through the federation service", [domain])
}

_initial(domain) if {
	some suffix in _initial_domain_suffixes
	endswith(domain, suffix)
}

# Fail closed: the collector selects these properties, so a missing one means it was not read.
# onPremisesSyncEnabled is null for cloud-only users, so only its absence is unknown.
error contains sprintf("break-glass account %s has no %s in the snapshot, so %s cannot be checked", [users.upn(uid), name, what]) if {
	some uid in checks.accounts
	some name, what in {
		"accountEnabled": "whether it is enabled",
		"assignedLicenses": "whether it is licensed",
		"userPrincipalName": "its sign-in domain",
	}
	checks.missing(uid, name)
}

error contains sprintf("break-glass account %s has no onPremisesSyncEnabled in the snapshot, so whether it is synchronized from on-premises cannot be checked", [users.upn(uid)]) if {
	some uid in checks.accounts
	not checks.has_property(uid, "onPremisesSyncEnabled")
}

error contains sprintf("break-glass account %s has %s %s; expected %s", [users.upn(uid), name, json.marshal(v), expected]) if {
	some uid in checks.accounts
	some name, expected in {
		"accountEnabled": "true or false",
		"onPremisesSyncEnabled": "true, false or null",
		"assignedLicenses": "a list",
	}
	v := checks.property(uid, name)
	not _well_typed(name, v)
}

_well_typed("accountEnabled", v) if is_boolean(v)

_well_typed("onPremisesSyncEnabled", v) if is_boolean(v)

_well_typed("assignedLicenses", v) if is_array(v)
