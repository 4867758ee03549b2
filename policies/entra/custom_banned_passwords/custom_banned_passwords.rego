# METADATA
# title: A custom banned password list is enforced
# description: >-
#   People build passwords from what surrounds them: the company name, its products, its city,
#   its sports team. Attackers feed the same words to password-spraying and cracking tools.
#   Entra Password Protection always applies Microsoft's global banned list; the custom list adds
#   the organization's own terms (up to 1,000) and needs Microsoft Entra ID P1. It lives in the
#   "Password Rule Settings" directory setting (Graph /groupSettings, templateId
#   5cf42378-d67d-4f36-ba46-e8b86229381d), whose values EnableBannedPasswordCheck ("True" when
#   the custom list is enforced) and BannedPasswordList (the terms, separated by tabs) the rule
#   reads. It passes when that object exists with EnableBannedPasswordCheck "True" (any case) and
#   at least one term, and the tenant has Entra ID P1 or P2. It fails when there is no such object
#   (the tenant runs on the defaults: no custom list), when the check is off or not set, when the
#   list is empty, or when the tenant lacks Entra ID P1. A settings object without a values list,
#   or a malformed settings list, cannot be verified (error).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-password-ban-bad
#     description: "Microsoft Learn: Eliminate bad passwords using Microsoft Entra Password Protection"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/tutorial-configure-custom-password-protection
#     description: "Microsoft Learn: Tutorial: Configure custom banned passwords"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/groupsetting
#     description: "Microsoft Learn: groupSetting resource type (directory settings)"
# custom:
#   id: entra.custom_banned_passwords
#   severity: low
#   level: shall
#   requires: [entra.directorySettings, entra.subscribedSkus]
#   secure_score: [aad_custom_banned_passwords]
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["5.2.3.2"]
#   license: [AAD_PREMIUM]
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Authentication methods > Password
#     protection (formerly Protection > Authentication methods), set "Enforce custom list" to Yes,
#     enter the organization's terms in "Custom banned password list" (brand and product names,
#     locations, internal terms and abbreviations; one per line, up to 1,000) and save. This needs
#     Microsoft Entra ID P1. With Microsoft Graph, PATCH /groupSettings/{id} of the "Password Rule
#     Settings" object (or POST /groupSettings from template 5cf42378-d67d-4f36-ba46-e8b86229381d
#     when none exists) with values EnableBannedPasswordCheck "True" and BannedPasswordList set to
#     the terms joined by tab characters.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.custom_banned_passwords

import data.posture.lib.entity
import data.posture.lib.licenses

password_rule_template := "5cf42378-d67d-4f36-ba46-e8b86229381d"

_settings := input.entra.directorySettings

# password_rules are the directory settings created from the Password Rule Settings template.
default password_rules := []

password_rules := [s |
	some s in _settings
	is_object(s)
	_template_id(s) == password_rule_template
] if is_array(_settings)

_template_id(s) := lower(t) if {
	t := object.get(s, "templateId", null)
	is_string(t)
}

# _values returns the values of setting `name` in settings object s (a set, so that a duplicated
# name can never make the evaluation fail).
_values(s, name) := {v.value |
	some v in object.get(s, "values", [])
	is_object(v)
	object.get(v, "name", null) == name
}

# terms are the non-empty entries of a BannedPasswordList value; Entra stores them separated by
# tab characters.
terms(list) := [t |
	some raw in split(list, "\t")
	t := trim_space(raw)
	t != ""
]

_enforced(s) if {
	some v in _values(s, "EnableBannedPasswordCheck")
	is_string(v)
	lower(v) == "true"
}

_term_count(s) := sum([count(terms(v)) | some v in _values(s, "BannedPasswordList"); is_string(v)])

_entity(s) := entity.setting(object.get(s, "id", "Password Rule Settings"), object.get(s, "displayName", "Password Rule Settings"))

_default_entity := entity.setting("Password Rule Settings", "Password Rule Settings")

deny contains {"msg": msg, "entity": _default_entity} if {
	is_array(_settings)
	count(password_rules) == 0
	msg := sprintf("No Password Rule Settings directory setting exists (templateId %s), so the tenant runs on the defaults: no custom banned password list is enforced", [password_rule_template])
}

deny contains {"msg": msg, "entity": _entity(s)} if {
	some s in password_rules
	is_array(object.get(s, "values", null))
	not _enforced(s)
	msg := _not_enforced_message(s)
}

deny contains {"msg": msg, "entity": _entity(s)} if {
	some s in password_rules
	is_array(object.get(s, "values", null))
	_term_count(s) == 0
	msg := "The custom banned password list is empty (BannedPasswordList in Password Rule Settings has no terms), so no organization-specific words are banned"
}

_tenant_entity := entity.tenant

deny contains {"msg": msg, "entity": _tenant_entity} if {
	not licenses.has_p1
	msg := "The tenant lacks Microsoft Entra ID P1, which the custom banned password list needs, so organization-specific terms cannot be banned"
}

_not_enforced_message(s) := msg if {
	count(_values(s, "EnableBannedPasswordCheck")) == 0
	msg := "Password Rule Settings do not set EnableBannedPasswordCheck, so enforcing the custom banned password list is not configured"
} else := sprintf("The custom banned password list is not enforced (EnableBannedPasswordCheck in Password Rule Settings is %s, not True)", [concat(", ", [json.marshal(v) | some v in _values(s, "EnableBannedPasswordCheck")])])

error contains "entra.directorySettings is not a list" if not is_array(_settings)

error contains sprintf("entra.directorySettings[%d] is not an object, so it may hide the Password Rule Settings", [i]) if {
	is_array(_settings)
	some i, s in _settings
	not is_object(s)
}

error contains sprintf("directory setting %s (Password Rule Settings) has no values list, so its password protection settings are unknown", [object.get(s, "id", "without id")]) if {
	some s in password_rules
	not is_array(object.get(s, "values", null))
}
