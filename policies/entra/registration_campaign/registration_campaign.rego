# METADATA
# title: A registration campaign prompts users to set up a stronger authentication method
# description: >-
#   Users who complete MFA with text messages or phone calls keep the weakest methods until
#   something moves them. The registration campaign prompts them, after a successful MFA sign-in,
#   to set up Microsoft Authenticator (or, where Microsoft offers it, a passkey), and can require
#   it after three snoozes. The rule reads
#   registrationEnforcement.authenticationMethodsRegistrationCampaign of the authentication
#   methods policy, as Microsoft Graph v1.0 returns it. It passes when state is "enabled" and
#   includeTargets names at least one user or group. It fails when the campaign is "disabled",
#   or "default" (Microsoft managed: Microsoft Learn says it then prompts only users enabled for
#   text messages or voice calls, and Graph documents the default as disabled), or when it
#   targets no one. A missing campaign object, state or include list cannot be verified
#   (error). Users who already use Authenticator push notifications are not prompted. Whether
#   users may snooze the prompt indefinitely is not judged: the setting (Limited number of
#   snoozes, enforceRegistrationAfterAllowedSnoozes) exists only in Graph beta, v1.0 never
#   returns it, and Microsoft Learn documents both choices (snooze up to three times, then
#   registration is required; or snooze indefinitely) without a v1.0 default to assume; the
#   remediation says how to limit snoozes.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-mfa-registration-campaign
#     description: "Microsoft Learn: How to run a registration campaign to set up Microsoft Authenticator"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/authenticationmethodsregistrationcampaign
#     description: "Microsoft Learn: authenticationMethodsRegistrationCampaign resource type"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-sms-voice-retirement
#     description: "Microsoft Learn: Passkeys by default and retirement of Microsoft-provided SMS and voice authentication"
# custom:
#   id: entra.registration_campaign
#   severity: low
#   level: should
#   requires: [entra.authenticationMethodsPolicy]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: []
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Authentication methods > Registration
#     campaign (formerly Protection > Authentication methods) and select Edit. Set State to
#     Enabled, set "Limited number of snoozes" to Enabled, choose the days allowed to snooze (0
#     to 14), include All users (or the groups still on text messages and voice calls), exclude
#     only accounts that cannot use a phone app (such as break-glass accounts), and save. With
#     Microsoft Graph, PATCH /policies/authenticationMethodsPolicy with
#     registrationEnforcement.authenticationMethodsRegistrationCampaign {"state": "enabled",
#     "enforceRegistrationAfterAllowedSnoozes": true, "snoozeDurationInDays": 1,
#     "includeTargets": [{"id": "all_users", "targetType": "group",
#     "targetedAuthenticationMethod": "microsoftAuthenticator"}]}.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.registration_campaign

import data.posture.lib.authmethods
import data.posture.lib.entity

_path := ["registrationEnforcement", "authenticationMethodsRegistrationCampaign"]

# campaign is the registration campaign settings; null when they are missing.
campaign := object.get(authmethods.policy, _path, null)

_entity := entity.setting("authenticationMethodsPolicy/registrationEnforcement/authenticationMethodsRegistrationCampaign", "Registration campaign")

_state_texts := {
	"disabled": "disabled (state \"disabled\")",
	"default": "Microsoft managed (state \"default\"), which prompts at most the users enabled for text messages or voice calls, as Microsoft decides",
}

deny contains {"msg": msg, "entity": _entity} if {
	state := campaign.state
	is_string(state)
	state != "enabled"
	msg := sprintf("The registration campaign is %s, so users are not prompted to move off weaker methods", [object.get(_state_texts, state, sprintf("in state %s, not enabled", [json.marshal(state)]))])
}

deny contains {"msg": msg, "entity": _entity} if {
	campaign.state == "enabled"
	is_array(campaign.includeTargets)
	count(_includes) == 0
	msg := "The registration campaign is enabled but includes no users or groups (includeTargets is empty), so no one is prompted to register a stronger method"
}

_includes := [t | some t in campaign.includeTargets; is_object(t)]

error contains "entra.authenticationMethodsPolicy is not an object" if not is_object(authmethods.raw)

error contains msg if {
	is_object(authmethods.raw)
	not is_object(campaign)
	msg := "entra.authenticationMethodsPolicy has no registrationEnforcement.authenticationMethodsRegistrationCampaign, so whether users are prompted to register a stronger method is unknown"
}

error contains msg if {
	is_object(campaign)
	state := object.get(campaign, "state", null)
	not is_string(state)
	msg := sprintf("the registration campaign's state is %s, so whether it runs is unknown", [json.marshal(state)])
}

error contains msg if {
	campaign.state == "enabled"
	targets := object.get(campaign, "includeTargets", null)
	not is_array(targets)
	msg := sprintf("the registration campaign's includeTargets is %s, so whom it prompts is unknown", [json.marshal(targets)])
}
