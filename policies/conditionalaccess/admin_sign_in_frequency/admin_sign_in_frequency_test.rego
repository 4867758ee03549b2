package posture.rules.conditionalaccess.admin_sign_in_frequency_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.admin_sign_in_frequency

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_reader := fixtures.global_reader

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.disabled("u4", "gone@contoso.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

# alice: active GA; bob: eligible Exchange Administrator through group g-ops; carol: Global
# Reader only (not privileged); gone: disabled GA; bg1: break-glass GA.
_entra(policies) := {
	"users": _users,
	"groups": [fixtures.group("g-ops", "Ops"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-ops": ["u2"], "g-ext": ["u1", "u3"]},
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "u3", _reader),
		fixtures.assignment("a3", "u4", _ga),
		fixtures.assignment("a4", "bg1", _ga),
	],
	"roleEligibilitySchedules": [fixtures.eligibility("e1", "g-ops", _exo)],
	"conditionalAccessPolicies": policies,
}

_config := {"breakGlass": {"users": ["bg1@contoso.onmicrosoft.com"]}}

_frequency(changes) := object.union({"value": 4, "type": "hours", "authenticationType": "primaryAndSecondaryAuthentication", "frequencyInterval": "timeBased", "isEnabled": true}, changes)

_browser(changes) := object.union({"mode": "never", "isEnabled": true}, changes)

_session_policy(changes) := fixtures.ca_policy("ca10", "CA10 Admin sessions", object.union({"conditions": {"users": {"includeUsers": [], "includeRoles": [_ga, _exo], "excludeUsers": ["bg1"]}}, "grantControls": null, "sessionControls": {"applicationEnforcedRestrictions": null, "cloudAppSecurity": null, "signInFrequency": _frequency({}), "persistentBrowser": _browser({})}}, changes))

_msgs(result) := {d.msg | some d in result}

test_passes_when_an_enabled_policy_sets_both_session_controls_for_admins if {
	admin_sign_in_frequency.deny == set() with input.entra as _entra([_session_policy({})]) with data.posture.config as _config
	admin_sign_in_frequency.coverage == {"covered": 2, "total": 2} with input.entra as _entra([_session_policy({})])
		with data.posture.config as _config
	admin_sign_in_frequency.error == set() with input.entra as _entra([_session_policy({})]) with data.posture.config as _config
}

test_passes_when_two_policies_set_one_control_each if {
	frequency := _session_policy({"id": "ca11", "displayName": "CA11 Frequency", "sessionControls": {"persistentBrowser": null}})
	browser := _session_policy({"id": "ca12", "displayName": "CA12 Browser", "conditions": {"users": {"includeUsers": ["All"], "includeRoles": []}}, "sessionControls": {"signInFrequency": null}})
	admin_sign_in_frequency.deny == set() with input.entra as _entra([frequency, browser]) with data.posture.config as _config
}

test_passes_with_every_time_and_with_a_shorter_frequency if {
	every_time := _session_policy({"sessionControls": {"signInFrequency": _frequency({"frequencyInterval": "everyTime", "type": null, "value": null})}})
	admin_sign_in_frequency.deny == set() with input.entra as _entra([every_time]) with data.posture.config as _config
	one_hour := _session_policy({"sessionControls": {"signInFrequency": _frequency({"value": 1})}})
	admin_sign_in_frequency.deny == set() with input.entra as _entra([one_hour]) with data.posture.config as _config
}

test_fails_when_no_policy_sets_session_controls if {
	admin_sign_in_frequency.deny == {
		{
			"msg": "alice@contoso.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours and never-persistent browser sessions: no Conditional Access policy sets sign-in frequency or persistent browser session",
			"entity": fixtures.user_entity("u1", "alice@contoso.com"),
		},
		{
			"msg": "bob@contoso.com (Exchange Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours and never-persistent browser sessions: no Conditional Access policy sets sign-in frequency or persistent browser session",
			"entity": fixtures.user_entity("u2", "bob@contoso.com"),
		},
	} with input.entra as _entra([])
		with data.posture.config as _config
	admin_sign_in_frequency.coverage == {"covered": 0, "total": 2} with input.entra as _entra([]) with data.posture.config as _config
}

test_fails_when_the_frequency_is_longer_than_the_limit if {
	p := _session_policy({"sessionControls": {"signInFrequency": _frequency({"value": 1, "type": "days"})}})
	some d in admin_sign_in_frequency.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity.id == "u1"
	d.msg == "alice@contoso.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours: policy 'CA10 Admin sessions' sets sign-in frequency to 1 day, more than 4 hours"
}

test_follows_the_frequency_parameter if {
	p := _session_policy({"sessionControls": {"signInFrequency": _frequency({"value": 8})}})
	admin_sign_in_frequency.deny == set() with input.entra as _entra([p]) with data.posture.config as object.union(_config, {"adminSignInFrequencyHours": 8})
	count(admin_sign_in_frequency.deny) == 2 with input.entra as _entra([p]) with data.posture.config as _config
}

test_errors_on_a_bad_frequency_parameter if {
	admin_sign_in_frequency.error == {"config adminSignInFrequencyHours must be a positive number of hours, got four"} with input.entra as _entra([_session_policy({})])
		with data.posture.config as object.union(_config, {"adminSignInFrequencyHours": "four"})
}

test_fails_when_browser_sessions_persist if {
	p := _session_policy({"sessionControls": {"persistentBrowser": _browser({"mode": "always"})}})
	_msgs(admin_sign_in_frequency.deny) == {
		"alice@contoso.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets never-persistent browser sessions: policy 'CA10 Admin sessions' sets persistent browser session to always, not never persistent",
		"bob@contoso.com (Exchange Administrator) is not covered by an enforced Conditional Access policy for all resources that sets never-persistent browser sessions: policy 'CA10 Admin sessions' sets persistent browser session to always, not never persistent",
	} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_fails_when_the_session_controls_are_turned_off_or_incomplete if {
	off := _session_policy({"sessionControls": {"signInFrequency": _frequency({"isEnabled": false}), "persistentBrowser": {"mode": "never", "isEnabled": null}}})
	some d in admin_sign_in_frequency.deny with input.entra as _entra([off]) with data.posture.config as _config
	d.entity.id == "u1"
	d.msg == "alice@contoso.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours and never-persistent browser sessions: policy 'CA10 Admin sessions' does not enable persistent browser session, does not enable sign-in frequency"
	no_value := _session_policy({"sessionControls": {"signInFrequency": {"isEnabled": true, "type": "hours", "value": null}}})
	some e in admin_sign_in_frequency.deny with input.entra as _entra([no_value]) with data.posture.config as _config
	e.entity.id == "u1"
	e.msg == "alice@contoso.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours: policy 'CA10 Admin sessions' sets sign-in frequency without a number of hours or days (value null, type hours)"
}

test_fails_when_the_policy_is_report_only_or_limited_to_some_resources if {
	p := _session_policy({"state": "enabledForReportingButNotEnforced", "conditions": {"applications": {"includeApplications": ["MicrosoftAdminPortals"]}}})
	some d in admin_sign_in_frequency.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity.id == "u1"
	d.msg == "alice@contoso.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours and never-persistent browser sessions: policy 'CA10 Admin sessions' is report-only, targets only selected resources (MicrosoftAdminPortals)"
}

test_fails_for_the_admin_a_group_exclusion_leaves_out if {
	p := _session_policy({"conditions": {"users": {"excludeGroups": ["g-ext"]}}})
	_msgs(admin_sign_in_frequency.deny) == {"alice@contoso.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours and never-persistent browser sessions: policy 'CA10 Admin sessions' excludes alice@contoso.com through group 'Contractors'"} with input.entra as _entra([p])
		with data.posture.config as _config
	admin_sign_in_frequency.coverage == {"covered": 1, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_when_the_policy_has_no_session_controls_at_all if {
	p := object.union(_session_policy({}), {"sessionControls": null, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})
	admin_sign_in_frequency.coverage == {"covered": 0, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
}

test_counts_the_break_glass_admin_when_no_break_glass_is_declared if {
	admin_sign_in_frequency.coverage == {"covered": 2, "total": 3} with input.entra as _entra([_session_policy({})])
	_msgs(admin_sign_in_frequency.deny) == {"bg1@contoso.onmicrosoft.com (Global Administrator) is not covered by an enforced Conditional Access policy for all resources that sets sign-in frequency of at most 4 hours and never-persistent browser sessions: policy 'CA10 Admin sessions' excludes bg1@contoso.onmicrosoft.com directly"} with input.entra as _entra([_session_policy({})])
}

test_errors_when_admins_hold_a_role_through_an_uncollected_group if {
	entra := object.union(_entra([_session_policy({})]), {"roleAssignments": [fixtures.assignment("a9", "g-new", _ga)], "groups": [fixtures.group("g-new", "Tier 0")]})
	admin_sign_in_frequency.error == {
		"Global Administrator is assigned to group 'Tier 0' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked",
		"policy 'CA10 Admin sessions' includes role 'Global Administrator', which is assigned to group 'Tier 0' whose members are not in the snapshot (entra.groupMembers)",
	} with input.entra as entra
		with data.posture.config as _config
}

test_need_phrases_word_each_set_of_missing_controls if {
	admin_sign_in_frequency._need_phrases == {
		{"frequency"}: "sign-in frequency of at most 4 hours",
		{"browser"}: "never-persistent browser sessions",
		{"frequency", "browser"}: "sign-in frequency of at most 4 hours and never-persistent browser sessions",
	} with data.posture.config as _config
}
