package posture.rules.entra.least_privileged_roles_test

import data.posture.lib.fixtures
import data.posture.rules.entra.least_privileged_roles

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_helpdesk := fixtures.helpdesk_admin

_reader := fixtures.global_reader

_ga_entity := {"type": "role", "id": _ga, "name": "Global Administrator"}

_users := [{"id": sprintf("u%d", [i]), "userPrincipalName": sprintf("admin%d@contoso.com", [i])} | some i in numbers.range(1, 6)]

_grant(principal, role) := fixtures.assignment(sprintf("a-%s-%s", [principal, role]), principal, role)

_eligible(principal, role) := fixtures.eligibility(sprintf("a-%s-%s", [principal, role]), principal, role)

_entra(active, eligible) := {
	"users": _users,
	"groups": [fixtures.group("g1", "Ops")],
	"groupMembers": {"g1": ["u5", "u6"]},
	"servicePrincipals": [{"id": "sp1", "displayName": "Automation"}],
	"roleAssignments": [_grant(p, r) | some [p, r] in active],
	"roleEligibilitySchedules": [_eligible(p, r) | some [p, r] in eligible],
}

test_passes_when_global_admins_do_not_outnumber_other_admins if {
	# Two GAs (u1 active, u2 eligible) and two others: u3 Exchange, u4 Helpdesk. Global Reader and
	# service principals do not count.
	entra := _entra([["u1", _ga], ["u3", _exo], ["u5", _reader], ["sp1", _ga]], [["u2", _ga], ["u4", _helpdesk]])
	least_privileged_roles.deny == set() with input.entra as entra
	least_privileged_roles.error == set() with input.entra as entra
}

test_scuba_formula_counts_only_its_highly_privileged_roles if {
	# The same tenant: Helpdesk Administrator is not one of SCuBA's highly privileged roles, so
	# SCuBA sees two Global Administrators against one Exchange Administrator.
	entra := _entra([["u1", _ga], ["u3", _exo], ["u5", _reader], ["sp1", _ga]], [["u2", _ga], ["u4", _helpdesk]])
	least_privileged_roles.warn == {{
		"msg": "CISA SCuBA MS.AAD.7.2v1 counts 2 users who hold Global Administrator (break-glass accounts included) against 1 user who holds only its other highly privileged roles, and allows at most one per such user",
		"entity": _ga_entity,
		"controls": ["MS.AAD.7.2v1"],
	}} with input.entra as entra
	least_privileged_roles.warn == set() with input.entra as _entra([["u1", _ga], ["u3", _exo]], [])
}

test_fails_when_global_admins_outnumber_other_admins if {
	entra := _entra([["u1", _ga], ["u2", _ga], ["u3", _exo]], [["u4", _ga]])
	least_privileged_roles.deny == {{
		"msg": "3 users hold Global Administrator but only 1 user holds a narrower privileged role instead, more than the allowed 1 Global Administrator per narrower-role admin: admin1@contoso.com, admin2@contoso.com, admin4@contoso.com; CISA SCuBA MS.AAD.7.2v1 counts 3 users who hold Global Administrator (break-glass accounts included) against 1 user who holds only its other highly privileged roles, and allows at most one per such user",
		"entity": _ga_entity,
		"controls": ["MS.AAD.7.2v1"],
	}} with input.entra as entra
}

test_leaves_declared_break_glass_accounts_out_of_the_ratio if {
	# u1 and u2 are break-glass Global Administrators, u3 the one other GA, u4 Exchange.
	entra := _entra([["u1", _ga], ["u2", _ga], ["u4", _exo]], [["u3", _ga]])
	least_privileged_roles.deny == set() with input.entra as entra
		with data.posture.config as {"breakGlass": {"users": ["u1", "admin2@contoso.com"]}}
	count(least_privileged_roles.deny) == 1 with input.entra as entra

	# SCuBA's formula counts break-glass accounts: 3 Global Administrators against 1.
	{w.controls | some w in least_privileged_roles.warn} == {["MS.AAD.7.2v1"]} with input.entra as entra
		with data.posture.config as {"breakGlass": {"users": ["u1", "admin2@contoso.com"]}}
}

test_a_ratio_only_posture_fails_breaks_no_framework_control if {
	# 2 GAs against Exchange u3 and u4: SCuBA's formula passes, a ratio of 0.5 does not.
	entra := _entra([["u1", _ga], ["u2", _ga], ["u3", _exo], ["u4", _exo]], [])
	{d.controls | some d in least_privileged_roles.deny} == {["posture"]} with input.entra as entra
		with data.posture.config as {"globalAdminRatioMax": 0.5}
	least_privileged_roles.warn == set() with input.entra as entra with data.posture.config as {"globalAdminRatioMax": 0.5}
}

test_fails_when_only_global_admins_hold_privileged_roles if {
	entra := _entra([["u1", _ga]], [["u2", _ga]])
	least_privileged_roles.deny == {{
		"msg": "2 users hold Global Administrator but no other privileged user holds a narrower role instead, more than the allowed 1 Global Administrator per narrower-role admin: admin1@contoso.com, admin2@contoso.com; CISA SCuBA MS.AAD.7.2v1 counts 2 users who hold Global Administrator (break-glass accounts included) against 0 users who hold only its other highly privileged roles, and allows at most one per such user",
		"entity": _ga_entity,
		"controls": ["MS.AAD.7.2v1"],
	}} with input.entra as entra
}

test_counts_a_user_with_both_roles_only_as_global_admin if {
	# u1 is GA and Exchange (eligible GA, so no overlap finding); u2 is Exchange only: 1 vs 1.
	entra := _entra([["u1", _exo], ["u2", _exo]], [["u1", _ga]])
	least_privileged_roles.other_admins == {"u2"} with input.entra as entra
	least_privileged_roles.deny == set() with input.entra as entra
}

test_counts_members_of_groups_holding_a_role if {
	# g1 (u5, u6) holds Exchange Administrator: 2 others against 2 GAs.
	entra := _entra([["u1", _ga], ["u2", _ga], ["g1", _exo]], [])
	least_privileged_roles.other_admins == {"u5", "u6"} with input.entra as entra
	least_privileged_roles.deny == set() with input.entra as entra
}

test_follows_the_ratio_parameter if {
	entra := _entra([["u1", _ga], ["u2", _ga], ["u3", _exo]], [])
	least_privileged_roles.deny == set() with input.entra as entra with data.posture.config as {"globalAdminRatioMax": 2}
	count(least_privileged_roles.deny) == 1 with input.entra as entra with data.posture.config as {"globalAdminRatioMax": 0.5}
}

test_errors_on_an_invalid_ratio if {
	entra := _entra([["u1", _ga]], [])
	least_privileged_roles.error == {`config globalAdminRatioMax must be a number of at least 0, got "1:1"`} with input.entra as entra
		with data.posture.config as {"globalAdminRatioMax": "1:1"}
	least_privileged_roles.deny == set() with input.entra as entra with data.posture.config as {"globalAdminRatioMax": -1}
}

test_errors_when_privileged_holders_cannot_all_be_seen if {
	entra := object.union(_entra([["u1", _ga], ["u2", _exo], ["g2", _exo], ["ghost", _helpdesk]], []), {"groups": [fixtures.group("g2", "Hidden")]})
	least_privileged_roles.error == {
		"Exchange Administrator is assigned to group 'Hidden' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked",
		"Helpdesk Administrator has an active assignment to principal ghost, which is not a user, group or service principal in the snapshot, so its holder cannot be checked",
	} with input.entra as entra
}
