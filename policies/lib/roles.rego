# Directory role holders: who holds which Entra role, actively (roleAssignments) or as PIM
# eligible (roleEligibilitySchedules), directly or through a role-assignable group.
package posture.lib.roles

import data.posture.lib.groups
import data.posture.lib.params
import data.posture.lib.users

global_administrator := "62e90394-69f5-4237-9190-012177145e10"

# privileged is the set of privileged role template ids: the `privilegedRoles` parameter, by
# default Microsoft's "Require MFA for administrators" role list plus Hybrid Identity
# Administrator (declared in the METADATA of the rules that read it).
privileged := {r | some r in params.value("privilegedRoles")}

_builtin_names := {
	"62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
	"c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
	"b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
	"158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
	"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
	"29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
	"729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
	"966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
	"e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
	"194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
	"fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
	"8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2": "Hybrid Identity Administrator",
	"f2ef992c-3afb-46b9-b7cf-a126ee74c451": "Global Reader",
}

default _definitions := []

_definitions := input.entra.roleDefinitions if is_array(input.entra.roleDefinitions)

# _snapshot_names is a set, not a single value, so that two definitions sharing an id can never
# make the evaluation fail with a conflict.
_snapshot_names(role_id) := {d.displayName |
	some d in _definitions
	role_id in {d.id, object.get(d, "templateId", d.id)}
	is_string(d.displayName)
}

# name is the role's display name: from the snapshot's roleDefinitions, else from the built-in
# list, else the id itself.
name(role_id) := n if {
	n := sort(_snapshot_names(role_id))[0]
} else := n if {
	n := _builtin_names[role_id]
} else := role_id

default _assignments := []

_assignments := input.entra.roleAssignments if is_array(input.entra.roleAssignments)

# A tenant without PIM (no Entra ID P2) has no eligibility schedules: the source is then
# "unlicensed" and the key may be absent, which means none.
default _eligibilities := []

_eligibilities := input.entra.roleEligibilitySchedules if is_array(input.entra.roleEligibilitySchedules)

# grants is the set of role grants to any principal, normalized to
# {principalId, roleId, kind: "active"|"eligible", scope}. Eligibility schedules in a status
# other than Provisioned (revoked, canceled, pending) grant nothing.
grants contains {
	"principalId": a.principalId,
	"roleId": a.roleDefinitionId,
	"kind": "active",
	"scope": object.get(a, "directoryScopeId", "/"),
} if {
	some a in _assignments
}

grants contains {
	"principalId": e.principalId,
	"roleId": e.roleDefinitionId,
	"kind": "eligible",
	"scope": object.get(e, "directoryScopeId", "/"),
} if {
	some e in _eligibilities
	object.get(e, "status", "Provisioned") in {"Provisioned", null}
}

# user_grants expands grants to users: a grant to a user principal as is (via null), a grant to
# a group once per member (via the group id). Grants to service principals, and to groups whose
# membership the snapshot lacks, yield nothing here (see unexpanded_group_grants).
user_grants contains object.union(g, {"userId": g.principalId, "via": null}) if {
	some g in grants
	users.exists(g.principalId)
}

user_grants contains object.union(g, {"userId": uid, "via": g.principalId}) if {
	some g in grants
	not users.exists(g.principalId)
	some uid in groups.member_ids(g.principalId)
}

# unexpanded_group_grants is the set of grants to a known group whose members the snapshot does
# not hold: a rule that counts role holders cannot be sure of its answer while any exist.
unexpanded_group_grants contains g if {
	some g in grants
	not users.exists(g.principalId)
	groups.by_id[g.principalId]
	not groups.members_known(g.principalId)
}

# holder_ids is the set of users holding the role in any way (active or eligible, any scope,
# direct or through a group).
holder_ids(role_id) := {g.userId | some g in user_grants; g.roleId == role_id}

# privileged_user_ids is the set of users holding at least one privileged role.
privileged_user_ids := {g.userId | some g in user_grants; g.roleId in privileged}

# Conditional Access matches only roles assigned tenant-wide (scope "/"); administrative-unit
# and object-scoped assignments are not supported by Conditional Access
# (https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-users-groups#include-users).
#
# ca_holder_ids is who a policy that includes or excludes the role matches, in one of two states
# of a user's session (Microsoft Learn, "Conditional Access: Users, groups, and workload
# identities": directory roles are matched on the user's assignments when the policy is
# evaluated, and a PIM-eligible holder holds the role only once she has activated it):
#
#	"signin"    tenant-wide *active* holders: who holds the role when signing in without
#	            activating anything (every session of an eligible-only holder until activation)
#	"activated" tenant-wide active *or eligible* holders: who holds the role in the sessions
#	            where an eligible holder has activated it (her admin sessions)
#
# Coverage of everyone needs both states (an eligible holder signs in in both); coverage of
# admins needs the activated state; whether a break-glass account is excluded or locked out is
# judged on active assignments (its sign-ins are the emergency, not an activation).
ca_holder_ids(role_id, "signin") := {g.userId |
	some g in object.get(_tenant_wide_by_role, role_id, set())
	g.kind == "active"
}

ca_holder_ids(role_id, "activated") := {g.userId | some g in object.get(_tenant_wide_by_role, role_id, set())}

# _tenant_wide_by_role indexes the tenant-wide user grants by role id, made once per
# evaluation: a rule asks ca_holder_ids for every role its policies name, in both states, and
# each question would otherwise be a pass over every grant. The inner comprehension compares
# g.roleId with the outer r, so OPA indexes it (see grants_by_user).
_tenant_wide_by_role := {r: {g | some g in user_grants; g.scope == "/"; g.roleId == r} | some r in {g.roleId | some g in user_grants; g.scope == "/"}}

# eligible_only_ids is the set of tenant-wide eligible holders of the role who do not also hold
# it actively: the users whose two states differ.
eligible_only_ids(role_id) := ca_holder_ids(role_id, "activated") - ca_holder_ids(role_id, "signin")

# grants_by_user indexes user_grants by user id, so per-user lookups do not rescan them. The
# inner comprehension compares g.userId with the outer uid, so OPA indexes it (one pass over
# user_grants in all); a multi-value rule building the same object costs many times more.
grants_by_user := {uid: {g | some g in user_grants; g.userId == uid} | some uid in {g.userId | some g in user_grants}}

# roles_of is the set of role ids the user holds in any way.
roles_of(uid) := {g.roleId | some g in _grants_of_user(uid)}

# grants_of is the set of the user's grants of one role (user_grants entries).
grants_of(uid, role_id) := {g | some g in _grants_of_user(uid); g.roleId == role_id}

# Reading the whole index (not grants_by_user[uid]) makes OPA build it once and cache it; a
# lookup with a key would re-run the rule body for every user.
_grants_of_user(uid) := index[uid] if {
	index := grants_by_user
} else := set()

# describe renders one user grant as text, e.g. "eligible through group 'Tier0 Admins'".
describe(g) := g.kind if {
	g.via == null
} else := sprintf("%s through group '%s'", [g.kind, groups.name(g.via)])
