# METADATA
# title: Self-service password reset is enabled for all users
# description: >-
#   Users who cannot reset a forgotten password themselves call the help desk, and a help desk
#   that resets passwords over the phone is what social engineers target; self-service password
#   reset (SSPR) makes the user prove who they are with registered methods instead. Microsoft
#   Graph v1.0 does not expose the tenant's "Self service password reset enabled" setting (None,
#   Selected or All), so the rule reads its effect from the authentication methods registration
#   report: userRegistrationDetails.isSsprEnabled says whether policy allows the user to perform
#   SSPR, whether or not they have registered the methods it needs. Coverage is the share of
#   enabled member users whose entry has isSsprEnabled true; a user without an entry, or whose
#   isSsprEnabled is false or missing, is not covered, and each is listed (up to maxListedUsers).
#   Microsoft enables SSPR for administrator roles by default whatever the tenant setting
#   (authorizationPolicy.allowedToUseSSPR), so admins usually count as covered. SSPR for
#   cloud-only users needs Microsoft 365 Business Standard or higher, or Entra ID P1 or P2;
#   password writeback for synchronized users needs Entra ID P1.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/tutorial-enable-sspr
#     description: "Microsoft Learn: Tutorial: Enable users to unlock their account or reset passwords using self-service password reset"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/userregistrationdetails
#     description: "Microsoft Learn: userRegistrationDetails resource type (isSsprEnabled)"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-sspr-policy
#     description: "Microsoft Learn: Password policies and account restrictions (administrator reset policy differences)"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-sspr-licensing
#     description: "Microsoft Learn: Licensing requirements for self-service password reset"
# custom:
#   id: entra.sspr_enabled
#   severity: low
#   level: shall
#   requires: [entra.users, entra.userRegistrationDetails]
#   secure_score: [SelfServicePasswordReset]
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["5.2.4.1"]
#   license: []
#   parameters:
#     - name: maxListedUsers
#       type: integer
#       minimum: 0
#       description: >-
#         How many users without SSPR are listed one by one (sorted by object id); the rest are
#         counted in one further violation. Coverage always counts every user.
#       default: 1000
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Password reset > Properties (formerly
#     Protection > Password reset), set "Self service password reset enabled" to All and save.
#     Under Authentication methods require two methods and leave the weak ones (security
#     questions, office phone) off; under Registration require users to register when signing in.
#     For users synchronized from Active Directory, also turn on password writeback (Entra
#     Connect or Cloud Sync; needs Entra ID P1). The registration report refreshes within a day.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.sspr_enabled

import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.users

default _details := []

_details := input.entra.userRegistrationDetails if is_array(input.entra.userRegistrationDetails)

# At 100,000 users a pass over the report costs about 0.1 s, so it is made once, here, in a
# complete rule: the ids allowed to use SSPR. The uncovered users are then a set difference, and
# only those listed are looked at one by one. `=` rather than `==`: see lib/users.rego. The
# engine may precompute the set as input.derived.ssprEnabledIds, like mfaCapableIds.
_enabled := input.derived.ssprEnabledIds if {
	is_set(input.derived.ssprEnabledIds)
} else := {d.id | some d in _details; d.isSsprEnabled = true}

_details_by_id := input.derived.registrationById if {
	is_object(input.derived.registrationById)
} else := {d.id: d | some d in _details}

# uncovered is the set of enabled member users who may not use SSPR.
uncovered := users.enabled_member_ids - _enabled

# A tenant with SSPR off has every non-admin uncovered; listing all of them would make a report
# of megabytes that nobody reads one by one, so the first maxListedUsers are listed and the rest
# counted.
_limit := params.value("maxListedUsers")

_listed := array.slice(sort(uncovered), 0, _limit)

deny contains {"msg": msg, "entity": entity.user(uid)} if {
	details := _details_by_id
	index := users.by_id
	some uid in _listed
	name := object.get(index, [uid, "userPrincipalName"], uid)
	msg := sprintf("%s cannot reset a forgotten password by self-service: %s", [name, _reason(object.get(details, uid, null))])
}

deny contains {"msg": msg, "entity": entity.tenant} if {
	rest := count(uncovered) - count(_listed)
	rest > 0
	msg := sprintf("%d more enabled members cannot use self-service password reset (only the first %d are listed; raise parameter maxListedUsers to list more)", [rest, count(_listed)])
}

_reason(d) := "the registration report has no entry for this user" if {
	d == null
} else := "self-service password reset is not enabled for this user (isSsprEnabled is false)" if {
	d.isSsprEnabled == false
} else := sprintf("the registration report does not say whether self-service password reset is enabled for this user (isSsprEnabled is %s)", [json.marshal(object.get(d, "isSsprEnabled", null))])

coverage := {"covered": total - count(uncovered), "total": total} if {
	total := count(users.enabled_member_ids)
	total > 0
}
