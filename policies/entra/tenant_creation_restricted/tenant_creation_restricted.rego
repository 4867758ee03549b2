# METADATA
# title: Only administrators can create tenants
# description: >-
#   A user who creates a Microsoft Entra or Azure AD B2C tenant becomes its Global Administrator,
#   outside the organization's control: data and apps can move to a directory nobody governs, and
#   the tenant may keep billing or branding ties to the organization. By default every member
#   user can create tenants. The rule passes when
#   authorizationPolicy.defaultUserRolePermissions.allowedToCreateTenants is false ("Restrict
#   non-admin users from creating tenants": Yes), fails when it is true, and cannot verify
#   (error) when the property is missing or not a boolean. People who need to create tenants can
#   be given the Tenant Creator role.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/fundamentals/users-default-permissions
#     description: "Microsoft Learn: What are the default user permissions in Microsoft Entra ID? (restrict member users' default permissions)"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference#tenant-creator
#     description: "Microsoft Learn: Microsoft Entra built-in roles, Tenant Creator"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/defaultuserrolepermissions
#     description: "Microsoft Learn: defaultUserRolePermissions resource type"
# custom:
#   id: entra.tenant_creation_restricted
#   severity: low
#   level: shall
#   requires: [entra.authorizationPolicy]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["5.1.2.3"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Users > User settings, set "Restrict
#     non-admin users from creating tenants" to Yes and save. Assign the Tenant Creator role to
#     anyone who legitimately needs to create tenants. With Microsoft Graph, PATCH
#     /policies/authorizationPolicy with {"defaultUserRolePermissions": {"allowedToCreateTenants":
#     false}} (Update-MgPolicyAuthorizationPolicy).
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.tenant_creation_restricted

import data.posture.lib.entity

_policy := input.entra.authorizationPolicy

_path := "authorizationPolicy.defaultUserRolePermissions.allowedToCreateTenants"

_entity := entity.setting(_path, "Restrict non-admin users from creating tenants")

# allowed is the setting's value; null when it (or defaultUserRolePermissions) is missing.
default allowed := null

allowed := object.get(_policy, ["defaultUserRolePermissions", "allowedToCreateTenants"], null) if is_object(_policy)

deny contains {"msg": msg, "entity": _entity} if {
	allowed == true
	msg := sprintf("Every user can create new Microsoft Entra tenants and become their Global Administrator (%s is true)", [_path])
}

error contains "entra.authorizationPolicy is not an object" if not is_object(_policy)

error contains sprintf("%s is not set, so whether users can create tenants is unknown", [_path]) if {
	is_object(_policy)
	allowed == null
}

error contains sprintf("%s is %s; expected true or false", [_path, json.marshal(allowed)]) if {
	allowed != null
	not is_boolean(allowed)
}
