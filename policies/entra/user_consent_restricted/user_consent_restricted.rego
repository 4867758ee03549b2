# METADATA
# title: Users cannot consent to applications
# description: >-
#   When users may consent to applications on their own behalf, a phishing link to a malicious
#   app is enough to hand it lasting access to their mail and files (an illicit consent grant),
#   with no password or MFA prompt to stop it later. User consent is governed by the
#   ManagePermissionGrantsForSelf.* permission grant policies assigned to the default user role
#   (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned); none may be
#   assigned, except those the organization explicitly allows. Requests should go through the
#   admin consent workflow instead. The frameworks differ on one option. CISA SCuBA
#   MS.AAD.5.2v1 (aad.md at ScubaGear 4d34e9a) asks that user consent be restricted and allows
#   two ways: no user consent, or consent to applications from verified publishers for the
#   permissions the tenant classifies as low impact (microsoft-user-default-low). CIS 5.1.5.1
#   allows no user consent at all, and so does posture: the low-impact option fails the rule
#   with a violation that breaks CIS 5.1.5.1 and posture's own judgement, not the SCuBA control.
#   Any other self-consent policy (microsoft-user-default-legacy: any application;
#   microsoft-user-default-recommended: consent as Microsoft currently recommends; a custom
#   policy) is neither of the baseline's two options and breaks both controls. Two deliberate
#   differences from ScubaGear's Rego at that commit, which follow the text: ScubaGear no longer
#   flags microsoft-user-default-legacy; and it fails the low-impact option when the tenant
#   classifies as low a permission its list of risky permissions names, where posture does not
#   read permission classifications (review the Low tab of Permission classifications). A policy the
#   organization allows (allowedUserConsentPolicies) passes posture's judgement but not the
#   frameworks': the rule warns with a violation that breaks the controls the policy breaks.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-user-consent
#     description: "Microsoft Learn: Configure how users consent to applications"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-admin-consent-workflow
#     description: "Microsoft Learn: Configure the admin consent workflow"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/defaultuserrolepermissions
#     description: "Microsoft Learn: defaultUserRolePermissions resource type"
# custom:
#   id: entra.user_consent_restricted
#   severity: high
#   level: shall
#   requires: [entra.authorizationPolicy]
#   secure_score: [IntegratedApps]
#   frameworks:
#     cisa_scuba: [MS.AAD.5.2v1]
#     cis_m365: ["5.1.5.1"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Enterprise apps > Consent and
#     permissions > User consent settings, set "User consent for applications" to "Do not allow
#     user consent" and save. Then set up the admin consent workflow (Consent and permissions >
#     Admin consent settings > "Users can request admin consent to apps they are unable to
#     consent to": Yes, with reviewers). With Microsoft Graph, PATCH
#     /policies/authorizationPolicy with defaultUserRolePermissions.permissionGrantPoliciesAssigned
#     set to the current list minus every ManagePermissionGrantsForSelf.* entry (keep the
#     ManagePermissionGrantsForOwnedResource.* entries).
#   user_impact: moderate
#   implementation_cost: low
#   parameters:
#     - name: allowedUserConsentPolicies
#       type: array
#       items: string
#       description: >-
#         Permission grant policies users may keep, by full id
#         (ManagePermissionGrantsForSelf.microsoft-user-default-low) or policy id
#         (microsoft-user-default-low).
#       default: []
package posture.rules.entra.user_consent_restricted

import data.posture.lib.entity
import data.posture.lib.params

_self_prefix := "managepermissiongrantsforself."

_policy := input.entra.authorizationPolicy

# assigned is the list of permission grant policies assigned to the default user role.
default assigned := []

assigned := a if {
	a := object.get(_policy, ["defaultUserRolePermissions", "permissionGrantPoliciesAssigned"], [])
	is_array(a)
}

_allowed_param := params.value("allowedUserConsentPolicies")

_allowed := {lower(a) | some a in _allowed_param; is_string(a)}

# _is_allowed accepts both the full assignment id and the bare permission grant policy id.
_is_allowed(entry) if lower(entry) in _allowed

_is_allowed(entry) if substring(lower(entry), count(_self_prefix), -1) in _allowed

# _low is the option SCuBA MS.AAD.5.2v1 allows: consent to verified publishers' applications
# for permissions classified as low impact.
_low := "managepermissiongrantsforself.microsoft-user-default-low"

# _controls are the framework controls a self-consent policy breaks: the low-impact option
# breaks only CIS 5.1.5.1, every other policy SCuBA MS.AAD.5.2v1 too.
_controls(entry) := ["5.1.5.1"] if {
	lower(entry) == _low
} else := ["MS.AAD.5.2v1", "5.1.5.1"]

# _self_consent is the list of the assigned policies that let users consent for themselves.
_self_consent := [entry |
	some entry in assigned
	is_string(entry)
	startswith(lower(entry), _self_prefix)
]

# Posture allows no self-consent policy the organization has not allowed.
deny contains {"msg": _message(entry), "entity": _entity, "controls": array.concat(["posture"], _controls(entry))} if {
	some entry in _self_consent
	not _is_allowed(entry)
}

warn contains {"msg": concat("", [_message(entry), " (allowed by parameter allowedUserConsentPolicies)"]), "entity": _entity, "controls": _controls(entry)} if {
	some entry in _self_consent
	_is_allowed(entry)
}

_entity := entity.setting("authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned", "User consent for applications")

_message(entry) := sprintf("Users may consent to any application accessing company data on their behalf (permission grant policy %s)", [entry]) if {
	lower(entry) == "managepermissiongrantsforself.microsoft-user-default-legacy"
} else := sprintf("Users may consent to applications from verified publishers for permissions classified as low impact (permission grant policy %s)", [entry]) if {
	lower(entry) == _low
} else := sprintf("Users may consent to applications as Microsoft's current recommendation for user consent allows, which Microsoft may change (permission grant policy %s)", [entry]) if {
	lower(entry) == "managepermissiongrantsforself.microsoft-user-default-recommended"
} else := sprintf("Users may consent to applications as permission grant policy %s allows", [entry])

error contains "entra.authorizationPolicy is not an object" if not is_object(_policy)

error contains sprintf("config allowedUserConsentPolicies must be a list of strings, got %s", [json.marshal(_allowed_param)]) if {
	not _string_list(_allowed_param)
}

_string_list(xs) if {
	is_array(xs)
	every x in xs {
		is_string(x)
	}
}
