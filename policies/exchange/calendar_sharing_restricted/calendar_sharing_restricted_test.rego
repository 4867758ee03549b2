package posture.rules.exchange.calendar_sharing_restricted_test

import data.posture.rules.exchange.calendar_sharing_restricted

_policy(name, enabled, domains) := {
	"Identity": name, "Name": name, "Guid": "22222222-0000-0000-0000-000000000001",
	"Enabled": enabled, "Default": name == "Default Sharing Policy", "Domains": domains,
}

_entity(name) := {"type": "policy", "id": "22222222-0000-0000-0000-000000000001", "name": name}

test_fails_for_the_default_sharing_policy if {
	ps := [_policy("Default Sharing Policy", true, ["Anonymous:CalendarSharingFreeBusyReviewer", "*:CalendarSharingFreeBusySimple"])]
	calendar_sharing_restricted.deny == {
		{
			"msg": "Sharing policy 'Default Sharing Policy' lets users share calendar free/busy times with every external domain (*:CalendarSharingFreeBusySimple)",
			"entity": _entity("Default Sharing Policy"),
		},
		{
			"msg": "Sharing policy 'Default Sharing Policy' lets users share calendar items in full (reviewer) with anyone with the link (anonymous) (Anonymous:CalendarSharingFreeBusyReviewer)",
			"entity": _entity("Default Sharing Policy"),
		},
	} with input.exchange.sharingPolicies as ps
}

test_passes_when_the_default_policy_is_disabled if {
	ps := [_policy("Default Sharing Policy", false, ["Anonymous:CalendarSharingFreeBusyReviewer", "*:CalendarSharingFreeBusySimple"])]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
}

test_passes_when_sharing_only_with_named_partners if {
	ps := [_policy("Partners", true, ["fabrikam.com:CalendarSharingFreeBusyDetail, ContactsSharing"])]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
}

test_fails_for_contacts_and_details_shared_with_all_domains if {
	ps := [_policy("Sales", true, ["*:CalendarSharingFreeBusyDetail, ContactsSharing"])]
	calendar_sharing_restricted.deny == {{
		"msg": "Sharing policy 'Sales' lets users share calendar free/busy times with subjects and locations and contacts with every external domain (*:CalendarSharingFreeBusyDetail, ContactsSharing)",
		"entity": _entity("Sales"),
	}} with input.exchange.sharingPolicies as ps
}

test_free_busy_with_all_domains_can_be_accepted if {
	ps := [_policy("Default Sharing Policy", true, ["*:CalendarSharingFreeBusySimple"])]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
		with data.posture.config as {"allowFreeBusyWithAllDomains": true}
	ps2 := [_policy("Default Sharing Policy", true, ["*:CalendarSharingFreeBusyDetail"])]
	count(calendar_sharing_restricted.deny) == 1 with input.exchange.sharingPolicies as ps2
		with data.posture.config as {"allowFreeBusyWithAllDomains": true}
}

test_a_policy_with_unknown_enabled_state_counts_as_enabled if {
	ps := [object.remove(_policy("Default Sharing Policy", true, ["*:CalendarSharingFreeBusySimple"]), ["Enabled"])]
	count(calendar_sharing_restricted.deny) == 1 with input.exchange.sharingPolicies as ps
}

test_ignores_malformed_and_missing_domains if {
	ps := [_policy("A", true, ["garbage", 7]), _policy("B", true, null)]
	calendar_sharing_restricted.deny == set() with input.exchange.sharingPolicies as ps
}

test_errors_when_the_policies_are_not_a_list if {
	calendar_sharing_restricted.error == {"exchange.sharingPolicies is not an array"} with input.exchange.sharingPolicies as {}
}

test_errors_on_a_bad_parameter if {
	calendar_sharing_restricted.error == {`config allowFreeBusyWithAllDomains must be true or false, got "yes"`} with input.exchange.sharingPolicies as []
		with data.posture.config as {"allowFreeBusyWithAllDomains": "yes"}
}
