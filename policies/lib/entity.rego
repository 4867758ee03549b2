# Finding entities: the {type, id, name} a violation names, built one way for every rule, so a
# user, a policy or the tenant reads the same in every finding (and an exception written for
# one rule's entity id matches another's).
package posture.lib.entity

import data.posture.lib.ca
import data.posture.lib.groups
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.users

# tenant is the tenant itself, for findings about the tenant as a whole (a licence it lacks, a
# summary of many users).
tenant := {
	"type": "tenant",
	"id": object.get(input, ["tenant", "id"], ""),
	"name": object.get(input, ["tenant", "displayName"], ""),
}

# user is a user, named by userPrincipalName (its id when the snapshot has no user with it).
user(uid) := {"type": "user", "id": uid, "name": users.upn(uid)}

# group is a group, named by displayName (its id when the snapshot has no such group).
group(gid) := {"type": "group", "id": gid, "name": groups.name(gid)}

# principal is the holder of a role grant: a user or a service principal when the snapshot knows
# one with the id, else a group.
principal(id) := user(id) if {
	users.exists(id)
} else := service_principal(id, sp_name) if {
	sp := privileged.service_principals_by_id[id]
	sp_name := object.get(sp, "displayName", id)
} else := group(id)

# role is a directory role, by template id, named as posture.lib.roles names it.
role(role_id) := {"type": "role", "id": role_id, "name": roles.name(role_id)}

# ca_policy is a Conditional Access policy, named by displayName.
ca_policy(p) := {"type": "policy", "id": object.get(p, "id", ""), "name": ca.name(p)}

# app_management_policy is a custom app management policy (appManagementPolicies), named by
# displayName.
app_management_policy(p) := {"type": "policy", "id": object.get(p, "id", ""), "name": object.get(p, "displayName", "")}

# setting is a tenant setting: id is where it lives (e.g. "authorizationPolicy.guestUserRoleId"),
# name what the admin center calls it.
setting(id, name) := {"type": "setting", "id": id, "name": name}

# security_defaults is the tenant's security defaults switch.
security_defaults := setting("securityDefaults.isEnabled", "Security defaults")

# migration is the authentication methods policy's migration state ("Manage migration").
migration := setting("authenticationMethodsPolicy.policyMigrationState", "Authentication methods: Manage migration")

# service_principal is an application's service principal.
service_principal(id, name) := {"type": "servicePrincipal", "id": id, "name": name}

# grant is a delegated permission grant (oauth2PermissionGrant), named by the application it
# was given to.
grant(id, app_name) := {"type": "grant", "id": id, "name": app_name}

# domain is a domain of the tenant, by name.
domain(name) := {"type": "domain", "id": name, "name": name}
