# Conditional Access conditions that are the point of a rule rather than a narrowing condition:
# the authentication flows a policy selects (device code flow) and the risk levels it responds
# to. posture.lib.ca_eval matches them like every other condition; these readers let rules find
# the policies meant for them (the ones worth explaining).
package posture.lib.ca_conditions

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
