package posture.rules.org.no_guest_admins_test

import data.posture.rules.org.no_guest_admins

guest := {"id": "g1", "userType": "Guest", "userPrincipalName": "vendor@partner.example"}

member := {"id": "m1", "userType": "Member", "userPrincipalName": "alex@contoso.com"}

test_guest_holding_a_role_is_denied if {
	denies := no_guest_admins.deny with input as {"entra": {
		"users": [guest, member],
		"roleAssignments": [{"principalId": "g1", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"}],
	}}
	count(denies) == 1
	some d in denies
	d.entity.id == "g1"
}

test_member_holding_a_role_passes if {
	denies := no_guest_admins.deny with input as {"entra": {
		"users": [guest, member],
		"roleAssignments": [{"principalId": "m1", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"}],
	}}
	count(denies) == 0
}

test_guest_without_a_role_passes if {
	denies := no_guest_admins.deny with input as {"entra": {"users": [guest], "roleAssignments": []}}
	count(denies) == 0
}
