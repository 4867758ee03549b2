# METADATA
# title: Privileged roles are held only by cloud-only accounts
# description: >-
#   An account synchronized from on-premises Active Directory is controlled from there: whoever
#   compromises the domain (or the sync server) can reset its password, add it to groups or take
#   it over, and so gains every Entra role it holds. Privileged roles belong to accounts that
#   exist only in Entra ID. Every user holding a privileged role, actively or as PIM eligible,
#   directly or through a group (break-glass accounts included, disabled accounts included since
#   on-premises can re-enable them), must have onPremisesSyncEnabled false or null; true fails.
#   When the snapshot also has onPremisesImmutableId, a non-empty value fails too, as in CISA
#   SCuBA's check: it anchors the account to an on-premises or federated identity. A holder
#   whose onPremisesSyncEnabled property is missing makes the result an error, as do privileged
#   roles granted to groups whose members were not collected. A violation breaks CIS 1.1.1
#   (administrative accounts are cloud-only) and, when the user holds one of CISA SCuBA's highly
#   privileged roles, MS.AAD.7.3v1; a holder of one of those roles whom the privilegedRoles
#   parameter leaves out is reported as a warning that breaks MS.AAD.7.3v1 alone.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/architecture/protect-m365-from-on-premises-attacks
#     description: "Microsoft Learn: Protect Microsoft 365 from on-premises attacks"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/best-practices
#     description: "Microsoft Learn: Best practices for Microsoft Entra roles"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/user
#     description: "Microsoft Learn: user resource type (onPremisesSyncEnabled, onPremisesImmutableId)"
# custom:
#   id: entra.privileged_cloud_only
#   severity: high
#   level: shall
#   requires:
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.servicePrincipals
#   accepts_unlicensed: [entra.roleEligibilitySchedules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.7.3v1]
#     cis_m365: ["1.1.1"]
#   license: []
#   remediation: >-
#     For each listed user, create a separate cloud-only administrator account: in the Microsoft
#     Entra admin center go to Entra ID > Users > New user > Create new user, with a
#     userPrincipalName in the tenant's onmicrosoft.com domain (or another managed, non-federated
#     domain). Give it the roles the synchronized account holds (Entra ID > Roles & admins, or
#     Identity governance > Privileged Identity Management > Microsoft Entra roles, as eligible
#     assignments), register its MFA methods, then remove every role assignment from the
#     synchronized account. In Graph the new account has onPremisesSyncEnabled null.
#   user_impact: moderate
#   implementation_cost: moderate
#   parameters:
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
package posture.rules.entra.privileged_cloud_only

import data.posture.lib.entity
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.scuba
import data.posture.lib.users

_controls(uid) := ["1.1.1", "MS.AAD.7.3v1"] if {
	scuba.holds_privileged(uid)
} else := ["1.1.1"]

deny contains {"msg": msg, "entity": entity.user(uid), "controls": _controls(uid)} if {
	some uid in roles.privileged_user_ids
	reason := privileged.not_cloud_only(users.by_id[uid])
	msg := sprintf("%s (%s) is not a cloud-only account: %s", [users.upn(uid), privileged.role_names(uid), reason])
}

# Holders of SCuBA's highly privileged roles that posture's privilegedRoles leave out.
_scuba_only := scuba.privileged_user_ids - roles.privileged_user_ids

warn contains {"msg": msg, "entity": entity.user(uid), "controls": ["MS.AAD.7.3v1"]} if {
	some uid in _scuba_only
	reason := privileged.not_cloud_only(users.by_id[uid])
	msg := sprintf("%s (%s, which CISA SCuBA counts as highly privileged) is not a cloud-only account: %s", [users.upn(uid), scuba.role_names(uid), reason])
}

error contains msg if {
	some uid in (roles.privileged_user_ids | _scuba_only)
	u := users.by_id[uid]
	not privileged.not_cloud_only(u)
	reason := privileged.sync_unknown(u)
	msg := sprintf("%s (%s) cannot be checked: %s", [users.upn(uid), _names(uid), reason])
}

_names(uid) := privileged.role_names(uid) if {
	uid in roles.privileged_user_ids
} else := scuba.role_names(uid)

error contains msg if some msg in privileged.holder_errors
