# METADATA
# title: Application passwords are valid 180 days or less
# description: >-
#   Where applications may still be given passwords (client secrets), a secret valid for years
#   gives whoever copies it years of access; a short lifetime forces rotation and bounds what a
#   leaked secret is worth. The rule applies only while password addition is not blocked for
#   every application (entra.app_password_addition_blocked, MS.AAD.5.5v1: "This policy applies
#   only if password credentials are permitted"), and is not applicable otherwise. It passes when
#   the tenant's default app management policy is on and both its restriction sets, for
#   applications and for service principals, hold an enabled passwordLifetime restriction for
#   every application (no "created after" date) with a maxLifetime of P181D or less, and every
#   custom policy assigned to an application or service principal does too: Entra compares
#   lifetimes with less-than, so SCuBA's "180 days or less" is set as 181 days. It fails once for
#   a default policy that is off, once per restriction set and once per assigned custom policy
#   that falls short, and cannot verify (error) a maxLifetime that is not a duration. Every
#   violation breaks CISA SCuBA MS.AAD.5.6v1 (aad.md at ScubaGear 4d34e9a). ScubaGear at that
#   commit reports the control met, not "not applicable", when password addition is blocked,
#   and does not read the default policy's isEnabled or flag custom policies that lack the
#   restriction.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/tutorial-enforce-secret-standards
#     description: "Microsoft Learn: Enforce secret and certificate standards using application management policies"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/applicationauthenticationmethodpolicy
#     description: "Microsoft Learn: Application authentication methods API overview (tenant default and custom policies)"
#   - ref: https://github.com/cisagov/ScubaGear/blob/4d34e9a48e38ce5c2e14c0fdfbaee53e57594ae2/PowerShell/ScubaGear/baselines/aad.md#msaad56v1
#     description: "CISA SCuBA: MS.AAD.5.6v1, Application password lifetime SHOULD be restricted to 180 days or less"
# custom:
#   id: entra.app_password_lifetime_limited
#   severity: low
#   level: should
#   requires: [entra.defaultAppManagementPolicy, entra.appManagementPolicies]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.5.6v1]
#   license: []
#   remediation: >-
#     Better, block password addition altogether (entra.app_password_addition_blocked). Otherwise
#     in the Microsoft Entra admin center go to Entra ID > Enterprise apps > Security >
#     Application policies, open "Restrict max password lifetime", set Status to On, the maximum
#     lifetime to 181 days and "Applies to" All applications, leave "Only apply to apps created
#     after" blank and save; give each custom policy the finding names the same restriction. With
#     Microsoft Graph, PATCH /policies/defaultAppManagementPolicy with isEnabled true and a
#     passwordCredentials entry {"restrictionType": "passwordLifetime", "state": "enabled",
#     "maxLifetime": "P181D", "restrictForAppsCreatedAfterDateTime": "0001-01-01T00:00:00Z"} in
#     both restriction sets (send the whole array: it replaces the one stored).
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.app_password_lifetime_limited

import data.posture.lib.appmanagement

not_applicable := "password addition is blocked for every application and service principal (MS.AAD.5.5v1), so no application password lifetime applies" if {
	appmanagement.blocked
}

deny contains v if some v in appmanagement.violations(appmanagement.password_lifetime)

error contains msg if some msg in appmanagement.errors(appmanagement.password_lifetime)
