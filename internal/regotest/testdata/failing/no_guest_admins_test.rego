package posture.rules.org.no_guest_admins_test

import data.posture.rules.org.no_guest_admins

test_member_with_a_role_passes if {
	count(no_guest_admins.deny) == 0 with input as {"entra": {"users": [], "roleAssignments": []}}
}

test_expects_too_much if {
	print("deny is", no_guest_admins.deny)
	count(no_guest_admins.deny) == 2 with input as {"entra": {"users": [], "roleAssignments": []}}
}
