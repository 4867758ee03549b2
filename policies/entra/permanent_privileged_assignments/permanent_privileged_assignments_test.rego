package posture.rules.entra.permanent_privileged_assignments_test

import data.posture.lib.fixtures
import data.posture.rules.entra.permanent_privileged_assignments

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

_p2 := "eec0eb4f-6444-4f95-aba0-50c24d67f998"

_skus(plan) := [{"skuId": "s1", "skuPartNumber": "X", "capabilityStatus": "Enabled", "servicePlans": [{"servicePlanId": plan, "provisioningStatus": "Success"}]}]

_active(id, principal, role) := fixtures.assignment(id, principal, role)

_eligible(id, principal, role) := fixtures.eligibility(id, principal, role)

# bg1 and bg2: break-glass (bg2 through group Emergency); alice: eligible GA; bob: Exchange
# Administrator eligible through group Ops; carol: Global Reader (not privileged).
_entra(active, eligible) := {
	"users": [
		{"id": "bg1", "userPrincipalName": "bg1@contoso.onmicrosoft.com"},
		{"id": "bg2", "userPrincipalName": "bg2@contoso.onmicrosoft.com"},
		{"id": "u1", "userPrincipalName": "alice@contoso.com"},
		{"id": "u2", "userPrincipalName": "bob@contoso.com"},
		{"id": "u3", "userPrincipalName": "carol@contoso.com"},
	],
	"groups": [
		fixtures.group("g-bg", "Emergency"),
		fixtures.group("g-ops", "Ops"),
		fixtures.group("g-sec", "Security team"),
	],
	"groupMembers": {"g-bg": ["bg2"], "g-ops": ["u2"], "g-sec": ["u1", "u3"]},
	"servicePrincipals": [{"id": "sp1", "displayName": "Automation"}],
	"subscribedSkus": _skus(_p2),
	"roleAssignments": active,
	"roleEligibilitySchedules": eligible,
}

_config := {"breakGlass": {"users": ["bg1@contoso.onmicrosoft.com"], "groups": ["Emergency"]}}

_hardened := _entra(
	[
		_active("a1", "bg1", _ga),
		_active("a2", "bg2", _ga),
		_active("a3", "sp1", _ga),
		_active("a4", "u3", _reader),
	],
	[_eligible("e1", "u1", _ga), _eligible("e2", "g-ops", _exo)],
)

test_passes_with_eligible_assignments_and_permanent_break_glass if {
	permanent_privileged_assignments.deny == set() with input.entra as _hardened with data.posture.config as _config
	permanent_privileged_assignments.error == set() with input.entra as _hardened with data.posture.config as _config
}

test_fails_for_a_permanent_user_assignment if {
	entra := object.union(_hardened, {"roleAssignments": [_active("a1", "u2", _ga)]})
	permanent_privileged_assignments.deny == fixtures.tagged(
		{{
			"msg": "user bob@contoso.com holds Global Administrator through a permanent active assignment, not a PIM eligibility",
			"entity": fixtures.user_entity("u2", "bob@contoso.com"),
		}},
		["5.3.1", "MS.AAD.7.4v1"],
	) with input.entra as entra with data.posture.config as _config
}

test_fails_for_a_permanent_group_assignment if {
	entra := object.union(_hardened, {"roleAssignments": [_active("a1", "g-sec", _exo)]})
	permanent_privileged_assignments.deny == fixtures.tagged(
		{{
			"msg": "group 'Security team' (2 members) holds Exchange Administrator through a permanent active assignment, not a PIM eligibility",
			"entity": {"type": "group", "id": "g-sec", "name": "Security team"},
		}},
		["5.3.1", "MS.AAD.7.4v1"],
	) with input.entra as entra with data.posture.config as _config
}

test_reports_each_role_and_the_scope if {
	entra := object.union(_hardened, {"roleAssignments": [
		_active("a1", "u3", _ga),
		object.union(_active("a2", "u3", _exo), {"directoryScopeId": "/administrativeUnits/au1"}),
	]})
	permanent_privileged_assignments.deny == fixtures.tagged(
		{
			{
				"msg": "user carol@contoso.com holds Global Administrator through a permanent active assignment, not a PIM eligibility",
				"entity": fixtures.user_entity("u3", "carol@contoso.com"),
			},
			{
				"msg": "user carol@contoso.com holds Exchange Administrator at scope /administrativeUnits/au1 through a permanent active assignment, not a PIM eligibility",
				"entity": fixtures.user_entity("u3", "carol@contoso.com"),
			},
		},
		["5.3.1", "MS.AAD.7.4v1"],
	) with input.entra as entra with data.posture.config as _config
}

test_treats_an_active_assignment_with_a_matching_eligibility_as_an_activation if {
	# alice is eligible for GA directly, bob for Exchange Administrator through group Ops.
	entra := object.union(_hardened, {"roleAssignments": [_active("a1", "u1", _ga), _active("a2", "u2", _exo)]})
	permanent_privileged_assignments.deny == set() with input.entra as entra with data.posture.config as _config
}

test_an_eligibility_for_another_role_or_scope_does_not_explain_an_active_assignment if {
	entra := object.union(_hardened, {"roleAssignments": [
		_active("a1", "u1", _exo),
		object.union(_active("a2", "u2", _exo), {"directoryScopeId": "/administrativeUnits/au1"}),
	]})
	count(permanent_privileged_assignments.deny) == 2 with input.entra as entra with data.posture.config as _config
}

test_reports_break_glass_accounts_that_are_not_declared if {
	count(permanent_privileged_assignments.deny) == 2 with input.entra as _hardened
}

test_fails_without_entra_id_p2_or_id_governance_naming_the_plans if {
	entra := object.union(object.remove(_hardened, ["roleEligibilitySchedules"]), {
		"subscribedSkus": _skus("41781fb2-bc02-4b7c-bd55-b576c07bb09d"),
		"roleAssignments": [_active("a1", "bg1", _ga), _active("a2", "u1", _ga)],
	})
	permanent_privileged_assignments.deny == fixtures.tagged(
		{{
			"msg": sprintf("user alice@contoso.com holds Global Administrator through a permanent active assignment, not a PIM eligibility (%s; a third-party PAM system also serves)", [_no_pim]),
			"entity": fixtures.user_entity("u1", "alice@contoso.com"),
		}},
		["5.3.1", "MS.AAD.7.4v1"],
	) with input.entra as entra with data.posture.config as _config
	not permanent_privileged_assignments.not_applicable with input.entra as entra with data.posture.config as _config
}

test_passes_without_pim_when_no_standing_assignment_is_left if {
	entra := object.union(object.remove(_hardened, ["roleEligibilitySchedules"]), {
		"subscribedSkus": [],
		"roleAssignments": [_active("a1", "bg1", _ga)],
	})
	permanent_privileged_assignments.deny == set() with input.entra as entra with data.posture.config as _config
	permanent_privileged_assignments.error == set() with input.entra as entra with data.posture.config as _config
}

_no_pim := "Privileged Identity Management needs one of the service plans AAD_PREMIUM_P2 (in Enterprise Mobility + Security E5, Microsoft 365 E5, Microsoft Entra ID P2) or Entra_Identity_Governance (in Microsoft Entra ID Governance), and the tenant has none of them"

test_errors_when_subscriptions_are_unknown if {
	permanent_privileged_assignments.error == {fixtures.skus_unknown} with input.entra as object.remove(_hardened, ["subscribedSkus"])
		with data.posture.config as _config
}

test_errors_for_an_assignment_to_an_unknown_principal if {
	entra := object.union(_hardened, {"roleAssignments": [_active("a1", "ghost", _ga)]})
	permanent_privileged_assignments.error == {"Global Administrator is actively assigned to principal ghost, which is not a user, group or service principal in the snapshot, so the assignment cannot be checked"} with input.entra as entra
		with data.posture.config as _config
}

test_names_a_group_whose_members_were_not_collected if {
	entra := object.union(_hardened, {"roleAssignments": [_active("a1", "g-new", _ga)], "groups": [fixtures.group("g-new", "New admins")]})
	permanent_privileged_assignments.deny == fixtures.tagged(
		{{
			"msg": "group 'New admins' (members not collected) holds Global Administrator through a permanent active assignment, not a PIM eligibility",
			"entity": {"type": "group", "id": "g-new", "name": "New admins"},
		}},
		["5.3.1", "MS.AAD.7.4v1"],
	) with input.entra as entra with data.posture.config as _config
}

test_a_role_scuba_does_not_count_as_highly_privileged_breaks_only_cis if {
	entra := object.union(_hardened, {"roleAssignments": [_active("a1", "u3", fixtures.helpdesk_admin)]})
	{d.controls | some d in permanent_privileged_assignments.deny} == {["5.3.1"]} with input.entra as entra with data.posture.config as _config
}

test_a_scuba_role_left_out_of_privileged_roles_still_breaks_the_scuba_control if {
	entra := object.union(_hardened, {"roleAssignments": [_active("a1", "u3", _exo)]})
	cfg := object.union(_config, {"privilegedRoles": [_ga]})
	permanent_privileged_assignments.deny == set() with input.entra as entra with data.posture.config as cfg
	permanent_privileged_assignments.warn == {{
		"msg": "user carol@contoso.com holds Exchange Administrator through a permanent active assignment, not a PIM eligibility",
		"entity": fixtures.user_entity("u3", "carol@contoso.com"),
		"controls": ["MS.AAD.7.4v1"],
	}} with input.entra as entra
		with data.posture.config as cfg
}
