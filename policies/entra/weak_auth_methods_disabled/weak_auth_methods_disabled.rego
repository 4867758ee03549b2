# METADATA
# title: SMS, voice call and email one-time passcodes are disabled as authentication methods
# description: >-
#   Codes sent by text message or phone call can be intercepted (SIM swapping, SS7, phone
#   porting) or phished in real time, and a code mailed to an inbox protects nothing once that
#   mailbox is taken over; they are the weakest methods Microsoft Entra ID offers, and Microsoft
#   retires its own SMS and voice delivery on 1 February 2027 (public cloud). The rule reads
#   the SMS, Voice and Email configurations of the authentication methods policy and passes when
#   each has state "disabled" and the migration to that policy is complete. It fails once for
#   every method that is enabled, naming the users and groups it is enabled for, and once more
#   when the migration is not complete, because the legacy MFA and SSPR policies, which Graph v1.0
#   does not expose, may then still allow these methods. A method missing from the policy, or a
#   state or migration state that is missing, cannot be verified (error). Email OTP also serves
#   B2B guests who redeem invitations with a one-time passcode; that use is governed by the
#   configuration's separate allowExternalIdToUseEmailOtp setting ("Allow external users to use
#   email OTP"), which this rule does not read: check that guests keep a way to sign in before
#   turning Email OTP off. An enabled method breaks CIS 5.2.3.5 and CISA SCuBA MS.AAD.3.5v2,
#   whatever the migration state (MS.AAD.3.5v1 applied only after the migration; v2 dropped
#   that condition). The unfinished migration itself is posture's own judgement (MS.AAD.3.4v1,
#   entra.auth_methods_migration_complete, judges the migration).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-methods
#     description: "Microsoft Learn: Authentication methods in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-methods-manage
#     description: "Microsoft Learn: Manage authentication methods for Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/emailauthenticationmethodconfiguration
#     description: "Microsoft Learn: emailAuthenticationMethodConfiguration resource type (allowExternalIdToUseEmailOtp)"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-sms-voice-retirement
#     description: "Microsoft Learn: Passkeys by default and retirement of Microsoft-provided SMS and voice authentication"
#   - ref: https://learn.microsoft.com/en-us/entra/external-id/one-time-passcode
#     description: "Microsoft Learn: Email one-time passcode authentication for B2B guest users"
# custom:
#   id: entra.weak_auth_methods_disabled
#   severity: medium
#   level: shall
#   requires: [entra.authenticationMethodsPolicy, entra.groups]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.3.5v2]
#     cis_m365: ["5.2.3.5"]
#   license: []
#   remediation: >-
#     First make sure the affected users have a stronger method: look up who relies on these
#     methods in Entra ID > Authentication methods > User registration details, enable passkeys
#     or Microsoft Authenticator for them and run the registration campaign. Then in the
#     Microsoft Entra admin center go to Entra ID > Authentication methods > Policies (formerly
#     Protection > Authentication methods), open SMS, Voice call and Email OTP in turn, set
#     Enable to off and save, and finish the migration (Manage migration > Migration Complete) so
#     the legacy MFA and SSPR settings no longer apply. With Microsoft Graph, PATCH
#     /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{Sms|Voice|Email}
#     with state "disabled".
#   user_impact: moderate
#   implementation_cost: moderate
package posture.rules.entra.weak_auth_methods_disabled

import data.posture.lib.authmethods
import data.posture.lib.entity

# methods are the weak methods' configuration ids in the authentication methods policy.
methods := ["Sms", "Voice", "Email"]

_path := "authenticationMethodsPolicy/authenticationMethodConfigurations"

# An enabled method breaks both controls, before the migration too.
_method_controls := ["MS.AAD.3.5v2", "5.2.3.5"]

deny contains {"msg": msg, "entity": ent, "controls": _method_controls} if {
	some id in methods
	authmethods.enabled(id)
	c := authmethods.config(id)
	msg := sprintf("%s is enabled as an authentication method for %s%s", [
		authmethods.label(id), authmethods.audience(c), _detail(id, c),
	])
	ent := entity.setting(sprintf("%s/%s", [_path, c.id]), sprintf("%s authentication method", [authmethods.label(id)]))
}

deny contains {"msg": msg, "entity": _migration_entity, "controls": ["posture"]} if {
	state := authmethods.migration_state
	not authmethods.migration_complete
	msg := sprintf("The migration to the authentication methods policy is not complete (policyMigrationState is %s), so the legacy MFA and SSPR policies may still allow text message, phone call and email codes whatever the authentication methods policy says", [json.marshal(state)])
}

_migration_entity := entity.migration

# _detail adds what makes an enabled method weaker still: SMS usable as a first factor (SMS
# sign-in, no password at all) and voice calls to office phones.
_detail(id, c) := sprintf(", and usable to sign in without a password (isUsableForSignIn) by %s", [concat(", ", sort(names))]) if {
	lower(id) == "sms"
	names := {authmethods.target_name(t) | some t in authmethods.targets(c, "includeTargets"); t.isUsableForSignIn == true}
	count(names) > 0
} else := ", including calls to office phones (isOfficePhoneAllowed)" if {
	lower(id) == "voice"
	c.isOfficePhoneAllowed == true
} else := ""

error contains msg if {
	some msg in authmethods.unreadable(methods)
}

error contains msg if {
	is_object(authmethods.raw)
	not authmethods.migration_state
	msg := sprintf("entra.authenticationMethodsPolicy.policyMigrationState is %s, so whether the legacy MFA and SSPR policies still allow SMS, voice call and email codes is unknown", [json.marshal(object.get(authmethods.raw, "policyMigrationState", null))])
}
