# METADATA
# title: Risky sign-ins are blocked or challenged with multifactor authentication
# description: >-
#   Microsoft Entra ID Protection scores every sign-in for the chance that it is not the account
#   owner (an anonymous IP address, an unfamiliar location, a password spray, a token replay). A
#   sign-in risk policy turns that score into a decision, so that a stolen password alone no
#   longer gets in. The tenant passes when, at both high and medium sign-in risk (the levels CIS
#   5.2.2.7 and Microsoft Secure Score ask for), enabled Conditional Access policies with that
#   level in their sign-in risk condition, and whose grant blocks access or requires multifactor
#   authentication (or an authentication strength) without offering an alternative, together
#   cover, in every class of their sign-ins (resources, client apps, platforms, locations, risk
#   levels, device filters, as posture.lib.ca_eval cuts them: policies for complementary
#   conditions add up, and a block counts), every enabled member user except declared break-glass
#   accounts. One policy for "high, medium" or separate ones per level both count. Coverage is the
#   share of users covered at both levels. CISA SCuBA MS.AAD.2.3v1 is stricter: it asks to block
#   high-risk sign-ins, not to challenge them (conditionalaccess.high_risk_sign_ins_blocked).
#   Risk-based policies need Microsoft Entra ID P2; without its service plan AAD_PREMIUM_P2 the rule is not_applicable and names it.
#   Security defaults do not respond to sign-in risk. CIS and Microsoft's template also set
#   sign-in frequency to "Every time" on the policy, so that an MFA claim from an earlier sign-in
#   does not satisfy it; this rule does not require that session control.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-policy-risk
#     description: "Microsoft Learn: Require MFA for elevated sign-in risk (sign-in risk-based Conditional Access)"
#   - ref: https://learn.microsoft.com/en-us/entra/id-protection/concept-identity-protection-risks
#     description: "Microsoft Learn: What are risk detections?"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-session-lifetime
#     description: "Microsoft Learn: Configure adaptive session lifetime policies (sign-in frequency every time)"
# custom:
#   id: conditionalaccess.sign_in_risk_policy
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
#   secure_score: [SigninRiskPolicy]
#   frameworks:
#     # MS.AAD.2.3v1 asks to *block* high-risk sign-ins, which is stricter than this rule (MFA
#     # passes): conditionalaccess.high_risk_sign_ins_blocked checks it.
#     cisa_scuba: []
#     cis_m365: ["5.2.2.7"]
#   license: [AAD_PREMIUM_P2]
#   remediation: >-
#     Check Entra ID > ID Protection > Risky sign-ins first and make sure users are registered
#     for MFA (a user who is not is blocked at risk). In the Microsoft Entra admin center open
#     Entra ID > Conditional Access > Policies (formerly Protection > Conditional Access) > New
#     policy. Users: Include > All users; Exclude > Users and groups: your break-glass accounts
#     only. Target resources: Include > All resources (formerly "All cloud apps"), no exclusions.
#     Conditions > Sign-in risk > Configure: Yes, tick High and Medium; configure no other
#     condition. Grant: Grant access > Require multifactor authentication (or Require
#     authentication strength), or Block access - CISA SCuBA asks to block at high risk, which
#     takes a second policy for High only with Block access. Session: Sign-in frequency > Every
#     time. Enable policy: On (not Report-only). In Graph: conditions.signInRiskLevels ["high",
#     "medium"] and grantControls.builtInControls ["mfa"] or ["block"]. Risk-based Conditional
#     Access needs Microsoft Entra ID P2 (e.g. Microsoft 365 E5).
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); their
#         exclusion does not count against the policy and they are left out of coverage.
#       default: {users: [], groups: []}
package posture.rules.conditionalaccess.sign_in_risk_policy

import data.posture.lib.ca
import data.posture.lib.ca_conditions
import data.posture.lib.coverage as cov
import data.posture.lib.entity
import data.posture.lib.licenses

# The sign-in risk levels that must be covered, highest first (the order of the messages).
_levels := ["high", "medium"]

# A grant counts when every way through it blocks access or does MFA.
_requirement := {
	"controls": (ca.mfa.controls | {"block"}),
	"what": "blocking access or multifactor authentication",
	"clientAppTypes": ca.all_client_app_types,
}

_risk_levels(p) := ca_conditions.risk_levels(p, "signInRiskLevels")

# shortfalls is the set of reasons a candidate protects no sign-in at the levels it selects: it
# is not enabled, its grant neither blocks nor enforces MFA, or it reaches no user or resource.
# Conditions that narrow it are not shortfalls: other policies may cover the rest, which the
# class violations judge.
shortfalls(p) := (ca.state_reasons(p) | ca.grant_reasons(p, _requirement)) | cov.unreachable(p)

# _candidates are the policies that select high or medium sign-in risk: the ones meant to
# respond to it, worth explaining when they fall short.
_candidates := {p |
	some p in ca.policies
	some level in _levels
	level in _risk_levels(p)
}

# _evals is, per level, the evaluation (posture.lib.ca_eval) of every class of sign-ins at that
# sign-in risk: a class is protected when a policy that selects the level and blocks or enforces
# MFA applies to it, or any policy blocks it. A policy requiring MFA of everyone does not count:
# its MFA claim is reused for risky sign-ins, which Microsoft's sign-in risk policy answers with
# a fresh challenge (sign-in frequency every time).
_evals[level] := cov.members_eval({
	"controls": set(),
	"what": _requirement.what,
	"clientAppTypes": ca.all_client_app_types,
	"signInRisk": [level],
	"policies": {p.id |
		some p in _candidates
		level in _risk_levels(p)
		ca.enforces(p, _requirement.controls)
	},
}) if {
	some level in _levels
}

_counted := {p | some ev in _evals; some p in ev.pols; p in _candidates}

# uncovered_at is, per level, the users with a class of sign-ins no policy protects at that
# level. Without P2 there is no risk evaluation at all, and the rule is not applicable.
uncovered_at[level] := ev.uncovered if {
	licenses.has_p2
	some level, ev in _evals
}

uncovered := union({ids | some ids in uncovered_at})

_total := cov.members_total

coverage := {"covered": _total - count(uncovered), "total": _total} if {
	licenses.has_p2
	_total > 0
}

# Without Entra ID P2 Entra evaluates no sign-in risk: the rule is not applicable.
not_applicable := licenses.missing("Conditional Access on sign-in risk", ["AAD_PREMIUM_P2"]) if not licenses.has_p2

error contains msg if some msg in licenses.errors

deny contains {"msg": msg, "entity": entity.tenant} if {
	some level in _levels
	ids := uncovered_at[level]
	count(ids) > 0
	not _selected(level)
	msg := sprintf("No Conditional Access policy blocks access or requires multifactor authentication at %s sign-in risk: %d of %d enabled member users are unprotected", [level, count(ids), _total])
}

deny contains {"msg": msg, "entity": entity.tenant} if {
	some level in _levels
	ids := uncovered_at[level]
	count(ids) > 0
	_selected(level)
	msg := sprintf("Sign-ins at %s risk are not blocked or challenged with multifactor authentication for %d of %d enabled member users: %s", [level, count(ids), _total, cov.named(ids)])
}

_selected(level) if {
	some p in _candidates
	level in _risk_levels(p)
}

# Each class of sign-ins left unprotected at a level, when the policies tell classes apart.
deny contains v if {
	some level, ids in uncovered_at
	count(ids) > 0
	some v in cov.class_violations(_evals[level])
}

# A counting policy whose exclusions leave users unprotected at one of its levels.
deny contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	some p in _counted
	exposed := union({ids | some level, ids in uncovered_at; level in _risk_levels(p)})
	gaps := cov.gaps_text(p, exposed, "signin")
	gaps != ""
	msg := sprintf("%s (sign-in risk %s) leaves users unprotected: %s", [ca.label(p), _levels_text(p), gaps])
}

# A policy that selects high or medium sign-in risk but does not count, while users are exposed
# at one of its levels.
deny contains {"msg": msg, "entity": entity.ca_policy(p)} if {
	some p in _candidates
	reasons := shortfalls(p)
	count(reasons) > 0
	some level, ids in uncovered_at
	level in _risk_levels(p)
	count(ids) > 0
	msg := sprintf("%s responds to sign-in risk %s but does not count: it %s", [ca.label(p), _levels_text(p), concat(", ", sort(reasons))])
}

# _levels_text lists the policy's levels highest first, e.g. "high, medium".
_levels_text(p) := concat(", ", [l | some l in ["high", "medium", "low", "none"]; l in _risk_levels(p)])

error contains msg if {
	licenses.has_p2
	some ev in _evals
	some msg in cov.unverifiable(ev)
}
