# METADATA
# title: Privileged users have dedicated, unlicensed, cloud-only admin accounts
# description: >-
#   An account that reads mail, opens documents and chats in Teams is exposed to phishing and
#   malware every day; if it also holds an admin role, one bad click hands over the tenant.
#   Admins should do daily work with an ordinary account and keep a separate account, with no
#   productivity licence and not synchronized from on-premises, for administration. Every user
#   holding a privileged role (actively or as PIM eligible, directly or through a group,
#   break-glass accounts and disabled accounts included) must have no assignedLicenses other
#   than the SKUs in allowedAdminSkuIds (by default Microsoft Entra ID P1 and P2, which carry no
#   applications), and must be cloud-only: onPremisesSyncEnabled false or null (and, when the
#   snapshot has it, no onPremisesImmutableId). A holder whose assignedLicenses or
#   onPremisesSyncEnabled is missing makes the result an error, as do privileged roles granted
#   to groups whose members were not collected. Whether a person also has a second, ordinary
#   account is not visible in the directory; a licence-free admin account is taken as the sign
#   of a dedicated one. A violation breaks CIS 1.1.1 when the account is not cloud-only and CIS
#   1.1.4 when it has licences with applications.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/best-practices
#     description: "Microsoft Learn: Best practices for Microsoft Entra roles"
#   - ref: https://learn.microsoft.com/en-us/entra/architecture/protect-m365-from-on-premises-attacks
#     description: "Microsoft Learn: Protect Microsoft 365 from on-premises attacks"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/assignedlicense
#     description: "Microsoft Learn: assignedLicense resource type"
# custom:
#   id: entra.admin_accounts_separate
#   severity: medium
#   level: shall
#   requires:
#     - entra.users
#     - entra.groups
#     - entra.groupMembers
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.servicePrincipals
#     - entra.subscribedSkus
#   accepts_unlicensed: [entra.roleEligibilitySchedules]
#   secure_score: [aad_admin_accounts_separate_unassigned_cloud_only]
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["1.1.1", "1.1.4"]
#   license: []
#   remediation: >-
#     For each listed admin create a separate account for administration: in the Microsoft Entra
#     admin center go to Entra ID > Users > New user > Create new user, in the onmicrosoft.com
#     domain (or another managed domain), with no licence or only Microsoft Entra ID P1/P2
#     (Microsoft 365 admin center > Users > Active users > the user > Licenses and apps). Move
#     the role assignments to it (Entra ID > Roles & admins, or PIM as eligible assignments) and
#     remove them from the everyday account. For an account that is already dedicated, remove
#     the productivity licences (and the group that assigns them, for group-based licensing).
#   user_impact: moderate
#   implementation_cost: moderate
#   parameters:
#     - name: allowedAdminSkuIds
#       type: array
#       items: string
#       description: >-
#         Licences (subscribedSkus skuId, or skuPartNumber) an admin account may have because
#         they carry no productivity applications.
#       default:
#         - 078d2b04-f1bd-4111-bbd4-b4b1b354cef4 # AAD_PREMIUM (Microsoft Entra ID P1)
#         - 84a661c4-e949-4bd2-a560-ed7766fcaf2b # AAD_PREMIUM_P2 (Microsoft Entra ID P2)
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
package posture.rules.entra.admin_accounts_separate

import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.users

_allowed_param := params.value("allowedAdminSkuIds")

_allowed := {lower(s) | some s in _allowed_param; is_string(s)}

default _skus := []

_skus := input.entra.subscribedSkus if is_array(input.entra.subscribedSkus)

# A set, so that two subscriptions of one SKU can never make the evaluation fail with a conflict.
_part_numbers(sku_id) := {s.skuPartNumber |
	some s in _skus
	is_string(s.skuId)
	lower(s.skuId) == lower(sku_id)
	is_string(s.skuPartNumber)
}

_allowed_sku(sku_id) if lower(sku_id) in _allowed

_allowed_sku(sku_id) if {
	some n in _part_numbers(sku_id)
	lower(n) in _allowed
}

_licence_name(sku_id) := sort(_part_numbers(sku_id))[0] if {
	count(_part_numbers(sku_id)) > 0
} else := sku_id

_licences(u) := l if {
	l := u.assignedLicenses
	is_array(l)
}

# _licence_reason names the licences that give the admin account productivity apps.
_licence_reason(u) := sprintf("it has licences with applications (%s)", [concat(", ", sort(names))]) if {
	names := {_licence_name(l.skuId) |
		some l in _licences(u)
		is_string(l.skuId)
		not _allowed_sku(l.skuId)
	}
	count(names) > 0
}

# _reasons maps each reason the account is not a dedicated admin account to the CIS control it
# breaks: 1.1.1 (cloud-only) or 1.1.4 (a licence with a reduced application footprint). Each
# part is its own comprehension: an object literal with an undefined value is undefined.
_reasons(u) := object.union({r: "1.1.1" | r := privileged.not_cloud_only(u)}, {r: "1.1.4" | r := _licence_reason(u)})

deny contains {"msg": msg, "entity": entity.user(uid), "controls": sort({c | some c in reasons})} if {
	some uid in roles.privileged_user_ids
	reasons := _reasons(users.by_id[uid])
	count(reasons) > 0
	msg := sprintf("%s (%s) is not a dedicated cloud-only admin account: %s", [users.upn(uid), privileged.role_names(uid), concat("; ", sort(object.keys(reasons)))])
}

error contains msg if {
	some uid in roles.privileged_user_ids
	u := users.by_id[uid]
	some reason in _unknown(u)
	msg := sprintf("%s (%s) cannot be checked: %s", [users.upn(uid), privileged.role_names(uid), reason])
}

_unknown(u) := {r | r := _sync_unknown(u)} | {r | r := _licences_unknown(u)}

_sync_unknown(u) := privileged.sync_unknown(u) if not privileged.not_cloud_only(u)

_licences_unknown(u) := "the snapshot has no assignedLicenses list for it" if {
	not _licences(u)
} else := "one of its assignedLicenses has no skuId" if {
	some l in _licences(u)
	not is_string(object.get(l, "skuId", null))
}

error contains sprintf("config allowedAdminSkuIds must be a list of skuIds or skuPartNumbers, got %s", [json.marshal(_allowed_param)]) if {
	not _valid_param
}

_valid_param if {
	is_array(_allowed_param)
	every s in _allowed_param {
		is_string(s)
	}
}

error contains msg if some msg in privileged.holder_errors
