# METADATA
# title: Application certificates are valid 365 days or less
# description: >-
#   A certificate is a better application credential than a password, but one valid for years
#   is years of access for whoever steals its private key; a yearly rotation bounds that and
#   keeps the rotation process practised. The rule passes when the tenant's default app
#   management policy is on and both its restriction sets, for applications and for service
#   principals, hold an enabled asymmetricKeyLifetime restriction for every application (no
#   "created after" date) with a maxLifetime of P366D or less, and every custom policy assigned
#   to an application or service principal does too: Entra compares lifetimes with less-than,
#   so SCuBA's "365 days or less" is set as 366 days. It fails once for a default policy that is
#   off, once per restriction set and once per assigned custom policy that falls short, and
#   cannot verify (error) a maxLifetime that is not a duration. Every violation breaks CISA SCuBA
#   MS.AAD.5.7v1 (aad.md at ScubaGear 4d34e9a). ScubaGear at that commit does not read the
#   default policy's isEnabled or flag custom policies that lack the restriction, deliberate
#   differences that follow Microsoft's documentation.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/tutorial-enforce-secret-standards
#     description: "Microsoft Learn: Enforce secret and certificate standards using application management policies"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/applicationauthenticationmethodpolicy
#     description: "Microsoft Learn: Application authentication methods API overview (tenant default and custom policies)"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad57v1
#     description: "CISA SCuBA: MS.AAD.5.7v1, Application certificate lifetime SHOULD be restricted to 365 days or less"
# custom:
#   id: entra.app_certificate_lifetime_limited
#   severity: low
#   level: should
#   requires: [entra.defaultAppManagementPolicy, entra.appManagementPolicies]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.5.7v1]
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Enterprise apps > Security >
#     Application policies, open "Restrict max certificate lifetime", set Status to On, the
#     maximum lifetime to 366 days and "Applies to" All applications, leave "Only apply to apps
#     created after" blank and save; give each custom policy the finding names the same
#     restriction. With Microsoft Graph, PATCH /policies/defaultAppManagementPolicy with isEnabled
#     true and a keyCredentials entry {"restrictionType": "asymmetricKeyLifetime", "state":
#     "enabled", "maxLifetime": "P366D", "restrictForAppsCreatedAfterDateTime":
#     "0001-01-01T00:00:00Z"} in both restriction sets (send the whole array: it replaces the one
#     stored).
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.app_certificate_lifetime_limited

import data.posture.lib.appmanagement

deny contains v if some v in appmanagement.violations(appmanagement.certificate_lifetime)

error contains msg if some msg in appmanagement.errors(appmanagement.certificate_lifetime)
