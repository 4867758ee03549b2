# METADATA
# title: No app outside Microsoft holds unapproved high-risk delegated permissions
# description: >-
#   In an illicit consent grant attack a user (or an admin, for everyone) is tricked into
#   consenting to an attacker's app, which then reads and sends their mail or files through
#   Microsoft Graph with refresh tokens that survive password resets and MFA. The grants stay in
#   the tenant as oauth2PermissionGrants until someone revokes them. The rule reads every
#   delegated grant (clientId is the app's service principal object id, scope its space-separated
#   permissions, consentType AllPrincipals for all users or Principal for the one user
#   principalId) and fails for each grant of a high-risk scope to an app whose service principal
#   is not owned by Microsoft (appOwnerOrganizationId is neither Microsoft Services
#   f8cdef31-a31e-4b4a-93e4-5f571e91255a nor Microsoft 72f988bf-86f1-41af-91ab-2d7cd011db47) and
#   that the organization has not approved by appId in the approvedApps parameter. Apps
#   registered in the tenant itself count as not Microsoft's, and a grant whose app is missing
#   from the service principals, or whose owner is unknown, fails too. The default high-risk
#   list follows Microsoft's guidance on consent grants: reading, sending or managing mail and
#   mailbox access through Exchange protocols, writing all files and sites, and directory-wide
#   write or impersonation; replace it with the riskyScopes parameter (user_impersonation is not
#   in it by default because every custom API uses that name).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/detect-and-remediate-illicit-consent-grants
#     description: "Microsoft Learn: Detect and remediate illicit consent grants"
#   - ref: https://learn.microsoft.com/en-us/security/operations/incident-response-playbook-app-consent
#     description: "Microsoft Learn: App consent grant investigation (incident response playbook)"
#   - ref: https://learn.microsoft.com/en-us/entra/architecture/ops-guide-auth
#     description: "Microsoft Learn: Microsoft Entra authentication management operations reference guide (consent grants)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/oauth2permissiongrant
#     description: "Microsoft Learn: oAuth2PermissionGrant resource type"
# custom:
#   id: entra.risky_delegated_grants
#   severity: high
#   level: should
#   requires: [entra.oauth2PermissionGrants, entra.servicePrincipals, entra.users]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: []
#   license: []
#   remediation: >-
#     For each finding, check with the app's owner or the consenting user whether the app is known
#     and needed. If it is not, in the Microsoft Entra admin center go to Entra ID > Enterprise
#     apps > the app > Permissions and revoke the permissions (or delete the enterprise app),
#     disable the app (Properties > "Enabled for users to sign in?": No), revoke the affected
#     users' sessions, and follow Microsoft's app consent incident response playbook. With
#     Microsoft Graph, DELETE /oauth2PermissionGrants/{id} removes a grant; PATCH it with a
#     shorter scope removes single permissions. If the app is legitimate, add its appId to the
#     approvedApps parameter. Prevent new grants by restricting user consent and enabling the
#     admin consent workflow.
#   user_impact: moderate
#   implementation_cost: moderate
#   parameters:
#     - name: riskyScopes
#       type: array
#       items: string
#       description: >-
#         Delegated permission (scope) names treated as high risk, compared case-insensitively on
#         any resource; replaces the default list.
#       default:
#         - Mail.Read
#         - Mail.Read.Shared
#         - Mail.ReadWrite
#         - Mail.ReadWrite.Shared
#         - Mail.Send
#         - Mail.Send.Shared
#         - MailboxSettings.ReadWrite
#         - EAS.AccessAsUser.All
#         - EWS.AccessAsUser.All
#         - full_access_as_user
#         - IMAP.AccessAsUser.All
#         - POP.AccessAsUser.All
#         - SMTP.Send
#         - Files.ReadWrite.All
#         - Sites.ReadWrite.All
#         - Sites.Manage.All
#         - Sites.FullControl.All
#         - Notes.ReadWrite.All
#         - Directory.AccessAsUser.All
#         - Directory.ReadWrite.All
#         - User.ReadWrite.All
#         - Group.ReadWrite.All
#         - RoleManagement.ReadWrite.Directory
#         - Application.ReadWrite.All
#         - AppRoleAssignment.ReadWrite.All
#         - DelegatedPermissionGrant.ReadWrite.All
#     - name: approvedApps
#       type: array
#       items: string
#       description: >-
#         Application (client) ids of apps the organization has reviewed and allows to hold
#         high-risk delegated permissions; a service principal object id also works.
#       default: []
package posture.rules.entra.risky_delegated_grants

import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.users

# microsoft_tenants own Microsoft's first-party applications: Microsoft Services and Microsoft.
microsoft_tenants := {"f8cdef31-a31e-4b4a-93e4-5f571e91255a", "72f988bf-86f1-41af-91ab-2d7cd011db47"}

_risky_param := params.value("riskyScopes")

default risky_scopes := set()

risky_scopes := {lower(s) | some s in _risky_param; is_string(s)} if is_array(_risky_param)

_approved_param := params.value("approvedApps")

default _approved := set()

_approved := {lower(a) | some a in _approved_param; is_string(a)} if is_array(_approved_param)

default _grants := []

_grants := input.entra.oauth2PermissionGrants if is_array(input.entra.oauth2PermissionGrants)

default _service_principals := []

_service_principals := input.entra.servicePrincipals if is_array(input.entra.servicePrincipals)

# _sp_by_id indexes service principals by object id, which is what grants reference.
_sp_by_id := {sp.id: sp | some sp in _service_principals; is_object(sp); is_string(sp.id)}

_tenant_id := lower(t) if {
	t := object.get(input, ["tenant", "id"], null)
	is_string(t)
} else := ""

# risky_in returns the high-risk scopes of a grant's space-separated scope string, sorted.
risky_in(scope) := sort({s | some s in split(scope, " "); s != ""; lower(s) in risky_scopes})

# Large tenants hold tens of thousands of per-user grants but few distinct scope strings, apps
# and resources. The passes over the grants therefore use plain references, which cost a
# fraction of a builtin call, and everything a message needs is worked out once per distinct
# value; builtins run only for the grants that hold a high-risk scope.

# _scopes are the distinct scope values of the grants.
_scopes := {g.scope | some g in _grants}

# _scope_texts maps each scope string that holds a high-risk scope to what the message says
# about it.
_scope_texts := {scope: {"risky": concat(", ", found), "offline": _offline(scope)} |
	some scope in _scopes
	is_string(scope)
	found := risky_in(scope)
	count(found) > 0
}

# _risky_refs are the distinct [client, resource] pairs of the grants with a high-risk scope.
_risky_refs := {[object.get(g, "clientId", null), object.get(g, "resourceId", null)] |
	some g in _grants
	_scope_texts[g.scope]
}

# _untrusted_apps maps the client service principal id of each app that holds a high-risk scope
# and is neither Microsoft's nor approved to its name and description.
_untrusted_apps := {client_id: {"name": _app_name(client_id), "text": _describe(client_id)} |
	some client_id in {r[0] | some r in _risky_refs}
	not _trusted(client_id)
}

_resource_names := {id: _resource_name(id) | some id in {r[1] | some r in _risky_refs}}

deny contains {"msg": msg, "entity": entity.grant(object.get(g, "id", ""), app.name)} if {
	some g in _grants
	texts := _scope_texts[g.scope]
	app := _untrusted_apps[object.get(g, "clientId", null)]
	msg := sprintf("%s holds delegated %s on %s %s%s", [
		app.text,
		texts.risky,
		_resource_names[object.get(g, "resourceId", null)],
		_audience(g),
		texts.offline,
	])
}

# An app is trusted when Microsoft owns it or the organization approved it (by appId or by the
# service principal's object id).
_trusted(client_id) if _microsoft(_sp_by_id[client_id])

_trusted(client_id) if _lower(_app_id(_sp_by_id[client_id])) in _approved

_trusted(client_id) if _lower(client_id) in _approved

_microsoft(sp) if _lower(object.get(sp, "appOwnerOrganizationId", null)) in microsoft_tenants

# _lower lowercases a string and is undefined for anything else (a null id in the snapshot must
# not stop the evaluation).
_lower(s) := lower(s) if is_string(s)

_app_name(client_id) := name if {
	name := _sp_by_id[client_id].displayName
	is_string(name)
} else := sprintf("service principal %v", [client_id])

_describe(client_id) := sprintf("App '%s' (%s)", [_app_name(client_id), _publisher(client_id)])

# _publisher says who owns the app, which is what decides whether it can be trusted. Every
# branch reads with object.get, so that a service principal missing a property still yields a
# message (and the grant is still reported).
_publisher(client_id) := "not among the snapshot's service principals, so its publisher is unknown" if {
	not _sp_by_id[client_id]
} else := sprintf("appId %v, registered in this tenant", [_app_id(sp)]) if {
	sp := _sp_by_id[client_id]
	_tenant_id != ""
	_lower(object.get(sp, "appOwnerOrganizationId", null)) == _tenant_id
} else := sprintf("appId %v, owner tenant unknown", [_app_id(sp)]) if {
	sp := _sp_by_id[client_id]
	not is_string(object.get(sp, "appOwnerOrganizationId", null))
} else := sprintf("appId %v, third-party from tenant %v, verified publisher %s", [_app_id(sp), object.get(sp, "appOwnerOrganizationId", null), v]) if {
	sp := _sp_by_id[client_id]
	v := object.get(sp, ["verifiedPublisher", "displayName"], null)
	is_string(v)
} else := sprintf("appId %v, third-party from tenant %v, no verified publisher", [_app_id(sp), object.get(sp, "appOwnerOrganizationId", null)]) if {
	sp := _sp_by_id[client_id]
}

_app_id(sp) := object.get(sp, "appId", null)

_resource_name(resource_id) := sprintf("'%s'", [name]) if {
	name := _sp_by_id[resource_id].displayName
	is_string(name)
} else := sprintf("resource %v", [resource_id])

_audience(g) := "for every user (tenant-wide admin consent)" if {
	g.consentType == "AllPrincipals"
} else := sprintf("for user %s", [users.upn(g.principalId)]) if {
	g.consentType == "Principal"
	is_string(g.principalId)
} else := sprintf("with consentType %s", [json.marshal(object.get(g, "consentType", null))])

# offline_access lets the app refresh its tokens without the user present: say so, since it is
# what makes a grant outlive the user's session.
_offline(scope) := ", and offline_access keeps it working without the user signing in" if {
	some s in split(scope, " ")
	lower(s) == "offline_access"
} else := ""

# _unreadable is true when some grant's scope is missing or not a string; only then does the rule
# look for which grants (the snapshot loader already rejects grants that are not objects).
_unreadable if count([1 | some g in _grants; g.scope]) != count(_grants)

_unreadable if {
	some s in _scopes
	not is_string(s)
}

error contains sprintf("oauth2PermissionGrant %s has no scope string, so its permissions are unknown", [_grant_name(g)]) if {
	_unreadable
	some g in _grants
	is_object(g)
	not is_string(object.get(g, "scope", null))
}

error contains sprintf("entra.oauth2PermissionGrants[%d] is not an object", [i]) if {
	_unreadable
	some i, g in _grants
	not is_object(g)
}

error contains "entra.oauth2PermissionGrants is not a list" if {
	not is_array(object.get(input, ["entra", "oauth2PermissionGrants"], null))
}

error contains "entra.servicePrincipals is not a list" if {
	not is_array(object.get(input, ["entra", "servicePrincipals"], null))
}

error contains sprintf("config riskyScopes must be a list of strings, got %s", [json.marshal(_risky_param)]) if {
	not _string_list(_risky_param)
}

error contains sprintf("config approvedApps must be a list of strings, got %s", [json.marshal(_approved_param)]) if {
	not _string_list(_approved_param)
}

# _grant_name names a grant by its id, or by its client when it has none.
_grant_name(g) := json.marshal(g.id) if is_string(g.id)

_grant_name(g) := sprintf("for client %s", [json.marshal(object.get(g, "clientId", null))]) if {
	not is_string(object.get(g, "id", null))
}

_string_list(xs) if {
	is_array(xs)
	every x in xs {
		is_string(x)
	}
}
