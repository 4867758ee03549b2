package posture.rules.entra.global_admin_count_test

import data.posture.lib.fixtures
import data.posture.rules.entra.global_admin_count

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_entity := {"type": "role", "id": _ga, "name": "Global Administrator"}

_users := [{"id": sprintf("u%d", [i]), "userPrincipalName": sprintf("admin%d@contoso.com", [i])} | some i in numbers.range(1, 10)]

_active(principal) := fixtures.assignment(sprintf("a-%s", [principal]), principal, _ga)

_eligible(principal) := fixtures.eligibility(sprintf("e-%s", [principal]), principal, _ga)

_entra(active, eligible) := {
	"users": _users,
	"groups": [fixtures.group("g1", "Tier0")],
	"groupMembers": {"g1": ["u3", "u4"]},
	"roleAssignments": [_active(p) | some p in active],
	"roleEligibilitySchedules": [_eligible(p) | some p in eligible],
}

test_passes_with_two_global_admins if {
	global_admin_count.deny == set() with input.entra as _entra(["u1"], ["u2"])
	global_admin_count.holders == {"u1", "u2"} with input.entra as _entra(["u1"], ["u2"])
}

test_fails_with_a_single_global_admin if {
	global_admin_count.deny == {{
		"msg": "Only 1 user holds Global Administrator, fewer than the minimum of 2: admin1@contoso.com (active)",
		"entity": _entity,
		"controls": ["1.1.3", "MS.AAD.7.1v1"],
	}} with input.entra as _entra(["u1"], [])
}

test_fails_with_no_global_admin if {
	global_admin_count.deny == {{"msg": "No user holds Global Administrator; at least 2 are required", "entity": _entity, "controls": ["1.1.3", "MS.AAD.7.1v1"]}} with input.entra as _entra([], [])
}

test_fails_with_more_than_eight if {
	entra := _entra(["u1", "u2", "u5", "u6", "u7"], ["u8", "u9", "g1"])
	global_admin_count.deny == {{
		"msg": "9 users hold Global Administrator, more than the maximum of 8: admin1@contoso.com (active); admin2@contoso.com (active); admin3@contoso.com (eligible through group 'Tier0'); admin4@contoso.com (eligible through group 'Tier0'); admin5@contoso.com (active); admin6@contoso.com (active); admin7@contoso.com (active); admin8@contoso.com (eligible); admin9@contoso.com (eligible)",
		"entity": _entity,
		"controls": ["1.1.3", "MS.AAD.7.1v1"],
	}} with input.entra as entra
}

test_counts_a_user_once_however_many_ways_they_hold_the_role if {
	entra := _entra(["u3", "g1"], ["u3"])
	global_admin_count.holders == {"u3", "u4"} with input.entra as entra
	global_admin_count.deny == set() with input.entra as entra
}

test_lists_every_way_a_user_holds_the_role if {
	entra := _entra(["u3"], ["g1"])
	global_admin_count.deny == {{
		"msg": "Only 1 user holds Global Administrator, fewer than the minimum of 3: admin3@contoso.com (active, eligible through group 'Tier0')",
		"entity": _entity,
		"controls": ["1.1.3", "MS.AAD.7.1v1"],
	}} with input.entra as object.union(entra, {"groupMembers": {"g1": ["u3"]}})
		with data.posture.config as {"globalAdminMin": 3}
}

test_ignores_service_principals_and_other_roles if {
	entra := object.union(_entra(["u1", "sp-automation"], []), {"roleAssignments": [
		_active("u1"), _active("sp-automation"),
		fixtures.assignment("x", "u2", _exo),
	]})
	global_admin_count.holders == {"u1"} with input.entra as entra
	count(global_admin_count.deny) == 1 with input.entra as entra
}

test_works_without_eligibility_schedules if {
	entra := object.remove(_entra(["u1", "u2"], []), ["roleEligibilitySchedules"])
	global_admin_count.deny == set() with input.entra as entra
}

test_follows_the_min_and_max_parameters if {
	entra := _entra(["u1", "u2", "u5", "u6", "u7"], [])
	global_admin_count.deny == {{
		"msg": "5 users hold Global Administrator, more than the maximum of 4: admin1@contoso.com (active); admin2@contoso.com (active); admin5@contoso.com (active); admin6@contoso.com (active); admin7@contoso.com (active)",
		"entity": _entity,
		"controls": ["1.1.3"],
	}} with input.entra as entra
		with data.posture.config as {"globalAdminMax": 4}
	global_admin_count.deny == set() with input.entra as _entra(["u1"], []) with data.posture.config as {"globalAdminMin": 1}
}

test_a_count_outside_only_posture_bounds_breaks_no_framework_control if {
	entra := _entra(["u1", "u2", "u5", "u6"], [])
	{d.controls | some d in global_admin_count.deny} == {["posture"]} with input.entra as entra
		with data.posture.config as {"globalAdminMax": 3}
	global_admin_count.warn == set() with input.entra as entra with data.posture.config as {"globalAdminMax": 3}
}

test_five_global_admins_pass_posture_and_scuba_but_break_cis if {
	entra := _entra(["u1", "u2", "u5", "u6", "u7"], [])
	global_admin_count.deny == set() with input.entra as entra
	global_admin_count.warn == {{
		"msg": "5 users hold Global Administrator, within this rule's bounds (2 to 8) but not CIS 1.1.3's (2 to 4): admin1@contoso.com (active); admin2@contoso.com (active); admin5@contoso.com (active); admin6@contoso.com (active); admin7@contoso.com (active)",
		"entity": _entity,
		"controls": ["1.1.3"],
	}} with input.entra as entra
}

test_a_lower_minimum_keeps_the_framework_minimums if {
	entra := _entra(["u1"], [])
	global_admin_count.deny == set() with input.entra as entra with data.posture.config as {"globalAdminMin": 1}
	{d.controls | some d in global_admin_count.warn} == {["1.1.3"], ["MS.AAD.7.1v1"]} with input.entra as entra
		with data.posture.config as {"globalAdminMin": 1}
}

test_errors_on_invalid_parameters if {
	global_admin_count.error == {`config globalAdminMin must be a number, got "two"`} with input.entra as _entra(["u1"], [])
		with data.posture.config as {"globalAdminMin": "two"}
	global_admin_count.deny == set() with input.entra as _entra(["u1"], [])
		with data.posture.config as {"globalAdminMin": "two"}
	global_admin_count.error == {"config globalAdminMin (5) is greater than globalAdminMax (4)"} with input.entra as _entra(["u1"], [])
		with data.posture.config as {"globalAdminMin": 5, "globalAdminMax": 4}
}

test_errors_when_the_role_is_held_through_an_uncollected_group if {
	entra := object.union(_entra(["u1", "u2", "g2"], []), {"groups": [fixtures.group("g2", "Hidden")]})
	global_admin_count.error == {"Global Administrator is assigned to group 'Hidden' whose members are not in the snapshot (entra.groupMembers), so the count cannot be verified"} with input.entra as entra
}
