package posture.rules.entra.global_admin_role_overlap_test

import data.posture.lib.fixtures
import data.posture.rules.entra.global_admin_role_overlap

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

test_fails_for_an_active_global_admin_who_also_holds_another_role if {
	entra := _entra([["u1", _ga], ["u1", _exo], ["u2", _exo], ["u3", _helpdesk], ["u1", _reader]], [["u1", _helpdesk]])
	global_admin_role_overlap.deny == {{
		"msg": "admin1@contoso.com holds Global Administrator actively and also Exchange Administrator, Helpdesk Administrator, which Global Administrator already includes",
		"entity": fixtures.user_entity("u1", "admin1@contoso.com"),
	}} with input.entra as entra
}

test_passes_when_the_global_admin_role_is_activated_from_an_eligibility if {
	entra := _entra([["u1", _ga], ["u1", _exo], ["u2", _exo], ["u3", _helpdesk]], [["u1", _ga]])
	global_admin_role_overlap.deny == set() with input.entra as entra
}

test_fails_for_a_global_admin_through_a_group_who_holds_another_role if {
	entra := _entra([["g1", _ga], ["u5", _exo], ["u1", _exo], ["u2", _exo]], [])
	global_admin_role_overlap.deny == {{
		"msg": "admin5@contoso.com holds Global Administrator actively and also Exchange Administrator, which Global Administrator already includes",
		"entity": fixtures.user_entity("u5", "admin5@contoso.com"),
	}} with input.entra as entra
}

test_errors_when_privileged_holders_cannot_all_be_seen if {
	entra := object.union(_entra([["u1", _ga], ["g2", _exo]], []), {"groups": [{"id": "g2", "displayName": "Hidden"}]})
	global_admin_role_overlap.error == {"Exchange Administrator is assigned to group 'Hidden' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked"} with input.entra as entra
}
