# What CISA's SCuBA baseline for Microsoft Entra ID (aad.md at ScubaGear 4d34e9a)
# defines for its controls, so that a rule tags a violation with an MS.AAD control by that
# control's own definition, not by posture's parameters (which an organization may change).
package posture.lib.scuba

import data.posture.lib.breakglass
import data.posture.lib.roles
import data.posture.lib.users

# privileged_roles is the baseline's "Highly Privileged Roles" list (role template ids), which
# MS.AAD.3.6 and MS.AAD.7.x refer to. ScubaGear at 4d34e9a reads the same eight names
# (ScubaConfigDefaults.json, privilegedRoles).
privileged_roles := {
	"62e90394-69f5-4237-9190-012177145e10", # Global Administrator
	"e8611ab8-c189-46e8-94e1-60213ab1f814", # Privileged Role Administrator
	"fe930be7-5e62-47db-91af-98c3a49a38b1", # User Administrator
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", # SharePoint Administrator
	"29232cdf-9323-42fd-ade2-1d097af3e4de", # Exchange Administrator
	"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", # Hybrid Identity Administrator
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", # Application Administrator
	"158c047a-c907-4556-b7ef-446551a6b5f7", # Cloud Application Administrator
}

# privileged_user_ids is the set of users holding a highly privileged role in any way (active
# or eligible, directly or through a group), disabled and break-glass accounts included: the
# users MS.AAD.7.1 to 7.3 count.
privileged_user_ids := {g.userId | some g in roles.user_grants; g.roleId in privileged_roles}

# holds_privileged is true when the user holds a highly privileged role in any way: a lookup in
# privileged_user_ids, made once, rather than the user's roles gathered again for every call
# (rules ask it for each of thousands of admins).
holds_privileged(uid) if uid in privileged_user_ids

# admins is the set of enabled holders of a highly privileged role, declared break-glass
# accounts left out: the population MS.AAD.3.6 protects with Conditional Access (the baseline's
# policies exclude emergency access accounts). A holder whose accountEnabled is missing counts.
admins := {uid |
	some uid in privileged_user_ids
	users.exists(uid)
	not users.disabled(uid)
	not breakglass.is_account(uid)
}

# role_names lists the highly privileged roles the user holds in any way, by name, for messages.
role_names(uid) := concat(", ", sort({roles.name(r) | some r in (roles.roles_of(uid) & privileged_roles)}))
