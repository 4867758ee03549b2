# METADATA
# title: Device code flow is blocked
# description: >-
#   The device code flow lets a user sign in on a second device by typing a short code, which is
#   exactly what device code phishing abuses: the attacker starts the flow, the victim enters
#   the code and completes MFA, and the attacker's session receives the tokens. Few
#   organizations need the flow, so Microsoft recommends blocking it wherever possible. The
#   tenant passes when enabled Conditional Access policies whose grant is Block access, with the
#   authentication flows condition selecting device code flow (or no authentication flows
#   condition at all), together block every device code sign-in (browser and mobile and desktop
#   clients, every resource, platform and location) of every enabled member user except declared
#   break-glass accounts: policies for complementary conditions add up, the way Microsoft applies
#   every policy that matches a sign-in. Report-only policies do not enforce anything. Coverage is the share of those users covered; exclusions other than
#   break-glass accounts reduce it. Security defaults do not block device code flow. Every
#   violation breaks both MS.AAD.3.9v1 and CIS 5.2.2.12.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-authentication-flows
#     description: "Microsoft Learn: Conditional Access authentication flows"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/policy-block-authentication-flows
#     description: "Microsoft Learn: Block authentication flows with Conditional Access policy"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/conditionalaccessauthenticationflows
#     description: "Microsoft Graph: conditionalAccessAuthenticationFlows resource type"
# custom:
#   id: conditionalaccess.device_code_flow_blocked
#   severity: medium
#   level: shall
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
#     # ScubaGear's baseline words MS.AAD.3.9v1 as a SHOULD; CIS 5.2.2.12 is Level 1.
#     cisa_scuba: [MS.AAD.3.9v1]
#     cis_m365: ["5.2.2.12"]
#   license: [AAD_PREMIUM]
#   remediation: >-
#     Find who still uses the flow first (Entra ID > Monitoring & health > Sign-in logs, filter
#     Authentication protocol: Device code), and start the policy in report-only mode. In the
#     Microsoft Entra admin center open Entra ID > Conditional Access > Policies (formerly
#     Protection > Conditional Access) > New policy. Users: Include > All users; Exclude > Users
#     and groups: your break-glass accounts only. Target resources: Include > All resources
#     (formerly "All cloud apps"), no exclusions. Conditions > Authentication flows > Configure:
#     Yes, tick Device code flow; configure no other condition. Grant: Block access. Enable
#     policy: On. In Graph: conditions.authenticationFlows.transferMethods "deviceCodeFlow" and
#     grantControls.builtInControls ["block"]. Where a few devices really need the flow (for
#     example meeting room devices), exclude them with a narrow second policy rather than
#     excluding users from this one.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); their
#         exclusion does not count against the policy and they are left out of coverage.
#       default: {users: [], groups: []}
package posture.rules.conditionalaccess.device_code_flow_blocked

import data.posture.lib.ca
import data.posture.lib.ca_conditions
import data.posture.lib.coverage as cov
import data.posture.lib.entity

# Every violation breaks every control the rule cites: both ask that device code flow be blocked for
# everyone (ScubaGear at 4d34e9a also accepts only a policy whose flows condition is exactly
# deviceCodeFlow; the baseline's text does not, nor does this rule).
_controls := ["MS.AAD.3.9v1", "5.2.2.12"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

# _eval is the evaluation (posture.lib.ca_eval) of blocking over every class of device code
# sign-ins (ca.device_code_block: browser and mobile and desktop clients, the flow device code
# flow) of the enabled member users.
_eval := cov.members_eval(ca.device_code_block)

# Candidates are the policies that select device code flow: the ones meant to block it, worth
# explaining when they fall short.
_candidates := [p | some p in ca.policies; "deviceCodeFlow" in ca_conditions.transfer_methods(p)]

uncovered := _eval.uncovered

_total := cov.members_total

coverage := {"covered": _total - count(uncovered), "total": _total} if _total > 0

_violations contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) + count(_eval.pols) == 0
	msg := sprintf("No Conditional Access policy blocks device code flow: %d of %d enabled member users can sign in with it", [count(uncovered), _total])
}

_violations contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) + count(_eval.pols) > 0
	msg := sprintf("Device code flow is not blocked for %d of %d enabled member users: %s", [count(uncovered), _total, cov.named(uncovered)])
}

# Each class of device code sign-ins left open, when the policies tell classes apart.
_violations contains v if {
	count(uncovered) > 0
	some v in cov.class_violations(_eval)
}

# A blocking policy whose exclusions leave users able to use the flow.
_violations contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _eval.pols
	_meant(p)
	gaps := cov.gaps_text(p, uncovered, "signin")
	gaps != ""
	msg := sprintf("%s leaves device code flow open: %s", [ca.label(p), gaps])
}

# A policy that selects device code flow but blocks none of it, while users are exposed.
_violations contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _candidates
	reasons := (ca.state_reasons(p) | ca.grant_reasons(p, ca.block_all)) | cov.unreachable(p)
	count(reasons) > 0
	msg := sprintf("%s targets device code flow but does not block it: it %s", [ca.label(p), concat(", ", sort(reasons))])
}

# _meant is true for a blocking policy meant to block device code flow: one that selects it, or
# blocks every sign-in with nothing narrowing it. A country block's exclusions are not about the
# flow.
_meant(p) if p in _candidates

_meant(p) if ca.counts(p, ca.block_all)

error contains msg if some msg in cov.unverifiable(_eval)
