package posture.rules.entra.sspr_enabled_test

import data.posture.lib.fixtures
import data.posture.rules.entra.sspr_enabled

_users := [
	fixtures.member("u1", "alice@contoso.com"),
	fixtures.member("u2", "bob@contoso.com"),
	fixtures.member("u3", "carol@contoso.com"),
	fixtures.member("u4", "dave@contoso.com"),
	fixtures.guest("u5", "guest_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
	fixtures.disabled("u6", "left@contoso.com"),
]

_details := [
	{"id": "u1", "userPrincipalName": "alice@contoso.com", "isAdmin": true, "isSsprEnabled": true, "isSsprRegistered": true},
	{"id": "u2", "userPrincipalName": "bob@contoso.com", "isAdmin": false, "isSsprEnabled": false, "isSsprRegistered": false},
	{"id": "u3", "userPrincipalName": "carol@contoso.com", "isAdmin": false, "isSsprRegistered": true},
	{"id": "u5", "isSsprEnabled": false},
	{"id": "u6", "isSsprEnabled": false},
]

_entra := {"users": _users, "userRegistrationDetails": _details}

test_passes_when_every_enabled_member_may_use_sspr if {
	details := [{"id": id, "isSsprEnabled": true, "isSsprRegistered": false} | some id in ["u1", "u2", "u3", "u4"]]
	sspr_enabled.deny == set() with input.entra as {"users": _users, "userRegistrationDetails": details}
	sspr_enabled.coverage == {"covered": 4, "total": 4} with input.entra as {"users": _users, "userRegistrationDetails": details}
}

test_fails_once_per_member_without_sspr if {
	sspr_enabled.deny == {
		{
			"msg": "bob@contoso.com cannot reset a forgotten password by self-service: self-service password reset is not enabled for this user (isSsprEnabled is false)",
			"entity": fixtures.user_entity("u2", "bob@contoso.com"),
		},
		{
			"msg": "carol@contoso.com cannot reset a forgotten password by self-service: the registration report does not say whether self-service password reset is enabled for this user (isSsprEnabled is null)",
			"entity": fixtures.user_entity("u3", "carol@contoso.com"),
		},
		{
			"msg": "dave@contoso.com cannot reset a forgotten password by self-service: the registration report has no entry for this user",
			"entity": fixtures.user_entity("u4", "dave@contoso.com"),
		},
	} with input.entra as _entra
}

test_coverage_counts_enabled_members_allowed_to_use_sspr if {
	sspr_enabled.coverage == {"covered": 1, "total": 4} with input.entra as _entra
}

test_ignores_guests_and_disabled_users if {
	ids := {d.entity.id | some d in sspr_enabled.deny} with input.entra as _entra
	not "u5" in ids
	not "u6" in ids
}

test_uses_the_engine_index_when_present if {
	derived := {"ssprEnabledIds": {"u1", "u2", "u3", "u4"}}
	sspr_enabled.deny == set() with input.entra as _entra with input.derived as derived
	sspr_enabled.coverage == {"covered": 4, "total": 4} with input.entra as _entra with input.derived as derived
}

test_fails_when_the_report_is_empty if {
	sspr_enabled.coverage == {"covered": 0, "total": 4} with input.entra as {"users": _users, "userRegistrationDetails": []}
	count(sspr_enabled.deny) == 4 with input.entra as {"users": _users, "userRegistrationDetails": []}
}

test_treats_a_malformed_report_as_no_entries if {
	sspr_enabled.coverage == {"covered": 0, "total": 4} with input.entra as {"users": _users, "userRegistrationDetails": null}
}

test_has_no_coverage_without_enabled_members if {
	not sspr_enabled.coverage with input.entra as {"users": [_users[4]], "userRegistrationDetails": []}
	sspr_enabled.deny == set() with input.entra as {"users": [_users[4]], "userRegistrationDetails": []}
}

test_lists_at_most_max_listed_users_and_counts_the_rest if {
	denies := sspr_enabled.deny with input.entra as _entra
		with input.tenant as {"id": "t1"}
		with data.posture.config as {"maxListedUsers": 1}
	{d.entity.id | some d in denies} == {"u2", "t1"}
	some d in denies
	d.msg == "2 more enabled members cannot use self-service password reset (only the first 1 are listed; raise parameter maxListedUsers to list more)"
	sspr_enabled.coverage == {"covered": 1, "total": 4} with input.entra as _entra
		with data.posture.config as {"maxListedUsers": 1}
}

test_still_fails_when_no_user_is_listed if {
	denies := sspr_enabled.deny with input.entra as _entra
		with data.posture.config as {"maxListedUsers": 0}
	denies == {{
		"msg": "3 more enabled members cannot use self-service password reset (only the first 0 are listed; raise parameter maxListedUsers to list more)",
		"entity": {"type": "tenant", "id": "", "name": ""},
	}}
}

test_a_null_parameter_takes_the_declared_default if {
	count(sspr_enabled.deny) == 3 with input.entra as _entra
		with data.posture.config as {"maxListedUsers": null}
}
