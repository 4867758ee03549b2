package posture.lib.groups_test

import data.posture.lib.fixtures
import data.posture.lib.groups

_entra := {
	"groups": [
		fixtures.group("g1", "Break Glass"),
		fixtures.group("g2", "Contractors"),
		fixtures.group("g3", "contractors"),
		{"id": "g4"},
	],
	"groupMembers": {"g1": ["u1", "u2"], "g2": []},
}

test_member_ids_is_the_member_set if {
	groups.member_ids("g1") == {"u1", "u2"} with input.entra as _entra
	groups.member_ids("g2") == set() with input.entra as _entra
}

test_member_ids_is_empty_when_membership_is_unknown if {
	groups.member_ids("g3") == set() with input.entra as _entra
	not groups.members_known("g3") with input.entra as _entra
	groups.members_known("g2") with input.entra as _entra
}

test_name_falls_back_to_the_id if {
	groups.name("g1") == "Break Glass" with input.entra as _entra
	groups.name("g4") == "g4" with input.entra as _entra
	groups.name("nope") == "nope" with input.entra as _entra
}

test_ids_named_ignores_case if {
	groups.ids_named("CONTRACTORS") == {"g2", "g3"} with input.entra as _entra
	groups.ids_named("nobody") == set() with input.entra as _entra
}

test_is_group_knows_groups_by_object_or_membership if {
	groups.is_group("g4") with input.entra as _entra
	groups.is_group("g9") with input.entra as {"groupMembers": {"g9": []}}
	not groups.is_group("u1") with input.entra as _entra
}
