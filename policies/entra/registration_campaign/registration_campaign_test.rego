package posture.rules.entra.registration_campaign_test

import data.posture.rules.entra.registration_campaign

_all_users := [{"id": "all_users", "targetType": "group", "targetedAuthenticationMethod": "microsoftAuthenticator"}]

# _campaign is a campaign as Graph v1.0 returns it: without the beta-only
# enforceRegistrationAfterAllowedSnoozes.
_campaign(state) := {
	"snoozeDurationInDays": 1,
	"state": state,
	"excludeTargets": [],
	"includeTargets": _all_users,
}

_policy(campaign) := {
	"id": "authenticationMethodsPolicy",
	"policyMigrationState": "migrationComplete",
	"registrationEnforcement": {"authenticationMethodsRegistrationCampaign": campaign},
	"authenticationMethodConfigurations": [],
}

_entity := {
	"type": "setting",
	"id": "authenticationMethodsPolicy/registrationEnforcement/authenticationMethodsRegistrationCampaign",
	"name": "Registration campaign",
}

test_passes_when_the_campaign_is_enabled_for_all_users if {
	registration_campaign.deny == set() with input.entra.authenticationMethodsPolicy as _policy(_campaign("enabled"))
	registration_campaign.error == set() with input.entra.authenticationMethodsPolicy as _policy(_campaign("enabled"))
}

test_passes_for_a_group if {
	campaign := object.union(_campaign("enabled"), {"includeTargets": [{"id": "g1", "targetType": "group"}]})
	registration_campaign.deny == set() with input.entra.authenticationMethodsPolicy as _policy(campaign)
	registration_campaign.error == set() with input.entra.authenticationMethodsPolicy as _policy(campaign)
}

test_fails_when_the_campaign_is_microsoft_managed if {
	registration_campaign.deny == {{
		"msg": `The registration campaign is Microsoft managed (state "default"), which prompts at most the users enabled for text messages or voice calls, as Microsoft decides, so users are not prompted to move off weaker methods`,
		"entity": _entity,
	}} with input.entra.authenticationMethodsPolicy as _policy(_campaign("default"))
}

test_fails_when_the_campaign_is_disabled if {
	registration_campaign.deny == {{
		"msg": `The registration campaign is disabled (state "disabled"), so users are not prompted to move off weaker methods`,
		"entity": _entity,
	}} with input.entra.authenticationMethodsPolicy as _policy(_campaign("disabled"))
}

test_fails_for_an_unknown_state if {
	{d.msg | some d in registration_campaign.deny} == {`The registration campaign is in state "unknownFutureValue", not enabled, so users are not prompted to move off weaker methods`} with input.entra.authenticationMethodsPolicy as _policy(_campaign("unknownFutureValue"))
}

test_fails_when_the_campaign_targets_no_one if {
	campaign := object.union(_campaign("enabled"), {"includeTargets": []})
	registration_campaign.deny == {{
		"msg": "The registration campaign is enabled but includes no users or groups (includeTargets is empty), so no one is prompted to register a stronger method",
		"entity": _entity,
	}} with input.entra.authenticationMethodsPolicy as _policy(campaign)
}

test_does_not_judge_the_beta_only_snooze_limit if {
	# A snapshot from another exporter may carry the beta property; v1.0 data never does, so
	# the rule must not depend on it either way.
	campaign := object.union(_campaign("enabled"), {"enforceRegistrationAfterAllowedSnoozes": false})
	registration_campaign.deny == set() with input.entra.authenticationMethodsPolicy as _policy(campaign)
	registration_campaign.error == set() with input.entra.authenticationMethodsPolicy as _policy(campaign)
}

test_errors_when_the_campaign_is_missing if {
	policy := object.remove(_policy(_campaign("enabled")), ["registrationEnforcement"])
	registration_campaign.error == {"entra.authenticationMethodsPolicy has no registrationEnforcement.authenticationMethodsRegistrationCampaign, so whether users are prompted to register a stronger method is unknown"} with input.entra.authenticationMethodsPolicy as policy
	registration_campaign.deny == set() with input.entra.authenticationMethodsPolicy as policy
}

test_errors_when_the_state_is_null if {
	registration_campaign.error == {"the registration campaign's state is null, so whether it runs is unknown"} with input.entra.authenticationMethodsPolicy as _policy(_campaign(null))
	registration_campaign.deny == set() with input.entra.authenticationMethodsPolicy as _policy(_campaign(null))
}

test_errors_when_the_include_list_is_missing if {
	campaign := object.remove(_campaign("enabled"), ["includeTargets"])
	registration_campaign.error == {"the registration campaign's includeTargets is null, so whom it prompts is unknown"} with input.entra.authenticationMethodsPolicy as _policy(campaign)
	registration_campaign.deny == set() with input.entra.authenticationMethodsPolicy as _policy(campaign)
}

test_errors_when_the_policy_is_not_an_object if {
	registration_campaign.error == {"entra.authenticationMethodsPolicy is not an object"} with input.entra.authenticationMethodsPolicy as null
}
