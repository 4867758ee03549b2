package posture.rules.exchange.calendar_sharing_restricted_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.calendar_sharing_restricted

_entity(name) := {"type": "policy", "id": sprintf("sp-%s", [name]), "name": name}

test_fails_for_the_default_sharing_policy if {
	ps := [fixtures.sharing_policy("Default Sharing Policy", true, ["Anonymous:CalendarSharingFreeBusyReviewer", "*:CalendarSharingFreeBusySimple"])]
	calendar_sharing_restricted.deny == {
		{
			"msg": "Sharing policy 'Default Sharing Policy' lets users share calendar free/busy times with every external domain (*:CalendarSharingFreeBusySimple)",
			"entity": _entity("Default Sharing Policy"),
			"controls": ["MS.EXO.6.2v1", "1.3.3"],
		},
		{
			"msg": "Sharing policy 'Default Sharing Policy' lets users share calendar items in full (reviewer) with anyone with the link (anonymous) (Anonymous:CalendarSharingFreeBusyReviewer)",
			"entity": _entity("Default Sharing Policy"),
			"controls": ["MS.EXO.6.2v1", "1.3.3"],
		},
	} with input.exchange.sharingPolicies as ps
	calendar_sharing_restricted.warn == set() with input.exchange.sharingPolicies as ps
}

test_passes_when_the_default_policy_is_disabled if {
	ps := [fixtures.sharing_policy("Default Sharing Policy", false, ["Anonymous:CalendarSharingFreeBusyReviewer", "*:CalendarSharingFreeBusySimple"])]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
	calendar_sharing_restricted.warn == set() with input.exchange.sharingPolicies as ps
}

test_passes_when_sharing_only_with_named_partners if {
	ps := [fixtures.sharing_policy("Partners", true, ["fabrikam.com:CalendarSharingFreeBusyDetail, ContactsSharing"])]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
	calendar_sharing_restricted.warn == set() with input.exchange.sharingPolicies as ps
}

test_contacts_and_calendar_details_break_their_own_controls if {
	ps := [fixtures.sharing_policy("Sales", true, ["*:CalendarSharingFreeBusyDetail, ContactsSharing"])]
	calendar_sharing_restricted.deny == {
		{
			"msg": "Sharing policy 'Sales' lets users share contacts with every external domain (*:CalendarSharingFreeBusyDetail, ContactsSharing)",
			"entity": _entity("Sales"),
			"controls": ["MS.EXO.6.1v1"],
		},
		{
			"msg": "Sharing policy 'Sales' lets users share calendar free/busy times with subjects and locations with every external domain (*:CalendarSharingFreeBusyDetail, ContactsSharing)",
			"entity": _entity("Sales"),
			"controls": ["MS.EXO.6.2v1"],
		},
	} with input.exchange.sharingPolicies as ps
}

test_free_busy_accepted_by_the_parameter_still_breaks_the_scuba_control if {
	ps := [fixtures.sharing_policy("Default Sharing Policy", true, ["*:CalendarSharingFreeBusySimple"])]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
		with data.posture.config as {"allowFreeBusyWithAllDomains": true}
	[v.controls | some v in calendar_sharing_restricted.warn] == [["MS.EXO.6.2v1", "1.3.3"]] with input.exchange.sharingPolicies as ps
		with data.posture.config as {"allowFreeBusyWithAllDomains": true}
	ps2 := [fixtures.sharing_policy("Default Sharing Policy", true, ["*:CalendarSharingFreeBusyDetail"])]
	count(calendar_sharing_restricted.deny) == 1 with input.exchange.sharingPolicies as ps2
		with data.posture.config as {"allowFreeBusyWithAllDomains": true}
}

test_an_enabled_default_policy_sharing_nothing_widely_is_a_cis_warning if {
	ps := [fixtures.sharing_policy("Default Sharing Policy", true, ["fabrikam.com:CalendarSharingFreeBusySimple"])]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
	calendar_sharing_restricted.warn == {{
		"msg": "The Default Sharing Policy 'Default Sharing Policy' is enabled: it shares nothing with every domain, but CIS 1.3.3 wants it disabled so that users cannot share calendars outside the organization",
		"entity": _entity("Default Sharing Policy"),
		"controls": ["1.3.3"],
	}} with input.exchange.sharingPolicies as ps
}

test_a_policy_with_unknown_enabled_state_counts_as_enabled if {
	ps := [object.remove(fixtures.sharing_policy("Default Sharing Policy", true, ["*:CalendarSharingFreeBusySimple"]), ["Enabled"])]
	count(calendar_sharing_restricted.deny) == 1 with input.exchange.sharingPolicies as ps
}

test_ignores_malformed_and_missing_domains if {
	ps := [fixtures.sharing_policy("A", true, ["garbage", 7]), fixtures.sharing_policy("B", true, null)]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
}

test_errors_when_the_policies_are_not_a_list if {
	calendar_sharing_restricted.error == {"exchange.sharingPolicies is not an array"} with input.exchange.sharingPolicies as {}
}

test_errors_on_a_bad_parameter if {
	calendar_sharing_restricted.error == {`config allowFreeBusyWithAllDomains must be true or false, got "yes"`} with input.exchange.sharingPolicies as []
		with data.posture.config as {"allowFreeBusyWithAllDomains": "yes"}
}
