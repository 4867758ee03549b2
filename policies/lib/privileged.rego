# Privileged role grants seen from the principal's side, for rules about who holds privileged
# roles (posture.lib.roles.privileged): what kind of directory object each principal is, whether
# the set of privileged users is complete, and whether an admin account is tied to an
# on-premises or federated identity.
#
# A rule that uses holder_errors or kind must list entra.users, entra.groups,
# entra.groupMembers and entra.servicePrincipals in `requires`: without them every principal
# looks unknown.
package posture.lib.privileged

import data.posture.lib.groups
import data.posture.lib.roles
import data.posture.lib.users

default _service_principals := []

_service_principals := input.entra.servicePrincipals if is_array(input.entra.servicePrincipals)

# service_principals_by_id maps a service principal's object id to the object.
service_principals_by_id := {sp.id: sp | some sp in _service_principals}

# kind is the type of directory object behind a principal id: "user", "group" or
# "servicePrincipal"; undefined for an id the snapshot does not know. Directory roles can only
# be granted to these three kinds.
kind(id) := "user" if {
	users.exists(id)
} else := "group" if {
	groups.is_group(id)
} else := "servicePrincipal" if {
	service_principals_by_id[id]
}

# grants is the set of grants of privileged roles (roles.grants entries), active or eligible.
grants := {g | some g in roles.grants; g.roleId in roles.privileged}

# unresolved_grants are privileged grants to a principal that is none of the snapshot's users,
# groups or service principals: a consistent snapshot has none, so any means the snapshot
# misses the object that holds the role.
unresolved_grants contains g if {
	some g in grants
	not kind(g.principalId)
}

# holder_errors are the reasons the set of privileged users (roles.privileged_user_ids) may be
# incomplete: a privileged role granted to a group whose members were not collected, or to a
# principal the snapshot does not know. A rule that must see every privileged user reports
# them as `error`.
holder_errors contains msg if {
	some g in roles.unexpanded_group_grants
	g.roleId in roles.privileged
	msg := sprintf("%s is assigned to group '%s' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked", [roles.name(g.roleId), groups.name(g.principalId)])
}

holder_errors contains msg if {
	some g in unresolved_grants
	msg := sprintf("%s has an %s assignment to principal %s, which is not a user, group or service principal in the snapshot, so its holder cannot be checked", [roles.name(g.roleId), g.kind, g.principalId])
}

# role_names lists the privileged roles the user holds in any way, by name, for messages.
role_names(uid) := concat(", ", sort({roles.name(r) | some r in (roles.roles_of(uid) & roles.privileged)}))

# not_cloud_only is why the user's account is tied to an identity outside Entra ID; undefined for
# a cloud-only account. onPremisesSyncEnabled is true while Entra Connect (or Cloud Sync)
# synchronizes the user from Active Directory; it is null for a user created in the cloud and
# false once synchronization has stopped. onPremisesImmutableId (the anchor of a synchronized
# user, also required for users of a federated domain) is checked only when the snapshot has it.
not_cloud_only(u) := "it is synchronized from on-premises Active Directory (onPremisesSyncEnabled is true)" if {
	u.onPremisesSyncEnabled == true
} else := sprintf("it is linked to an on-premises or federated identity (onPremisesImmutableId is %q)", [id]) if {
	id := object.get(u, "onPremisesImmutableId", null)
	is_string(id)
	id != ""
}

# sync_unknown says why the snapshot cannot tell whether the user is cloud-only; undefined when
# onPremisesSyncEnabled is true, false or null. A missing property is unknown, not cloud-only:
# Graph returns it only when the collector selects it.
sync_unknown(u) := "the snapshot has no onPremisesSyncEnabled property for it" if {
	not "onPremisesSyncEnabled" in object.keys(u)
} else := sprintf("its onPremisesSyncEnabled is %s, expected true, false or null", [json.marshal(u.onPremisesSyncEnabled)]) if {
	not u.onPremisesSyncEnabled in {true, false, null}
}
