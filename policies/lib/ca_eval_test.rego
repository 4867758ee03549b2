# Microsoft's documented Conditional Access behaviours, one small tenant each, judged by the
# evaluator. Each test cites the Microsoft Learn page it follows.
package posture.lib.ca_eval_test

import data.posture.lib.ca
import data.posture.lib.ca_eval
import data.posture.lib.fixtures

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
]

_entra(policies) := {
	"users": _users,
	"groups": [fixtures.group("g1", "Sales")],
	"groupMembers": {"g1": ["u2"]},
	"roleAssignments": [],
	"conditionalAccessPolicies": policies,
	"namedLocations": [
		{"id": "hq", "displayName": "HQ", "isTrusted": true},
		{"id": "fr", "displayName": "France"},
	],
}

_p(id, changes) := fixtures.ca_policy(id, id, changes)

_uncovered(req, policies) := u if {
	u := ca_eval.members(req).uncovered with input.entra as _entra(policies)
}

# --- baseline ---------------------------------------------------------------------------------

test_one_policy_for_everyone_covers_everyone if {
	_uncovered(ca.mfa, [_p("all", {})]) == set()
}

test_no_policy_leaves_everyone_uncovered if {
	_uncovered(ca.mfa, []) == {"u1", "u2"}
}

# Report-only policies are evaluated but not enforced: "Report-only mode ... Policies in this
# mode are evaluated at sign-in but grant controls and session controls aren't enforced."
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-report-only
test_report_only_enforces_nothing if {
	_uncovered(ca.mfa, [_p("ro", {"state": "enabledForReportingButNotEnforced"})]) == {"u1", "u2"}
	_uncovered(ca.mfa, [_p("off", {"state": "disabled"})]) == {"u1", "u2"}
}

# --- complementary policies: all policies that apply must be satisfied ------------------------
# "Multiple Conditional Access policies can apply to an individual user at any time. In this
# case, all policies that apply must be satisfied."
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/overview

test_modern_and_legacy_client_policies_cover_together if {
	modern := _p("modern", fixtures.ca_conditions({"clientAppTypes": ["browser", "mobileAppsAndDesktopClients"]}))
	legacy := _p("legacy", fixtures.ca_conditions({"clientAppTypes": ["exchangeActiveSync", "other"]}))
	_uncovered(ca.mfa, [modern, legacy]) == set()
	_uncovered(ca.mfa, [modern]) == {"u1", "u2"}
}

# Device platforms: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-conditions#device-platforms
test_android_ios_and_every_other_platform_cover_together if {
	mobile := _p("mobile", fixtures.ca_conditions({"platforms": {"includePlatforms": ["android", "iOS"], "excludePlatforms": []}}))
	rest := _p("rest", fixtures.ca_conditions({"platforms": {"includePlatforms": ["all"], "excludePlatforms": ["android", "iOS"]}}))
	_uncovered(ca.mfa, [mobile, rest]) == set()
	_uncovered(ca.mfa, [mobile]) == {"u1", "u2"}
}

# A policy for a list of platforms does not reach a platform Conditional Access cannot identify;
# only "Any device" does.
test_listing_every_known_platform_leaves_unidentified_platforms if {
	listed := _p("listed", fixtures.ca_conditions({"platforms": {"includePlatforms": ["android", "iOS", "windows", "windowsPhone", "macOS", "linux"], "excludePlatforms": []}}))
	_uncovered(ca.mfa, [listed]) == {"u1", "u2"}
}

# Locations: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-assignment-network
test_trusted_and_other_locations_cover_together if {
	inside := _p("inside", fixtures.ca_conditions({"locations": {"includeLocations": ["AllTrusted"], "excludeLocations": []}}))
	outside := _p("outside", fixtures.ca_conditions({"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}))
	_uncovered(ca.mfa, [inside, outside]) == set()
	_uncovered(ca.mfa, [outside]) == {"u1", "u2"}
}

test_a_named_trusted_location_is_among_all_trusted if {
	hq := _p("hq", fixtures.ca_conditions({"locations": {"includeLocations": ["hq"], "excludeLocations": []}}))
	outside := _p("outside", fixtures.ca_conditions({"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}))

	# Other trusted locations (MFA trusted IPs, other trusted named locations) stay uncovered.
	_uncovered(ca.mfa, [hq, outside]) == {"u1", "u2"}

	# An untrusted named location excluded from one policy and included in another adds up.
	fr := _p("fr", fixtures.ca_conditions({"locations": {"includeLocations": ["fr"], "excludeLocations": []}}))
	not_fr := _p("not_fr", fixtures.ca_conditions({"locations": {"includeLocations": ["All"], "excludeLocations": ["fr"]}}))
	_uncovered(ca.mfa, [fr, not_fr]) == set()
}

# Target resources, Office 365: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-cloud-apps#office-365
test_office365_and_all_except_office365_cover_together if {
	o365 := _p("o365", {"conditions": {"applications": {"includeApplications": ["Office365"]}}})
	rest := _p("rest", {"conditions": {"applications": {"includeApplications": ["All"], "excludeApplications": ["Office365"]}}})
	_uncovered(ca.mfa, [o365, rest]) == set()
	_uncovered(ca.mfa, [o365]) == {"u1", "u2"}
}

test_office365_covers_exchange_online_named_elsewhere if {
	o365 := _p("o365", {"conditions": {"applications": {"includeApplications": ["Office365"]}}})
	rest := _p("rest", {"conditions": {"applications": {"includeApplications": ["All"], "excludeApplications": ["00000002-0000-0ff1-ce00-000000000000"]}}})
	_uncovered(ca.mfa, [o365, rest]) == set()
}

# User actions are not resource sign-ins: a policy for "Register security information" does not
# cover sign-ins to apps.
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-cloud-apps#user-actions
test_user_actions_do_not_cover_resources if {
	action := _p("action", {"conditions": {"applications": {"includeApplications": [], "includeUserActions": ["urn:user:registersecurityinfo"]}}})
	_uncovered(ca.mfa, [action]) == {"u1", "u2"}
}

# Legacy authentication: "Exchange ActiveSync clients" and "Other clients".
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/policy-block-legacy-authentication
test_eas_and_other_legacy_block_policies_cover_together if {
	eas := _p("eas", object.union(fixtures.ca_conditions({"clientAppTypes": ["exchangeActiveSync"]}), fixtures.ca_grant(["block"])))
	other := _p("other", object.union(fixtures.ca_conditions({"clientAppTypes": ["other"]}), fixtures.ca_grant(["block"])))
	_uncovered(ca.legacy_block, [eas, other]) == set()
	_uncovered(ca.legacy_block, [eas]) == {"u1", "u2"}
}

# Authentication flows: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-authentication-flows
test_a_device_code_block_covers_device_code_only if {
	block := _p("dcf", object.union(fixtures.ca_conditions({"authenticationFlows": {"transferMethods": "deviceCodeFlow"}}), fixtures.ca_grant(["block"])))
	_uncovered(ca.device_code_block, [block]) == set()
	_uncovered(ca.mfa, [block]) == {"u1", "u2"}
}

# Sign-in risk: https://learn.microsoft.com/en-us/entra/id-protection/concept-identity-protection-policies
test_risk_levels_add_up if {
	high := _p("high", fixtures.ca_conditions({"signInRiskLevels": ["high"]}))
	rest := _p("rest", fixtures.ca_conditions({"signInRiskLevels": ["none", "low", "medium"]}))
	_uncovered(ca.mfa, [high, rest]) == set()
	_uncovered(ca.mfa, [high]) == {"u1", "u2"}
}

# Device filters: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-condition-filters-for-devices
test_include_and_exclude_of_one_device_filter_cover_together if {
	rule := "device.isCompliant -eq True"
	inc := _p("inc", fixtures.ca_conditions({"devices": {"deviceFilter": {"mode": "include", "rule": rule}}}))
	exc := _p("exc", fixtures.ca_conditions({"devices": {"deviceFilter": {"mode": "exclude", "rule": rule}}}))
	_uncovered(ca.mfa, [inc, exc]) == set()
	_uncovered(ca.mfa, [exc]) == {"u1", "u2"}
}

# --- grants ------------------------------------------------------------------------------------

# "Block access" wins: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-grant#block-access
# A class that ends in a block is covered for any requirement.
test_block_wins if {
	legacy_block := _p("block", object.union(fixtures.ca_conditions({"clientAppTypes": ["exchangeActiveSync", "other"]}), fixtures.ca_grant(["block"])))
	modern := _p("modern", fixtures.ca_conditions({"clientAppTypes": ["browser", "mobileAppsAndDesktopClients"]}))
	_uncovered(ca.mfa, [legacy_block, modern]) == set()
}

# Grant operators: "Require one of the selected controls" lets the user pick; a policy that
# offers an alternative to MFA does not enforce it, even when another policy with another
# alternative applies too.
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-grant#multiple-controls
test_or_grants_do_not_enforce_mfa if {
	either := _p("either", fixtures.ca_grant(["mfa", "compliantDevice"]))
	other := _p("other", fixtures.ca_grant(["mfa", "domainJoinedDevice"]))
	_uncovered(ca.mfa, [either, other]) == {"u1", "u2"}
	both := _p("both", {"grantControls": {"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]}})
	_uncovered(ca.mfa, [both]) == set()
}

# Authentication strengths: the built-in Phishing-resistant MFA strength enforces phishing-
# resistant MFA; the MFA strength enforces MFA only.
# https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-strengths
test_authentication_strengths if {
	pr := _p("pr", {"grantControls": {"operator": "OR", "builtInControls": [], "authenticationStrength": {"id": ca.phishing_resistant_strength_id}}})
	weak := _p("weak", {"grantControls": {"operator": "OR", "builtInControls": [], "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000002", "allowedCombinations": ["password,microsoftAuthenticatorPush"]}}})
	_uncovered(ca.phishing_resistant_mfa, [pr]) == set()
	_uncovered(ca.mfa, [pr]) == set()
	_uncovered(ca.phishing_resistant_mfa, [weak]) == {"u1", "u2"}
	_uncovered(ca.mfa, [weak]) == set()
}

# --- users ---------------------------------------------------------------------------------------

# "Exclusions take precedence over inclusions":
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-users-groups#exclude-users
test_exclusion_beats_inclusion if {
	p := _p("p", fixtures.ca_users({"includeUsers": ["All"], "excludeGroups": ["g1"]}))
	_uncovered(ca.mfa, [p]) == {"u2"}
	q := _p("q", fixtures.ca_users({"includeUsers": [], "includeGroups": ["g1"], "excludeUsers": ["u2"]}))
	_uncovered(ca.mfa, [q]) == {"u1", "u2"}
}

# An exclusion in one policy is covered by another policy that applies to the user in the same
# class.
test_another_policy_covers_an_exclusion if {
	p := _p("p", fixtures.ca_users({"includeUsers": ["All"], "excludeGroups": ["g1"]}))
	q := _p("q", fixtures.ca_users({"includeUsers": [], "includeGroups": ["g1"]}))
	_uncovered(ca.mfa, [p, q]) == set()
}

# Directory roles and PIM: a role condition matches only the roles a user holds when the policy is
# evaluated; an eligible holder holds the role once she activates it.
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-users-groups#include-users
# https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-activate-role
_pim_entra(policies) := object.union(_entra(policies), {
	"roleAssignments": [fixtures.assignment("a1", "u1", fixtures.global_admin)],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "u2", fixtures.global_admin)],
})

test_a_role_policy_does_not_cover_an_eligible_holder_for_everyone if {
	admins := _p("admins", fixtures.ca_users({"includeUsers": [], "includeRoles": [fixtures.global_admin]}))
	everyone_else := _p("rest", fixtures.ca_users({"includeUsers": ["All"], "excludeUsers": ["u1", "u2"]}))
	ca_eval.members(ca.mfa).uncovered == {"u2"} with input.entra as _pim_entra([admins, everyone_else])

	# In her admin sessions the role policy applies.
	ca_eval.admins(ca.mfa, {"u1", "u2"}).uncovered == set() with input.entra as _pim_entra([admins])
}

test_an_excluded_role_excludes_an_eligible_holder_in_her_admin_sessions if {
	all_but_admins := _p("p", fixtures.ca_users({"includeUsers": ["All"], "excludeRoles": [fixtures.global_admin]}))
	ca_eval.members(ca.mfa).uncovered == {"u1", "u2"} with input.entra as _pim_entra([all_but_admins])
	ca_eval.admins(ca.mfa, {"u2"}).uncovered == {"u2"} with input.entra as _pim_entra([all_but_admins])
}

# Guest or external user types: an internal user converted to external keeps her UPN (no #EXT#)
# but is a B2B collaboration guest or member, which Graph shows in externalUserState.
# https://learn.microsoft.com/en-us/entra/external-id/invite-internal-users
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-users-groups#guest-or-external-users
test_a_converted_external_user_is_excluded_as_a_b2b_member if {
	entra := object.union(
		_entra([_p("p", fixtures.ca_users({
			"includeUsers": ["All"],
			"excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationMember", "externalTenants": {"membershipKind": "all"}},
		}))]),
		{"users": [
			fixtures.member("u1", "alice@contoso.com"),
			fixtures.user("u2", "bob@contoso.com", {"externalUserState": "Accepted"}),
		]},
	)
	ca_eval.members(ca.mfa).uncovered == {"u2"} with input.entra as entra
}

# --- texts -----------------------------------------------------------------------------------------

test_describe_names_only_the_dimensions_policies_tell_apart if {
	mobile := _p("mobile", fixtures.ca_conditions({"platforms": {"includePlatforms": ["android", "iOS"], "excludePlatforms": []}}))
	ev := ca_eval.members(ca.mfa) with input.entra as _entra([mobile])
	texts := {ca_eval.describe(ev, c) | some c in ev.classes; count(c.uncovered) > 0}
	texts == {"sign-ins on platforms other than android, iOS"}
}

# Nested groups: a policy that includes a group applies to the members of its nested groups
# (Microsoft Learn, "Conditional Access: Users, groups, and workload identities": users and
# groups, nested groups included). The snapshot holds each group's transitive members
# (/groups/{id}/transitiveMembers), so u2, a member of a group nested in g1, is listed under g1.
test_a_group_policy_covers_members_of_nested_groups if {
	p := _p("p", fixtures.ca_users({"includeUsers": [], "includeGroups": ["g1"]}))
	_uncovered(ca.mfa, [p]) == {"u1"}
}

# The class of an eligible holder's admin sessions is named as such in the reasons.
test_the_activated_state_is_named_in_the_class_text if {
	admins := _p("admins", fixtures.ca_users({"includeUsers": [], "includeRoles": [fixtures.global_admin]}))
	everyone := _p("rest", fixtures.ca_users({"includeUsers": ["All"], "excludeRoles": [fixtures.global_admin]}))
	ev := ca_eval.members(ca.mfa) with input.entra as _pim_entra([admins, everyone])
	ev.uncovered == set()
	odd := _p("odd", fixtures.ca_users({"includeUsers": ["All"], "excludeRoles": [fixtures.global_admin]}))
	ev2 := ca_eval.members(ca.mfa) with input.entra as _pim_entra([odd])
	ev2.uncovered == {"u1", "u2"}
	{c.state | some c in ev2.classes; "u2" in c.uncovered} == {"activated"}
	{c.state | some c in ev2.classes; "u1" in c.uncovered} == {"signin"}
}

# _union_of is the union of an object's sets, whether they nest (the largest is the answer) or not.
test_union_of_nested_and_apart if {
	ca_eval._union_of({"signin": {"u1", "u2", "u3"}, "activated": {"u2"}}) == {"u1", "u2", "u3"}
	ca_eval._union_of({"a": {"u1", "u2"}, "b": {"u3"}, "c": set()}) == {"u1", "u2", "u3"}
	ca_eval._union_of({"a": {"u1"}, "b": {"u2"}}) == {"u1", "u2"}
	ca_eval._union_of({"a": set()}) == set()
	ca_eval._union_of({}) == set()
}

# _but_breakglass leaves the declared break-glass accounts out, and is the set itself when it
# holds none of them.
test_but_breakglass if {
	ca_eval._but_breakglass({"u1", "bg1"}) == {"u1"} with data.posture.lib.breakglass.account_ids as {"bg1"}
	ca_eval._but_breakglass({"u1", "u2"}) == {"u1", "u2"} with data.posture.lib.breakglass.account_ids as {"bg1"}
	ca_eval._but_breakglass({"u1"}) == {"u1"} with data.posture.lib.breakglass.account_ids as set()
	ca_eval._but_breakglass(set()) == set() with data.posture.lib.breakglass.account_ids as {"bg1"}
}
