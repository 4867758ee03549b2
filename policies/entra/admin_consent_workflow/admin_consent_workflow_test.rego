package posture.rules.entra.admin_consent_workflow_test

import data.posture.lib.fixtures
import data.posture.rules.entra.admin_consent_workflow

_controls := ["MS.AAD.5.3v1", "5.1.5.2"]

_reviewer := {"query": "/users/a1000000-0002-4000-8000-000000000003", "queryType": "MicrosoftGraph", "queryRoot": null}

_policy(enabled, reviewers) := {
	"id": "policy",
	"isEnabled": enabled,
	"notifyReviewers": true,
	"remindersEnabled": true,
	"requestDurationInDays": 30,
	"version": 1,
	"reviewers": reviewers,
}

_enabled_entity := {
	"type": "setting",
	"id": "adminConsentRequestPolicy.isEnabled",
	"name": "Users can request admin consent to apps they are unable to consent to",
}

_reviewers_entity := {
	"type": "setting",
	"id": "adminConsentRequestPolicy.reviewers",
	"name": "Who can review admin consent requests",
}

test_passes_when_enabled_with_a_reviewer if {
	p := _policy(true, [_reviewer])
	admin_consent_workflow.deny == set() with input.entra.adminConsentRequestPolicy as p
	admin_consent_workflow.error == set() with input.entra.adminConsentRequestPolicy as p
}

test_passes_with_a_group_or_role_reviewer if {
	p := _policy(true, [{"query": "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'", "queryType": "MicrosoftGraph", "queryRoot": null}])
	admin_consent_workflow.deny == set() with input.entra.adminConsentRequestPolicy as p
}

test_fails_when_the_workflow_is_off if {
	admin_consent_workflow.deny == fixtures.tagged(
		{{
			"msg": "The admin consent workflow is off (adminConsentRequestPolicy.isEnabled is false), so users cannot request apps they may not consent to",
			"entity": _enabled_entity,
		}},
		_controls,
	) with input.entra.adminConsentRequestPolicy as _policy(false, [_reviewer])
}

test_fails_when_the_workflow_is_off_and_has_no_reviewers if {
	p := _policy(false, [])
	admin_consent_workflow.deny == fixtures.tagged(
		{{
			"msg": "The admin consent workflow is off (adminConsentRequestPolicy.isEnabled is false), so users cannot request apps they may not consent to, and no reviewers are designated",
			"entity": _enabled_entity,
		}},
		_controls,
	) with input.entra.adminConsentRequestPolicy as p
	admin_consent_workflow.error == set() with input.entra.adminConsentRequestPolicy as p
}

test_fails_when_enabled_without_reviewers if {
	msg := "The admin consent workflow is on but has no reviewers (adminConsentRequestPolicy.reviewers is empty), so consent requests reach nobody"
	admin_consent_workflow.deny == fixtures.tagged({{"msg": msg, "entity": _reviewers_entity}}, _controls) with input.entra.adminConsentRequestPolicy as _policy(true, [])
}

test_reviewers_without_a_query_do_not_count if {
	p := _policy(true, [{"query": "", "queryType": "MicrosoftGraph"}, {"queryType": "MicrosoftGraph"}, "x"])
	{d.entity.id | some d in admin_consent_workflow.deny} == {"adminConsentRequestPolicy.reviewers"} with input.entra.adminConsentRequestPolicy as p
}

test_errors_when_is_enabled_is_missing_or_null if {
	msg := "adminConsentRequestPolicy.isEnabled is not set, so whether the admin consent workflow is on is unknown"
	admin_consent_workflow.error == {msg} with input.entra.adminConsentRequestPolicy as _policy(null, [_reviewer])
	admin_consent_workflow.error == {msg} with input.entra.adminConsentRequestPolicy as {"id": "policy", "reviewers": [_reviewer]}
	admin_consent_workflow.deny == set() with input.entra.adminConsentRequestPolicy as {"id": "policy"}
}

test_errors_when_is_enabled_is_not_a_boolean if {
	admin_consent_workflow.error == {`adminConsentRequestPolicy.isEnabled is "true"; expected true or false`} with input.entra.adminConsentRequestPolicy as _policy("true", [_reviewer])
}

test_errors_when_enabled_and_reviewers_are_missing if {
	msg := "adminConsentRequestPolicy.reviewers is not a list, so who reviews consent requests is unknown"
	admin_consent_workflow.error == {msg} with input.entra.adminConsentRequestPolicy as _policy(true, null)
	admin_consent_workflow.error == {msg} with input.entra.adminConsentRequestPolicy as {"id": "policy", "isEnabled": true}
	admin_consent_workflow.deny == set() with input.entra.adminConsentRequestPolicy as _policy(true, null)
}

test_errors_when_the_policy_is_not_an_object if {
	admin_consent_workflow.error == {"entra.adminConsentRequestPolicy is not an object"} with input.entra.adminConsentRequestPolicy as [_policy(true, [_reviewer])]
}
