# Users of the snapshot (input.entra.users): indexes built once per evaluation and cheap lookups.
# The indexes are complete rules, so OPA computes each at most once per query; with 100,000 users
# every pass costs about 0.1 s, so rules should reuse these instead of scanning the users again.
#
# Loops over every user compare with unification (`u.userType = "Member"`) instead of `==`: for
# a ground value both mean "equal", but `==` is a builtin call that costs about as much per user
# as the rest of the loop.
package posture.lib.users

# all is the raw user list; [] when the key is absent (a rule that needs users must list
# entra.users in `requires`, so absence never reaches a rule that depends on it).
default all := []

all := input.entra.users if is_array(input.entra.users)

# by_id maps a user's object id to the user.
# The engine precomputes this index in Go as input.derived.usersById (a Rego comprehension over
# 100,000 users costs a tenth of a second); without it, e.g. in unit tests, Rego builds it.
by_id := input.derived.usersById if {
	is_object(input.derived.usersById)
} else := {u.id: u | some u in all}

# enabled_member_ids is the set of ids of enabled member users: the population of tenant-wide
# user requirements. It holds every user not known to be disabled (accountEnabled false) or a
# guest (userType Guest): a user whose accountEnabled or userType is missing or null is counted,
# so that missing data never shrinks the population a rule must cover. The engine refuses users
# that lack either property (snapshot.Requirements in Go), but userType null is real: users
# created before August 2014, when Entra ID introduced it, have none, and are members.
# Precomputed by the engine as input.derived.enabledMemberIds, like by_id.
enabled_member_ids := input.derived.enabledMemberIds if {
	is_set(input.derived.enabledMemberIds)
} else := {u.id | some u in all; not u.accountEnabled = false; not u.userType = "Guest"}

# guest_ids is the set of ids of users whose userType is Guest. Precomputed by the engine as
# input.derived.guestIds, like by_id.
guest_ids := input.derived.guestIds if {
	is_set(input.derived.guestIds)
} else := {u.id | some u in all; u.userType = "Guest"}

# external_kind_ids maps Conditional Access guest-or-external user types to the users of that
# kind. A user is external (invited, see _invited) when Entra marks her as such: the #EXT#
# marker in the UPN of an invited user, externalUserState (PendingAcceptance or Accepted, set
# for users invited through the invitation API and for internal users converted to external,
# whose UPN keeps no #EXT#; null for everyone else: Microsoft Learn, user resource type) or
# creationType "Invitation". A Guest who is not external is a local (internal) guest, an
# external Guest a B2B collaboration guest, an external Member a B2B collaboration member
# (Microsoft Learn, "Conditional Access: Users, groups, and workload identities", guest or
# external users; "Invite internal users to B2B collaboration"). B2B direct connect, service
# provider and other external users have no user object in the tenant. Precomputed by the
# engine as input.derived.externalKindIds: the member scan reads every user.
external_kind_ids := input.derived.externalKindIds if {
	is_object(input.derived.externalKindIds)
} else := {
	"internalGuest": {id | some id in guest_ids; not _invited(by_id[id])},
	"b2bCollaborationGuest": {id | some id in guest_ids; _invited(by_id[id])},
	"b2bCollaborationMember": {u.id | some u in all; u.userType = "Member"; _invited(u)},
}

_invited(u) if _ext_upn(u)

_invited(u) if {
	state := u.externalUserState
	is_string(state)
	state != ""
}

_invited(u) if u.creationType == "Invitation"

# kind_unknown_ids are the users whose guest-or-external user type the snapshot cannot tell: no
# #EXT# in the UPN, and neither externalUserState nor creationType among their properties.
# Graph returns both when they are selected, null when unset, so such a user comes from a
# snapshot collected before posture selected them, where an internal user converted to external
# looks like any member or local guest. Precomputed by the engine as
# input.derived.externalKindUnknownIds.
kind_unknown_ids := input.derived.externalKindUnknownIds if {
	is_set(input.derived.externalKindUnknownIds)
} else := {u.id |
	some u in all
	not _ext_upn(u)
	not "externalUserState" in object.keys(u)
	not "creationType" in object.keys(u)
}

_ext_upn(u) if contains(u.userPrincipalName, "#EXT#")

# external_kind is the guest-or-external user type of one user (see external_kind_ids); undefined
# for an internal member or an unknown id. It reads only that user, so checking a few users does
# not build the tenant-wide sets.
external_kind(uid) := _kind(by_id[uid])

_kind(u) := "internalGuest" if {
	u.userType == "Guest"
	not _invited(u)
}

_kind(u) := "b2bCollaborationGuest" if {
	u.userType == "Guest"
	_invited(u)
}

_kind(u) := "b2bCollaborationMember" if {
	u.userType == "Member"
	_invited(u)
}

# exists is true when uid is a user of the snapshot.
exists(uid) if by_id[uid]

# enabled is true when the user exists and accountEnabled is true: known to be able to sign in.
enabled(uid) if by_id[uid].accountEnabled == true

# disabled is true when the user exists and accountEnabled is false. A population that must be
# covered (admins) leaves out the disabled users, not the users that are not known to be enabled.
disabled(uid) if by_id[uid].accountEnabled == false

# upn is the user's userPrincipalName, or the id itself for an unknown user or a missing UPN,
# so messages always name something.
upn(uid) := name if {
	name := by_id[uid].userPrincipalName
	is_string(name)
} else := uid

# upns renders a set of user ids as a sorted, comma-separated list of UPNs.
upns(ids) := concat(", ", sort([upn(id) | some id in ids]))
