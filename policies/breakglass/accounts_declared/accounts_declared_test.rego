package posture.rules.breakglass.accounts_declared_test

import data.posture.lib.fixtures
import data.posture.rules.breakglass.accounts_declared

_ga := fixtures.global_admin

# bg1, bg2: GAs in group Emergency Access; alice: GA; gone: disabled GA excluded everywhere.
_entra(policies) := {
	"users": [
		fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
		fixtures.member("bg2", "bg2@contoso.onmicrosoft.com"),
		fixtures.member("u1", "alice@contoso.com"),
		fixtures.disabled("u2", "gone@contoso.com"),
	],
	"groups": [
		fixtures.group("g-bg", "Emergency Access"),
		fixtures.group("g-empty", "Spare Emergency Access"),
	],
	"groupMembers": {"g-bg": ["bg1", "bg2"], "g-empty": []},
	"roleAssignments": [
		fixtures.assignment("a1", "bg1", _ga),
		fixtures.assignment("a2", "bg2", _ga),
		fixtures.assignment("a3", "u1", _ga),
		fixtures.assignment("a4", "u2", _ga),
	],
	"conditionalAccessPolicies": policies,
}

_policy(id, state, exclude_groups) := {
	"id": id,
	"displayName": id,
	"state": state,
	"conditions": {
		"users": {"includeUsers": ["All"], "excludeUsers": ["u2"], "excludeGroups": exclude_groups},
		"applications": {"includeApplications": ["All"]},
	},
	"grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
}

_tenant := {"id": "t1", "displayName": "Contoso"}

_undeclared := "no break-glass account or group is declared in the config (breakGlass.users, breakGlass.groups)"

test_passes_with_two_accounts_declared if {
	accounts_declared.deny == set() with input.entra as _entra([]) with data.posture.config as {"breakGlass": {"groups": ["Emergency Access"]}}
	accounts_declared.warn == set() with input.entra as _entra([]) with data.posture.config as {"breakGlass": {"groups": ["Emergency Access"]}}
	accounts_declared.error == set() with input.entra as _entra([]) with data.posture.config as {"breakGlass": {"groups": ["Emergency Access"]}}
	accounts_declared.deny == set() with input.entra as _entra([])
		with data.posture.config as {"breakGlass": {"users": ["BG1@contoso.onmicrosoft.com", "bg2"]}}
}

test_fails_with_one_account_declared if {
	accounts_declared.deny == {{
		"msg": "only one break-glass account is declared (bg1@contoso.onmicrosoft.com); declare at least two, so that losing one (a lost key, a disabled account) does not lose emergency access to the tenant",
		"entity": fixtures.user_entity("bg1", "bg1@contoso.onmicrosoft.com"),
	}} with input.entra as _entra([])
		with data.posture.config as {"breakGlass": {"users": ["bg1"]}}
}

test_fails_when_declared_groups_have_no_members if {
	accounts_declared.deny == {{
		"msg": "the declared break-glass groups ('Spare Emergency Access') have no members, so no break-glass account is declared; at least two are needed",
		"entity": fixtures.tenant_entity,
	}} with input.entra as _entra([])
		with input.tenant as _tenant
		with data.posture.config as {"breakGlass": {"groups": ["g-empty"]}}
}

test_errors_when_a_declaration_does_not_resolve if {
	accounts_declared.error == {`break-glass account "ghost@contoso.com" does not match any user in the snapshot by object id or userPrincipalName`} with input.entra as _entra([])
		with data.posture.config as {"breakGlass": {"users": ["bg1", "bg2", "ghost@contoso.com"]}}
}

test_errors_when_a_group_member_is_not_a_known_user if {
	entra := object.union(_entra([]), {"groupMembers": {"g-bg": ["bg1", "bg2", "x9"]}})
	accounts_declared.error == {"break-glass account x9 (a member of a declared break-glass group) is not among the snapshot's users (entra.users), so it cannot be checked"} with input.entra as entra
		with data.posture.config as {"breakGlass": {"groups": ["g-bg"]}}
}

test_warns_with_candidates_when_nothing_is_declared if {
	policies := [_policy("CA01", "enabled", ["g-bg"]), _policy("CA02", "enabledForReportingButNotEnforced", ["g-bg"])]
	accounts_declared.warn == {{
		"msg": sprintf("%s; candidates, being enabled Global Administrators whom every enabled or report-only Conditional Access policy excludes: bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com", [_undeclared]),
		"entity": fixtures.tenant_entity,
	}} with input.entra as _entra(policies)
		with input.tenant as _tenant
	accounts_declared.deny == set() with input.entra as _entra(policies)
	accounts_declared.error == set() with input.entra as _entra(policies)
}

test_candidates_must_be_excluded_from_report_only_policies_too if {
	policies := [_policy("CA01", "enabled", ["g-bg"]), _policy("CA02", "enabledForReportingButNotEnforced", [])]
	accounts_declared.candidates == set() with input.entra as _entra(policies)
	some w in accounts_declared.warn with input.entra as _entra(policies)
	w.msg == sprintf("%s; no enabled Global Administrator is excluded from every enabled or report-only Conditional Access policy, so the tenant appears to have no break-glass account", [_undeclared])
}

test_disabled_policies_do_not_matter_for_candidates if {
	policies := [_policy("CA01", "enabled", ["g-bg"]), _policy("CA99", "disabled", [])]
	accounts_declared.candidates == {"bg1", "bg2"} with input.entra as _entra(policies)
}

test_warns_without_candidates_when_there_is_no_policy if {
	some w in accounts_declared.warn with input.entra as _entra([])
	w.msg == sprintf("%s; the tenant has no enabled or report-only Conditional Access policy to tell break-glass accounts apart by; enabled Global Administrators: alice@contoso.com, bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com", [_undeclared])
	entra := object.union(_entra([]), {"roleAssignments": []})
	some v in accounts_declared.warn with input.entra as entra
	v.msg == sprintf("%s; the tenant has no enabled or report-only Conditional Access policy to tell break-glass accounts apart by, and no enabled user holds Global Administrator", [_undeclared])
}

test_malformed_config_is_an_error_not_a_warning_only if {
	accounts_declared.error == {"config breakGlass.users must be a list"} with input.entra as _entra([])
		with data.posture.config as {"breakGlass": {"users": "bg1"}}
}
