# Groups of the snapshot: names from input.entra.groups and transitive user members from
# input.entra.groupMembers (collected for the groups that Conditional Access policies and role
# assignments reference).
package posture.lib.groups

default all := []

all := input.entra.groups if is_array(input.entra.groups)

default _members := {}

_members := input.entra.groupMembers if is_object(input.entra.groupMembers)

# by_id maps a group id to the group object. The engine precomputes it in Go as
# input.derived.groupsById; without it, e.g. in unit tests, Rego builds it.
by_id := input.derived.groupsById if {
	is_object(input.derived.groupsById)
} else := {g.id: g | some g in all}

# collected_ids is the set of ids of the groups whose membership the snapshot holds.
collected_ids := {id | some id, _ in _members}

# members_known is true when the snapshot holds the group's membership.
members_known(gid) if is_array(_members[gid])

# member_ids is the set of user ids that are (transitive) members of the group; empty when the
# membership is not in the snapshot (check members_known where that matters). OPA caches the
# result per group id, so a 100,000-member group is turned into a set once per evaluation.
member_ids(gid) := ids if {
	# The engine precomputes every membership set as input.derived.groupMemberSets.
	ids := input.derived.groupMemberSets[gid]
	is_set(ids)
} else := ids if {
	members_known(gid)
	ids := {m | some m in _members[gid]}
} else := set()

# is_group is true when gid is a group the snapshot knows, by object or by membership.
is_group(gid) if by_id[gid]

is_group(gid) if members_known(gid)

# name is the group's displayName, or its id when the group object is not in the snapshot.
name(gid) := n if {
	n := by_id[gid].displayName
	is_string(n)
} else := gid

# ids_named is the set of ids of groups whose displayName equals `display_name`, ignoring case.
ids_named(display_name) := {g.id |
	some g in all
	is_string(g.displayName)
	lower(g.displayName) == lower(display_name)
}
