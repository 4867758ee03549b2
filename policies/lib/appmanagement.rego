# Application management policies (Microsoft Graph v1.0): the restrictions on the credentials of
# applications and service principals that CISA SCuBA MS.AAD.5.5v1-5.7v1 ask for, judged one way
# for the three rules. A check names one restriction:
#
#   {"credentials": "passwordCredentials" | "keyCredentials", "type": <restrictionType>,
#    "max_days": <number> | null, "goal": <what the restriction must do, in words>,
#    "consequence": <what the tenant allows without it, in words>}
#
# The tenant default policy (defaultAppManagementPolicy) restricts every application
# (applicationRestrictions) and every service principal (servicePrincipalRestrictions) while it
# is enabled. A custom policy (appManagementPolicies) assigned to an application or service
# principal takes precedence over the default for that object, which then "doesn't inherit from
# the tenant default policy" (Microsoft Learn, "Application authentication methods API
# overview"): a custom policy applied to objects must enforce the restriction itself.
#
# SCuBA's text asks for each restriction "On", applying to "All applications", with "Only apply
# to apps created after" left blank; restrictForAppsCreatedAfterDateTime is then null or .NET's
# DateTime.MinValue, 0001-01-01T00:00:00Z. Lifetimes (maxLifetime) are Edm.Duration values, ISO
# 8601 day-time durations such as P181D or P4DT12H30M5S.
package posture.lib.appmanagement

import data.posture.lib.entity

# The checks of MS.AAD.5.5v1, 5.6v1 and 5.7v1. Entra enforces maxLifetime with "less than", so
# "180 days or less" is a maxLifetime of P181D and "365 days or less" one of P366D (aad.md's
# notes to MS.AAD.5.6v1 and 5.7v1).
password_addition := {
	"credentials": "passwordCredentials", "type": "passwordAddition", "max_days": null,
	"goal": "block password addition",
	"consequence": "applications and service principals can be given passwords (client secrets)",
}

password_lifetime := {
	"credentials": "passwordCredentials", "type": "passwordLifetime", "max_days": 181,
	"goal": "limit password lifetime to 180 days or less",
	"consequence": "application passwords (client secrets) can be valid for any length of time",
}

certificate_lifetime := {
	"credentials": "keyCredentials", "type": "asymmetricKeyLifetime", "max_days": 366,
	"goal": "limit certificate lifetime to 365 days or less",
	"consequence": "application certificates can be valid for any length of time",
}

_default := input.entra.defaultAppManagementPolicy

default _custom := []

_custom := input.entra.appManagementPolicies if is_array(input.entra.appManagementPolicies)

# _sets are the default policy's restriction sets, with the objects each governs.
_sets := {"applicationRestrictions": "applications", "servicePrincipalRestrictions": "service principals"}

# applied are the custom policies assigned to at least one application or service principal.
applied := [p |
	some p in _custom
	is_object(p)
	is_array(p.appliesTo)
	count(p.appliesTo) > 0
]

# violations is the set of {msg, entity} of every place check is not met: the default policy
# off, a restriction set of it that falls short, a custom policy applied to objects that falls
# short.
violations(check) := (_default_off(check) | _default_gaps(check)) | _custom_gaps(check)

_default_entity := entity.setting("defaultAppManagementPolicy.isEnabled", "Application policies (the default app management policy)")

_default_off(check) := {{"msg": msg, "entity": _default_entity} |
	is_object(_default)
	_default.isEnabled == false
	msg := sprintf("The tenant's default app management policy is off (isEnabled false), so none of its restrictions apply and %s", [check.consequence])
}

_default_gaps(check) := {{"msg": msg, "entity": ent} |
	is_object(_default)
	_default.isEnabled == true
	some set, objects in _sets
	reason := gap(object.get(_default, set, null), check)
	msg := sprintf("The default app management policy does not %s for %s: its %s %s", [check.goal, objects, set, reason])
	ent := entity.setting(
		sprintf("defaultAppManagementPolicy.%s.%s", [set, check.credentials]),
		sprintf("Application policies: %s (%s)", [check.type, objects]),
	)
}

_custom_gaps(check) := {{"msg": msg, "entity": entity.app_management_policy(p)} |
	some p in applied
	reason := _custom_gap(p, check)
	msg := sprintf("Custom app management policy %s applies to %d %s in place of the default policy and does not %s: %s", [
		_name(p), count(p.appliesTo), _objects(count(p.appliesTo)), check.goal, reason,
	])
}

_custom_gap(p, check) := "it is off (isEnabled false)" if {
	p.isEnabled == false
} else := reason if {
	p.isEnabled == true
	reason := concat(" ", ["its restrictions", gap(object.get(p, "restrictions", null), check)])
}

_name(p) := sprintf("'%s'", [p.displayName]) if {
	is_string(p.displayName)
} else := sprintf("%v", [p.id])

_objects(1) := "application or service principal"

_objects(n) := "applications or service principals" if n != 1

# gap says why a restriction set (an appManagementConfiguration, or null for none) does not
# meet check, as words that follow its name; undefined when it does.
gap(config, check) := sprintf("have no %s restriction", [check.type]) if {
	count(_restrictions(config, check)) == 0
} else := sprintf("have the %s restriction %s (state %s)", [check.type, _state_word(r.state), json.marshal(r.state)]) if {
	some r in _restrictions(config, check)
	r.state != "enabled"
} else := sprintf("apply the %s restriction only to those created after %s (restrictForAppsCreatedAfterDateTime), so older ones are exempt", [check.type, r.restrictForAppsCreatedAfterDateTime]) if {
	some r in _restrictions(config, check)
	not all_apps(r)
} else := sprintf("let %s be valid for %s (maxLifetime %s); %s", [_credential_word(check), _days_text(seconds(r.maxLifetime)), r.maxLifetime, _limit_text(check)]) if {
	check.max_days != null
	some r in _restrictions(config, check)
	seconds(r.maxLifetime) > check.max_days * 86400
}

_state_word("disabled") := "turned off"

_state_word(s) := "not enabled" if s != "disabled"

_credential_word(check) := "passwords" if check.credentials == "passwordCredentials"

_credential_word(check) := "certificates" if check.credentials == "keyCredentials"

_limit_text(check) := sprintf("%d days or less is a maxLifetime of P%dD at most, as Entra compares with less-than", [check.max_days - 1, check.max_days])

_days_text(s) := sprintf("%v days", [s / 86400]) if s % 86400 == 0

_days_text(s) := sprintf("%v days", [round((s / 86400) * 100) / 100]) if s % 86400 != 0

# _restrictions are the restrictions of check's type in a restriction set.
_restrictions(config, check) := [r |
	is_object(config)
	creds := object.get(config, check.credentials, [])
	is_array(creds)
	some r in creds
	is_object(r)
	r.restrictionType == check.type
]

# all_apps reports whether a restriction applies to every application, old ones included.
all_apps(r) if object.get(r, "restrictForAppsCreatedAfterDateTime", null) == null

all_apps(r) if startswith(r.restrictForAppsCreatedAfterDateTime, "0001-01-01T00:00:00")

# seconds is an Edm.Duration (ISO 8601 days, hours, minutes, seconds: P181D, PT12H,
# P1DT2H3M4.5S) in seconds; undefined for anything else.
seconds(d) := s if {
	is_string(d)
	not d in {"P", "PT"}
	not endswith(d, "T")
	m := regex.find_all_string_submatch_n(`^P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?)?$`, d, 1)
	count(m) == 1
	s := (((_number(m[0][1]) * 86400) + (_number(m[0][2]) * 3600)) + (_number(m[0][3]) * 60)) + _number(m[0][4])
}

_number("") := 0

_number(x) := to_number(x) if x != ""

# errors is the set of reasons check cannot be judged: data of the wrong shape, a restriction
# without a state, a lifetime that is no duration.
errors(check) := (((_shape_errors | _set_errors) | _state_errors(check)) | _lifetime_errors(check)) | _custom_errors

_shape_errors contains "entra.defaultAppManagementPolicy is not an object" if not is_object(_default)

_shape_errors contains sprintf("entra.defaultAppManagementPolicy.isEnabled is %s; expected true or false", [json.marshal(enabled)]) if {
	is_object(_default)
	enabled := object.get(_default, "isEnabled", null)
	not is_boolean(enabled)
}

_shape_errors contains "entra.appManagementPolicies is not an array" if not is_array(input.entra.appManagementPolicies)

# _configs are the restriction sets in play, by where they live.
_configs[sprintf("entra.defaultAppManagementPolicy.%s", [set])] := object.get(_default, set, null) if {
	is_object(_default)
	some set, _ in _sets
}

_configs[sprintf("entra.appManagementPolicies[%s].restrictions", [p.id])] := object.get(p, "restrictions", null) if {
	some p in applied
}

_set_errors contains sprintf("%s is %s; expected an object or null", [where, json.marshal(config)]) if {
	some where, config in _configs
	config != null
	not is_object(config)
}

_set_errors contains sprintf("%s.%s is %s; expected an array or null", [where, creds, json.marshal(config[creds])]) if {
	some where, config in _configs
	is_object(config)
	some creds in ["passwordCredentials", "keyCredentials"]
	config[creds] != null
	not is_array(config[creds])
}

_state_errors(check) := {msg |
	some where, config in _configs
	some r in _restrictions(config, check)
	not is_string(object.get(r, "state", null))
	msg := sprintf("the %s restriction in %s has state %s; expected enabled or disabled", [check.type, where, json.marshal(object.get(r, "state", null))])
}

_lifetime_errors(check) := {msg |
	check.max_days != null
	some where, config in _configs
	some r in _restrictions(config, check)
	r.state == "enabled"
	not seconds(object.get(r, "maxLifetime", null))
	msg := sprintf("the %s restriction in %s has maxLifetime %s; expected an ISO 8601 duration such as P181D", [check.type, where, json.marshal(object.get(r, "maxLifetime", null))])
}

_custom_errors contains sprintf("entra.appManagementPolicies[%d] is not an object with an appliesTo array", [i]) if {
	some i, p in _custom
	not _has_applies_to(p)
}

_custom_errors contains sprintf("entra.appManagementPolicies[%s].isEnabled is %s; expected true or false", [p.id, json.marshal(enabled)]) if {
	some p in applied
	enabled := object.get(p, "isEnabled", null)
	not is_boolean(enabled)
}

_has_applies_to(p) if {
	is_object(p)
	is_array(p.appliesTo)
}

# blocked reports whether password addition is blocked for every application and service
# principal: MS.AAD.5.6v1 applies "only if password credentials are permitted".
blocked if {
	count(violations(password_addition)) == 0
	count(errors(password_addition)) == 0
}
