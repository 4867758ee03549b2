package posture.rules.entra.user_consent_restricted_test

import data.posture.lib.fixtures
import data.posture.rules.entra.user_consent_restricted

_policy(assigned) := {
	"id": "authorizationPolicy",
	"allowInvitesFrom": "adminsAndGuestInviters",
	"defaultUserRolePermissions": {
		"allowedToCreateApps": false,
		"permissionGrantPoliciesAssigned": assigned,
	},
}

_entity := {"type": "setting", "id": "authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned", "name": "User consent for applications"}

test_passes_when_no_self_consent_policy_is_assigned if {
	user_consent_restricted.deny == set() with input.entra.authorizationPolicy as _policy([])
	user_consent_restricted.error == set() with input.entra.authorizationPolicy as _policy([])
}

test_passes_with_only_owned_resource_consent if {
	p := _policy(["ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team"])
	user_consent_restricted.deny == set() with input.entra.authorizationPolicy as p
}

test_fails_when_users_may_consent_to_any_app if {
	p := _policy(["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])
	user_consent_restricted.deny == fixtures.tagged(
		{{
			"msg": "Users may consent to any application accessing company data on their behalf (permission grant policy ManagePermissionGrantsForSelf.microsoft-user-default-legacy)",
			"entity": _entity,
		}},
		["posture", "MS.AAD.5.2v1", "5.1.5.1"],
	) with input.entra.authorizationPolicy as p
}

# SCuBA MS.AAD.5.2v1 allows the low-impact option; CIS 5.1.5.1 and posture do not.
test_fails_when_users_may_consent_to_low_impact_permissions if {
	p := _policy(["ManagePermissionGrantsForSelf.microsoft-user-default-low", "ManagePermissionGrantsForOwnedResource.x"])
	user_consent_restricted.deny == fixtures.tagged(
		{{
			"msg": "Users may consent to applications from verified publishers for permissions classified as low impact (permission grant policy ManagePermissionGrantsForSelf.microsoft-user-default-low)",
			"entity": _entity,
		}},
		["posture", "5.1.5.1"],
	) with input.entra.authorizationPolicy as p
}

test_fails_when_microsoft_manages_user_consent if {
	p := _policy(["ManagePermissionGrantsForSelf.microsoft-user-default-recommended"])
	user_consent_restricted.deny == fixtures.tagged(
		{{
			"msg": "Users may consent to applications as Microsoft's current recommendation for user consent allows, which Microsoft may change (permission grant policy ManagePermissionGrantsForSelf.microsoft-user-default-recommended)",
			"entity": _entity,
		}},
		["posture", "MS.AAD.5.2v1", "5.1.5.1"],
	) with input.entra.authorizationPolicy as p
}

test_fails_for_a_custom_self_consent_policy if {
	p := _policy(["ManagePermissionGrantsForSelf.contoso-custom"])
	user_consent_restricted.deny == fixtures.tagged(
		{{
			"msg": "Users may consent to applications as permission grant policy ManagePermissionGrantsForSelf.contoso-custom allows",
			"entity": _entity,
		}},
		["posture", "MS.AAD.5.2v1", "5.1.5.1"],
	) with input.entra.authorizationPolicy as p
}

test_warns_when_the_organization_allows_the_assigned_policy if {
	p := _policy(["ManagePermissionGrantsForSelf.microsoft-user-default-low"])
	user_consent_restricted.deny == set() with input.entra.authorizationPolicy as p
		with data.posture.config as {"allowedUserConsentPolicies": ["microsoft-user-default-low"]}
	user_consent_restricted.deny == set() with input.entra.authorizationPolicy as p
		with data.posture.config as {"allowedUserConsentPolicies": ["ManagePermissionGrantsForSelf.microsoft-user-default-low"]}
	user_consent_restricted.warn == {{
		"msg": "Users may consent to applications from verified publishers for permissions classified as low impact (permission grant policy ManagePermissionGrantsForSelf.microsoft-user-default-low) (allowed by parameter allowedUserConsentPolicies)",
		"entity": _entity,
		"controls": ["5.1.5.1"],
	}} with input.entra.authorizationPolicy as p
		with data.posture.config as {"allowedUserConsentPolicies": ["microsoft-user-default-low"]}
}

test_warns_under_both_controls_when_the_organization_allows_any_app if {
	p := _policy(["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])
	{w.controls | some w in user_consent_restricted.warn} == {["MS.AAD.5.2v1", "5.1.5.1"]} with input.entra.authorizationPolicy as p
		with data.posture.config as {"allowedUserConsentPolicies": ["microsoft-user-default-legacy"]}
}

test_allowing_one_policy_does_not_allow_another if {
	p := _policy(["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])
	count(user_consent_restricted.deny) == 1 with input.entra.authorizationPolicy as p
		with data.posture.config as {"allowedUserConsentPolicies": ["microsoft-user-default-low"]}
}

test_passes_when_the_assignment_list_is_null_or_missing if {
	user_consent_restricted.deny == set() with input.entra.authorizationPolicy as _policy(null)
	user_consent_restricted.deny == set() with input.entra.authorizationPolicy as {"id": "authorizationPolicy"}
}

test_errors_when_the_authorization_policy_is_not_an_object if {
	user_consent_restricted.error == {"entra.authorizationPolicy is not an object"} with input.entra.authorizationPolicy as [_policy([])]
}

test_errors_when_the_parameter_is_not_a_list if {
	user_consent_restricted.error == {`config allowedUserConsentPolicies must be a list of strings, got "microsoft-user-default-low"`} with input.entra.authorizationPolicy as _policy([])
		with data.posture.config as {"allowedUserConsentPolicies": "microsoft-user-default-low"}
}
