package posture.lib.ca_conditions_test

import data.posture.lib.ca_conditions
import data.posture.lib.fixtures

_policy(changes) := fixtures.ca_policy("p1", "Block device code flow", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}, "authenticationFlows": {"transferMethods": "deviceCodeFlow"}}, "grantControls": {"builtInControls": ["block"]}}, changes))

test_the_condition_that_is_the_point_does_not_narrow if {
	ca_conditions.other_condition_reasons(_policy({}), "authenticationFlows") == set()
	ca_conditions.scope_shortfalls(_policy({}), "authenticationFlows", {"browser"}) == set()
}

test_other_conditions_still_narrow if {
	p := _policy({"conditions": {"platforms": {"includePlatforms": ["android"]}, "userRiskLevels": ["high"]}})
	ca_conditions.other_condition_reasons(p, "authenticationFlows") == {
		"is limited to platforms android",
		"applies only at user risk high",
	}
}

test_a_risk_condition_can_be_the_point if {
	p := _policy({"conditions": {"signInRiskLevels": ["high"], "authenticationFlows": null}})
	ca_conditions.other_condition_reasons(p, "signInRiskLevels") == set()
	ca_conditions.other_condition_reasons(p, "userRiskLevels") == {"applies only at sign-in risk high"}
}

test_scope_shortfalls_cover_state_resources_and_client_apps if {
	p := _policy({"state": "enabledForReportingButNotEnforced", "conditions": {
		"applications": {"includeApplications": ["Office365"]},
		"clientAppTypes": ["browser"],
	}})
	ca_conditions.scope_shortfalls(p, "authenticationFlows", {"browser", "mobileAppsAndDesktopClients"}) == {
		"is report-only",
		"targets only selected resources (Office365)",
		"is limited to client apps browser (not mobileAppsAndDesktopClients)",
	}
}

test_a_policy_without_conditions_falls_short_instead_of_failing if {
	p := object.union(_policy({}), {"conditions": null})
	ca_conditions.scope_shortfalls(p, "authenticationFlows", {"browser"}) == {"targets no resources"}
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

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.guest("u3", "guest@fabrikam.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_entra := {
	"users": _users,
	"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2"]},
}

test_population_leaves_out_break_glass_accounts if {
	ca_conditions.uncovered([]) == {"u1", "u2"} with input.entra as _entra with data.posture.config as {"breakGlass": {"users": ["bg1"]}}
	ca_conditions.uncovered([_policy({})]) == set() with input.entra as _entra with data.posture.config as {"breakGlass": {"users": ["bg1"]}}
	ca_conditions.uncovered([_policy({})]) == {"bg1"} with input.entra as _entra
}
