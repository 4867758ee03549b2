package posture.rules.breakglass.account_state_test

import data.posture.lib.fixtures
import data.posture.rules.breakglass.account_state

_good(id) := {
	"id": id,
	"userPrincipalName": sprintf("%s@contoso.onmicrosoft.com", [id]),
	"accountEnabled": true,
	"userType": "Member",
	"onPremisesSyncEnabled": null,
	"assignedLicenses": [],
}

_entra(bg1_changes) := {
	"users": [object.union(_good("bg1"), bg1_changes), _good("bg2")],
	"groups": [fixtures.group("g-bg", "Emergency Access")],
	"groupMembers": {"g-bg": ["bg1", "bg2"]},
}

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

test_passes_for_enabled_cloud_only_unlicensed_accounts if {
	account_state.deny == set() with input.entra as _entra({}) with data.posture.config as _config
	account_state.error == set() with input.entra as _entra({}) with data.posture.config as _config
	account_state.deny == set() with input.entra as _entra({"onPremisesSyncEnabled": false}) with data.posture.config as _config
}

test_is_not_applicable_without_declared_accounts if {
	account_state.not_applicable == "no break-glass account or group is declared in the config (breakGlass.users, breakGlass.groups)" with input.entra as _entra({})
}

test_is_not_applicable_when_declared_groups_are_empty if {
	entra := object.union(_entra({}), {"groupMembers": {"g-bg": []}})
	account_state.not_applicable == "the declared break-glass groups have no members, so there is no break-glass account to check" with input.entra as entra
		with data.posture.config as _config
}

test_fails_for_a_disabled_account if {
	account_state.deny == {{
		"msg": "break-glass account bg1@contoso.onmicrosoft.com is disabled (accountEnabled false), so it cannot sign in in an emergency",
		"entity": fixtures.user_entity("bg1", "bg1@contoso.onmicrosoft.com"),
	}} with input.entra as _entra({"accountEnabled": false})
		with data.posture.config as _config
}

test_fails_for_a_synchronized_account if {
	account_state.deny == {{
		"msg": "break-glass account bg1@contoso.onmicrosoft.com is not cloud-only: it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true); it depends on the on-premises directory, and whoever controls that directory controls the account",
		"entity": fixtures.user_entity("bg1", "bg1@contoso.onmicrosoft.com"),
	}} with input.entra as _entra({"onPremisesSyncEnabled": true})
		with data.posture.config as _config
}

test_fails_for_an_account_anchored_to_an_on_premises_identity if {
	some d in account_state.deny with input.entra as _entra({"onPremisesImmutableId": "Qm9iQ2hlbg=="})
		with data.posture.config as _config
	contains(d.msg, "onPremisesImmutableId")
}

test_fails_for_a_licensed_account if {
	lic := {"assignedLicenses": [
		{"disabledPlans": [], "skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06"},
		{"disabledPlans": [], "skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965"},
	]}
	account_state.deny == {{
		"msg": "break-glass account bg1@contoso.onmicrosoft.com has 2 licences assigned (skuId 05e9a617-0261-4cee-bb44-138d3ef5d965, 06ebc4ee-1bb5-47dd-8120-11324bc54e06): an emergency account needs none, and a productivity licence gives it a mailbox and apps that widen its phishing and attack surface",
		"entity": fixtures.user_entity("bg1", "bg1@contoso.onmicrosoft.com"),
	}} with input.entra as _entra(lic)
		with data.posture.config as _config
}

test_fails_for_an_account_on_a_custom_domain if {
	account_state.deny == {{
		"msg": "break-glass account bg1@Contoso.com signs in on domain contoso.com instead of the tenant's *.onmicrosoft.com domain: if that domain is or becomes federated, the account can only sign in through the federation service",
		"entity": fixtures.user_entity("bg1", "bg1@Contoso.com"),
	}} with input.entra as _entra({"userPrincipalName": "bg1@Contoso.com"})
		with data.posture.config as _config
	account_state.deny == set() with input.entra as _entra({"userPrincipalName": "bg1@contoso.onmicrosoft.us"})
		with data.posture.config as _config
}

test_reports_every_problem_of_an_account if {
	bad := {"accountEnabled": false, "onPremisesSyncEnabled": true, "assignedLicenses": [{"skuId": "s1"}], "userPrincipalName": "bg1@contoso.com"}
	count(account_state.deny) == 4 with input.entra as _entra(bad) with data.posture.config as _config
}

test_errors_when_a_property_is_missing_or_null if {
	account_state.error == {
		"break-glass account bg1@contoso.onmicrosoft.com has no accountEnabled in the snapshot, so whether it is enabled cannot be checked",
		"break-glass account bg1@contoso.onmicrosoft.com has no assignedLicenses in the snapshot, so whether it is licensed cannot be checked",
		"break-glass account bg1@contoso.onmicrosoft.com has no onPremisesSyncEnabled in the snapshot, so whether it is synchronized from on-premises cannot be checked",
	} with input.entra as {
		"users": [
			{"id": "bg1", "userPrincipalName": "bg1@contoso.onmicrosoft.com", "accountEnabled": null},
			_good("bg2"),
		],
		"groups": [],
		"groupMembers": {},
	}
		with data.posture.config as {"breakGlass": {"users": ["bg1", "bg2"]}}
	account_state.deny == set() with input.entra as _entra({"accountEnabled": null, "assignedLicenses": null})
		with data.posture.config as _config
}

test_errors_when_the_upn_is_missing if {
	account_state.error == {"break-glass account bg1 has no userPrincipalName in the snapshot, so its sign-in domain cannot be checked"} with input.entra as _entra({"userPrincipalName": null})
		with data.posture.config as {"breakGlass": {"users": ["bg1"]}}
}

test_errors_when_a_property_has_the_wrong_type if {
	account_state.error == {
		`break-glass account bg1@contoso.onmicrosoft.com has accountEnabled "yes"; expected true or false`,
		`break-glass account bg1@contoso.onmicrosoft.com has assignedLicenses {}; expected a list`,
	} with input.entra as _entra({"accountEnabled": "yes", "assignedLicenses": {}})
		with data.posture.config as _config
}

test_errors_for_declarations_that_do_not_resolve if {
	account_state.error == {`break-glass account "ghost" does not match any user in the snapshot by object id or userPrincipalName`} with input.entra as _entra({})
		with data.posture.config as {"breakGlass": {"users": ["bg1", "ghost"]}}
}
