package posture.rules.org.no_guest_admins_test

import data.posture.rules.org.no_guest_admins

test_guest_with_a_role_is_denied if {
	count(no_guest_admins.deny) == 1 with input as {"entra": {
		"users": [{"id": "g", "userType": "Guest", "userPrincipalName": "g@x"}],
		"roleAssignments": [{"principalId": "g"}],
	}}
}

test_member_with_a_role_passes if {
	count(no_guest_admins.deny) == 0 with input as {"entra": {
		"users": [{"id": "m", "userType": "Member"}],
		"roleAssignments": [{"principalId": "m"}],
	}}
}

# The built-in library is loaded, with the parameters' declared defaults: org tests can use
# its helpers.
test_library_is_loaded if {
	data.posture.lib.params.value("maxListedUsers") == 1000
}
