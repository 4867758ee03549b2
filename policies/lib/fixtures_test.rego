# Builders of test inputs, shared by the Rego tests of the rules and the library, so that a
# test builds the smallest input that shows its behaviour from the same pieces as every other
# test (one CA policy, one user, one tenant, read alike everywhere). Test-only: a _test.rego file
# is loaded only with the tests.
#
# Objects are written as Microsoft Graph v1.0 returns them (property names, nulls for unset
# conditions); builders take the object's id and name first and merge `changes` last with
# object.union, which merges nested objects and replaces arrays.
package posture.lib.fixtures

import data.posture.lib.licenses
import data.posture.lib.mdo

# --- directory roles (template ids) ---------------------------------------------------------

global_admin := "62e90394-69f5-4237-9190-012177145e10"

privileged_role_admin := "e8611ab8-c189-46e8-94e1-60213ab1f814"

user_admin := "fe930be7-5e62-47db-91af-98c3a49a38b1"

exchange_admin := "29232cdf-9323-42fd-ade2-1d097af3e4de"

sharepoint_admin := "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"

hybrid_identity_admin := "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"

application_admin := "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"

cloud_application_admin := "158c047a-c907-4556-b7ef-446551a6b5f7"

security_admin := "194ae4cb-b126-40b2-bd5b-6091b380977d"

helpdesk_admin := "729827e3-9c14-49f7-bb1b-9608f156bbb8"

conditional_access_admin := "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"

global_reader := "f2ef992c-3afb-46b9-b7cf-a126ee74c451"

# --- the tenant -----------------------------------------------------------------------------

# tenant is a snapshot input holding `entra` for the tenant Contoso (id t1).
tenant(entra) := {"tenant": {"id": "t1", "displayName": "Contoso"}, "entra": entra}

# tenant_entity is the entity of findings about Contoso as a whole.
tenant_entity := {"type": "tenant", "id": "t1", "name": "Contoso"}

# --- users and groups ----------------------------------------------------------------------

# member is an enabled member user.
member(id, upn) := {"id": id, "userPrincipalName": upn, "accountEnabled": true, "userType": "Member"}

# guest is an enabled guest user.
guest(id, upn) := object.union(member(id, upn), {"userType": "Guest"})

# disabled is a disabled member user.
disabled(id, upn) := object.union(member(id, upn), {"accountEnabled": false})

# user is an enabled member user with `changes` (e.g. onPremisesSyncEnabled, assignedLicenses).
user(id, upn, changes) := object.union(member(id, upn), changes)

# user_entity is the entity of findings about one user.
user_entity(id, upn) := {"type": "user", "id": id, "name": upn}

# group is a group with a display name.
group(id, name) := {"id": id, "displayName": name}

# --- role grants ----------------------------------------------------------------------------

# assignment is an active, tenant-wide role assignment (roleManagement/directory/roleAssignments).
assignment(id, principal, role) := {"id": id, "principalId": principal, "roleDefinitionId": role, "directoryScopeId": "/"}

# eligibility is a provisioned, tenant-wide PIM eligibility schedule.
eligibility(id, principal, role) := {
	"id": id, "principalId": principal, "roleDefinitionId": role,
	"directoryScopeId": "/", "status": "Provisioned",
}

# --- Conditional Access policies ------------------------------------------------------------

# ca_policy is an enabled policy requiring MFA of All users on all resources and all client
# apps, with Graph's nulls for the conditions it leaves unset; `changes` override any of it
# (ca_users, ca_conditions, ca_grant build the usual changes).
ca_policy(id, name, changes) := object.union(
	{
		"id": id,
		"displayName": name,
		"state": "enabled",
		"conditions": {
			"users": {
				"includeUsers": ["All"], "excludeUsers": [], "includeGroups": [], "excludeGroups": [],
				"includeRoles": [], "excludeRoles": [],
				"includeGuestsOrExternalUsers": null, "excludeGuestsOrExternalUsers": null,
			},
			"applications": {
				"includeApplications": ["All"], "excludeApplications": [], "includeUserActions": [],
				"includeAuthenticationContextClassReferences": [],
			},
			"clientAppTypes": ["all"],
			"platforms": null,
			"locations": null,
			"signInRiskLevels": [],
			"userRiskLevels": [],
			"servicePrincipalRiskLevels": [],
			"devices": null,
			"authenticationFlows": null,
			"clientApplications": null,
		},
		"grantControls": {"operator": "OR", "builtInControls": ["mfa"], "authenticationStrength": null},
		"sessionControls": null,
	},
	changes,
)

# ca_users changes who the policy includes and excludes (conditions.users).
ca_users(u) := {"conditions": {"users": u}}

# ca_conditions changes other conditions (clientAppTypes, locations, userRiskLevels, ...).
ca_conditions(c) := {"conditions": c}

# ca_grant replaces the grant by builtInControls, any one of which is enough.
ca_grant(controls) := {"grantControls": {"operator": "OR", "builtInControls": controls, "authenticationStrength": null}}

# ca_policy_entity is the entity of findings about one policy.
ca_policy_entity(id, name) := {"type": "policy", "id": id, "name": name}

# --- expectations ---------------------------------------------------------------------------

# tagged is `violations` with each one naming the framework `controls` it breaks.
tagged(violations, controls) := {object.union(v, {"controls": controls}) | some v in violations}

# msgs is the set of the messages of `violations`.
msgs(violations) := {v.msg | some v in violations}

# --- Privileged Identity Management ---------------------------------------------------------

# assignment_instance is an active role assignment instance (roleAssignmentScheduleInstances),
# tenant-wide; start is its startDateTime, null for an assignment made outside PIM.
assignment_instance(id, principal, role, start) := {
	"id": id, "principalId": principal, "roleDefinitionId": role, "directoryScopeId": "/",
	"appScopeId": null, "startDateTime": start, "endDateTime": null,
	"assignmentType": "Assigned", "memberType": "Direct", "roleAssignmentOriginId": id,
	"roleAssignmentScheduleId": id,
}

# pim_settings is a directory role's PIM policy assignment with its policy and rules expanded,
# as GET /policies/roleManagementPolicyAssignments?$expand=policy($expand=rules) returns it.
pim_settings(role, rules) := {
	"id": sprintf("DirectoryRole_t1_p-%s_%s", [role, role]),
	"policyId": sprintf("DirectoryRole_t1_p-%s", [role]),
	"scopeId": "/",
	"scopeType": "DirectoryRole",
	"roleDefinitionId": role,
	"policy": {
		"id": sprintf("DirectoryRole_t1_p-%s", [role]),
		"displayName": "DirectoryRole",
		"description": "DirectoryRole",
		"isOrganizationDefault": false,
		"scopeId": "/",
		"scopeType": "DirectoryRole",
		"rules": rules,
	},
}

_target(caller, level) := {"caller": caller, "operations": ["all"], "level": level, "inheritableSettings": [], "enforcedSettings": []}

# approval_rule is the Approval_EndUser_Assignment rule: whether activating needs approval.
approval_rule(required) := {
	"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
	"id": "Approval_EndUser_Assignment",
	"target": _target("EndUser", "Assignment"),
	"setting": {
		"isApprovalRequired": required, "isApprovalRequiredForExtension": false,
		"isRequestorJustificationRequired": true, "approvalMode": "SingleStage",
		"approvalStages": [],
	},
}

# notification_rule is a notification rule to admins (id Notification_Admin_...) with its
# additional recipients.
notification_rule(id, recipients) := {
	"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
	"id": id,
	"notificationType": "Email",
	"recipientType": "Admin",
	"notificationLevel": "All",
	"isDefaultRecipientsEnabled": true,
	"notificationRecipients": recipients,
	"target": _target(_caller(id), _level(id)),
}

_caller(id) := "EndUser" if endswith(id, "_EndUser_Assignment")

_caller(id) := "Admin" if not endswith(id, "_EndUser_Assignment")

_level(id) := "Eligibility" if endswith(id, "_Eligibility")

_level(id) := "Assignment" if not endswith(id, "_Eligibility")

# pim_alerting is a role's PIM settings where every alert to admins reaches `recipients` and
# activation needs approval when `approval` is true.
pim_alerting(role, recipients, approval) := pim_settings(role, [
	approval_rule(approval),
	notification_rule("Notification_Admin_Admin_Eligibility", recipients),
	notification_rule("Notification_Admin_Admin_Assignment", recipients),
	notification_rule("Notification_Admin_EndUser_Assignment", recipients),
])

# p2_sku is a Microsoft 365 E5 subscription, which includes Microsoft Entra ID P2.
# id_governance_skus is a tenant with Microsoft 365 E3 (Entra ID P1) and the Microsoft Entra ID
# Governance add-on, which brings Privileged Identity Management without Entra ID P2.
id_governance_skus := [
	{
		"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "skuPartNumber": "SPE_E3", "capabilityStatus": "Enabled",
		"servicePlans": [{"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"}],
	},
	{
		"skuId": "cf6b0d46-4093-4546-a0ab-0b1546dcc10e", "skuPartNumber": "Microsoft_Entra_ID_Governance", "capabilityStatus": "Enabled",
		"servicePlans": [{"servicePlanId": "e866a266-3cff-43a3-acca-0c90a7e00c8b", "servicePlanName": "Entra_Identity_Governance", "provisioningStatus": "Success"}],
	},
]

# e3_skus is a tenant with Microsoft 365 E3 alone: Entra ID P1, neither P2 nor ID Governance.
e3_skus := [id_governance_skus[0]]

# pim_unlicensed is the not_applicable reason of a PIM rule citing `control` in a tenant without
# Entra ID P2 or Entra ID Governance.
pim_unlicensed(control) := sprintf("Privileged Identity Management needs one of the service plans AAD_PREMIUM_P2 (in Enterprise Mobility + Security E5, Microsoft 365 E5, Microsoft Entra ID P2) or Entra_Identity_Governance (in Microsoft Entra ID Governance), and the tenant has none of them (ScubaGear fails %s without them)", [control])

# skus_unknown is the error of a rule that needs a licence when the snapshot has no
# subscribedSkus.
skus_unknown := "entra.subscribedSkus is not a list, so which service plans the tenant has is unknown"

p2_sku := {
	"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "skuPartNumber": "SPE_E5", "capabilityStatus": "Enabled",
	"servicePlans": [
		{"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"},
		{"servicePlanId": "eec0eb4f-6444-4f95-aba0-50c24d67f998", "servicePlanName": "AAD_PREMIUM_P2", "provisioningStatus": "Success"},
	],
}

# scuba_roles are CISA SCuBA's eight highly privileged roles.
scuba_roles := [
	global_admin, privileged_role_admin, user_admin, sharepoint_admin, exchange_admin,
	hybrid_identity_admin, application_admin, cloud_application_admin,
]

# --- application management policies --------------------------------------------------------

# all_apps is restrictForAppsCreatedAfterDateTime for a restriction that applies to every
# application ("Only apply to apps created after" left blank: .NET's DateTime.MinValue).
all_apps := "0001-01-01T00:00:00Z"

# app_restriction is a credential restriction of `type` in `state`, for the apps created after
# `after`, with maxLifetime `lifetime` (null for password addition).
app_restriction(type, state, after, lifetime) := {
	"restrictionType": type, "state": state, "restrictForAppsCreatedAfterDateTime": after,
	"maxLifetime": lifetime, "excludeActors": null,
}

# app_restrictions is a restriction set (appManagementConfiguration) of `passwords` and `keys`.
app_restrictions(passwords, keys) := {"passwordCredentials": passwords, "keyCredentials": keys}

# app_hardened is the restriction set SCuBA asks for: password addition blocked, passwords and
# certificates valid 180 and 365 days or less (maxLifetime P181D, P366D), for every application.
app_hardened := app_restrictions(
	[
		app_restriction("passwordAddition", "enabled", all_apps, null),
		app_restriction("passwordLifetime", "enabled", all_apps, "P181D"),
	],
	[app_restriction("asymmetricKeyLifetime", "enabled", all_apps, "P366D")],
)

# app_default_policy is the tenant default app management policy, on or off, with the same
# restrictions for applications and service principals.
app_default_policy(enabled, restrictions) := {
	"id": "00000000-0000-0000-0000-000000000000",
	"displayName": "Default app management tenant policy",
	"isEnabled": enabled,
	"applicationRestrictions": restrictions,
	"servicePrincipalRestrictions": restrictions,
}

# app_custom_policy is a custom app management policy assigned to the applications `applies_to`
# (ids), as posture stores it: with its appliesTo read by id.
app_custom_policy(id, name, enabled, restrictions, applies_to) := {
	"id": id, "displayName": name, "description": name, "isEnabled": enabled, "restrictions": restrictions,
	"appliesTo": [{"@odata.type": "#microsoft.graph.application", "id": x} | some x in applies_to],
}

# --- Exchange Online and Defender for Office 365 ------------------------------------------
#
# Builders for input.exchange (objects as the Exchange cmdlets return them, PascalCase) and the
# licences Defender rules look at. A test names the smallest input that shows its point:
#   x := fixtures.mdo_exchange("content_filter", [fixtures.default_policy("content_filter", {"SpamAction": "AddXHeader"})], [])
#   spam_actions.deny == ... with input.exchange as x

# skus is entra.subscribedSkus with one enabled Microsoft 365 E5 subscription holding the service
# plans `plan_ids`.
skus(plan_ids) := [{
	"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "skuPartNumber": "SPE_E5", "capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": id, "servicePlanName": "X", "provisioningStatus": "Success"} | some id in plan_ids],
}]

# mdo_skus is a tenant with Microsoft Defender for Office 365 Plan 1.
mdo_skus := skus([licenses.defender_office_p1])

# accepted_domains is exchange.acceptedDomains holding `names`.
accepted_domains(names) := [{"Name": n, "DomainName": n, "DomainType": "Authoritative"} | some n in names]

# domain_entity is the finding entity of a domain.
domain_entity(domain) := {"type": "domain", "id": domain, "name": domain}

# dns_exchange is input.exchange for DNS rules: accepted domains contoso.onmicrosoft.com and
# contoso.com, and exchange.dns as given (domain -> {"spf": [...], "dmarc": [...]}).
dns_exchange(dns) := {"acceptedDomains": accepted_domains(["contoso.onmicrosoft.com", "contoso.com"]), "dns": dns}

# moera_dns is what a lookup of contoso.onmicrosoft.com finds once the tenant has added an
# enforcing DMARC record with reports for it (Microsoft publishes the SPF record): what every
# DNS rule accepts.
moera_dns := {
	"spf": ["v=spf1 include:spf.protection.outlook.com -all"],
	"dmarc": ["v=DMARC1; p=reject; rua=mailto:d@contoso.com; ruf=mailto:d@contoso.com"],
}

# dmarc_exchange is dns_exchange with one DMARC record for contoso.com, and moera_dns for
# contoso.onmicrosoft.com.
dmarc_exchange(record) := dns_exchange({"contoso.onmicrosoft.com": moera_dns, "contoso.com": {"spf": [], "dmarc": [record]}})

# transport_rule is an enabled, enforced mail flow rule (Get-TransportRule) named `name`, with
# `changes` on top.
transport_rule(name, changes) := object.union(
	{"Identity": name, "Name": name, "Guid": sprintf("tr-%s", [name]), "State": "Enabled", "Mode": "Enforce", "Priority": 0},
	changes,
)

# sharing_policy is a sharing policy (Get-SharingPolicy); "Default Sharing Policy" is the default.
sharing_policy(name, enabled, domains) := {
	"Identity": name, "Name": name, "Guid": sprintf("sp-%s", [name]),
	"Enabled": enabled, "Default": name == "Default Sharing Policy", "Domains": domains,
}

# policy_entity is the finding entity of a Defender or Exchange Online Protection policy.
policy_entity(p) := {"type": "policy", "id": p.Guid, "name": p.Name}

# default_policy is the policy of `kind` (a kind of posture.lib.mdo) that everyone no other policy
# covers gets: the default policy (IsDefault), or for Safe Links and Safe Attachments the Built-In
# Protection Policy; `settings` on top.
default_policy(kind, settings) := object.union(_fallback(kind), settings)

_fallback(kind) := {"Name": n, "Identity": n, "IsBuiltInProtection": true, "Guid": "g-default"} if {
	mdo.kinds[kind].fallback == "built_in"
	n := mdo.built_in_policy_name
} else := {"Name": n, "Identity": n, "IsDefault": true, "Guid": "g-default"} if {
	n := _default_names[kind]
}

_default_names := {
	"anti_phish": "Office365 AntiPhish Default", "anti_phish_eop": "Office365 AntiPhish Default",
	"content_filter": "Default", "malware_filter": "Default",
}

# preset_policy is the policy a preset security policy ("Standard" or "Strict") holds for any kind,
# named as Microsoft names them ("Standard Preset Security Policy" and a number).
preset_policy(preset, settings) := object.union(
	{"Name": n, "Identity": n, "Guid": sprintf("g-%s", [lower(preset)])},
	settings,
) if {
	n := sprintf("%s Preset Security Policy1", [preset])
}

# preset_rule is the enabled rule of a preset ("Standard" or "Strict") for all recipients, naming
# its policy of every kind; `scope` on top (e.g. {"SentToMemberOf": ["Finance"]}). Tests put it in
# both exchange.eopProtectionPolicyRules and exchange.atpProtectionPolicyRules.
preset_rule(preset, scope) := object.union(
	{
		"Identity": id, "Name": id, "State": "Enabled", "Priority": _preset_priority[preset],
		"AntiPhishPolicy": p, "HostedContentFilterPolicy": p, "MalwareFilterPolicy": p,
		"SafeLinksPolicy": p, "SafeAttachmentPolicy": p,
		"SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null,
		"ExceptIfSentTo": null, "ExceptIfSentToMemberOf": null, "ExceptIfRecipientDomainIs": null,
	},
	scope,
) if {
	id := sprintf("%s Preset Security Policy", [preset])
	p := sprintf("%s Preset Security Policy1", [preset])
}

_preset_priority := {"Strict": 0, "Standard": 1}

# custom_policy is a custom policy named `name` (its rule is custom_rule).
custom_policy(name, settings) := object.union({"Name": name, "Identity": name, "IsDefault": false, "Guid": sprintf("g-%s", [name])}, settings)

# custom_rule is the enabled rule of custom policy `name` of `kind`, at `priority`, for all
# recipients; `scope` on top.
custom_rule(kind, name, priority, scope) := object.union(
	{
		"Identity": name, "Name": name, mdo.kinds[kind].link: name, "State": "Enabled", "Priority": priority,
		"SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null,
		"ExceptIfSentTo": null, "ExceptIfSentToMemberOf": null, "ExceptIfRecipientDomainIs": null,
	},
	scope,
)

# mdo_exchange is input.exchange for a rule on policies of `kind`: one accepted domain
# (contoso.com), the kind's `policies`, the preset rules `presets` (in both the EOP and the Defender
# for Office 365 list) and, for kinds with rules, no custom rule.
mdo_exchange(kind, policies, presets) := object.union(
	{
		"acceptedDomains": accepted_domains(["contoso.com"]),
		"eopProtectionPolicyRules": presets, "atpProtectionPolicyRules": presets,
		mdo.kinds[kind].policies: policies,
	},
	_no_custom_rules(kind),
)

_no_custom_rules(kind) := {mdo.kinds[kind].rules: []} if mdo.kinds[kind].rules

else := {}
