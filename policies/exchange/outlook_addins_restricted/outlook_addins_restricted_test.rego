package posture.rules.exchange.outlook_addins_restricted_test

import data.posture.rules.exchange.outlook_addins_restricted

_policy(name, roles) := {
	"Identity": name, "Name": name, "Guid": "11111111-0000-0000-0000-000000000001",
	"IsDefault": true, "AssignedRoles": roles,
}

_base := ["MyBaseOptions", "MyContactInformation", "MyProfileInformation", "MyDistributionGroupMembership", "MyVoiceMail"]

test_passes_when_no_policy_grants_add_in_roles if {
	ps := [_policy("Default Role Assignment Policy", _base)]
	outlook_addins_restricted.deny == set() with input.exchange.roleAssignmentPolicies as ps
}

test_fails_for_the_default_role_assignment_policy if {
	ps := [_policy("Default Role Assignment Policy", array.concat(_base, ["My Marketplace Apps", "My Custom Apps", "My ReadWriteMailbox Apps"]))]
	outlook_addins_restricted.deny == {{
		"msg": "Role assignment policy 'Default Role Assignment Policy' lets the users it is assigned to install Outlook add-ins themselves (it assigns My Custom Apps, My Marketplace Apps, My ReadWriteMailbox Apps)",
		"entity": {"type": "policy", "id": "11111111-0000-0000-0000-000000000001", "name": "Default Role Assignment Policy"},
	}} with input.exchange.roleAssignmentPolicies as ps
}

test_names_only_the_roles_granted_in_any_casing if {
	ps := [_policy("Sales", ["my readwritemailbox apps", "MyBaseOptions"])]
	outlook_addins_restricted.deny == {{
		"msg": "Role assignment policy 'Sales' lets the users it is assigned to install Outlook add-ins themselves (it assigns My ReadWriteMailbox Apps)",
		"entity": {"type": "policy", "id": "11111111-0000-0000-0000-000000000001", "name": "Sales"},
	}} with input.exchange.roleAssignmentPolicies as ps
}

test_passes_when_roles_are_null_or_missing if {
	ps := [_policy("A", null), {"Name": "B"}]
	outlook_addins_restricted.deny == set() with input.exchange.roleAssignmentPolicies as ps
}

test_errors_when_the_policies_are_not_a_list if {
	outlook_addins_restricted.error == {"exchange.roleAssignmentPolicies is not an array"} with input.exchange.roleAssignmentPolicies as "Default Role Assignment Policy"
}
