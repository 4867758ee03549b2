package posture.rules.conditionalaccess.managed_device_required_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.managed_device_required as rule

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.guest("u4", "guest@fabrikam.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_input(policies) := fixtures.tenant({
	"securityDefaults": {"isEnabled": false},
	"users": _users,
	"groups": [fixtures.group("g-bg", "Emergency access"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
	"roleAssignments": [],
	"conditionalAccessPolicies": policies,
})

_config := {"breakGlass": {"groups": ["Emergency access"]}}

_controls := ["MS.AAD.3.7v1", "5.2.2.9"]

_name := "CA04 Require compliant or hybrid joined device"

_ca4 := fixtures.ca_policy_entity("ca4", _name)

_policy(changes) := fixtures.ca_policy("ca4", _name, object.union(
	{
		"conditions": {"users": {"excludeGroups": ["g-bg"]}},
		"grantControls": {"builtInControls": ["compliantDevice", "domainJoinedDevice"]},
	},
	changes,
))

test_passes_when_an_enabled_policy_requires_a_managed_device_of_everyone_but_break_glass if {
	rule.deny == set() with input as _input([_policy({})]) with data.posture.config as _config
	rule.coverage == {"covered": 3, "total": 3} with input as _input([_policy({})]) with data.posture.config as _config
	rule.error == set() with input as _input([_policy({})]) with data.posture.config as _config
}

test_a_compliant_device_alone_counts if {
	p := _policy({"grantControls": {"builtInControls": ["compliantDevice"]}})
	rule.deny == set() with input as _input([p]) with data.posture.config as _config
}

test_fails_when_no_policy_requires_a_managed_device if {
	rule.deny == fixtures.tagged(
		{{
			"msg": "A compliant or hybrid-joined device is not required by Conditional Access for 3 of 3 enabled member users (no policy requires it): alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": fixtures.tenant_entity,
		}},
		_controls,
	) with input as _input([])
		with data.posture.config as _config
	rule.coverage == {"covered": 0, "total": 3} with input as _input([]) with data.posture.config as _config
}

test_fails_when_mfa_is_an_alternative_to_the_device if {
	p := _policy({"grantControls": {"builtInControls": ["compliantDevice", "mfa"]}})
	rule.deny == fixtures.tagged(
		{
			{
				"msg": "policy 'CA04 Require compliant or hybrid joined device' does not count towards requiring a compliant or hybrid-joined device: it lets users satisfy it with mfa instead of a compliant or hybrid-joined device (grant: compliantDevice OR mfa)",
				"entity": _ca4,
			},
			{
				"msg": "A compliant or hybrid-joined device is not required by Conditional Access for 3 of 3 enabled member users (none of the policies that ask for it counts): alice@contoso.com, bob@contoso.com, carol@contoso.com",
				"entity": fixtures.tenant_entity,
			},
		},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only if {
	p := _policy({"state": "enabledForReportingButNotEnforced"})
	some d in rule.deny with input as _input([p]) with data.posture.config as _config
	d.msg == "policy 'CA04 Require compliant or hybrid joined device' does not count towards requiring a compliant or hybrid-joined device: it is report-only"
	d.controls == _controls
}

test_fails_for_an_exclusion_that_is_not_break_glass if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	fixtures.msgs(rule.deny) == {
		"policy 'CA04 Require compliant or hybrid joined device' requires a compliant or hybrid-joined device but excludes group 'Contractors' (2 users), which is not a declared break-glass group",
		"A compliant or hybrid-joined device is not required by Conditional Access for 2 of 3 enabled member users (the enforced policies that require it exclude them or do not include them): bob@contoso.com, carol@contoso.com",
	} with input as _input([p])
		with data.posture.config as _config
	rule.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	rule.error == {"policy 'CA04 Require compliant or hybrid joined device' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}
