package posture.rules.conditionalaccess.admin_compliant_device_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.admin_compliant_device as rule

_ga := fixtures.global_admin

_exo := fixtures.exchange_admin

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

# alice: active GA; bob: active Exchange Administrator; carol: no role; bg1: break-glass GA.
_entra(policies) := {
	"securityDefaults": {"isEnabled": false},
	"users": _users,
	"groups": [fixtures.group("g-bg", "Emergency access"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
	"roleAssignments": [
		fixtures.assignment("a1", "u1", _ga),
		fixtures.assignment("a2", "u2", _exo),
		fixtures.assignment("a3", "bg1", _ga),
	],
	"conditionalAccessPolicies": policies,
}

_config := {"breakGlass": {"groups": ["Emergency access"]}}

_ca1 := fixtures.ca_policy_entity("ca1", "CA01 Admins: managed device")

_alice := fixtures.user_entity("u1", "alice@contoso.com")

_bob := fixtures.user_entity("u2", "bob@contoso.com")

_policy(changes) := fixtures.ca_policy("ca1", "CA01 Admins: managed device", object.union({"conditions": {"users": {"includeUsers": [], "includeRoles": [_ga, _exo], "excludeGroups": ["g-bg"]}}, "grantControls": {"builtInControls": ["compliantDevice", "domainJoinedDevice"]}}, changes))

_msgs(result) := {d.msg | some d in result}

test_passes_when_admins_need_a_compliant_or_hybrid_joined_device if {
	rule.deny == set() with input.entra as _entra([_policy({})]) with data.posture.config as _config
	rule.coverage == {"covered": 2, "total": 2} with input.entra as _entra([_policy({})]) with data.posture.config as _config
	rule.error == set() with input.entra as _entra([_policy({})]) with data.posture.config as _config
}

test_passes_when_a_device_control_is_required_together_with_mfa if {
	p := _policy({"grantControls": {"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]}})
	rule.deny == set() with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_when_mfa_is_an_alternative_to_the_device if {
	p := _policy({"grantControls": {"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice", "mfa"]}})
	rule.deny == {
		{
			"msg": "policy 'CA01 Admins: managed device' does not count towards requiring a compliant or hybrid-joined device: it lets users satisfy it with mfa instead of a compliant or hybrid-joined device (grant: compliantDevice OR domainJoinedDevice OR mfa)",
			"entity": _ca1,
		},
		{
			"msg": "alice@contoso.com (Global Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: policy 'CA01 Admins: managed device' lets users satisfy it with mfa instead of a compliant or hybrid-joined device (grant: compliantDevice OR domainJoinedDevice OR mfa)",
			"entity": _alice,
		},
		{
			"msg": "bob@contoso.com (Exchange Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: policy 'CA01 Admins: managed device' lets users satisfy it with mfa instead of a compliant or hybrid-joined device (grant: compliantDevice OR domainJoinedDevice OR mfa)",
			"entity": _bob,
		},
	} with input.entra as _entra([p])
		with data.posture.config as _config
	rule.coverage == {"covered": 0, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_when_no_policy_requires_a_managed_device if {
	_msgs(rule.deny) == {
		"alice@contoso.com (Global Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: no policy requires it",
		"bob@contoso.com (Exchange Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: no policy requires it",
	} with input.entra as _entra([])
		with data.posture.config as _config
}

test_fails_when_the_policy_is_limited_to_some_platforms if {
	p := _policy({"conditions": {"platforms": {"includePlatforms": ["windows"]}}})
	some d in rule.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity == _alice
	d.msg == "alice@contoso.com (Global Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: Sign-ins on platforms other than windows: policy 'CA01 Admins: managed device' is limited to platforms windows"
}

# A second policy for every other platform completes the first (Microsoft Learn, "Conditional
# Access: Conditions", device platforms; all policies that apply must be satisfied).
test_passes_when_a_second_policy_covers_the_other_platforms if {
	windows := _policy({"conditions": {"platforms": {"includePlatforms": ["windows"]}}})
	others := _policy({"id": "ca2", "displayName": "CA02 other platforms", "conditions": {"platforms": {"includePlatforms": ["all"], "excludePlatforms": ["windows"]}}})
	rule.deny == set() with input.entra as _entra([windows, others]) with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only if {
	p := _policy({"state": "enabledForReportingButNotEnforced"})
	some d in rule.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Admins: managed device' does not count towards requiring a compliant or hybrid-joined device: it is report-only"
}

test_fails_for_the_admin_an_exclusion_leaves_out if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	rule.deny == {{
		"msg": "bob@contoso.com (Exchange Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: policy 'CA01 Admins: managed device' excludes bob@contoso.com through group 'Contractors'",
		"entity": _bob,
	}} with input.entra as _entra([p])
		with data.posture.config as _config
	rule.coverage == {"covered": 1, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
}

test_fails_with_security_defaults_alone if {
	entra := object.union(_entra([]), {"securityDefaults": {"isEnabled": true}})
	some d in rule.deny with input.entra as entra with data.posture.config as _config
	d.entity.type == "setting"
	d.msg == "Security defaults are on, but they do not require a compliant or hybrid-joined device; the Conditional Access policies that can require it need security defaults turned off"
}

test_fails_when_the_device_filter_narrows_the_policy if {
	p := _policy({"conditions": {"devices": {"deviceFilter": {"mode": "exclude", "rule": "device.trustType -eq \"ServerAD\""}}}})
	some d in rule.deny with input.entra as _entra([p]) with data.posture.config as _config
	d.entity == _alice
	d.msg == "alice@contoso.com (Global Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: Sign-ins from devices matching filter 'device.trustType -eq \"ServerAD\"': policy 'CA01 Admins: managed device' excludes devices matching the filter device.trustType -eq \"ServerAD\""
}

test_fails_when_the_policy_users_are_null if {
	p := object.union(_policy({}), {"conditions": {"users": null}})
	rule.coverage == {"covered": 0, "total": 2} with input.entra as _entra([p]) with data.posture.config as _config
	_msgs(rule.deny) == {
		"policy 'CA01 Admins: managed device' does not count towards requiring a compliant or hybrid-joined device: it targets no users",
		"alice@contoso.com (Global Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: policy 'CA01 Admins: managed device' does not include alice@contoso.com",
		"bob@contoso.com (Exchange Administrator) is not required to use a compliant or hybrid-joined device by an enforced Conditional Access policy: policy 'CA01 Admins: managed device' does not include bob@contoso.com",
	} with input.entra as _entra([p])
		with data.posture.config as _config
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	rule.error == {"policy 'CA01 Admins: managed device' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input.entra as _entra([p])
		with data.posture.config as _config
}
