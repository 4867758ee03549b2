package posture.lib.appmanagement_test

import data.posture.lib.appmanagement
import data.posture.lib.fixtures

test_seconds_reads_day_time_durations if {
	appmanagement.seconds("P181D") == 181 * 86400
	appmanagement.seconds("PT12H") == 12 * 3600
	appmanagement.seconds("P1DT2H3M4S") == ((86400 + (2 * 3600)) + (3 * 60)) + 4
	appmanagement.seconds("PT0.5S") == 0.5
}

test_seconds_refuses_what_is_no_day_time_duration if {
	not appmanagement.seconds("P")
	not appmanagement.seconds("PT")
	not appmanagement.seconds("P1D T")
	not appmanagement.seconds("P1Y") # years and months are no Edm.Duration
	not appmanagement.seconds("181")
	not appmanagement.seconds(181)
	not appmanagement.seconds(null)
}

test_all_apps_is_a_blank_or_minimal_start_date if {
	appmanagement.all_apps({"restrictForAppsCreatedAfterDateTime": null})
	appmanagement.all_apps({})
	appmanagement.all_apps({"restrictForAppsCreatedAfterDateTime": "0001-01-01T00:00:00Z"})
	appmanagement.all_apps({"restrictForAppsCreatedAfterDateTime": "0001-01-01T00:00:00.000Z"})
	not appmanagement.all_apps({"restrictForAppsCreatedAfterDateTime": "2019-01-01T00:00:00Z"})
}

test_gap_is_undefined_for_a_set_that_meets_the_check if {
	not appmanagement.gap(fixtures.app_hardened, appmanagement.password_addition)
	not appmanagement.gap(fixtures.app_hardened, appmanagement.password_lifetime)
	not appmanagement.gap(fixtures.app_hardened, appmanagement.certificate_lifetime)
	appmanagement.gap(null, appmanagement.password_addition) == "have no passwordAddition restriction"
}

test_only_custom_policies_assigned_to_objects_count if {
	used := fixtures.app_custom_policy("p1", "Used", true, null, ["a1"])
	unused := fixtures.app_custom_policy("p2", "Unused", true, null, [])
	appmanagement.applied == [used] with input.entra.appManagementPolicies as [used, unused]
}

test_blocked_needs_the_block_everywhere if {
	appmanagement.blocked with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(true, fixtures.app_hardened)
		with input.entra.appManagementPolicies as []
	not appmanagement.blocked with input.entra.defaultAppManagementPolicy as fixtures.app_default_policy(false, fixtures.app_hardened)
		with input.entra.appManagementPolicies as []
	not appmanagement.blocked with input.entra.defaultAppManagementPolicy as "on"
		with input.entra.appManagementPolicies as []
}
