# METADATA
# title: The admin consent workflow is on and has reviewers
# description: >-
#   Once user consent is restricted, users need a sanctioned way to ask for the apps they need;
#   without one they are simply blocked, and pressure builds to re-open user consent or to grant
#   apps ad hoc. The admin consent workflow routes each request to designated reviewers, who see
#   the permissions an app asks for before anyone grants them. The rule passes when
#   adminConsentRequestPolicy.isEnabled is true and reviewers lists at least one reviewer (a
#   user, group or role query). It fails when the workflow is off, or on with no reviewers (the
#   requests then reach nobody), and cannot verify (error) when isEnabled is missing or not a
#   boolean, or the workflow is on and reviewers is missing or not a list. Every violation
#   breaks both CISA SCuBA MS.AAD.5.3v1 and CIS 5.1.5.2.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-admin-consent-workflow
#     description: "Microsoft Learn: Configure the admin consent workflow"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/adminconsentrequestpolicy
#     description: "Microsoft Learn: adminConsentRequestPolicy resource type"
# custom:
#   id: entra.admin_consent_workflow
#   severity: medium
#   level: shall
#   requires: [entra.adminConsentRequestPolicy]
#   secure_score: [aad_admin_consent_workflow]
#   frameworks:
#     cisa_scuba: [MS.AAD.5.3v1]
#     cis_m365: ["5.1.5.2"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Enterprise apps > Consent and
#     permissions > Admin consent settings. Set "Users can request admin consent to apps they are
#     unable to consent to" to Yes, add reviewers under "Who can review admin consent requests"
#     (a group or role of people who hold Cloud Application Administrator, Application
#     Administrator or Global Administrator, since only they can approve), keep email
#     notifications and reminders on, and save. With Microsoft Graph, PUT
#     /policies/adminConsentRequestPolicy with isEnabled true, notifyReviewers true and reviewers
#     such as [{"query": "/groups/{id}/transitiveMembers/microsoft.graph.user", "queryType":
#     "MicrosoftGraph"}].
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.admin_consent_workflow

import data.posture.lib.entity

# Every violation breaks every control the rule cites: both ask for the admin consent workflow
# with someone to review the requests.
_controls := ["MS.AAD.5.3v1", "5.1.5.2"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

_policy := input.entra.adminConsentRequestPolicy

# enabled is adminConsentRequestPolicy.isEnabled; null when missing.
default enabled := null

enabled := object.get(_policy, "isEnabled", null) if is_object(_policy)

# _listed is adminConsentRequestPolicy.reviewers as collected; null when missing.
default _listed := null

_listed := object.get(_policy, "reviewers", null) if is_object(_policy)

# reviewers are the entries of adminConsentRequestPolicy.reviewers that name someone: an
# accessReviewReviewerScope with a non-empty query. Empty when the list is missing.
default reviewers := []

reviewers := [r |
	some r in _listed
	is_object(r)
	is_string(r.query)
	trim_space(r.query) != ""
] if is_array(_listed)

_enabled_entity := entity.setting("adminConsentRequestPolicy.isEnabled", "Users can request admin consent to apps they are unable to consent to")

_reviewers_entity := entity.setting("adminConsentRequestPolicy.reviewers", "Who can review admin consent requests")

_violations contains {"msg": msg, "entity": _enabled_entity} if {
	enabled == false
	msg := concat("", [
		"The admin consent workflow is off (adminConsentRequestPolicy.isEnabled is false), so users cannot request apps they may not consent to",
		_no_reviewers_too,
	])
}

_violations contains {"msg": msg, "entity": _reviewers_entity} if {
	enabled == true
	is_array(_listed)
	count(reviewers) == 0
	msg := "The admin consent workflow is on but has no reviewers (adminConsentRequestPolicy.reviewers is empty), so consent requests reach nobody"
}

# _no_reviewers_too completes the "off" message when turning it on alone would not be enough.
default _no_reviewers_too := ""

_no_reviewers_too := ", and no reviewers are designated" if {
	is_array(_listed)
	count(reviewers) == 0
}

error contains "entra.adminConsentRequestPolicy is not an object" if not is_object(_policy)

error contains "adminConsentRequestPolicy.isEnabled is not set, so whether the admin consent workflow is on is unknown" if {
	is_object(_policy)
	enabled == null
}

error contains sprintf("adminConsentRequestPolicy.isEnabled is %s; expected true or false", [json.marshal(enabled)]) if {
	enabled != null
	not is_boolean(enabled)
}

error contains "adminConsentRequestPolicy.reviewers is not a list, so who reviews consent requests is unknown" if {
	enabled == true
	not is_array(_listed)
}
