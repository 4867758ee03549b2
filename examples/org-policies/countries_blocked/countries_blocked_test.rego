package posture.rules.org.countries_blocked_test

import data.posture.rules.org.countries_blocked

netherlands := {"id": "loc-nl", "@odata.type": "#microsoft.graph.countryNamedLocation", "countriesAndRegions": ["NL", "BE"], "includeUnknownCountriesAndRegions": false}

office := {"id": "loc-office", "@odata.type": "#microsoft.graph.ipNamedLocation", "isTrusted": true}

block(exclude_locations, exclude_groups) := {
	"id": "ca1", "displayName": "Block outside NL and BE", "state": "enabled",
	"grantControls": {"operator": "OR", "builtInControls": ["block"]},
	"conditions": {
		"users": {"includeUsers": ["All"], "excludeUsers": [], "excludeGroups": exclude_groups},
		"applications": {"includeApplications": ["All"]},
		"locations": {"includeLocations": ["All"], "excludeLocations": exclude_locations},
	},
}

tenant(policies) := {
	"tenant": {"id": "t1", "displayName": "Fabrikam"},
	"entra": {
		"conditionalAccessPolicies": policies, "namedLocations": [netherlands, office],
		"users": [], "groups": [{"id": "bg", "displayName": "Emergency access"}], "groupMembers": {"bg": []},
	},
}

config := {"allowedCountries": ["nl", "BE"], "breakGlass": {"users": [], "groups": ["bg"]}}

test_block_outside_allowed_countries_passes if {
	denies := countries_blocked.deny with input as tenant([block(["loc-nl", "loc-office"], ["bg"])]) with data.posture.config as config
	count(denies) == 0
}

test_no_blocking_policy_fails if {
	denies := countries_blocked.deny with input as tenant([]) with data.posture.config as config
	some d in denies
	d.msg == "no enabled Conditional Access policy blocks sign-ins from outside BE, NL"
}

test_report_only_policy_fails if {
	p := object.union(block(["loc-nl"], []), {"state": "enabledForReportingButNotEnforced"})
	count(countries_blocked.deny) == 1 with input as tenant([p]) with data.posture.config as config
}

test_country_outside_the_list_fails if {
	wide := object.union(netherlands, {"countriesAndRegions": ["NL", "BE", "RU"]})
	t := object.union(tenant([block(["loc-nl"], [])]), {"entra": {"namedLocations": [wide]}})
	count(countries_blocked.deny) == 1 with input as t with data.posture.config as config
}

test_excluding_a_group_other_than_break_glass_fails if {
	count(countries_blocked.deny) == 1 with input as tenant([block(["loc-nl"], ["contractors"])]) with data.posture.config as config
}

test_without_the_country_list_it_is_unknown if {
	cfg := {"breakGlass": {"users": [], "groups": ["bg"]}}
	count(countries_blocked.error) == 1 with input as tenant([]) with data.posture.config as cfg
	count(countries_blocked.deny) == 0 with input as tenant([]) with data.posture.config as cfg
}
