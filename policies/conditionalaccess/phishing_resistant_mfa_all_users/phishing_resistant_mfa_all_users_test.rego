package posture.rules.conditionalaccess.phishing_resistant_mfa_all_users_test

import data.posture.lib.fixtures
import data.posture.rules.conditionalaccess.phishing_resistant_mfa_all_users as rule

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.guest("u4", "guest@fabrikam.com"),
	fixtures.member("bg1", "bg1@contoso.onmicrosoft.com"),
]

_input(policies) := {
	"tenant": {"id": "t1", "displayName": "Contoso"},
	"sources": {"entra.conditionalAccessPolicies": {"status": "ok"}},
	"entra": {
		"securityDefaults": {"isEnabled": false},
		"users": _users,
		"groups": [fixtures.group("g-bg", "Emergency Access"), fixtures.group("g-ext", "Contractors")],
		"groupMembers": {"g-bg": ["bg1"], "g-ext": ["u2", "u3"]},
		"roleAssignments": [],
		"conditionalAccessPolicies": policies,
	},
}

_config := {"breakGlass": {"groups": ["Emergency Access"]}}

_tenant := fixtures.tenant_entity

_ca1 := fixtures.ca_policy_entity("ca1", "CA01 Phishing-resistant MFA for all users")

_policy(changes) := fixtures.ca_policy("ca1", "CA01 Phishing-resistant MFA for all users", object.union({"conditions": {"users": {"excludeGroups": ["g-bg"]}}, "grantControls": {"builtInControls": [], "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004", "displayName": "Phishing-resistant MFA", "allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"]}}}, changes))

test_passes_when_an_enabled_policy_requires_phishing_resistant_mfa_for_everyone if {
	rule.deny == set() with input as _input([_policy({})]) with data.posture.config as _config
	rule.coverage == {"covered": 3, "total": 3} with input as _input([_policy({})]) with data.posture.config as _config
	rule.error == set() with input as _input([_policy({})]) with data.posture.config as _config
}

test_fails_when_only_plain_mfa_is_required if {
	p := _policy({"grantControls": {"builtInControls": ["mfa"], "authenticationStrength": null}})
	rule.deny == {{
		"msg": "Phishing-resistant multifactor authentication is not required by Conditional Access for 3 of 3 enabled member users (no policy requires it): alice@contoso.com, bob@contoso.com, carol@contoso.com",
		"entity": _tenant,
	}} with input as _input([p])
		with data.posture.config as _config
	rule.coverage == {"covered": 0, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_fails_with_security_defaults_alone if {
	snapshot := object.union(_input([]), {"entra": {"securityDefaults": {"isEnabled": true}}})
	rule.deny == {
		{
			"msg": "Security defaults are on, but they do not require phishing-resistant multifactor authentication; the Conditional Access policies that can require it need security defaults turned off",
			"entity": {"type": "setting", "id": "securityDefaults.isEnabled", "name": "Security defaults"},
		},
		{
			"msg": "Phishing-resistant multifactor authentication is not required by Conditional Access for 3 of 3 enabled member users (no policy requires it): alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
	} with input as snapshot
		with data.posture.config as _config
}

test_fails_when_the_policy_is_report_only if {
	p := _policy({"state": "enabledForReportingButNotEnforced"})
	rule.deny == {
		{
			"msg": "policy 'CA01 Phishing-resistant MFA for all users' does not count towards requiring phishing-resistant multifactor authentication: it is report-only",
			"entity": _ca1,
		},
		{
			"msg": "Phishing-resistant multifactor authentication is not required by Conditional Access for 3 of 3 enabled member users (none of the policies that ask for it counts): alice@contoso.com, bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
	} with input as _input([p])
		with data.posture.config as _config
}

test_names_a_weaker_authentication_strength if {
	p := _policy({"grantControls": {"authenticationStrength": {"id": "s2", "displayName": "Passwordless MFA", "allowedCombinations": ["fido2", "deviceBasedPush"]}}})
	some d in rule.deny with input as _input([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Phishing-resistant MFA for all users' does not count towards requiring phishing-resistant multifactor authentication: it requires authentication strength 'Passwordless MFA', which allows methods that are not phishing-resistant (deviceBasedPush)"
}

test_fails_when_a_group_that_is_not_break_glass_is_excluded if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-ext"]}}})
	rule.deny == {
		{
			"msg": "policy 'CA01 Phishing-resistant MFA for all users' requires phishing-resistant multifactor authentication but excludes group 'Contractors' (2 users), which is not a declared break-glass group",
			"entity": _ca1,
		},
		{
			"msg": "Phishing-resistant multifactor authentication is not required by Conditional Access for 2 of 3 enabled member users (the enforced policies that require it exclude them or do not include them): bob@contoso.com, carol@contoso.com",
			"entity": _tenant,
		},
	} with input as _input([p])
		with data.posture.config as _config
	rule.coverage == {"covered": 1, "total": 3} with input as _input([p]) with data.posture.config as _config
}

test_fails_when_the_policy_leaves_out_mobile_and_desktop_clients if {
	p := _policy({"conditions": {"clientAppTypes": ["browser"]}})
	some d in rule.deny with input as _input([p]) with data.posture.config as _config
	d.entity == fixtures.tenant_entity
	d.msg == "Exchange ActiveSync or mobile app and desktop or other legacy client sign-ins: no enforced policy requires phishing-resistant multifactor authentication for 3 enabled member users (alice@contoso.com, bob@contoso.com, carol@contoso.com): policy 'CA01 Phishing-resistant MFA for all users' is limited to client apps browser (not exchangeActiveSync, mobileAppsAndDesktopClients, other)"
}

test_fails_when_the_policy_state_is_missing if {
	p := object.remove(_policy({}), ["state"])
	some d in rule.deny with input as _input([p]) with data.posture.config as _config
	d.entity == _ca1
	d.msg == "policy 'CA01 Phishing-resistant MFA for all users' does not count towards requiring phishing-resistant multifactor authentication: it has state \"\""
}

test_errors_when_a_counting_policy_excludes_an_uncollected_group if {
	p := _policy({"conditions": {"users": {"excludeGroups": ["g-bg", "g-new"]}}})
	rule.error == {"policy 'CA01 Phishing-resistant MFA for all users' excludes group 'g-new' whose members are not in the snapshot (entra.groupMembers)"} with input as _input([p])
		with data.posture.config as _config
}
