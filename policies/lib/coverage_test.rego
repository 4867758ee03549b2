package posture.lib.coverage_test

import data.posture.lib.ca
import data.posture.lib.ca_eval
import data.posture.lib.coverage
import data.posture.lib.fixtures

_ga := fixtures.global_admin

_entra := {
	"users": [
		fixtures.member("u1", "alice@contoso.com"),
		fixtures.member("u2", "bob@contoso.com"),
		fixtures.member("u3", "carol@contoso.com"),
		fixtures.guest("u4", "guest@fabrikam.com"),
		fixtures.disabled("u5", "left@contoso.com"),
		fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
	],
	"groups": [fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-ext": ["u2", "u3"]},
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "u4", _ga),
		fixtures.assignment("a3", "u5", _ga),
		fixtures.assignment("a4", "bg1", _ga),
	],
}

_config := {"breakGlass": {"users": ["bg1"]}}

# _policy replaces the fixture's users and grant whole, as Graph returns them.
_policy(id, users, grant) := object.union(
	object.remove(fixtures.ca_policy(id, id, {}), ["grantControls", "conditions"]),
	{"conditions": object.union(object.remove(fixtures.ca_policy(id, id, {}).conditions, ["users"]), {"users": users}), "grantControls": grant},
)

_all := {"includeUsers": ["All"], "excludeGroups": ["g-ext"]}

_mfa := {"operator": "OR", "builtInControls": ["mfa"]}

test_members_leave_out_guests_disabled_users_and_break_glass if {
	coverage.members_total == 3 with input.entra as _entra with data.posture.config as _config
	coverage.members_total == 4 with input.entra as _entra
}

test_admins_are_enabled_privileged_role_holders_other_than_break_glass if {
	# A guest holding a privileged role is an admin too; the disabled one is not.
	coverage.admins == {"u1", "u4"} with input.entra as _entra with data.posture.config as _config
}

test_admins_count_holders_not_known_to_be_disabled if {
	# u6 has no accountEnabled and u7 null: missing data does not make an admin disappear. A
	# role holder that is not among the users (u8) is not an admin.
	entra := object.union(_entra, {
		"users": array.concat(_entra.users, [
			{"id": "u6", "userPrincipalName": "dan@contoso.com", "userType": "Member"},
			{"id": "u7", "userPrincipalName": "eve@contoso.com", "accountEnabled": null, "userType": "Member"},
		]),
		"roleAssignments": array.concat(_entra.roleAssignments, [
			fixtures.assignment("a6", "u6", _ga),
			fixtures.assignment("a7", "u7", _ga),
			fixtures.assignment("a8", "u8", _ga),
		]),
	})
	coverage.admins == {"u1", "u4", "u6", "u7"} with input.entra as entra with data.posture.config as _config
}

test_uncovered_members_leave_out_break_glass if {
	entra := object.union(_entra, {"conditionalAccessPolicies": [_policy("p1", {"includeUsers": ["All"], "excludeUsers": ["bg1", "u1"]}, _mfa)]})
	coverage.uncovered_members(ca.mfa) == {"u1"} with input.entra as entra with data.posture.config as _config
	coverage.uncovered_members(ca.mfa) == {"u1", "bg1"} with input.entra as entra
}

# u6 is a B2B collaboration member; pGroup covers Contractors but carol, pGuests covers u6.
_mixed := object.union(_entra, {"users": array.concat(_entra.users, [fixtures.member("u6", "ext_fabrikam.com#EXT#@contoso.onmicrosoft.com")])})

_p_all := _policy("pAll", {"includeUsers": ["All"], "excludeUsers": ["u6", "bg1"], "excludeGroups": ["g-ext"]}, _mfa)

_p_group := _policy("pGroup", {"includeGroups": ["g-ext"], "excludeUsers": ["u3"]}, _mfa)

_p_guests := _policy("pGuests", {"includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationMember"}}, _mfa)

test_uncovered_checks_few_candidates_one_by_one_and_many_with_sets_alike if {
	entra := object.union(_mixed, {"conditionalAccessPolicies": [_p_all, _p_group, _p_guests]})
	coverage.uncovered_members(ca.mfa) == {"u3"} with input.entra as entra with data.posture.config as _config
	coverage.uncovered_members(ca.mfa) == {"u3"} with input.entra as entra with data.posture.config as _config
		with ca_eval._one_by_one_budget as 0
}

test_uncovered_without_an_all_users_policy_is_the_population_minus_the_covered if {
	entra := object.union(_mixed, {"conditionalAccessPolicies": [_p_group, _p_guests]})
	coverage.uncovered_members(ca.mfa) == {"u1", "u3"} with input.entra as entra with data.posture.config as _config
	coverage.uncovered_members(ca.mfa) == {"u1", "u3"} with input.entra as entra with data.posture.config as _config
		with ca_eval._one_by_one_budget as 0
	coverage.uncovered_admins(ca.mfa) == {"u1", "u4"} with input.entra as entra with data.posture.config as _config
}

test_uncovered_is_everyone_when_no_policy_counts if {
	coverage.uncovered_members(ca.mfa) == {"u1", "u2", "u3", "u6"} with input.entra as _mixed with data.posture.config as _config
}

test_weaker_strengths_are_explained_only_for_phishing_resistant_mfa if {
	weak := _policy("p1", _all, {"authenticationStrength": {"id": "s1", "displayName": "MFA", "allowedCombinations": ["password,sms"]}})
	entra := object.union(_entra, {"conditionalAccessPolicies": [weak]})
	count(coverage.mentioning(ca.phishing_resistant_mfa)) == 1 with input.entra as entra
	count(ca_eval.relevant(ca.phishing_resistant_mfa)) == 0 with input.entra as entra
	count(coverage.mentioning(ca.managed_device)) == 0 with input.entra as entra
	count(ca_eval.relevant(ca.mfa)) == 1 with input.entra as entra
}

test_gaps_of_a_targeted_policy_count_only_the_users_it_includes if {
	# p1 includes alice and bob and excludes Contractors: only bob is charged to it.
	p := _policy("p1", {"includeUsers": ["u1", "u2"], "excludeGroups": ["g-ext"]}, _mfa)
	entra := object.union(_entra, {"conditionalAccessPolicies": [p]})
	ev := coverage.members_eval(ca.mfa) with input.entra as entra with data.posture.config as _config
	ev.uncovered == {"u2", "u3"}
	{v.msg | some v in coverage.gap_violations(ev)} == {"policy 'p1' requires multifactor authentication but excludes group 'Contractors' (1 user), which is not a declared break-glass group"} with input.entra as entra
}

test_member_violations_are_empty_when_everyone_is_covered if {
	entra := object.union(_entra, {"conditionalAccessPolicies": [_policy("p1", {"includeUsers": ["All"], "excludeUsers": []}, {"builtInControls": ["block"]})]})
	ev := coverage.members_eval(ca.mfa) with input.entra as entra
	ev.uncovered == set()
	coverage.member_violations(ev) == set() with input.entra as entra
	admins := coverage.admins_eval(ca.mfa) with input.entra as entra
	admins.uncovered == set()
	coverage.admin_violations(admins) == set() with input.entra as entra
}

test_named_counts_what_it_does_not_name if {
	coverage.named({"u3", "u1", "u2"}) == "alice@contoso.com, bob@contoso.com, carol@contoso.com" with input.entra as _entra
	coverage.named({"u3", "u1", "u2"}) == "alice@contoso.com and 2 more" with input.entra as _entra
		with data.posture.config as {"maxNamedUsers": 1}
}

test_an_unset_count_parameter_takes_the_declared_default if {
	coverage.named({"u3", "u1", "u2"}) == "alice@contoso.com, bob@contoso.com, carol@contoso.com" with input.entra as _entra
		with data.posture.config as {}
	coverage.named({"u3", "u1", "u2"}) == "alice@contoso.com and 2 more" with input.entra as _entra
		with data.posture.config as {}
		with data.posture.defaults.maxNamedUsers as 1
}

test_security_defaults_need_is_enabled_true if {
	coverage.security_defaults with input.entra.securityDefaults as {"isEnabled": true}
	not coverage.security_defaults with input.entra.securityDefaults as {"isEnabled": "true"}
	not coverage.security_defaults with input.entra.securityDefaults as {"isEnabled": null}
	not coverage.security_defaults with input.entra as {}
}

_gap_entra := {
	"users": [
		fixtures.member("u1", "alice@contoso.com"),
		fixtures.member("u2", "bob@contoso.com"),
		fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
	],
	"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2"]},
}

_gap_policy(changes) := fixtures.ca_policy("p1", "P1", changes)

test_gaps_text_says_which_exclusion_is_not_break_glass if {
	p := _gap_policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"], "excludeUsers": ["u1"]}}})
	coverage.gaps_text(p, {"u1", "u2"}, "signin") == "excludes group 'Contractors' (1 user), which is not a declared break-glass group; excludes user alice@contoso.com, who is not a declared break-glass account" with input.entra as _gap_entra
	coverage.gaps_text(p, set(), "signin") == "" with input.entra as _gap_entra
}
