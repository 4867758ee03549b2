# METADATA
# title: Only administrators can register applications
# description: >-
#   An app registration is an identity of its own: whoever creates it can give it secrets and
#   certificates, request permissions and keep using it after their own account is disabled,
#   outside the MFA and Conditional Access that protect users. By default every member user can
#   register applications. The rule passes when
#   authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps is false, fails when it is
#   true, and cannot verify (error) when the property is missing or not a boolean. Users who
#   need to register apps can be given the Application Developer role instead. A violation
#   breaks both CISA SCuBA MS.AAD.5.1v1 and CIS 5.1.2.2.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/delegate-app-roles
#     description: "Microsoft Learn: Delegate app registration permissions (restrict who can create applications)"
#   - ref: https://learn.microsoft.com/en-us/entra/fundamentals/users-default-permissions
#     description: "Microsoft Learn: What are the default user permissions in Microsoft Entra ID?"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/defaultuserrolepermissions
#     description: "Microsoft Learn: defaultUserRolePermissions resource type"
# custom:
#   id: entra.app_registration_restricted
#   severity: medium
#   level: shall
#   requires: [entra.authorizationPolicy]
#   secure_score: [aad_third_party_apps]
#   frameworks:
#     cisa_scuba: [MS.AAD.5.1v1]
#     cis_m365: ["5.1.2.2"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Users > User settings, set "Users can
#     register applications" to No and save. Give the people who build applications the
#     Application Developer role (or a custom role) instead. With Microsoft Graph, PATCH
#     /policies/authorizationPolicy with {"defaultUserRolePermissions": {"allowedToCreateApps":
#     false}} (Update-MgPolicyAuthorizationPolicy).
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.app_registration_restricted

import data.posture.lib.entity

# Every violation breaks every control the rule cites: both ask that only administrators register
# applications.
_controls := ["MS.AAD.5.1v1", "5.1.2.2"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

_policy := input.entra.authorizationPolicy

_path := "authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps"

_entity := entity.setting(_path, "Users can register applications")

# allowed is the setting's value; null when it (or defaultUserRolePermissions) is missing.
default allowed := null

allowed := object.get(_policy, ["defaultUserRolePermissions", "allowedToCreateApps"], null) if is_object(_policy)

_violations contains {"msg": msg, "entity": _entity} if {
	allowed == true
	msg := sprintf("Every user can register applications (%s is true), creating app identities with their own credentials that no administrator reviewed", [_path])
}

error contains "entra.authorizationPolicy is not an object" if not is_object(_policy)

error contains sprintf("%s is not set, so whether users can register applications is unknown", [_path]) if {
	is_object(_policy)
	allowed == null
}

error contains sprintf("%s is %s; expected true or false", [_path, json.marshal(allowed)]) if {
	allowed != null
	not is_boolean(allowed)
}
