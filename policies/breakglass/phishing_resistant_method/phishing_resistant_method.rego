# METADATA
# title: Break-glass accounts have a phishing-resistant authentication method registered
# description: >-
#   Emergency access accounts hold Global Administrator and are excluded from Conditional Access,
#   so a password alone must never be enough to use one, and the second factor must not be one
#   that a phishing site can relay or that depends on a phone network. Microsoft asks for
#   passwordless, phishing-resistant methods on these accounts: a passkey (FIDO2) security key,
#   recommended, or certificate-based authentication. Each declared break-glass account passes
#   when Microsoft's registration report (userRegistrationDetails.methodsRegistered) lists a
#   phishing-resistant method: fido2 or fido2SecurityKey, passKeyDeviceBound,
#   passKeyDeviceBoundAuthenticator, passKeyDeviceBoundWindowsHello, windowsHelloForBusiness or
#   x509CertificateMultiFactor. Synced passkeys (passKeySynced) do not count, since copies of
#   them leave the safe with the cloud keychain they sync to. An account the report has no
#   entry for makes the result an error. With nothing declared the rule is not applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access
#     description: "Microsoft Learn: Manage emergency access accounts in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-enable-passkey-fido2
#     description: "Microsoft Learn: Enable passkeys (FIDO2) for your organization"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/userregistrationdetails
#     description: "Microsoft Learn: userRegistrationDetails resource type (methodsRegistered)"
# custom:
#   id: breakglass.phishing_resistant_method
#   severity: high
#   level: shall
#   requires: [entra.users, entra.groups, entra.groupMembers, entra.userRegistrationDetails]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["1.1.2"]
#   license: []
#   remediation: >-
#     Allow passkeys (FIDO2) in the Microsoft Entra admin center under Entra ID > Authentication
#     methods > Policies > Passkey (FIDO2), for a group that holds the break-glass accounts. Then
#     sign in as each account at https://aka.ms/mysecurityinfo (a Temporary Access Pass gets a
#     new account in) and add a security key; register a second key per account and keep the
#     keys in separate safes. Certificate-based authentication is the alternative where a PKI
#     already exists. Use different methods from those of your everyday administrators.
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts: users (object ids or userPrincipalNames) and groups (object ids
#         or display names) whose members are the accounts.
#       default: {users: [], groups: []} # none declared: the rule is not applicable
package posture.rules.breakglass.phishing_resistant_method

import data.posture.lib.breakglass_checks as checks
import data.posture.lib.entity
import data.posture.lib.users

not_applicable := checks.not_applicable_reason

error contains msg if some msg in checks.errors

# Values of methodsRegistered that are phishing-resistant. Graph documents the property only by
# example; these are the names the report has used: "fido2" (older reports) and
# "fido2SecurityKey" for security keys, passKeyDeviceBound* for device-bound passkeys (security
# key, Microsoft Authenticator, Windows Hello), windowsHelloForBusiness, and
# x509CertificateMultiFactor for multifactor certificate-based authentication.
phishing_resistant := {
	"fido2",
	"fido2SecurityKey",
	"passKeyDeviceBound",
	"passKeyDeviceBoundAuthenticator",
	"passKeyDeviceBoundWindowsHello",
	"windowsHelloForBusiness",
	"x509CertificateMultiFactor",
}

default _details := []

_details := input.entra.userRegistrationDetails if is_array(input.entra.userRegistrationDetails)

# The engine indexes the report by user id (input.derived.registrationById); only unit tests
# build the index here.
_by_id := input.derived.registrationById if {
	is_object(input.derived.registrationById)
} else := {d.id: d | some d in _details}

_entry(uid) := object.get(_by_id, uid, null)

_methods(uid) := {m | some m in _entry(uid).methodsRegistered} if is_array(_entry(uid).methodsRegistered)

deny contains {"msg": msg, "entity": entity.user(uid)} if {
	some uid in checks.accounts
	methods := _methods(uid)
	count(methods & phishing_resistant) == 0
	msg := sprintf("break-glass account %s has no phishing-resistant authentication method registered (%s); register a FIDO2 security key (passkey) or set up certificate-based authentication", [users.upn(uid), _registered(methods)])
}

_registered(methods) := sprintf("registered: %s", [concat(", ", sort(methods))]) if {
	count(methods) > 0
} else := "nothing is registered"

error contains sprintf("the registration report (entra.userRegistrationDetails) has no entry for break-glass account %s, so its methods cannot be checked", [users.upn(uid)]) if {
	some uid in checks.accounts
	_entry(uid) == null
}

error contains sprintf("the registration report entry of break-glass account %s has no methodsRegistered list, so its methods cannot be checked", [users.upn(uid)]) if {
	some uid in checks.accounts
	_entry(uid) != null
	not is_array(object.get(_entry(uid), "methodsRegistered", null))
}
