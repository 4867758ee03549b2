package posture.lib.ca_conditions_test

import data.posture.lib.ca_conditions
import data.posture.lib.fixtures

_policy(changes) := fixtures.ca_policy("p1", "Block device code flow", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}, "authenticationFlows": {"transferMethods": "deviceCodeFlow"}}, "grantControls": {"builtInControls": ["block"]}}, changes))

test_a_policy_without_conditions_reads_as_none if {
	p := object.union(_policy({}), {"conditions": null})
	ca_conditions.transfer_methods(p) == set()
	ca_conditions.risk_levels(p, "signInRiskLevels") == set()
}

test_transfer_methods_split_the_flags_string if {
	ca_conditions.transfer_methods(_policy({"conditions": {"authenticationFlows": {"transferMethods": "deviceCodeFlow, authenticationTransfer"}}})) == {"deviceCodeFlow", "authenticationTransfer"}
	ca_conditions.transfer_methods(_policy({"conditions": {"authenticationFlows": {"transferMethods": "none"}}})) == set()
	ca_conditions.transfer_methods(_policy({"conditions": {"authenticationFlows": null}})) == set()
}

test_risk_levels_read_the_condition if {
	ca_conditions.risk_levels(_policy({"conditions": {"signInRiskLevels": ["high", "medium"]}}), "signInRiskLevels") == {"high", "medium"}
	ca_conditions.risk_levels(_policy({"conditions": {"signInRiskLevels": null}}), "signInRiskLevels") == set()
}
