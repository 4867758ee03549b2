# Conditional Access rules whose requirement *is* a condition: block device code flow (the
# authentication flows condition), respond to sign-in or user risk (the risk level conditions).
# posture.lib.ca treats every condition as narrowing, which is right for "MFA for everyone" but
# would disqualify exactly the policies these rules look for. The helpers here judge a policy on
# everything except the one condition that is the point, by handing ca a copy of the policy
# without it, so that the semantics of every other condition stay in ca.rego alone.
#
# Also shared by those rules: the population they cover (enabled member users, declared
# break-glass accounts left out); the texts of their findings come from posture.lib.coverage.
package posture.lib.ca_conditions

import data.posture.lib.ca
import data.posture.lib.coverage
import data.posture.lib.users

# without removes one condition (a key of the policy's conditions, e.g. "authenticationFlows")
# from a copy of the policy.
without(p, condition) := json.remove(p, [sprintf("conditions/%s", [condition])])

# other_condition_reasons is ca.condition_reasons for every condition but `condition`.
other_condition_reasons(p, condition) := ca.condition_reasons(without(p, condition))

# scope_shortfalls is the set of reasons, other than its grant and who it applies to, that the
# policy does not count for a requirement whose point is `condition`: it is not enabled, does not
# target all resources, leaves out some of `client_app_types`, or another condition narrows it.
scope_shortfalls(p, condition, client_app_types) := union({
	ca.state_reasons(p),
	ca.resource_reasons(p),
	ca.client_app_reasons(p, client_app_types),
	other_condition_reasons(p, condition),
})

# transfer_methods is the set of authentication flows the policy's authentication flows
# condition selects. Graph returns them as one comma-separated string (a flags enum), e.g.
# "deviceCodeFlow,authenticationTransfer"; "none" or no condition gives the empty set.
transfer_methods(p) := {m |
	raw := object.get(p, ["conditions", "authenticationFlows", "transferMethods"], "")
	is_string(raw)
	some part in split(raw, ",")
	m := trim_space(part)
	not m in {"", "none"}
}

# risk_levels is the set of levels of a risk condition ("signInRiskLevels", "userRiskLevels").
risk_levels(p, key) := {l |
	levels := object.get(p, ["conditions", key], [])
	is_array(levels)
	some l in levels
}

# --- population ---------------------------------------------------------------------------

# uncovered is the set of enabled member users, break-glass accounts left out, that none of
# `pols` (the policies that count) applies to.
uncovered(pols) := coverage.uncovered(pols, users.enabled_member_ids)
