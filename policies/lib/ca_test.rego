package posture.lib.ca_test

import data.posture.lib.ca
import data.posture.lib.fixtures

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_entra := {
	"users": [
		fixtures.member("u1", "alice@contoso.com"),
		fixtures.member("u2", "bob@contoso.com"),
		fixtures.guest("u3", "carol@contoso.com"),
		fixtures.guest("u4", "dave_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
		fixtures.member("u5", "admin@contoso.com"),
		fixtures.member("u6", "eligible@contoso.com"),
	],
	"groups": [fixtures.group("g1", "Contractors"), fixtures.group("g2", "Sales")],
	"groupMembers": {"g1": ["u2"], "g2": ["u1", "u2"]},
	"roleAssignments": [fixtures.assignment("a1", "u5", _ga)],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "u6", _ga)],
	"namedLocations": [{"id": "loc1", "displayName": "HQ"}],
}

# _policy is an enabled policy requiring MFA for all users on all resources and all client apps,
# with Graph's nulls for unset conditions; tests merge in what they change.
_policy(changes) := fixtures.ca_policy("p1", "Require MFA", changes)

_users(u) := {"conditions": {"users": u}}

_cond(c) := {"conditions": c}

_grant(g) := {"grantControls": g}

# --- counting -----------------------------------------------------------------------------

test_counts_when_enabled_for_all_resources_clients_and_mfa if {
	ca.counts(_policy({}), ca.mfa)
	ca.shortfalls(_policy({}), ca.mfa) == set()
}

test_report_only_and_disabled_policies_do_not_count if {
	ca.shortfalls(_policy({"state": "enabledForReportingButNotEnforced"}), ca.mfa) == {"is report-only"}
	ca.shortfalls(_policy({"state": "disabled"}), ca.mfa) == {"is disabled"}
	ca.state_label(_policy({"state": "enabledForReportingButNotEnforced"})) == "report-only"
}

test_selected_resources_do_not_count if {
	p := _policy(_cond({"applications": {"includeApplications": ["Office365", "MicrosoftAdminPortals"]}}))
	ca.shortfalls(p, ca.mfa) == {"targets only selected resources (MicrosoftAdminPortals, Office365)"}
}

test_excluded_resources_do_not_count if {
	p := _policy(_cond({"applications": {"excludeApplications": ["app-1"]}}))
	ca.shortfalls(p, ca.mfa) == {"excludes resources app-1"}
}

test_user_actions_do_not_count_as_resources if {
	p := _policy(_cond({"applications": {"includeApplications": [], "includeUserActions": ["urn:user:registersecurityinfo"]}}))
	ca.shortfalls(p, ca.mfa) == {"targets user actions (urn:user:registersecurityinfo) instead of resources"}
}

test_limited_client_apps_do_not_count_for_mfa if {
	p := _policy(_cond({"clientAppTypes": ["browser", "mobileAppsAndDesktopClients"]}))
	ca.shortfalls(p, ca.mfa) == {"is limited to client apps browser, mobileAppsAndDesktopClients (not exchangeActiveSync, other)"}
}

test_empty_client_app_types_mean_all_clients if {
	ca.counts(_policy(_cond({"clientAppTypes": []})), ca.mfa)
}

test_legacy_block_needs_exchange_activesync_and_other if {
	block := _grant({"builtInControls": ["block"]})
	ca.counts(_policy(object.union(block, _cond({"clientAppTypes": ["exchangeActiveSync", "other"]}))), ca.legacy_block)
	ca.counts(_policy(block), ca.legacy_block)
	p := _policy(object.union(block, _cond({"clientAppTypes": ["exchangeActiveSync"]})))
	ca.shortfalls(p, ca.legacy_block) == {"is limited to client apps exchangeActiveSync (not other)"}
}

test_narrowing_conditions_do_not_count if {
	p := _policy(_cond({
		"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted", "loc1", "loc9"]},
		"platforms": {"includePlatforms": ["android", "iOS"], "excludePlatforms": []},
		"signInRiskLevels": ["high"],
		"userRiskLevels": ["medium", "high"],
		"insiderRiskLevels": "elevated",
		"devices": {"deviceFilter": {"mode": "exclude", "rule": "device.trustType -eq \"ServerAD\""}},
		"authenticationFlows": {"transferMethods": "deviceCodeFlow"},
	}))
	ca.shortfalls(p, ca.mfa) == {
		"excludes locations 'HQ', all trusted locations, loc9",
		"is limited to platforms android, iOS",
		"applies only at sign-in risk high",
		"applies only at user risk high, medium",
		"applies only at insider risk elevated",
		"excludes devices matching the filter device.trustType -eq \"ServerAD\"",
		"is limited to authentication flows deviceCodeFlow",
	} with input.entra as _entra
}

test_all_platforms_and_all_locations_do_not_narrow if {
	p := _policy(_cond({
		"locations": {"includeLocations": ["All"], "excludeLocations": []},
		"platforms": {"includePlatforms": ["all"], "excludePlatforms": null},
	}))
	ca.counts(p, ca.mfa)
}

test_included_locations_narrow if {
	p := _policy(_cond({"locations": {"includeLocations": ["loc1"]}}))
	ca.condition_reasons(p) == {"is limited to locations 'HQ'"} with input.entra as _entra
}

test_workload_identity_policies_do_not_count_for_users if {
	p := _policy(_cond({"clientApplications": {"includeServicePrincipals": ["sp1"]}}))
	ca.shortfalls(p, ca.mfa) == {"targets workload identities (service principals)"}
}

# --- grant controls ----------------------------------------------------------------------

test_mfa_or_another_control_does_not_enforce_mfa if {
	p := _policy(_grant({"operator": "OR", "builtInControls": ["mfa", "compliantDevice"]}))
	not ca.enforces(p, ca.mfa.controls)
	ca.shortfalls(p, ca.mfa) == {"lets users satisfy it with compliantDevice instead of multifactor authentication (grant: compliantDevice OR mfa)"}
}

test_mfa_and_another_control_enforces_mfa if {
	ca.enforces(_policy(_grant({"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]})), ca.mfa.controls)
}

test_authentication_strength_enforces_mfa if {
	p := _policy(_grant({"builtInControls": [], "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000002", "displayName": "Multifactor authentication"}}))
	ca.enforces(p, ca.mfa.controls)
	ca.shortfalls(p, ca.phishing_resistant_mfa) == {"does not require phishing-resistant multifactor authentication (grant: authenticationStrength)"}
}

test_phishing_resistant_strength_is_recognized if {
	builtin := _policy(_grant({"builtInControls": [], "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}))
	ca.counts(builtin, ca.phishing_resistant_mfa)
	ca.counts(builtin, ca.mfa)
	custom := _policy(_grant({"builtInControls": [], "authenticationStrength": {"id": "c1", "allowedCombinations": ["fido2", "windowsHelloForBusiness"]}}))
	ca.counts(custom, ca.phishing_resistant_mfa)
	weak := _policy(_grant({"builtInControls": [], "authenticationStrength": {"id": "c2", "allowedCombinations": ["fido2", "password,sms"]}}))
	not ca.counts(weak, ca.phishing_resistant_mfa)
}

test_strength_that_does_not_satisfy_mfa_does_not_enforce_mfa if {
	p := _policy(_grant({"builtInControls": [], "authenticationStrength": {"id": "c3", "requirementsSatisfied": "none"}}))
	not ca.enforces(p, ca.mfa.controls)
	ca.shortfalls(p, ca.mfa) == {"does not require multifactor authentication (grant: authenticationStrengthWithoutMfa)"}
}

test_plain_mfa_is_not_phishing_resistant if {
	ca.shortfalls(_policy({}), ca.phishing_resistant_mfa) == {"does not require phishing-resistant multifactor authentication (grant: mfa)"}
}

test_policy_without_grant_controls_does_not_count if {
	p := _policy({"grantControls": null, "sessionControls": {"signInFrequency": {"value": 1}}})
	ca.shortfalls(p, ca.mfa) == {"has no grant controls"}
}

test_block_is_recognized if {
	p := _policy(_grant({"builtInControls": ["block"]}))
	ca.blocks(p)
	ca.counts(p, ca.block_all)
	ca.shortfalls(p, ca.mfa) == {"does not require multifactor authentication (grant: block)"}
	ca.mentions(p, ca.block_all)
	not ca.mentions(p, ca.mfa)
}

test_managed_device_accepts_either_device_control if {
	ca.counts(_policy(_grant({"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"]})), ca.managed_device)
	not ca.counts(_policy(_grant({"operator": "OR", "builtInControls": ["compliantDevice", "mfa"]})), ca.managed_device)
}

# --- who a policy applies to ---------------------------------------------------------------

test_all_users_policy_applies_to_everyone_not_excluded if {
	p := _policy(_users({"excludeUsers": ["u1"], "excludeGroups": ["g1"]}))
	ca.applies_to(p, "u5", "signin") with input.entra as _entra
	ca.applies_to(p, "u3", "signin") with input.entra as _entra
	not ca.applies_to(p, "u1", "signin") with input.entra as _entra
	not ca.applies_to(p, "u2", "signin") with input.entra as _entra
}

test_groups_include_their_members if {
	p := _policy(_users({"includeUsers": [], "includeGroups": ["g1"]}))
	ca.applies_to(p, "u2", "signin") with input.entra as _entra
	not ca.applies_to(p, "u1", "signin") with input.entra as _entra
}

# A role condition matches the eligible holder u6 only in sessions where she has activated the
# role (state "activated"), for inclusions and exclusions alike.
test_roles_include_active_holders_and_eligible_ones_once_activated if {
	p := _policy(_users({"includeUsers": [], "includeRoles": [_ga]}))
	ca.applies_to(p, "u5", "signin") with input.entra as _entra
	not ca.applies_to(p, "u6", "signin") with input.entra as _entra
	ca.applies_to(p, "u6", "activated") with input.entra as _entra
	not ca.applies_to(p, "u1", "activated") with input.entra as _entra
}

test_roles_exclude_active_holders_and_eligible_ones_once_activated if {
	p := _policy(_users({"excludeRoles": [_ga]}))
	not ca.applies_to(p, "u5", "signin") with input.entra as _entra
	ca.applies_to(p, "u6", "signin") with input.entra as _entra
	not ca.applies_to(p, "u6", "activated") with input.entra as _entra
}

test_guest_types_match_guest_users if {
	p := _policy(_users({"includeUsers": [], "includeGuestsOrExternalUsers": {
		"guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest",
		"externalTenants": {"membershipKind": "all"},
	}}))
	ca.applies_to(p, "u3", "signin") with input.entra as _entra
	ca.applies_to(p, "u4", "signin") with input.entra as _entra
	not ca.applies_to(p, "u1", "signin") with input.entra as _entra
	ca.explicitly_included_ids(p, "signin") == {"u3", "u4"} with input.entra as _entra
}

test_guest_inclusion_for_enumerated_tenants_does_not_reach_b2b_users if {
	p := _policy(_users({"includeUsers": [], "includeGuestsOrExternalUsers": {
		"guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest",
		"externalTenants": {"membershipKind": "enumerated", "members": ["t1"]},
	}}))
	ca.applies_to(p, "u3", "signin") with input.entra as _entra
	not ca.applies_to(p, "u4", "signin") with input.entra as _entra
}

test_legacy_guests_or_external_users_value_is_understood if {
	p := _policy(_users({"includeUsers": ["GuestsOrExternalUsers"]}))
	ca.applies_to(p, "u4", "signin") with input.entra as _entra
	not ca.applies_to(p, "u1", "signin") with input.entra as _entra
	q := _policy(_users({"excludeUsers": ["GuestsOrExternalUsers"]}))
	not ca.applies_to(q, "u3", "signin") with input.entra as _entra
	ca.applies_to(q, "u1", "signin") with input.entra as _entra
}

test_targets_users_is_false_for_none_and_workload_policies if {
	not ca.targets_users(_policy(_users({"includeUsers": ["None"]})))
	not ca.targets_users({"id": "w", "conditions": {"users": null, "clientApplications": {"includeServicePrincipals": ["sp1"]}}})
	ca.targets_users(_policy({}))
}

test_user_reasons_say_how_a_user_is_left_out if {
	p := _policy(_users({"excludeUsers": ["u5"], "excludeRoles": [_ga]}))
	ca.user_reasons(p, "u5", "signin") == {
		"excludes admin@contoso.com directly",
		"excludes admin@contoso.com through role 'Global Administrator'",
	} with input.entra as _entra
	q := _policy(_users({"includeUsers": [], "includeGroups": ["g1"]}))
	ca.user_reasons(q, "u1", "signin") == {"does not include alice@contoso.com"} with input.entra as _entra
	ca.user_reasons(_policy({}), "u1", "signin") == set() with input.entra as _entra
}

test_minimal_policy_neither_crashes_nor_counts if {
	p := {"id": "p9", "state": "enabled"}
	ca.shortfalls(p, ca.mfa) == {"targets no resources", "has no grant controls"}
	not ca.applies_to(p, "u1", "signin") with input.entra as _entra
	ca.label(p) == "policy 'p9'"
}

# --- populations ---------------------------------------------------------------------------

test_exclusion_gaps_count_the_users_each_exclusion_takes_out if {
	p := _policy(_users({"excludeUsers": ["u1", "u9"], "excludeGroups": ["g1", "g2"], "excludeRoles": [_ga]}))
	gaps := ca.exclusion_gaps(p, {"u1", "u2", "u5"}, "signin") with input.entra as _entra
	{g.text | some g in gaps} == {
		"excludes user alice@contoso.com",
		"excludes group 'Contractors' (1 user)",
		"excludes group 'Sales' (2 users)",
		"excludes role 'Global Administrator' (1 user)",
	}
}

test_exclusion_gaps_count_excluded_guests if {
	p := _policy(_users({"excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest"}}))
	{g.text | some g in ca.exclusion_gaps(p, {"u3", "u4", "u1"}, "signin")} == {"excludes guest or external users (2 users)"} with input.entra as _entra
}

test_unverifiable_reports_groups_and_roles_without_members if {
	entra := object.union(_entra, {
		"groups": [fixtures.group("g1", "Contractors"), fixtures.group("g3", "Uncollected")],
		"roleAssignments": [fixtures.assignment("a2", "g3", _exo)],
	})
	p := _policy(_users({"excludeGroups": ["g1", "g3"], "excludeRoles": [_exo]}))
	ca.unverifiable(p) == {
		"policy 'Require MFA' excludes group 'Uncollected' whose members are not in the snapshot (entra.groupMembers)",
		"policy 'Require MFA' excludes role 'Exchange Administrator', which is assigned to group 'Uncollected' whose members are not in the snapshot (entra.groupMembers)",
	} with input.entra as entra
	ca.unverifiable(_policy({})) == set() with input.entra as entra
}

# --- who a users condition applies to -----------------------------------------------------

test_applied_ids_by_group_less_exclusions if {
	p := _policy(_users({"includeUsers": [], "includeGroups": ["g2"], "excludeUsers": ["u2"]}))
	ca.applied_ids(p, "signin") == {"u1"} with input.entra as _entra
}

test_applied_ids_eligible_holder_only_when_activated if {
	p := _policy(_users({"includeUsers": [], "includeRoles": [_ga]}))
	ca.applied_ids(p, "signin") == {"u5"} with input.entra as _entra
	ca.applied_ids(p, "activated") == {"u5", "u6"} with input.entra as _entra
}

# A policy with only another policy's users condition (by_users) includes and excludes the same
# users, whatever its other conditions and grant: the evaluator judges such policies once.
test_by_users_judges_like_the_policy if {
	users := {"includeUsers": ["All"], "excludeGroups": ["g1"], "excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationGuest"}}
	p := _policy(object.union(_users(users), _cond({"platforms": {"includePlatforms": ["android"]}})))
	q := ca.by_users(ca.users_condition(p))
	applied := {uid | some uid in {"u1", "u2", "u3", "u4", "u5", "u6"}; ca.applies_to(p, uid, "signin")} with input.entra as _entra
	applied == {"u1", "u3", "u5", "u6"} with input.entra as _entra
	applied == {uid | some uid in {"u1", "u2", "u3", "u4", "u5", "u6"}; ca.applies_to(q, uid, "signin")} with input.entra as _entra
	ca.excluded_ids(q, "signin") == ca.excluded_ids(p, "signin") with input.entra as _entra
}

test_users_condition_missing_is_null if {
	ca.users_condition({"id": "p"}) == null
	ca.applied_ids({"id": "p"}, "signin") == set() with input.entra as _entra
}

test_unverifiable_reports_guest_types_when_some_users_type_is_unknown if {
	told := [object.union(u, {"externalUserState": null, "creationType": null}) | some u in _entra.users]
	untold := array.concat(told, [fixtures.member("u7", "old@contoso.com")])
	p := _policy(_users({"excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest,serviceProvider"}}))
	ca.unverifiable(p) == {"policy 'Require MFA' excludes guest or external user types (b2bCollaborationGuest, internalGuest), which the snapshot cannot tell for 1 user(s): it has neither externalUserState nor creationType for them (a snapshot collected before posture read them; collect again)"} with input.entra as object.union(_entra, {"users": untold})
	ca.unverifiable(p) == set() with input.entra as object.union(_entra, {"users": told})
	ca.unverifiable(_policy({})) == set() with input.entra as object.union(_entra, {"users": untold})
	q := _policy(_users({"includeUsers": ["GuestsOrExternalUsers"]}))
	count(ca.unverifiable(q)) == 1 with input.entra as object.union(_entra, {"users": untold})
}
