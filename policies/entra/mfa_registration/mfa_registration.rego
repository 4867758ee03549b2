# METADATA
# title: All member users can complete multifactor authentication
# description: >-
#   Requiring MFA only protects users who have registered a strong method: an account without
#   one can be claimed by whoever first signs in with its password and registers their own
#   phone. Every enabled member user should be MFA capable, which Microsoft's registration
#   report (userRegistrationDetails.isMfaCapable) defines as having registered a strong method
#   that the authentication methods policy allows. A user missing from the report is not
#   capable. Coverage is the share of enabled member users who are capable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/userregistrationdetails
#     description: "Microsoft Learn: userRegistrationDetails resource type (isMfaCapable)"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/howto-authentication-methods-activity
#     description: "Microsoft Learn: Authentication methods activity"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-mfa-registration-campaign
#     description: "Microsoft Learn: Run a registration campaign to set up Microsoft Authenticator"
# custom:
#   id: entra.mfa_registration
#   severity: medium
#   level: shall
#   requires: [entra.users, entra.userRegistrationDetails]
#   secure_score: [MFARegistrationV2]
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["5.2.3.4"]
#   license: []
#   parameters:
#     - name: maxListedUsers
#       type: integer
#       minimum: 0
#       description: >-
#         How many users that are not MFA capable are listed one by one (sorted by object id);
#         the rest are counted in one further violation. Coverage always counts every user.
#       default: 1000
#   remediation: >-
#     Have each listed user register Microsoft Authenticator or a passkey at
#     https://aka.ms/mysecurityinfo. To drive registration, turn on the registration campaign
#     (Microsoft Entra admin center > Entra ID > Authentication methods > Registration campaign >
#     State: Enabled, for all users) or, with Entra ID P2, the ID Protection multifactor
#     authentication registration policy. Check that the methods users register are enabled
#     under Entra ID > Authentication methods > Policies, since a registered method that the
#     policy does not allow does not make a user MFA capable. Security defaults also require
#     every user to register within 14 days of their next sign-in.
#   user_impact: moderate
#   implementation_cost: moderate
package posture.rules.entra.mfa_registration

import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.users

default _details := []

_details := input.entra.userRegistrationDetails if is_array(input.entra.userRegistrationDetails)

# At 100,000 users every pass over a list costs about 0.1 s, so the rule works with sets:
# capable users come from one pass over the report, the uncovered users are a set difference
# (done natively), and only they are looked at one by one.
# The engine precomputes both indexes (input.derived, see internal/engine/derive.go). The
# fallback compares with `=`: see lib/users.rego.
_capable := input.derived.mfaCapableIds if {
	is_set(input.derived.mfaCapableIds)
} else := {d.id | some d in _details; d.isMfaCapable = true}

_details_by_id := input.derived.registrationById if {
	is_object(input.derived.registrationById)
} else := {d.id: d | some d in _details}

# uncovered is the set of enabled member users who are not MFA capable.
uncovered := users.enabled_member_ids - _capable

# A tenant with tens of thousands of unregistered users would otherwise yield a report of tens
# of megabytes and spend most of the evaluation on messages nobody reads one by one; the first
# maxListedUsers are listed and the rest counted.
_limit := params.value("maxListedUsers")

_listed := array.slice(sort(uncovered), 0, _limit)

deny contains {"msg": msg, "entity": entity.user(uid)} if {
	details := _details_by_id
	index := users.by_id
	some uid in _listed
	name := object.get(index, [uid, "userPrincipalName"], uid)
	msg := sprintf("%s is not MFA capable: %s", [name, _detail(object.get(details, uid, null))])
}

deny contains {"msg": msg, "entity": entity.tenant} if {
	rest := count(uncovered) - count(_listed)
	rest > 0
	msg := sprintf("%d more enabled members are not MFA capable (only the first %d are listed; raise parameter maxListedUsers to list more)", [rest, count(_listed)])
}

_detail(d) := "the registration report has no entry for this user" if {
	d == null
} else := "registered for MFA, but the authentication methods policy allows none of the registered methods" if {
	d.isMfaRegistered == true
	_methods(d) == ""
} else := sprintf("registered for MFA with %s, but the authentication methods policy allows none of them", [_methods(d)]) if {
	d.isMfaRegistered == true
} else := "no authentication method is registered" if {
	_methods(d) == ""
} else := sprintf("registered %s, which is not a strong authentication method", [_methods(d)])

_methods(d) := concat(", ", sort(d.methodsRegistered)) if {
	is_array(d.methodsRegistered)
} else := ""

coverage := {"covered": total - count(uncovered), "total": total} if {
	total := count(users.enabled_member_ids)
	total > 0
}
