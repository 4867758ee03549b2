package posture.lib.scuba_test

import data.posture.lib.coverage
import data.posture.lib.fixtures
import data.posture.lib.scuba

_entra := {
	"users": [
		fixtures.member("u1", "alice@contoso.com"),
		fixtures.member("u2", "bob@contoso.com"),
		fixtures.member("u3", "carol@contoso.com"),
	],
	"groups": [fixtures.group("g1", "Tier0")],
	"groupMembers": {"g1": ["u3"]},
	"roleAssignments": [
		fixtures.assignment("a1", "u1", fixtures.global_admin),
		fixtures.assignment("a2", "u2", fixtures.security_admin),
		fixtures.assignment("a3", "g1", fixtures.exchange_admin),
	],
}

test_holds_privileged_counts_direct_and_group_holders_of_scuba_roles if {
	scuba.holds_privileged("u1") with input.entra as _entra
	scuba.holds_privileged("u3") with input.entra as _entra
}

test_holds_privileged_is_false_for_other_roles_and_no_roles if {
	# Security Administrator is privileged for posture, not one of SCuBA's eight.
	not scuba.holds_privileged("u2") with input.entra as _entra
	not scuba.holds_privileged("nobody") with input.entra as _entra
}

test_scuba_controls_of_a_policy_violation_follow_the_uncovered_admins if {
	v := {"msg": "m", "entity": fixtures.ca_policy_entity("p1", "P1")}
	coverage.scuba_controls(v, {"u2", "u3"}, "MS.AAD.3.6v1", ["5.2.2.5"]) == ["MS.AAD.3.6v1", "5.2.2.5"] with input.entra as _entra
	coverage.scuba_controls(v, {"u2"}, "MS.AAD.3.6v1", ["5.2.2.5"]) == ["5.2.2.5"] with input.entra as _entra
	coverage.scuba_controls(v, set(), "MS.AAD.3.6v1", ["5.2.2.5"]) == ["5.2.2.5"] with input.entra as _entra
}

test_scuba_controls_of_a_user_violation_follow_the_user if {
	coverage.scuba_controls({"msg": "m", "entity": fixtures.user_entity("u1", "alice@contoso.com")}, {"u2"}, "MS.AAD.3.6v1", ["5.2.2.5"]) == ["MS.AAD.3.6v1", "5.2.2.5"] with input.entra as _entra
	coverage.scuba_controls({"msg": "m", "entity": fixtures.user_entity("u2", "bob@contoso.com")}, {"u1"}, "MS.AAD.3.6v1", ["5.2.2.5"]) == ["5.2.2.5"] with input.entra as _entra
}
