package posture.rules.entra.auth_methods_migration_complete_test

import data.posture.rules.entra.auth_methods_migration_complete

_policy(state) := {
	"id": "authenticationMethodsPolicy",
	"policyMigrationState": state,
	"authenticationMethodConfigurations": [],
}

_entity := {"type": "setting", "id": "authenticationMethodsPolicy.policyMigrationState", "name": "Authentication methods: Manage migration"}

test_passes_when_migration_is_complete if {
	auth_methods_migration_complete.deny == set() with input.entra.authenticationMethodsPolicy as _policy("migrationComplete")
	auth_methods_migration_complete.error == set() with input.entra.authenticationMethodsPolicy as _policy("migrationComplete")
}

test_fails_before_migration if {
	auth_methods_migration_complete.deny == {{
		"msg": `The migration to the authentication methods policy is not complete (policyMigrationState is "preMigration"): the legacy MFA and SSPR policies still govern methods alongside it (Pre-migration)`,
		"entity": _entity,
	}} with input.entra.authenticationMethodsPolicy as _policy("preMigration")
}

test_fails_while_migration_is_in_progress if {
	auth_methods_migration_complete.deny == {{
		"msg": `The migration to the authentication methods policy is not complete (policyMigrationState is "migrationInProgress"): the legacy MFA and SSPR policies are still respected alongside it (Migration in progress)`,
		"entity": _entity,
	}} with input.entra.authenticationMethodsPolicy as _policy("migrationInProgress")
}

test_fails_for_an_unknown_future_value if {
	count(auth_methods_migration_complete.deny) == 1 with input.entra.authenticationMethodsPolicy as _policy("unknownFutureValue")
}

test_errors_when_the_state_is_null_or_missing if {
	auth_methods_migration_complete.error == {`entra.authenticationMethodsPolicy.policyMigrationState is null, so whether the legacy MFA and SSPR policies still apply is unknown (check Entra ID > Authentication methods > Policies > Manage migration)`} with input.entra.authenticationMethodsPolicy as _policy(null)
	auth_methods_migration_complete.deny == set() with input.entra.authenticationMethodsPolicy as _policy(null)
	count(auth_methods_migration_complete.error) == 1 with input.entra.authenticationMethodsPolicy as {"id": "authenticationMethodsPolicy"}
}

test_errors_when_the_state_is_not_a_string if {
	count(auth_methods_migration_complete.error) == 1 with input.entra.authenticationMethodsPolicy as _policy(true)
	auth_methods_migration_complete.deny == set() with input.entra.authenticationMethodsPolicy as _policy(true)
}

test_errors_when_the_policy_is_not_an_object if {
	auth_methods_migration_complete.error == {"entra.authenticationMethodsPolicy is not an object"} with input.entra.authenticationMethodsPolicy as [_policy("migrationComplete")]
}
