package posture.rules.conditionalaccess.managed_device_for_registration_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.managed_device_for_registration as rule

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.guest("u4", "guest@fabrikam.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_input(policies) := fixtures.tenant({
	"users": _users,
	"groups": [fixtures.group("g-bg", "Emergency access"), fixtures.group("g-ext", "Contractors")],
	"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
	"roleAssignments": [],
	"conditionalAccessPolicies": policies,
})

_config := {"breakGlass": {"groups": ["Emergency access"]}}

_controls := ["MS.AAD.3.8v1", "5.2.2.10"]

_name := "CA13 Register security info from a managed device"

_policy(changes) := fixtures.ca_policy("ca13", _name, object.union(
	{
		"conditions": {
			"users": {"excludeGroups": ["g-bg"]},
			"applications": {"includeApplications": [], "includeUserActions": ["urn:user:registersecurityinfo"]},
		},
		"grantControls": {"builtInControls": ["compliantDevice", "domainJoinedDevice"]},
	},
	changes,
))

test_passes_when_registration_needs_a_managed_device_for_everyone_but_break_glass if {
	rule.deny == set() with input as _input([_policy({})]) with data.posture.config as _config
	rule.coverage == {"covered": 3, "total": 3} with input as _input([_policy({})]) with data.posture.config as _config
	rule.error == set() with input as _input([_policy({})]) with data.posture.config as _config
}

test_fails_when_no_policy_targets_registration if {
	# A managed-device policy for all resources does not target the user action.
	all := fixtures.ca_policy("ca4", "CA04 Managed device", {"grantControls": {"builtInControls": ["compliantDevice"]}})
	rule.deny == fixtures.tagged(
		{{
			"msg": "No Conditional Access policy requires a compliant or hybrid-joined device to register security information: 3 of 3 enabled member users can register from any device",
			"entity": fixtures.tenant_entity,
		}},
		_controls,
	) with input as _input([all])
		with data.posture.config as _config
	rule.coverage == {"covered": 0, "total": 3} with input as _input([all]) with data.posture.config as _config
}

test_fails_when_mfa_is_an_alternative_to_the_device if {
	p := _policy({"grantControls": {"builtInControls": ["compliantDevice", "mfa"]}})
	rule.deny == fixtures.tagged(
		{
			{
				"msg": "policy 'CA13 Register security info from a managed device' targets registering security information but does not count: it lets users satisfy it with mfa instead of a compliant or hybrid-joined device (grant: compliantDevice OR mfa)",
				"entity": fixtures.ca_policy_entity("ca13", _name),
			},
			{
				"msg": "A compliant or hybrid-joined device is not required to register security information for 3 of 3 enabled member users: alice@contoso.com, bob@contoso.com, carol@contoso.com",
				"entity": fixtures.tenant_entity,
			},
		},
		_controls,
	) with input as _input([p])
		with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only_or_narrowed if {
	p := _policy({"state": "enabledForReportingButNotEnforced", "conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}})
	some d in rule.deny with input as _input([p]) with data.posture.config as _config
	d.msg == "policy 'CA13 Register security info from a managed device' targets registering security information but does not count: it is report-only"
}

# A policy for registrations outside trusted locations leaves those from trusted locations
# open; a second one for trusted locations completes it (Microsoft Learn, "Conditional Access:
# Network assignment"; all policies that apply are enforced).
test_names_the_locations_a_narrowed_policy_leaves_open if {
	p := _policy({"conditions": {"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}}})
	some d in rule.deny with input as _input([p]) with data.posture.config as _config
	d.msg == "Sign-ins to the user action Register security information from trusted locations: no enforced policy requires a compliant or hybrid-joined device to register security information for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA13 Register security info from a managed device' excludes locations all trusted locations"
	q := _policy({"id": "ca14", "conditions": {"locations": {"includeLocations": ["AllTrusted"], "excludeLocations": []}}})
	rule.deny == set() with input as _input([p, q]) with data.posture.config as _config
}

test_fails_for_an_exclusion_that_is_not_break_glass if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	fixtures.msgs(rule.deny) == {
		"policy 'CA13 Register security info from a managed device' requires a managed device to register security information but excludes group 'Contractors' (2 users), which is not a declared break-glass group",
		"A compliant or hybrid-joined device is not required to register security information for 2 of 3 enabled member users: bob@contoso.com, carol@contoso.com",
	} with input as _input([p])
		with data.posture.config as _config
	rule.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	rule.error == {"policy 'CA13 Register security info from a managed device' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}
