package posture.lib.pim_test

import data.posture.lib.fixtures
import data.posture.lib.pim

_ga := fixtures.global_admin

_eligibility := "Notification_Admin_Admin_Eligibility"

_activation := "Notification_Admin_EndUser_Assignment"

test_not_applicable_without_p2_or_id_governance if {
	pim.not_applicable("MS.AAD.7.6v1") == fixtures.pim_unlicensed("MS.AAD.7.6v1") with input.entra.subscribedSkus as fixtures.e3_skus
}

test_applicable_with_p2_or_id_governance if {
	not pim.not_applicable("MS.AAD.7.6v1") with input.entra.subscribedSkus as [fixtures.p2_sku]
	not pim.not_applicable("MS.AAD.7.6v1") with input.entra.subscribedSkus as fixtures.id_governance_skus
}

test_rules_read_only_tenant_wide_settings_of_the_role if {
	settings := fixtures.pim_alerting(_ga, ["soc@contoso.com"], true)
	scoped := object.union(fixtures.pim_alerting(fixtures.user_admin, [], true), {"scopeId": "/administrativeUnits/au1"})
	assignments := [settings, scoped]
	{r.id | some r in pim.rules(_ga, _eligibility)} == {_eligibility} with input.entra.roleManagementPolicyAssignments as assignments
	pim.rules(fixtures.user_admin, _eligibility) == set() with input.entra.roleManagementPolicyAssignments as assignments
	pim.has_settings(_ga) with input.entra.roleManagementPolicyAssignments as assignments
	not pim.has_settings(fixtures.user_admin) with input.entra.roleManagementPolicyAssignments as assignments
}

test_missing_names_absent_settings_and_absent_rules if {
	assignments := [fixtures.pim_settings(_ga, [fixtures.approval_rule(true)])]
	pim.missing(_ga, _eligibility) == {"the PIM settings of Global Administrator have no rule Notification_Admin_Admin_Eligibility"} with input.entra.roleManagementPolicyAssignments as assignments
	pim.missing(fixtures.user_admin, _eligibility) == {"the snapshot has no PIM settings of User Administrator (entra.roleManagementPolicyAssignments has no policy assignment for it with its rules)"} with input.entra.roleManagementPolicyAssignments as assignments
	pim.missing(_ga, "Approval_EndUser_Assignment") == set() with input.entra.roleManagementPolicyAssignments as assignments
}

test_outside_pim_are_the_instances_without_a_start if {
	instances := [
		fixtures.assignment_instance("i1", "u1", _ga, null),
		fixtures.assignment_instance("i2", "u2", _ga, "2026-11-01T08:00:00Z"),
		fixtures.assignment_instance("i3", "u3", fixtures.user_admin, null),
	]
	{i.id | some i in pim.outside_pim({_ga})} == {"i1"} with input.entra.roleAssignmentScheduleInstances as instances
}

test_alert_violations_name_rules_without_recipients if {
	assignments := [fixtures.pim_settings(_ga, [
		fixtures.notification_rule(_eligibility, []),
		fixtures.notification_rule(_activation, ["soc@contoso.com"]),
	])]
	fixtures.msgs(pim.alert_violations({_ga}, {_eligibility, _activation})) == {"PIM alerts no additional recipient of an assignment as eligible to Global Administrator (Notification_Admin_Admin_Eligibility has no notificationRecipients)"} with input.entra.roleManagementPolicyAssignments as assignments
	pim.alert_errors({_ga}, {_eligibility, _activation}) == set() with input.entra.roleManagementPolicyAssignments as assignments
}

test_alert_errors_when_recipients_are_not_a_list if {
	assignments := [fixtures.pim_settings(_ga, [fixtures.notification_rule(_eligibility, "soc@contoso.com")])]
	pim.alert_errors({_ga}, {_eligibility}) == {`Notification_Admin_Admin_Eligibility of Global Administrator has notificationRecipients "soc@contoso.com", not a list, so who is alerted is unknown`} with input.entra.roleManagementPolicyAssignments as assignments
}
