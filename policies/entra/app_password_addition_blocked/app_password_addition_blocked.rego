# METADATA
# title: Applications cannot be given passwords
# description: >-
#   A password (client secret) lets anyone who finds it sign in as the application, with all its
#   permissions and none of the MFA or Conditional Access that protects users; secrets end up in
#   configuration files, scripts and repositories, and an attacker who controls an application
#   adds one to keep access. Certificates, managed identities and federated credentials do the
#   same job without a shared secret. Entra's application management policies can block new
#   passwords. The rule passes when the tenant's default policy (defaultAppManagementPolicy) is
#   on and both its restriction sets, for applications and for service principals, hold an
#   enabled passwordAddition restriction that applies to every application (no "created after"
#   date), and when every custom policy (appManagementPolicies) assigned to an application or
#   service principal blocks password addition as well: an assigned custom policy replaces the
#   default for that object. It fails once for a default policy that is off, once per restriction
#   set that falls short, and once per assigned custom policy that does not block passwords; it
#   cannot verify (error) data of the wrong shape or a restriction without a state. The block
#   stops new passwords only: existing secrets keep working until they expire. Every violation
#   breaks CISA SCuBA MS.AAD.5.5v1 (aad.md at ScubaGear 4d34e9a). Three deliberate differences
#   from ScubaGear's Rego at that commit, which follow the text and Microsoft's documentation:
#   ScubaGear passes a tenant with no passwordAddition restriction at all and does not read the
#   default policy's isEnabled, and flags a custom policy only when it disables the restriction,
#   not when it lacks one.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/configure-app-management-policies
#     description: "Microsoft Learn: Configure restrictions on how applications can be configured"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/applicationauthenticationmethodpolicy
#     description: "Microsoft Learn: Application authentication methods API overview (tenant default and custom policies)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/tenantappmanagementpolicy
#     description: "Microsoft Learn: tenantAppManagementPolicy resource type"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad55v1
#     description: "CISA SCuBA: MS.AAD.5.5v1, Application Password Addition SHOULD be blocked"
# custom:
#   id: entra.app_password_addition_blocked
#   severity: medium
#   level: should
#   requires: [entra.defaultAppManagementPolicy, entra.appManagementPolicies]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.5.5v1]
#   license: []
#   remediation: >-
#     Move the applications that use client secrets to certificates, managed identities or
#     federated credentials first. Then in the Microsoft Entra admin center go to Entra ID >
#     Enterprise apps > Security > Application policies, open "Block password addition", set
#     Status to On with "Applies to" All applications, leave "Only apply to apps created after"
#     blank and save. For each custom policy the finding names, add an enabled passwordAddition
#     restriction to it or unassign it from its applications. With Microsoft Graph, PATCH
#     /policies/defaultAppManagementPolicy with isEnabled true and, in applicationRestrictions and
#     servicePrincipalRestrictions, a passwordCredentials entry {"restrictionType":
#     "passwordAddition", "state": "enabled", "restrictForAppsCreatedAfterDateTime":
#     "0001-01-01T00:00:00Z"} (send the whole array: it replaces the one stored).
#   user_impact: moderate
#   implementation_cost: moderate
package posture.rules.entra.app_password_addition_blocked

import data.posture.lib.appmanagement

deny contains v if some v in appmanagement.violations(appmanagement.password_addition)

error contains msg if some msg in appmanagement.errors(appmanagement.password_addition)
