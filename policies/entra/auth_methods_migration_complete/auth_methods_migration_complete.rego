# METADATA
# title: Authentication methods are managed only by the authentication methods policy
# description: >-
#   Until the migration to the authentication methods policy is complete, the legacy MFA service
#   settings and the legacy SSPR authentication methods are still respected, so a method turned
#   off in the authentication methods policy (SMS, voice call) may remain usable through the
#   legacy policies, which Microsoft Graph v1.0 does not expose and which are easy to overlook.
#   Completing the migration leaves one place that decides which methods users may register and
#   use. The rule passes when the policy's policyMigrationState is "migrationComplete"; it fails
#   for "preMigration", "migrationInProgress" or any other value; a missing or null state cannot be
#   verified (error).
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-authentication-methods-manage
#     description: "Microsoft Learn: How to migrate MFA and SSPR policy settings to the Authentication methods policy"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-methods-manage
#     description: "Microsoft Learn: Manage authentication methods for Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/authenticationmethodspolicy
#     description: "Microsoft Learn: authenticationMethodsPolicy resource type (policyMigrationState)"
# custom:
#   id: entra.auth_methods_migration_complete
#   severity: low
#   level: shall
#   requires: [entra.authenticationMethodsPolicy]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.AAD.3.4v1]
#     cis_m365: []
#   license: []
#   remediation: >-
#     In the Microsoft Entra admin center go to Entra ID > Authentication methods > Policies
#     (formerly Protection > Authentication methods), review that every method enabled in the
#     legacy MFA service settings (per-user MFA > Service settings > Verification options) and in
#     Password reset > Authentication methods is enabled for the right users in the authentication
#     methods policy (the migration guide under Manage migration does this for you), then set
#     Manage migration to "Migration Complete" and save. With Microsoft Graph, PATCH
#     /policies/authenticationMethodsPolicy with policyMigrationState "migrationComplete".
#   user_impact: low
#   implementation_cost: moderate
package posture.rules.entra.auth_methods_migration_complete

import data.posture.lib.authmethods
import data.posture.lib.entity

_entity := entity.migration

_meaning := {
	"preMigration": "the legacy MFA and SSPR policies still govern methods alongside it (Pre-migration)",
	"migrationInProgress": "the legacy MFA and SSPR policies are still respected alongside it (Migration in progress)",
}

deny contains {"msg": msg, "entity": _entity} if {
	state := authmethods.migration_state
	not authmethods.migration_complete
	msg := sprintf("The migration to the authentication methods policy is not complete (policyMigrationState is %s): %s", [
		json.marshal(state),
		object.get(_meaning, state, "the legacy MFA and SSPR policies may still be respected alongside it"),
	])
}

error contains "entra.authenticationMethodsPolicy is not an object" if not is_object(authmethods.raw)

error contains msg if {
	is_object(authmethods.raw)
	not authmethods.migration_state
	msg := sprintf("entra.authenticationMethodsPolicy.policyMigrationState is %s, so whether the legacy MFA and SSPR policies still apply is unknown (check Entra ID > Authentication methods > Policies > Manage migration)", [json.marshal(object.get(authmethods.raw, "policyMigrationState", null))])
}
