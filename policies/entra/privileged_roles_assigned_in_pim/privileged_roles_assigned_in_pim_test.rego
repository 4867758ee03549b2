package posture.rules.entra.privileged_roles_assigned_in_pim_test

import data.posture.lib.fixtures
import data.posture.rules.entra.privileged_roles_assigned_in_pim as rule

_at := "2026-01-05T09:00:00Z"

# bg1: break-glass GA assigned in PIM (permanent, with a start); alice: GA assigned outside PIM;
# g-ops: Exchange Administrator assigned outside PIM to a group; sp1: an app holding Cloud
# Application Administrator outside PIM; carol: Helpdesk Administrator (not one of SCuBA's
# highly privileged roles) outside PIM.
_entra(instances, skus) := {
	"subscribedSkus": skus,
	"users": [
		fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
		fixtures.member("u1", "alice@contoso.com"),
		fixtures.member("u3", "carol@contoso.com"),
	],
	"groups": [fixtures.group("g-ops", "Ops")],
	"servicePrincipals": [{"id": "sp1", "displayName": "Automation"}],
	"roleAssignmentScheduleInstances": instances,
}

_in_pim := [fixtures.assignment_instance("i1", "bg1", fixtures.global_admin, _at)]

test_passes_when_every_highly_privileged_assignment_was_made_in_pim if {
	rule.deny == set() with input as fixtures.tenant(_entra(_in_pim, [fixtures.p2_sku]))
	rule.error == set() with input as fixtures.tenant(_entra(_in_pim, [fixtures.p2_sku]))
}

test_fails_for_each_assignment_without_a_start_time if {
	instances := array.concat(_in_pim, [
		fixtures.assignment_instance("i2", "u1", fixtures.global_admin, null),
		fixtures.assignment_instance("i3", "g-ops", fixtures.exchange_admin, null),
		fixtures.assignment_instance("i4", "sp1", fixtures.cloud_application_admin, null),
		fixtures.assignment_instance("i5", "u3", fixtures.helpdesk_admin, null),
	])
	rule.deny == {
		{
			"msg": "user alice@contoso.com holds Global Administrator through an active assignment made outside PIM (it has no start time)",
			"entity": fixtures.user_entity("u1", "alice@contoso.com"),
		},
		{
			"msg": "group Ops holds Exchange Administrator through an active assignment made outside PIM (it has no start time)",
			"entity": {"type": "group", "id": "g-ops", "name": "Ops"},
		},
		{
			"msg": "service principal Automation holds Cloud Application Administrator through an active assignment made outside PIM (it has no start time)",
			"entity": {"type": "servicePrincipal", "id": "sp1", "name": "Automation"},
		},
	} with input as fixtures.tenant(_entra(instances, [fixtures.p2_sku]))
}

test_names_the_scope_of_a_scoped_assignment if {
	scoped := object.union(fixtures.assignment_instance("i2", "u1", fixtures.user_admin, null), {"directoryScopeId": "/administrativeUnits/au1"})
	fixtures.msgs(rule.deny) == {"user alice@contoso.com holds User Administrator at scope /administrativeUnits/au1 through an active assignment made outside PIM (it has no start time)"} with input as fixtures.tenant(_entra([scoped], [fixtures.p2_sku]))
}

test_not_applicable_without_entra_id_p2_or_id_governance if {
	every skus in [[], fixtures.e3_skus] {
		rule.not_applicable == fixtures.pim_unlicensed("MS.AAD.7.5v1") with input as fixtures.tenant({"subscribedSkus": skus})
		rule.error == set() with input as fixtures.tenant({"subscribedSkus": skus})
	}
}

test_errors_when_subscriptions_are_unknown if {
	rule.error == {fixtures.skus_unknown} with input as fixtures.tenant({})
}

test_passes_with_entra_id_governance_instead_of_p2 if {
	rule.deny == set() with input as fixtures.tenant(_entra(_in_pim, fixtures.id_governance_skus))
}

test_fails_with_entra_id_governance_when_an_assignment_was_made_outside_pim if {
	outside := [fixtures.assignment_instance("i2", "u1", fixtures.global_admin, null)]
	fixtures.msgs(rule.deny) == {"user alice@contoso.com holds Global Administrator through an active assignment made outside PIM (it has no start time)"} with input as fixtures.tenant(_entra(outside, fixtures.id_governance_skus))
}

test_errors_when_a_start_time_is_not_a_date if {
	odd := object.union(fixtures.assignment_instance("i9", "u1", fixtures.global_admin, null), {"startDateTime": 42})
	rule.error == {"the active assignment i9 of Global Administrator has startDateTime 42, so whether it was made in PIM is unknown"} with input as fixtures.tenant(_entra([odd], [fixtures.p2_sku]))
	rule.deny == set() with input as fixtures.tenant(_entra([odd], [fixtures.p2_sku]))
}
