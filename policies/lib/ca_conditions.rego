# Conditional Access rules whose requirement *is* a condition: block device code flow (the
# authentication flows condition), respond to sign-in or user risk (the risk level conditions).
# posture.lib.ca treats every condition as narrowing, which is right for "MFA for everyone" but
# would disqualify exactly the policies these rules look for. The helpers here judge a policy on
# everything except the one condition that is the point, by handing ca a copy of the policy
# without it, so that the semantics of every other condition stay in ca.rego alone.
#
# Also shared by those rules: the population they cover (enabled member users, declared
# break-glass accounts left out) and the texts of their findings.
package posture.lib.ca_conditions

import data.posture.lib.breakglass
import data.posture.lib.ca
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

# total is the number of users a tenant-wide requirement covers: enabled member users, declared
# break-glass accounts left out (they are out of Conditional Access scope by design). It counts
# instead of subtracting sets, which would copy 100,000 ids.
total := count(users.enabled_member_ids) - count(breakglass.account_ids & users.enabled_member_ids)

# population is the set of those users. Copying 100,000 ids costs tens of milliseconds, so it
# is built only when a rule needs all of them (see uncovered), and then once for every rule.
population := users.enabled_member_ids - breakglass.account_ids

# uncovered is the set of enabled member users, break-glass accounts left out, that none of
# `pols` (the policies that count) applies to. With no policy at all that is the whole
# population, shared rather than copied again by ca.uncovered and the subtraction.
uncovered(pols) := population if {
	count(pols) == 0
} else := ca.uncovered(pols, users.enabled_member_ids) - breakglass.account_ids

# --- findings -----------------------------------------------------------------------------

tenant_entity := {
	"type": "tenant",
	"id": object.get(input, ["tenant", "id"], ""),
	"name": object.get(input, ["tenant", "displayName"], ""),
}

policy_entity(p) := {"type": "policy", "id": object.get(p, "id", ""), "name": ca.name(p)}

# gap_text renders one entry of ca.exclusion_gaps, saying that it is not break-glass (a declared
# break-glass account is never part of the uncovered users, so it never shows up here).
gap_text(g) := sprintf("%s, who is not a declared break-glass account", [g.text]) if {
	g.kind == "user"
} else := sprintf("%s, which is not a declared break-glass group", [g.text]) if {
	g.kind == "group"
} else := g.text

# gaps_text is every exclusion of the policy that takes out some of `uids`, joined; "" if none.
gaps_text(p, uids) := concat("; ", sort([gap_text(g) | some g in ca.exclusion_gaps(p, uids)]))

# sample names up to ten users (the first ids in order), so a tenant-wide gap neither produces a
# 100,000-name message nor looks up 100,000 names.
sample(ids) := concat(", ", sort([users.upn(id) | some id in ids])) if {
	count(ids) <= 10
} else := sprintf("%s and %d more", [
	concat(", ", sort([users.upn(id) | some id in array.slice(sort(ids), 0, 10)])),
	count(ids) - 10,
])
