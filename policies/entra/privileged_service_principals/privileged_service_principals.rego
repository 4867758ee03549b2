# METADATA
# title: No application holds a privileged directory role without review
# description: >-
#   A service principal with a directory role signs in with a secret or certificate, without MFA
#   and usually without Conditional Access, so whoever obtains its credential, or can add one
#   (its owners, Application Administrators), holds the role. Global Administrator, Privileged
#   Role Administrator and Privileged Authentication Administrator let it take over the whole
#   tenant. The rule lists every privileged role granted to a service principal (active or PIM
#   eligible, at any scope) so that someone confirms the application needs it; applications
#   published by Microsoft (appOwnerOrganizationId in microsoftOwnerOrganizationIds, by default
#   Microsoft's first-party tenant f8cdef31-a31e-4b4a-93e4-5f571e91255a) are left out. A service
#   principal whose appOwnerOrganizationId is missing is listed. Roles a service principal gets
#   through a role-assignable group are not seen, since the snapshot's group members are users
#   only. Accept a reviewed application with an exception for its service principal id.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/architecture/govern-service-accounts
#     description: "Microsoft Learn: Governing Microsoft Entra service accounts"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/best-practices
#     description: "Microsoft Learn: Best practices for Microsoft Entra roles"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference
#     description: "Microsoft Learn: Microsoft Entra built-in roles"
# custom:
#   id: entra.privileged_service_principals
#   severity: high
#   level: should
#   requires:
#     - entra.servicePrincipals
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.users
#     - entra.groups
#   accepts_unlicensed: [entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: []
#   license: []
#   remediation: >-
#     For each listed application, in the Microsoft Entra admin center go to Entra ID > Roles &
#     admins > the role > Assignments, and find the service principal. Confirm with its owner
#     what it does with the role. Replace the role with the narrowest Microsoft Graph application
#     permissions (Entra ID > Enterprise apps > the app > Permissions) or a narrower role scoped
#     to an administrative unit, then remove the assignment. If the role must stay, restrict who
#     can manage the app's credentials (owners, Application Administrators), prefer certificates
#     or a managed identity over client secrets, and record an exception for the service
#     principal in the posture config.
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: microsoftOwnerOrganizationIds
#       type: array
#       items: string
#       description: >-
#         Tenant ids whose applications count as Microsoft's own (appOwnerOrganizationId) and
#         are not listed.
#       default: [f8cdef31-a31e-4b4a-93e4-5f571e91255a]
#     - name: privilegedRoles
#       type: array
#       items: string
#       description: >-
#         Role template ids that count as privileged; replaces the default, which is the role
#         list of Microsoft's "Require MFA for administrators" policy template plus Hybrid
#         Identity Administrator, which CISA SCuBA counts as highly privileged.
#       default:
#         - 62e90394-69f5-4237-9190-012177145e10 # Global Administrator
#         - 9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3 # Application Administrator
#         - c4e39bd9-1100-46d3-8c65-fb160da0071f # Authentication Administrator
#         - b0f54661-2d74-4c50-afa3-1ec803f12efe # Billing Administrator
#         - 158c047a-c907-4556-b7ef-446551a6b5f7 # Cloud Application Administrator
#         - b1be1c3e-b65d-4f19-8427-f6fa0d97feb9 # Conditional Access Administrator
#         - 29232cdf-9323-42fd-ade2-1d097af3e4de # Exchange Administrator
#         - 729827e3-9c14-49f7-bb1b-9608f156bbb8 # Helpdesk Administrator
#         - 966707d0-3269-4727-9be2-8c3a10f19b9d # Password Administrator
#         - 7be44c8a-adaf-4e2a-84d6-ab2649e08a13 # Privileged Authentication Administrator
#         - e8611ab8-c189-46e8-94e1-60213ab1f814 # Privileged Role Administrator
#         - 194ae4cb-b126-40b2-bd5b-6091b380977d # Security Administrator
#         - f28a1f50-f6e7-4571-818b-6a12f2af6b6c # SharePoint Administrator
#         - fe930be7-5e62-47db-91af-98c3a49a38b1 # User Administrator
#         - 8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2 # Hybrid Identity Administrator
package posture.rules.entra.privileged_service_principals

import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.privileged
import data.posture.lib.roles

_microsoft_param := params.value("microsoftOwnerOrganizationIds")

_microsoft := {lower(id) | some id in _microsoft_param; is_string(id)}

# Roles that can grant any other permission in the tenant, including themselves.
_tenant_control := {
	"62e90394-69f5-4237-9190-012177145e10", # Global Administrator
	"e8611ab8-c189-46e8-94e1-60213ab1f814", # Privileged Role Administrator
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", # Privileged Authentication Administrator
}

_published_by_microsoft(sp) if {
	owner := sp.appOwnerOrganizationId
	is_string(owner)
	lower(owner) in _microsoft
}

# reported is the set of privileged grants (roles.grants entries) to service principals that
# Microsoft does not publish.
reported contains g if {
	some g in privileged.grants
	privileged.kind(g.principalId) == "servicePrincipal"
	not _published_by_microsoft(privileged.service_principals_by_id[g.principalId])
}

deny contains {"msg": msg, "entity": entity.service_principal(g.principalId, _name(sp))} if {
	some g in reported
	sp := privileged.service_principals_by_id[g.principalId]
	msg := sprintf("%s '%s' (%s) holds %s%s (%s)%s; confirm the application needs it", [
		_kind(sp),
		_name(sp),
		_ids(sp),
		roles.name(g.roleId),
		_scope(g.scope),
		g.kind,
		_impact(g.roleId),
	])
}

_name(sp) := n if {
	n := sp.displayName
	is_string(n)
} else := sp.id

_kind(sp) := "disabled service principal" if {
	sp.accountEnabled == false
} else := "service principal"

_ids(sp) := sprintf("appId %s, owner organization %s", [object.get(sp, "appId", "unknown"), _owner(sp)])

_owner(sp) := "not in the snapshot" if {
	not "appOwnerOrganizationId" in object.keys(sp)
} else := "none" if {
	sp.appOwnerOrganizationId == null
} else := sprintf("%v", [sp.appOwnerOrganizationId])

_impact(role) := ", which gives full control of the tenant" if {
	role in _tenant_control
} else := ""

_scope("/") := ""

_scope(scope) := sprintf(" at scope %s", [scope]) if scope != "/"

error contains sprintf("config microsoftOwnerOrganizationIds must be a list of tenant ids, got %s", [json.marshal(_microsoft_param)]) if {
	not _valid_param
}

_valid_param if {
	is_array(_microsoft_param)
	every id in _microsoft_param {
		is_string(id)
	}
}

# A privileged role granted to an object the snapshot does not know may be held by an
# application that should be listed.
error contains msg if {
	some g in privileged.unresolved_grants
	msg := sprintf("%s has an %s assignment to principal %s, which is not a user, group or service principal in the snapshot, so it cannot be checked", [roles.name(g.roleId), g.kind, g.principalId])
}
