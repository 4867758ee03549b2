# METADATA
# title: Microsoft Authenticator notifications show the application and location to all users
# description: >-
#   An attacker who has a user's password can send push notifications until the user approves
#   one (MFA fatigue). Number matching, which makes the user type the number shown on the
#   sign-in screen, is always on for Authenticator push notifications (Microsoft enforced it for
#   every tenant in May 2023 and Graph v1.0 no longer exposes the setting); showing the name of
#   the application and the geographic location of the sign-in lets the user recognise a request
#   they did not start. The rule reads the featureSettings of the MicrosoftAuthenticator
#   configuration in the authentication methods policy. It passes when both
#   displayAppInformationRequiredState and displayLocationInformationRequiredState have state
#   "enabled", include target all_users, and exclude no one (the all-zero id). It fails for each
#   setting that is Microsoft managed ("default", which Microsoft documents as disabled),
#   disabled, limited to a group, or excluding a group. It is not applicable when Microsoft
#   Authenticator is disabled and the migration to the authentication methods policy is
#   complete, because no user can then receive Authenticator notifications; before the migration
#   is complete the legacy MFA policy may still send them, so the settings are checked. A missing
#   Authenticator configuration, feature setting, state or target cannot be verified (error).
#   Every violation breaks both CISA SCuBA MS.AAD.3.3v2 and CIS 5.2.3.1. MS.AAD.3.3v2 also asks
#   that Authenticator's one-time passcodes be off (isSoftwareOathEnabled false), which posture
#   and CIS do not: when they are on, the rule warns with a violation that breaks MS.AAD.3.3v2
#   alone. (ScubaGear at 4d34e9a also treats the policy as not applicable while phishing-resistant MFA
#   is enforced for everyone; the baseline's text does not, nor does this rule.)
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-mfa-additional-context
#     description: "Microsoft Learn: Use additional context in Microsoft Authenticator notifications"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-mfa-number-match
#     description: "Microsoft Learn: How number matching works in MFA push notifications for Authenticator"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/microsoftauthenticatorfeaturesettings
#     description: "Microsoft Learn: microsoftAuthenticatorFeatureSettings resource type"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/authenticationmethodfeatureconfiguration
#     description: "Microsoft Learn: authenticationMethodFeatureConfiguration resource type (state default)"
# custom:
#   id: entra.authenticator_fatigue_protection
#   severity: medium
#   level: shall
#   requires: [entra.authenticationMethodsPolicy, entra.groups]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.3.3v2]
#     cis_m365: ["5.2.3.1"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Authentication methods > Policies
#     (formerly Protection > Authentication methods) > Microsoft Authenticator > Configure. Under
#     "Show application name in push and passwordless notifications" and "Show geographic location
#     in push and passwordless notifications" set Status to Enabled, Target Include to All users
#     and Exclude to no group, then save. With Microsoft Graph, PATCH
#     /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator
#     with featureSettings.displayAppInformationRequiredState and
#     displayLocationInformationRequiredState each {"state": "enabled", "includeTarget":
#     {"targetType": "group", "id": "all_users"}, "excludeTarget": {"targetType": "group", "id":
#     "00000000-0000-0000-0000-000000000000"}}.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.authenticator_fatigue_protection

import data.posture.lib.authmethods
import data.posture.lib.entity

_method := "MicrosoftAuthenticator"

# Every violation about the notifications breaks both controls the rule cites.
_controls := ["MS.AAD.3.3v2", "5.2.3.1"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

# SCuBA's text also turns off Authenticator's one-time passcodes, which phishing kits relay.
warn contains {"msg": msg, "entity": entity.setting(_oath_path, "Microsoft Authenticator: Allow use of Microsoft Authenticator OTP"), "controls": ["MS.AAD.3.3v2"]} if {
	_checked
	_config.isSoftwareOathEnabled == true
	msg := sprintf("Microsoft Authenticator one-time passcodes are allowed (%s is true), which CISA SCuBA MS.AAD.3.3v2 turns off", [_oath_path])
}

_oath_path := sprintf("authenticationMethodsPolicy/authenticationMethodConfigurations/%s/isSoftwareOathEnabled", [_method])

error contains sprintf("%s is %s, so whether Authenticator one-time passcodes are allowed is unknown", [_oath_path, json.marshal(v)]) if {
	_checked
	v := object.get(_config, "isSoftwareOathEnabled", null)
	not is_boolean(v)
}

_config := authmethods.config(_method)

# features maps each required feature setting to what it makes the notification show, and the
# setting's name in the admin center.
features := {
	"displayAppInformationRequiredState": {"shows": "the application name", "setting": "Show application name in push and passwordless notifications"},
	"displayLocationInformationRequiredState": {"shows": "the geographic location", "setting": "Show geographic location in push and passwordless notifications"},
}

# With Authenticator off and only the authentication methods policy in force, nobody gets an
# Authenticator notification to approve: there is nothing to protect.
not_applicable := "Microsoft Authenticator is disabled in the authentication methods policy and the migration to that policy is complete, so no user can receive Authenticator notifications" if {
	_config.state == "disabled"
	authmethods.migration_complete
}

_checked if {
	_config.state in {"enabled", "disabled"}
	not not_applicable
}

_violations contains {"msg": concat("", [msg, _legacy_note]), "entity": _entity(key)} if {
	_checked
	some key, f in features
	feature := _config.featureSettings[key]
	is_string(feature.state)
	feature.state != "enabled"
	msg := sprintf("Microsoft Authenticator notifications do not show %s: %s is %s", [f.shows, f.setting, _state_text(key, feature.state)])
}

_violations contains {"msg": concat("", [msg, _legacy_note]), "entity": _entity(key)} if {
	_checked
	some key, f in features
	feature := _config.featureSettings[key]
	feature.state == "enabled"
	target := feature.includeTarget
	is_string(target.id)
	target.id != authmethods.all_users
	msg := sprintf("Microsoft Authenticator notifications show %s only to %s (featureSettings.%s.includeTarget), not to all users", [f.shows, authmethods.target_name(target), key])
}

_violations contains {"msg": concat("", [msg, _legacy_note]), "entity": _entity(key)} if {
	_checked
	some key, f in features
	feature := _config.featureSettings[key]
	feature.state == "enabled"
	target := feature.excludeTarget
	is_string(target.id)
	target.id != authmethods.nobody
	msg := sprintf("Microsoft Authenticator notifications do not show %s to %s, which featureSettings.%s.excludeTarget excludes", [f.shows, authmethods.target_name(target), key])
}

_state_text(key, "default") := sprintf("Microsoft managed (featureSettings.%s.state \"default\"), which Microsoft documents as disabled", [key])

_state_text(key, state) := sprintf("disabled (featureSettings.%s.state %s)", [key, json.marshal(state)]) if state != "default"

_legacy_note := "; Microsoft Authenticator is disabled in the authentication methods policy, but until the migration to that policy is complete the legacy MFA policy may still send its notifications" if {
	_config.state == "disabled"
} else := ""

_entity(key) := entity.setting(
	sprintf("authenticationMethodsPolicy/authenticationMethodConfigurations/%s/featureSettings/%s", [_method, key]),
	sprintf("Microsoft Authenticator: %s", [features[key].setting]),
)

error contains msg if {
	some msg in authmethods.unreadable([_method])
}

error contains msg if {
	_checked
	not is_object(object.get(_config, "featureSettings", null))
	msg := "the Microsoft Authenticator configuration has no featureSettings, so whether its notifications show the application name and location is unknown"
}

error contains msg if {
	_checked
	some key, f in features
	is_object(_config.featureSettings)
	not is_object(object.get(_config.featureSettings, key, null))
	msg := sprintf("featureSettings.%s of the Microsoft Authenticator configuration is missing, so whether its notifications show %s is unknown", [key, f.shows])
}

error contains msg if {
	_checked
	some key, f in features
	setting := _config.featureSettings[key]
	is_object(setting) # a missing or null setting is the block above's message
	state := object.get(setting, "state", null)
	not is_string(state)
	msg := sprintf("featureSettings.%s.state of the Microsoft Authenticator configuration is %s, so whether its notifications show %s is unknown", [key, json.marshal(state), f.shows])
}

error contains msg if {
	_checked
	some key, _ in features
	feature := _config.featureSettings[key]
	feature.state == "enabled"
	some target in ["includeTarget", "excludeTarget"]
	not is_string(object.get(feature, [target, "id"], null))
	msg := sprintf("featureSettings.%s.%s of the Microsoft Authenticator configuration has no target id, so whom the setting applies to is unknown", [key, target])
}
