# Rules that ask Conditional Access to *block* access at high risk, as CISA SCuBA MS.AAD.2.1v1
# (high user risk) and MS.AAD.2.3v1 (high sign-in risk) do: one way to find the policies meant
# to, to judge them and to explain who is left unprotected. The risk condition is the point of
# such a policy; posture.lib.ca_eval judges every class of high-risk sign-ins, so blocking
# policies for complementary conditions add up, and each class left open is named.
#
# Each function takes the risk condition's key in the policy's conditions, "userRiskLevels" or
# "signInRiskLevels", and for texts `what` ("users", "sign-ins").
package posture.lib.risk_block

import data.posture.lib.ca
import data.posture.lib.ca_conditions
import data.posture.lib.coverage as cov
import data.posture.lib.entity
import data.posture.lib.licenses

_level := "high"

_risk_names := {"userRiskLevels": "user risk", "signInRiskLevels": "sign-in risk"}

# candidates are the policies that select high risk: the ones meant to respond to it, worth
# explaining when they fall short.
candidates(key) := [p | some p in ca.policies; _level in ca_conditions.risk_levels(p, key)]

# shortfalls is the set of reasons a candidate blocks nothing at high risk: it is not enabled,
# does not block, or reaches no user or resource. Conditions that narrow it are not shortfalls:
# other policies may block the rest, which the class violations judge.
shortfalls(p, _) := (ca.state_reasons(p) | ca.grant_reasons(p, ca.block_all)) | cov.unreachable(p)

# _dims maps the risk conditions to posture.lib.ca_eval's dimensions.
_dims := {"userRiskLevels": "userRisk", "signInRiskLevels": "signInRisk"}

# requirement is blocking access in every class of sign-ins at high risk.
requirement(key) := {
	"controls": {"block"},
	"what": "blocking access",
	"clientAppTypes": ca.all_client_app_types,
	_dims[key]: [_level],
}

# evaluation is the evaluation (posture.lib.ca_eval) of blocking over every class of high-risk
# sign-ins of the enabled member users: blocking policies for complementary conditions add up.
evaluation(key) := cov.members_eval(requirement(key))

# uncovered is the set of enabled member users, declared break-glass accounts left out, with a
# class of high-risk sign-ins no policy blocks. Without Entra ID P2 there is no risk evaluation at
# all and the rule is not applicable (not_applicable): the set is then empty.
# Each function below takes the evaluation, which a rule computes once.
uncovered(ev) := ev.uncovered if licenses.has_p2

uncovered(_) := set() if not licenses.has_p2

# coverage_of is the share of enabled member users (break-glass accounts left out) blocked at high
# risk; undefined without P2.
coverage_of(ev) := {"covered": cov.members_total - count(uncovered(ev)), "total": cov.members_total} if {
	licenses.has_p2
	cov.members_total > 0
}

# not_applicable is the reason when the tenant lacks Entra ID P2: without it Entra evaluates no
# risk, so there is nothing to block. CISA SCuBA asks for the block whatever the licence and
# ScubaGear fails `control` without P2, which the reason says.
not_applicable(key, control) := sprintf("%s (ScubaGear fails %s without it)", [licenses.missing(sprintf("Conditional Access on %s", [_risk_names[key]]), ["AAD_PREMIUM_P2"]), control]) if {
	not licenses.has_p2
}

# violations explains what keeps high-risk `what` from being blocked.
violations(ev, key, what) := (((none | some_left) | classes) | gaps) | short if {
	total := cov.members_total
	left := uncovered(ev)
	risk := _risk_names[key]
	none := {{"msg": msg, "entity": entity.tenant} |
		count(left) > 0
		count(candidates(key)) == 0
		msg := sprintf("No Conditional Access policy blocks access at high %s: %d of %d enabled member users are not blocked", [risk, count(left), total])
	}
	some_left := {{"msg": msg, "entity": entity.tenant} |
		count(left) > 0
		count(candidates(key)) > 0
		msg := sprintf("High-risk %s are not blocked for %d of %d enabled member users: %s", [what, count(left), total, cov.named(left)])
	}
	classes := {v |
		count(left) > 0
		some v in cov.class_violations(ev)
	}
	gaps := {{"msg": msg, "entity": entity.ca_policy(p)} |
		count(left) > 0
		some p in ev.pols
		p in candidates(key) # a country block's exclusions are not about risk
		text := cov.gaps_text(p, left, "signin")
		text != ""
		msg := sprintf("%s blocks access at high %s but %s", [ca.label(p), risk, text])
	}
	short := {{"msg": msg, "entity": entity.ca_policy(p)} |
		count(left) > 0
		some p in candidates(key)
		reasons := shortfalls(p, key)
		count(reasons) > 0
		msg := sprintf("%s responds to high %s but does not block it: it %s", [ca.label(p), risk, concat(", ", sort(reasons))])
	}
}

# errors are the reasons the snapshot cannot tell whom a counting policy blocks, or whether the
# tenant has P2.
errors(ev) := cov.unverifiable(ev) | licenses.errors if licenses.has_p2

errors(_) := licenses.errors if not licenses.has_p2
