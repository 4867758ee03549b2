package posture.rules.entra.risky_delegated_grants_test

import data.posture.lib.fixtures
import data.posture.rules.entra.risky_delegated_grants

_tenant := {"id": "7e000000-0002-4000-8000-000000000000", "displayName": "Tailspin Toys"}

_graph := {
	"id": "sp-graph",
	"appId": "00000003-0000-0000-c000-000000000000",
	"displayName": "Microsoft Graph",
	"appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
	"verifiedPublisher": {"displayName": null},
}

_exchange := {
	"id": "sp-exo",
	"appId": "00000002-0000-0ff1-ce00-000000000000",
	"displayName": "Office 365 Exchange Online",
	"appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
}

_outlook := {
	"id": "sp-outlook",
	"appId": "d3590ed6-52b3-4102-aeff-aad2292ab01c",
	"displayName": "Microsoft Office",
	"appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
}

_corp := {
	"id": "sp-corp",
	"appId": "de8bc8b5-d9f9-48b1-a8ad-b748da725064",
	"displayName": "Graph Explorer",
	"appOwnerOrganizationId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
}

_mailsync := {
	"id": "sp-evil",
	"appId": "e6000000-0002-4000-8000-0000000000aa",
	"displayName": "Mail Sync Pro",
	"appOwnerOrganizationId": "9d000000-0000-4000-8000-000000000001",
	"verifiedPublisher": {"displayName": null, "verifiedPublisherId": null},
}

_adobe := {
	"id": "sp-adobe",
	"appId": "e6000000-0001-4000-8000-000000000004",
	"displayName": "Adobe Acrobat Sign",
	"appOwnerOrganizationId": "fa7f6a4b-11b5-4ef0-8d6e-1e0c2b9a0a10",
	"verifiedPublisher": {"displayName": "Adobe Inc.", "verifiedPublisherId": "1589461"},
}

_internal := {
	"id": "sp-hr",
	"appId": "e6000000-0002-4000-8000-000000000004",
	"displayName": "Tailspin HR Connector",
	"appOwnerOrganizationId": "7e000000-0002-4000-8000-000000000000",
}

_sps := [_graph, _exchange, _outlook, _corp, _mailsync, _adobe, _internal]

_users := [fixtures.member("u-alice", "alice@tailspintoys.com")]

_grant(id, client, resource, consent, principal, scope) := {
	"id": id,
	"clientId": client,
	"consentType": consent,
	"principalId": principal,
	"resourceId": resource,
	"scope": scope,
}

test_passes_for_microsoft_apps_and_low_risk_scopes if {
	grants := [
		_grant("g1", "sp-outlook", "sp-graph", "AllPrincipals", null, "Mail.ReadWrite Mail.Send Files.ReadWrite.All offline_access"),
		_grant("g2", "sp-corp", "sp-graph", "Principal", "u-alice", "Directory.AccessAsUser.All"),
		_grant("g3", "sp-evil", "sp-graph", "Principal", "u-alice", "openid profile User.Read offline_access"),
		_grant("g4", "sp-adobe", "sp-graph", "AllPrincipals", null, " User.Read  email "),
	]
	risky_delegated_grants.deny == set() with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
	risky_delegated_grants.error == set() with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_fails_for_a_user_grant_of_mail_scopes_to_a_third_party_app if {
	grants := [_grant("g-evil", "sp-evil", "sp-graph", "Principal", "u-alice", "openid Mail.ReadWrite offline_access mail.send User.Read")]
	risky_delegated_grants.deny == {{
		"msg": "App 'Mail Sync Pro' (appId e6000000-0002-4000-8000-0000000000aa, third-party from tenant 9d000000-0000-4000-8000-000000000001, no verified publisher) holds delegated Mail.ReadWrite, mail.send on 'Microsoft Graph' for user alice@tailspintoys.com, and offline_access keeps it working without the user signing in",
		"entity": {"type": "grant", "id": "g-evil", "name": "Mail Sync Pro"},
	}} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_fails_for_a_tenant_wide_grant_and_names_the_verified_publisher if {
	grants := [_grant("g-adobe", "sp-adobe", "sp-exo", "AllPrincipals", null, "EWS.AccessAsUser.All")]
	risky_delegated_grants.deny == {{
		"msg": "App 'Adobe Acrobat Sign' (appId e6000000-0001-4000-8000-000000000004, third-party from tenant fa7f6a4b-11b5-4ef0-8d6e-1e0c2b9a0a10, verified publisher Adobe Inc.) holds delegated EWS.AccessAsUser.All on 'Office 365 Exchange Online' for every user (tenant-wide admin consent)",
		"entity": {"type": "grant", "id": "g-adobe", "name": "Adobe Acrobat Sign"},
	}} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_fails_for_an_app_registered_in_the_tenant if {
	grants := [_grant("g-hr", "sp-hr", "sp-graph", "AllPrincipals", null, "User.ReadWrite.All")]
	risky_delegated_grants.deny == {{
		"msg": "App 'Tailspin HR Connector' (appId e6000000-0002-4000-8000-000000000004, registered in this tenant) holds delegated User.ReadWrite.All on 'Microsoft Graph' for every user (tenant-wide admin consent)",
		"entity": {"type": "grant", "id": "g-hr", "name": "Tailspin HR Connector"},
	}} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_reports_one_denial_per_grant if {
	grants := [
		_grant("g-a", "sp-evil", "sp-graph", "Principal", "u-alice", "Mail.Read"),
		_grant("g-b", "sp-evil", "sp-graph", "Principal", "u-bob", "Mail.Read"),
		_grant("g-c", "sp-adobe", "sp-graph", "AllPrincipals", null, "Files.ReadWrite.All"),
	]
	{d.entity.id | some d in risky_delegated_grants.deny} == {"g-a", "g-b", "g-c"} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_names_an_unknown_user_by_id if {
	grants := [_grant("g-b", "sp-evil", "sp-graph", "Principal", "u-bob", "Mail.Read")]
	some d in risky_delegated_grants.deny with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
	endswith(d.msg, "holds delegated Mail.Read on 'Microsoft Graph' for user u-bob")
}

test_passes_for_an_approved_app if {
	grants := [
		_grant("g-adobe", "sp-adobe", "sp-exo", "AllPrincipals", null, "EWS.AccessAsUser.All"),
		_grant("g-hr", "sp-hr", "sp-graph", "AllPrincipals", null, "User.ReadWrite.All"),
	]
	risky_delegated_grants.deny == set() with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
		with data.posture.config as {"approvedApps": ["E6000000-0001-4000-8000-000000000004", "sp-hr"]}
}

test_approving_one_app_does_not_approve_another if {
	grants := [
		_grant("g-adobe", "sp-adobe", "sp-exo", "AllPrincipals", null, "EWS.AccessAsUser.All"),
		_grant("g-evil", "sp-evil", "sp-graph", "Principal", "u-alice", "Mail.Send"),
	]
	{d.entity.id | some d in risky_delegated_grants.deny} == {"g-evil"} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
		with data.posture.config as {"approvedApps": ["e6000000-0001-4000-8000-000000000004"]}
}

test_the_risky_scope_list_can_be_replaced if {
	grants := [
		_grant("g-1", "sp-evil", "sp-graph", "Principal", "u-alice", "Calendars.ReadWrite"),
		_grant("g-2", "sp-evil", "sp-graph", "Principal", "u-alice", "Mail.Send"),
	]
	{d.entity.id | some d in risky_delegated_grants.deny} == {"g-1"} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
		with data.posture.config as {"riskyScopes": ["calendars.readwrite"]}
}

test_fails_when_the_app_is_not_among_the_service_principals if {
	grants := [_grant("g-x", "sp-gone", "sp-graph", "AllPrincipals", null, "Mail.Read")]
	risky_delegated_grants.deny == {{
		"msg": "App 'service principal sp-gone' (not among the snapshot's service principals, so its publisher is unknown) holds delegated Mail.Read on 'Microsoft Graph' for every user (tenant-wide admin consent)",
		"entity": {"type": "grant", "id": "g-x", "name": "service principal sp-gone"},
	}} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_fails_when_the_app_owner_is_unknown if {
	sps := [_graph, object.union(_mailsync, {"appOwnerOrganizationId": null})]
	grants := [_grant("g-evil", "sp-evil", "sp-graph", "Principal", "u-alice", "Mail.Read")]
	some d in risky_delegated_grants.deny with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as sps with input.entra.users as _users with input.tenant as _tenant
	d.msg == "App 'Mail Sync Pro' (appId e6000000-0002-4000-8000-0000000000aa, owner tenant unknown) holds delegated Mail.Read on 'Microsoft Graph' for user alice@tailspintoys.com"
}

test_fails_when_the_service_principal_has_no_app_id if {
	sps := [_graph, object.remove(_mailsync, ["appId"])]
	grants := [_grant("g-evil", "sp-evil", "sp-graph", "Principal", "u-alice", "Mail.Read")]
	some d in risky_delegated_grants.deny with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as sps with input.entra.users as _users with input.tenant as _tenant
	d.msg == "App 'Mail Sync Pro' (appId null, third-party from tenant 9d000000-0000-4000-8000-000000000001, no verified publisher) holds delegated Mail.Read on 'Microsoft Graph' for user alice@tailspintoys.com"
}

test_fails_when_the_grant_has_no_client_or_consent_type if {
	grants := [{"id": "g-odd", "resourceId": "sp-unknown", "scope": "Mail.Read"}]
	risky_delegated_grants.deny == {{
		"msg": "App 'service principal null' (not among the snapshot's service principals, so its publisher is unknown) holds delegated Mail.Read on resource sp-unknown with consentType null",
		"entity": {"type": "grant", "id": "g-odd", "name": "service principal null"},
	}} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_errors_when_a_grant_has_no_scope if {
	grants := [
		{"id": "g-1", "clientId": "sp-evil", "consentType": "AllPrincipals", "resourceId": "sp-graph", "scope": null},
		{"clientId": "sp-adobe", "consentType": "AllPrincipals", "resourceId": "sp-graph"},
		_grant("g-3", "sp-evil", "sp-graph", "Principal", "u-alice", "User.Read"),
		"g-4",
	]
	risky_delegated_grants.error == {
		`oauth2PermissionGrant "g-1" has no scope string, so its permissions are unknown`,
		`oauth2PermissionGrant for client "sp-adobe" has no scope string, so its permissions are unknown`,
		"entra.oauth2PermissionGrants[3] is not an object",
	} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_a_missing_scope_alone_is_reported if {
	grants := [{"id": "g-1", "clientId": "sp-evil", "consentType": "AllPrincipals", "resourceId": "sp-graph"}]
	risky_delegated_grants.error == {`oauth2PermissionGrant "g-1" has no scope string, so its permissions are unknown`} with input.entra.oauth2PermissionGrants as grants
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
}

test_errors_when_the_collections_are_not_lists if {
	risky_delegated_grants.error == {"entra.oauth2PermissionGrants is not a list", "entra.servicePrincipals is not a list"} with input.entra.oauth2PermissionGrants as {}
		with input.entra.servicePrincipals as null with input.entra.users as _users with input.tenant as _tenant
}

test_errors_when_the_parameters_are_not_lists_of_strings if {
	risky_delegated_grants.error == {
		`config riskyScopes must be a list of strings, got "Mail.Read"`,
		`config approvedApps must be a list of strings, got [1]`,
	} with input.entra.oauth2PermissionGrants as []
		with input.entra.servicePrincipals as _sps with input.entra.users as _users with input.tenant as _tenant
		with data.posture.config as {"riskyScopes": "Mail.Read", "approvedApps": [1]}
}

test_default_list_covers_the_scopes_microsoft_calls_out if {
	every s in ["mail.read", "mail.read.shared", "mail.readwrite", "eas.accessasuser.all", "ews.accessasuser.all", "directory.accessasuser.all"] {
		s in risky_delegated_grants.risky_scopes
	}
}
