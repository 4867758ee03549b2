package posture.rules.breakglass.lockout_test

import data.posture.lib.fixtures
import data.posture.rules.breakglass.lockout

_ga := fixtures.global_admin

_ca_admin := fixtures.conditional_access_admin

# bg1, bg2: break-glass GAs (group Emergency Access); alice: GA; carol: CA administrator
# through group Identity Ops; dave: no role.
_entra(policies) := {
	"users": [
		fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
		fixtures.member("bg2", "bg2@contoso.onmicrosoft.com"),
		fixtures.member("u1", "alice@contoso.com"),
		fixtures.member("u2", "carol@contoso.com"),
		fixtures.member("u3", "dave@contoso.com"),
	],
	"groups": [
		fixtures.group("g-bg", "Emergency Access"),
		fixtures.group("g-ops", "Identity Ops"),
		fixtures.group("g-new", "New Group"),
	],
	"groupMembers": {"g-bg": ["bg1", "bg2"], "g-ops": ["u2"]},
	"roleAssignments": [
		fixtures.assignment("a1", "g-bg", _ga),
		fixtures.assignment("a2", "u1", _ga),
		fixtures.assignment("a3", "g-ops", _ca_admin),
	],
	"conditionalAccessPolicies": policies,
}

_block(changes) := fixtures.ca_policy("ca1", "CA01 Block all", object.union({"grantControls": {"builtInControls": ["block"]}}, changes))

_entity := fixtures.ca_policy_entity("ca1", "CA01 Block all")

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

test_passes_when_blocking_policies_exclude_the_break_glass_accounts if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg"]}}})
	lockout.deny == set() with input.entra as _entra([p]) with data.posture.config as _config
	lockout.error == set() with input.entra as _entra([p]) with data.posture.config as _config
}

test_passes_when_the_accounts_are_excluded_through_their_active_role if {
	p := _block({"conditions": {"users": {"excludeRoles": [_ga]}}})
	lockout.deny == set() with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_when_an_all_users_block_excludes_no_break_glass_account if {
	lockout.deny == {{
		"msg": "policy 'CA01 Block all' blocks all users on all resources and excludes none of the break-glass accounts (bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com): this policy can lock every administrator out of the tenant",
		"entity": _entity,
	}} with input.entra as _entra([_block({})])
		with data.posture.config as _config
}

test_fails_when_one_account_is_left_in if {
	p := _block({"conditions": {"users": {"excludeUsers": ["bg1"]}}})
	lockout.deny == {{
		"msg": "policy 'CA01 Block all' blocks all users on all resources and does not exclude break-glass account bg2@contoso.onmicrosoft.com, so only bg1@contoso.onmicrosoft.com can still get in when it blocks the administrators",
		"entity": _entity,
	}} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_fails_for_a_conditional_block_and_says_which_conditions if {
	p := _block({
		"displayName": "CA01 Block all",
		"conditions": {
			"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
			"applications": {"excludeApplications": ["app1"]},
		},
	})
	lockout.deny == {{
		"msg": "policy 'CA01 Block all' blocks all users on all resources whenever its conditions match (it excludes locations all trusted locations; excludes resources app1) and excludes none of the break-glass accounts (bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com): this policy can lock every administrator out of the tenant",
		"entity": _entity,
	}} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_fails_for_a_block_of_the_global_administrator_role if {
	p := _block({"conditions": {"users": {"includeUsers": [], "includeRoles": [_ga, _ca_admin]}}})
	some d in lockout.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.msg == "policy 'CA01 Block all' blocks the Global Administrator role on all resources and excludes none of the break-glass accounts (bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com): this policy can lock every administrator out of the tenant"
}

test_ignores_policies_that_cannot_block_every_administrator if {
	report_only := _block({"state": "enabledForReportingButNotEnforced"})
	off := _block({"id": "ca2", "state": "disabled"})
	mfa := _block({"id": "ca3", "grantControls": {"builtInControls": ["mfa"]}})
	legacy := _block({"id": "ca4", "conditions": {"clientAppTypes": ["exchangeActiveSync", "other"]}})
	device_code := _block({"id": "ca5", "conditions": {"authenticationFlows": {"transferMethods": "deviceCodeFlow"}}})
	some_apps := _block({"id": "ca6", "conditions": {"applications": {"includeApplications": ["00000003-0000-0ff1-ce00-000000000000"]}}})
	some_users := _block({"id": "ca7", "conditions": {"users": {"includeUsers": [], "includeGroups": ["g-ops"]}}})
	other_role := _block({"id": "ca8", "conditions": {"users": {"includeUsers": [], "includeRoles": [_ca_admin]}}})
	policies := [report_only, off, mfa, legacy, device_code, some_apps, some_users, other_role]
	lockout.deny == set() with input.entra as _entra(policies) with data.posture.config as _config
	lockout.deny == set() with input.entra as _entra(policies)
}

test_errors_when_an_excluded_group_has_unknown_members if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	lockout.error == {"policy 'CA01 Block all' excludes group 'New Group' whose members are not in the snapshot (entra.groupMembers)"} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_errors_when_a_declaration_does_not_resolve if {
	lockout.error == {`break-glass account "ghost" does not match any user in the snapshot by object id or userPrincipalName`} with input.entra as _entra([_block({})])
		with data.posture.config as {"breakGlass": {"users": ["ghost"]}}
}

test_without_break_glass_fails_for_an_unconditional_block_of_everyone if {
	lockout.deny == {{
		"msg": "policy 'CA01 Block all' blocks all users on all resources with no condition, no break-glass account is declared, and it leaves out no enabled administrator who can change Conditional Access (alice@contoso.com, bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com, carol@contoso.com): this policy can lock every administrator out of the tenant",
		"entity": _entity,
	}} with input.entra as _entra([_block({"conditions": {"users": {"excludeUsers": ["u3"]}}})])
}

test_without_break_glass_passes_when_an_administrator_is_left_out if {
	by_group := _block({"conditions": {"users": {"excludeGroups": ["g-ops"]}}})
	lockout.deny == set() with input.entra as _entra([by_group])
	by_role := _block({"conditions": {"users": {"excludeRoles": [_ga]}}})
	lockout.deny == set() with input.entra as _entra([by_role])
}

test_without_break_glass_a_conditional_block_passes if {
	p := _block({"conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}})
	lockout.deny == set() with input.entra as _entra([p])
}

test_declared_groups_without_members_count_as_no_break_glass if {
	entra := object.union(_entra([_block({})]), {"groupMembers": {"g-bg": []}})
	count(lockout.deny) == 1 with input.entra as entra with data.posture.config as _config
}

test_without_break_glass_errors_when_exclusions_cannot_be_verified if {
	p := _block({"conditions": {"users": {"excludeGroups": ["g-new"]}}})
	lockout.error == {"policy 'CA01 Block all' excludes group 'New Group' whose members are not in the snapshot (entra.groupMembers)"} with input.entra as _entra([p])
	lockout.deny == set() with input.entra as _entra([p])
}

test_passes_without_policies if {
	lockout.deny == set() with input.entra as _entra([]) with data.posture.config as _config
	lockout.deny == set() with input.entra as object.remove(_entra([]), ["conditionalAccessPolicies"])
}

test_errors_when_a_blocking_policy_has_no_state if {
	p := object.remove(_block({"conditions": {"users": {"excludeGroups": ["g-bg"]}}}), ["state"])
	lockout.error == {"policy 'CA01 Block all' has state null; expected enabled, disabled or enabledForReportingButNotEnforced"} with input.entra as _entra([p])
		with data.posture.config as _config
	mfa := object.remove(_block({"grantControls": {"builtInControls": ["mfa"]}}), ["state"])
	lockout.error == set() with input.entra as _entra([mfa]) with data.posture.config as _config
}
