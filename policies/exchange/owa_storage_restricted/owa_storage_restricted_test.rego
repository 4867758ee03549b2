package posture.rules.exchange.owa_storage_restricted_test

import data.posture.rules.exchange.owa_storage_restricted

_policy(name, available) := {
	"Identity": name, "Name": name, "Guid": sprintf("guid-%s", [name]),
	"IsDefault": name == "OwaMailboxPolicy-Default",
	"AdditionalStorageProvidersAvailable": available,
}

test_passes_when_every_policy_restricts_storage_providers if {
	ps := [_policy("OwaMailboxPolicy-Default", false), _policy("Kiosk", false)]
	owa_storage_restricted.deny == set() with input.exchange.owaMailboxPolicies as ps
	owa_storage_restricted.error == set() with input.exchange.owaMailboxPolicies as ps
}

test_fails_for_each_policy_that_allows_storage_providers if {
	ps := [_policy("OwaMailboxPolicy-Default", true), _policy("Kiosk", false)]
	owa_storage_restricted.deny == {{
		"msg": "Outlook on the web mailbox policy 'OwaMailboxPolicy-Default' lets users attach and save files to third-party storage (AdditionalStorageProvidersAvailable is true), outside the organization's retention and data loss prevention",
		"entity": {"type": "policy", "id": "guid-OwaMailboxPolicy-Default", "name": "OwaMailboxPolicy-Default"},
	}} with input.exchange.owaMailboxPolicies as ps
}

test_passes_with_no_policies if {
	owa_storage_restricted.deny == set() with input.exchange.owaMailboxPolicies as []
	owa_storage_restricted.error == set() with input.exchange.owaMailboxPolicies as []
}

test_errors_when_a_policy_lacks_the_setting if {
	ps := [{"Identity": "Legacy", "Name": "Legacy"}, _policy("OwaMailboxPolicy-Default", false)]
	owa_storage_restricted.error == {"Outlook on the web mailbox policy 'Legacy': AdditionalStorageProvidersAvailable is null, not true or false"} with input.exchange.owaMailboxPolicies as ps
}

test_errors_when_the_policies_are_not_a_list if {
	owa_storage_restricted.error == {"exchange.owaMailboxPolicies is not an array"} with input.exchange.owaMailboxPolicies as {"Name": "x"}
}
