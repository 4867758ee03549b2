# Break-glass (emergency access) accounts declared in the org config:
#   data.posture.config.breakGlass.users  - object ids or userPrincipalNames (case-insensitive)
#   data.posture.config.breakGlass.groups - object ids or displayNames (case-insensitive); the
#                                           group's accounts are its members in entra.groupMembers
# Declarations that do not resolve are reported by `unresolved`; rules that must know every
# break-glass account turn them into `error` entries.
package posture.lib.breakglass

import data.posture.lib.groups
import data.posture.lib.params
import data.posture.lib.roles
import data.posture.lib.users

_config := c if {
	c := params.value("breakGlass")
	is_object(c)
} else := {}

_refs(key) := refs if {
	refs := object.get(_config, key, [])
	is_array(refs)
} else := []

# user_refs and group_refs are the declared references, as written in the config.
user_refs := {r | some r in _refs("users")}

group_refs := {r | some r in _refs("groups")}

# declared is true when the config declares at least one break-glass user or group.
declared if count(user_refs) + count(group_refs) > 0

# Users resolve by object id first (as written, then lower-cased: Graph ids are lower-case
# GUIDs), then by userPrincipalName ignoring case. Matching a UPN could need a pass over all
# users, which costs about 0.2 s at 100,000 users, so it looks first among the few users that
# break-glass accounts almost always are: members of the declared break-glass groups, users
# named in Conditional Access user lists, and role holders. UPNs are unique, so the answer is
# the same; only what is still unresolved after that takes the full pass.
_id_of_ref[ref] := ref if {
	some ref in user_refs
	is_string(ref)
	users.by_id[ref]
}

_id_of_ref[ref] := lower(ref) if {
	some ref in user_refs
	is_string(ref)
	not users.by_id[ref]
	users.by_id[lower(ref)]
}

_upn_refs := {lower(ref) | some ref in user_refs; is_string(ref); not _id_of_ref[ref]}

default _ca_policies := []

_ca_policies := input.entra.conditionalAccessPolicies if is_array(input.entra.conditionalAccessPolicies)

_candidate_ids := ({id |
	some p in _ca_policies
	some key in ["excludeUsers", "includeUsers"]
	some id in object.get(p, ["conditions", "users", key], [])
} | {g.userId | some g in roles.user_grants}) | union({groups.member_ids(g) | some g in group_ids})

_by_candidate_upn := {upn: id |
	count(_upn_refs) > 0
	some id in _candidate_ids
	upn := lower(users.by_id[id].userPrincipalName)
	upn in _upn_refs
}

# Rule references inside a 100,000-iteration loop cost a cache lookup each time, so the loop
# binds what it needs to a local variable first.
default _by_any_upn := {}

_by_any_upn := m if {
	refs := {r | some r in _upn_refs; not _by_candidate_upn[r]}
	count(refs) > 0
	m := {upn: u.id | some u in users.all; upn := lower(u.userPrincipalName); upn in refs}
}

# user_ids_by_ref maps each declared user reference that resolves to the user's object id.
user_ids_by_ref[ref] := id if {
	some ref, id in _id_of_ref
}

user_ids_by_ref[ref] := id if {
	some ref in user_refs
	is_string(ref)
	not _id_of_ref[ref]
	id := object.union(_by_any_upn, _by_candidate_upn)[lower(ref)]
}

# Groups resolve by object id (as written or lower-cased), else by displayName ignoring case:
# first among the groups whose members were collected (a break-glass group needs them anyway,
# and there are few), and only then among all groups, so that a group without collected
# members is reported as such rather than as unknown.
_group_matches(ref) := {ref} if {
	groups.is_group(ref)
} else := {lower(ref)} if {
	groups.is_group(lower(ref))
} else := ids if {
	ids := {id | some id in groups.collected_ids; lower(groups.name(id)) == lower(ref)}
	count(ids) > 0
} else := groups.ids_named(ref)

# group_ids_by_ref maps each declared group reference that resolves to exactly one group.
group_ids_by_ref[ref] := id if {
	some ref in group_refs
	is_string(ref)
	matches := _group_matches(ref)
	count(matches) == 1
	some id in matches
}

# group_ids is the set of resolved break-glass group ids.
group_ids := {id | some id in group_ids_by_ref}

# account_ids is the set of break-glass account ids: declared users that resolve, and the
# members of declared groups that resolve.
account_ids := {id | some id in user_ids_by_ref} | union({groups.member_ids(g) | some g in group_ids})

# is_account is true when the user is a declared break-glass account.
is_account(uid) if uid in account_ids

# unresolved is the set of messages about declarations that do not identify accounts, including
# a malformed breakGlass section (which must not silently read as "nothing declared").
unresolved contains "config breakGlass must be an object with lists users and groups" if {
	not is_object(params.value("breakGlass"))
}

unresolved contains sprintf("config breakGlass.%s must be a list", [key]) if {
	some key in ["users", "groups"]
	not is_array(object.get(_config, key, []))
}

unresolved contains sprintf("break-glass declaration %v is not a string", [ref]) if {
	some ref in (user_refs | group_refs)
	not is_string(ref)
}

unresolved contains msg if {
	some ref in user_refs
	is_string(ref)
	not user_ids_by_ref[ref]
	msg := sprintf("break-glass account %q does not match any user in the snapshot by object id or userPrincipalName", [ref])
}

unresolved contains msg if {
	some ref in group_refs
	is_string(ref)
	count(_group_matches(ref)) == 0
	msg := sprintf("break-glass group %q does not match any group in the snapshot by object id or displayName", [ref])
}

unresolved contains msg if {
	some ref in group_refs
	is_string(ref)
	n := count(_group_matches(ref))
	n > 1
	msg := sprintf("break-glass group %q matches %d groups by displayName; declare it by object id", [ref, n])
}

unresolved contains msg if {
	some ref, id in group_ids_by_ref
	not groups.members_known(id)
	msg := sprintf("the members of break-glass group %q (%s) are not in the snapshot (entra.groupMembers)", [ref, id])
}
