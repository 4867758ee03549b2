# METADATA
# title: High-risk users are blocked or must change their password securely
# description: >-
#   Microsoft Entra ID Protection raises a user's risk when their credentials are likely
#   compromised (a leaked password, a run of risky sign-ins, threat intelligence). A user risk
#   policy stops that account being used until the risk is dealt with. The tenant passes when
#   enabled Conditional Access policies with "high" in their user risk condition together cover,
#   in every class of their sign-ins (resources, client apps, platforms, locations, risk levels,
#   device filters, as posture.lib.ca_eval cuts them: policies for complementary conditions add
#   up, and a block counts), every enabled member user except declared break-glass accounts, each
#   with a grant that either blocks access or requires a secure password change: "Require password
#   change" together with multifactor authentication or an authentication strength under "Require
#   all the selected controls" (Microsoft's template, CIS 5.2.2.6, Secure Score), or "Require risk
#   remediation" together with an authentication strength. A grant that lets users through with
#   MFA alone does not remediate the risk and does not count. Coverage is the share of users
#   covered. CISA SCuBA MS.AAD.2.1v1 is stricter: it asks to block high-risk users, which
#   conditionalaccess.high_risk_users_blocked checks. Risk-based policies need Microsoft Entra ID
#   P2; without its service plan AAD_PREMIUM_P2 the rule is not_applicable and names it. Security defaults do not respond to user risk.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-policy-risk-user
#     description: "Microsoft Learn: Require a secure password change for elevated user risk"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/conditionalaccessgrantcontrols
#     description: "Microsoft Graph: conditionalAccessGrantControls (passwordChange must be combined with mfa using AND)"
#   - ref: https://learn.microsoft.com/en-us/entra/id-protection/concept-identity-protection-risks
#     description: "Microsoft Learn: What are risk detections?"
# custom:
#   id: conditionalaccess.user_risk_policy
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
#   secure_score: [UserRiskPolicy]
#   frameworks:
#     # MS.AAD.2.1v1 asks to *block* high-risk users, which is stricter than this rule (a
#     # secure password change passes): conditionalaccess.high_risk_users_blocked checks it.
#     cisa_scuba: []
#     cis_m365: ["5.2.2.6"]
#   license: [AAD_PREMIUM_P2]
#   remediation: >-
#     Make sure users are registered for MFA and self-service password reset first (a high-risk
#     user who cannot do MFA is blocked), and on hybrid tenants enable password writeback. In
#     the Microsoft Entra admin center open Entra ID > Conditional Access > Policies (formerly
#     Protection > Conditional Access) > New policy. Users: Include > All users; Exclude > Users
#     and groups: your break-glass accounts only. Target resources: Include > All resources
#     (formerly "All cloud apps"), no exclusions. Conditions > User risk > Configure: Yes, tick
#     High; configure no other condition. Grant: Grant access > Require multifactor
#     authentication (or Require authentication strength) and Require password change, with
#     "Require all the selected controls" - or Block access, as CISA SCuBA asks. Session:
#     Sign-in frequency > Every time. Enable policy: On (not Report-only). In Graph:
#     conditions.userRiskLevels ["high"], grantControls {operator "AND", builtInControls ["mfa",
#     "passwordChange"]} or {builtInControls ["block"]}. Risk-based Conditional Access needs
#     Microsoft Entra ID P2 (e.g. Microsoft 365 E5).
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); their
#         exclusion does not count against the policy and they are left out of coverage.
#       default: {users: [], groups: []}
package posture.rules.conditionalaccess.user_risk_policy

import data.posture.lib.ca
import data.posture.lib.ca_conditions
import data.posture.lib.coverage as cov
import data.posture.lib.entity
import data.posture.lib.licenses

_level := "high"

_risk_levels(p) := ca_conditions.risk_levels(p, "userRiskLevels")

# _remediates is true when the grant blocks access, or makes the user prove who they are and
# then reset the risk: passwordChange must be combined with MFA (Graph rejects it otherwise),
# riskRemediation with an authentication strength, both under AND. With OR the user could pass
# with MFA alone and the risk would stay.
_remediates(p) if ca.enforces(p, {"block"})

_remediates(p) if {
	upper(object.get(p, ["grantControls", "operator"], "OR")) == "AND"
	controls := ca.controls(p)
	some reset in ["passwordChange", "riskRemediation"]
	reset in controls
	count(controls & ca.mfa.controls) > 0
}

_grant_reasons(p) := set() if {
	_remediates(p)
} else := {"has no grant controls"} if {
	count(ca.controls(p)) == 0
} else := {sprintf("neither blocks access nor requires a password change together with multifactor authentication (grant: %s)", [ca.grant_text(p)])}

# shortfalls is the set of reasons a candidate protects no sign-in at high user risk: it is not
# enabled, its grant does not remediate, or it reaches no user or resource. Conditions that
# narrow it are not shortfalls: other policies may cover the rest, which the class violations
# judge.
shortfalls(p) := (ca.state_reasons(p) | _grant_reasons(p)) | cov.unreachable(p)

# _candidates are the policies that select high user risk: the ones meant to respond to it,
# worth explaining when they fall short.
_candidates := [p | some p in ca.policies; _level in _risk_levels(p)]

# _eval is the evaluation (posture.lib.ca_eval) of every class of sign-ins at high user risk: a
# class is protected when a policy that selects high user risk and remediates it (see
# _remediates) applies to it, or any policy blocks it.
_eval := cov.members_eval({
	"controls": set(),
	"what": "blocking access or a secure password change",
	"clientAppTypes": ca.all_client_app_types,
	"userRisk": [_level],
	"policies": {p.id | some p in _candidates; _remediates(p)},
})

_counting := _eval.pols

# Without P2 there is no risk evaluation at all, and the rule is not applicable.
default uncovered := set()

uncovered := _eval.uncovered if licenses.has_p2

_total := cov.members_total

coverage := {"covered": _total - count(uncovered), "total": _total} if {
	licenses.has_p2
	_total > 0
}

# Without Entra ID P2 Entra evaluates no user risk: the rule is not applicable.
not_applicable := licenses.missing("Conditional Access on user risk", ["AAD_PREMIUM_P2"]) if not licenses.has_p2

error contains msg if some msg in licenses.errors

deny contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) == 0
	msg := sprintf("No Conditional Access policy blocks access or requires a secure password change at high user risk: %d of %d enabled member users are unprotected", [count(uncovered), _total])
}

deny contains {"msg": msg, "entity": entity.tenant} if {
	count(uncovered) > 0
	count(_candidates) > 0
	msg := sprintf("High-risk users are not blocked or made to change their password for %d of %d enabled member users: %s", [count(uncovered), _total, cov.named(uncovered)])
}

# Each class of high-risk sign-ins left unprotected, when the policies tell classes apart.
deny contains v if {
	count(uncovered) > 0
	some v in cov.class_violations(_eval)
}

# A counting policy whose exclusions leave users unprotected.
deny contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _counting
	gaps := cov.gaps_text(p, uncovered, "signin")
	gaps != ""
	msg := sprintf("%s leaves high-risk users unprotected: %s", [ca.label(p), gaps])
}

# A policy that selects high user risk but does not count, while users are exposed.
deny contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	count(uncovered) > 0
	some p in _candidates
	reasons := shortfalls(p)
	count(reasons) > 0
	msg := sprintf("%s responds to high user risk but does not count: it %s", [ca.label(p), concat(", ", sort(reasons))])
}

error contains msg if {
	licenses.has_p2
	some msg in cov.unverifiable(_eval)
}
