# METADATA
# title: Only administrators and Guest Inviters can invite guests
# description: >-
#   Every guest invitation creates an account that signs in with another organization's
#   credentials and can reach the tenant's Teams, SharePoint and apps. By default anyone in the
#   organization, guests included, can invite more guests, so there is no approval step and a
#   compromised guest can bring in others. Who can invite is authorizationPolicy.allowInvitesFrom.
#   The rule passes for adminsAndGuestInviters (only users in admin roles that allow it and the
#   Guest Inviter role) and for none (nobody, the most restrictive); it fails for everyone,
#   adminsGuestInvitersAndAllMembers and any other value, and cannot verify (error) when the
#   property is missing or not a string. A violation breaks both CISA SCuBA MS.AAD.8.2v1 and CIS
#   5.1.6.3. For none this rule follows CIS and the text of MS.AAD.8.2v1 ("only users with the
#   Guest Inviter role SHOULD be able to invite": with none nobody can), a deliberate difference
#   from ScubaGear at 4d34e9a, which passes MS.AAD.8.2v1 only for adminsAndGuestInviters.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/external-id/external-collaboration-settings-configure
#     description: "Microsoft Learn: Configure external collaboration settings (guest invite settings)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy
#     description: "Microsoft Learn: authorizationPolicy resource type (allowInvitesFrom)"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference#guest-inviter
#     description: "Microsoft Learn: Microsoft Entra built-in roles, Guest Inviter"
# custom:
#   id: entra.guest_invite_restricted
#   severity: medium
#   level: should
#   requires: [entra.authorizationPolicy]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.8.2v1]
#     cis_m365: ["5.1.6.3"]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > External Identities > External
#     collaboration settings, and under "Guest invite settings" choose "Only users assigned to
#     specific admin roles can invite guest users", then save. Assign the Guest Inviter role to the
#     people who approve guests. With Microsoft Graph, PATCH /policies/authorizationPolicy with
#     {"allowInvitesFrom": "adminsAndGuestInviters"}.
#   user_impact: moderate
#   implementation_cost: low
package posture.rules.entra.guest_invite_restricted

import data.posture.lib.entity

# Every violation breaks every control the rule cites: both ask that only admins and Guest Inviters
# invite guests.
_controls := ["MS.AAD.8.2v1", "5.1.6.3"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

_policy := input.entra.authorizationPolicy

_entity := entity.setting("authorizationPolicy.allowInvitesFrom", "Guest invite restrictions")

_allowed := {"adminsandguestinviters", "none"}

# _too_open explains, for each permissive value (lowercased), who may invite.
_too_open := {
	"everyone": "Anyone in the organization, including guests, can invite guest users",
	"adminsguestinvitersandallmembers": "Every member user, besides admins and Guest Inviters, can invite guest users",
}

# invites_from is authorizationPolicy.allowInvitesFrom; null when missing.
default invites_from := null

invites_from := object.get(_policy, "allowInvitesFrom", null) if is_object(_policy)

_violations contains {"msg": msg, "entity": _entity} if {
	is_string(invites_from)
	who := _too_open[lower(invites_from)]
	msg := sprintf("%s (authorizationPolicy.allowInvitesFrom is %s), so guests are added without an approval step", [who, invites_from])
}

_violations contains {"msg": msg, "entity": _entity} if {
	is_string(invites_from)
	not lower(invites_from) in _allowed
	not _too_open[lower(invites_from)]
	msg := sprintf("Guest invitations are not limited to admins and Guest Inviters (authorizationPolicy.allowInvitesFrom is %s, expected adminsAndGuestInviters or none)", [invites_from])
}

error contains "entra.authorizationPolicy is not an object" if not is_object(_policy)

error contains "authorizationPolicy.allowInvitesFrom is not set, so who can invite guests is unknown" if {
	is_object(_policy)
	invites_from == null
}

error contains sprintf("authorizationPolicy.allowInvitesFrom is %s; expected a string", [json.marshal(invites_from)]) if {
	invites_from != null
	not is_string(invites_from)
}
