# METADATA
# title: Legacy authentication is blocked
# description: >-
#   Legacy protocols (Exchange ActiveSync, IMAP, POP, SMTP AUTH and other basic-auth clients)
#   cannot do multifactor authentication, so they let password spray and stolen passwords
#   straight past every MFA policy. The tenant passes when security defaults are on, or when
#   enabled Conditional Access policies that block access together block every legacy sign-in
#   (Exchange ActiveSync and other clients, to every resource, from every platform and location)
#   of every enabled member user except declared break-glass accounts: one policy for Exchange
#   ActiveSync and one for other clients add up, as do policies for complementary conditions,
#   the way Microsoft applies every policy that matches a sign-in. Coverage is the share of those
#   users covered; exclusions other than break-glass accounts reduce it, and each uncovered class
#   of legacy sign-ins is named with the policies that almost cover it. Every violation breaks both
#   CISA SCuBA MS.AAD.1.1v1 and CIS 5.2.2.3. Security defaults do block legacy authentication,
#   which satisfies the text of MS.AAD.1.1v1 ("Legacy authentication SHALL be blocked"; ScubaGear
#   at 4d34e9a looks only for a Conditional Access policy, a deliberate difference), but not CIS
#   5.2.2.3, which asks for Conditional Access policies: with security defaults on, the rule
#   warns with a violation that breaks 5.2.2.3 alone.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-policy-block-legacy
#     description: "Microsoft Learn: Block legacy authentication with Conditional Access"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/block-legacy-authentication
#     description: "Microsoft Learn: Block legacy authentication"
#   - ref: https://learn.microsoft.com/en-us/entra/fundamentals/security-defaults
#     description: "Microsoft Learn: Security defaults in Microsoft Entra ID"
# custom:
#   id: entra.legacy_auth_blocked
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
#   secure_score: [BlockLegacyAuthentication]
#   frameworks:
#     cisa_scuba: [MS.AAD.1.1v1]
#     cis_m365: ["5.2.2.3"]
#   license: []
#   remediation: >-
#     Find who still uses legacy clients first (Entra ID > Monitoring & health > Sign-in logs,
#     filter Client app by the legacy authentication clients). Then in the Microsoft Entra admin
#     center open Entra ID > Conditional Access > Policies (formerly Protection > Conditional
#     Access) > New policy. Users: Include > All users; Exclude > Users and groups: your
#     break-glass accounts only. Target resources: Include > All resources (formerly "All cloud
#     apps"), no exclusions. Conditions > Client apps > Configure: Yes, tick only Exchange
#     ActiveSync clients and Other clients; configure no other condition. Grant: Block access.
#     Enable policy: On (not Report-only). Conditional Access needs Entra ID P1; a tenant without
#     it turns on security defaults instead: Entra ID > Overview > Properties > Manage security
#     defaults > Enabled.
#   user_impact: moderate
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); their
#         exclusion does not count against the policy and they are left out of coverage.
#       default: {users: [], groups: []}
#     - name: maxNamedUsers
#       type: integer
#       minimum: 0
#       description: >-
#         How many uncovered users the summary violation names (the first object ids in order);
#         the rest are counted. Coverage always counts every user.
#       default: 10
package posture.rules.entra.legacy_auth_blocked

import data.posture.lib.ca
import data.posture.lib.coverage as cov
import data.posture.lib.entity

# Every violation breaks every control the rule cites: both ask that legacy authentication be blocked
# for everyone.
_controls := ["MS.AAD.1.1v1", "5.2.2.3"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

# Posture and SCuBA's text accept security defaults; CIS 5.2.2.3 asks for Conditional Access.
warn contains {"msg": msg, "entity": entity.setting("securityDefaults.isEnabled", "Security defaults"), "controls": ["5.2.2.3"]} if {
	_security_defaults
	n := count(_eval.uncovered)
	n > 0
	msg := sprintf("Security defaults are on and block legacy authentication, but no Conditional Access policy blocks it for %d of %d enabled member users, which CIS 5.2.2.3 asks for", [n, _total])
}

_security_defaults if input.entra.securityDefaults.isEnabled == true

# _eval is the evaluation (posture.lib.ca_eval) of blocking over every class of legacy sign-ins
# (Exchange ActiveSync and other clients) of the enabled member users: the blocking policies
# that apply to a class add up.
_eval := cov.members_eval(ca.legacy_block)

# Candidates are the blocking policies that select legacy client types explicitly: the ones
# meant to block legacy authentication, worth explaining when they fall short. Blocking
# policies for all client types (country blocks, app blocks) are left out of the explanations.
_candidates := {p |
	some p in ca.policies
	ca.blocks(p)
	some t in ca.legacy_client_app_types
	t in object.get(p, ["conditions", "clientAppTypes"], [])
}

# Break-glass accounts are out of scope by design: they are left out of the population.
_total := cov.members_total

default uncovered := set()

uncovered := _eval.uncovered if not _security_defaults

coverage := {"covered": _total - count(uncovered), "total": _total} if _total > 0

_violations contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) + count(_eval.pols) == 0
	msg := sprintf("No Conditional Access policy blocks legacy authentication (Exchange ActiveSync and other clients): %d of %d enabled member users can sign in with legacy protocols", [count(uncovered), _total])
}

_violations contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) + count(_eval.pols) > 0
	msg := sprintf("Legacy authentication is not blocked for %d of %d enabled member users: %s", [count(uncovered), _total, cov.named(uncovered)])
}

# Each class of legacy sign-ins left open, when the policies tell classes apart.
_violations contains v if {
	count(uncovered) > 0
	some v in cov.class_violations(_eval)
}

# A blocking policy whose exclusions leave users unprotected.
_violations contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _eval.pols
	_meant(p)
	gaps := cov.gaps_text(p, uncovered, "signin")
	gaps != ""
	msg := sprintf("%s leaves legacy authentication open: %s", [ca.label(p), gaps])
}

# A policy meant to block legacy authentication that blocks nothing, while users are exposed.
_violations contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _candidates
	reasons := ca.state_reasons(p) | cov.unreachable(p)
	count(reasons) > 0
	msg := sprintf("%s blocks legacy authentication but does not count: it %s", [ca.label(p), concat(", ", sort(reasons))])
}

# _meant is true for a blocking policy meant to block legacy authentication: one that selects
# legacy clients, or blocks every sign-in with nothing narrowing it. A country block's
# exclusions are not about legacy authentication.
_meant(p) if p in _candidates

_meant(p) if ca.counts(p, ca.legacy_block)

error contains msg if {
	not _security_defaults
	some msg in cov.unverifiable(_eval)
}
