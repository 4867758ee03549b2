package posture.rules.entra.global_admin_activation_approval_test

import data.posture.lib.fixtures
import data.posture.rules.entra.global_admin_activation_approval as rule

_ga := fixtures.global_admin

_ga_entity := {"type": "role", "id": _ga, "name": "Global Administrator"}

_entra(settings) := {"subscribedSkus": [fixtures.p2_sku], "roleManagementPolicyAssignments": settings}

test_passes_when_activation_needs_approval if {
	entra := _entra([fixtures.pim_alerting(_ga, [], true), fixtures.pim_alerting(fixtures.exchange_admin, [], false)])
	rule.deny == set() with input as fixtures.tenant(entra)
	rule.error == set() with input as fixtures.tenant(entra)
}

test_fails_when_activation_needs_no_approval if {
	rule.deny == {{
		"msg": "Activating Global Administrator in PIM needs no approval (Approval_EndUser_Assignment setting.isApprovalRequired is false)",
		"entity": _ga_entity,
	}} with input as fixtures.tenant(_entra([fixtures.pim_alerting(_ga, ["soc@contoso.com"], false)]))
}

test_errors_when_the_settings_are_not_in_the_snapshot if {
	rule.error == {"the snapshot has no PIM settings of Global Administrator (entra.roleManagementPolicyAssignments has no policy assignment for it with its rules)"} with input as fixtures.tenant(_entra([fixtures.pim_alerting(fixtures.exchange_admin, [], true)]))
	rule.deny == set() with input as fixtures.tenant(_entra([]))
}

test_errors_when_the_approval_rule_is_missing_or_unreadable if {
	no_rule := fixtures.pim_settings(_ga, [fixtures.notification_rule("Notification_Admin_EndUser_Assignment", [])])
	rule.error == {"the PIM settings of Global Administrator have no rule Approval_EndUser_Assignment"} with input as fixtures.tenant(_entra([no_rule]))
	unknown := fixtures.pim_settings(_ga, [object.union(fixtures.approval_rule(true), {"setting": {"isApprovalRequired": null}})])
	rule.error == {"Approval_EndUser_Assignment of Global Administrator has setting.isApprovalRequired null, so whether activation needs approval is unknown"} with input as fixtures.tenant(_entra([unknown]))
}

test_not_applicable_without_entra_id_p2_or_id_governance if {
	every skus in [[], fixtures.e3_skus] {
		rule.not_applicable == fixtures.pim_unlicensed("MS.AAD.7.6v1") with input as fixtures.tenant({"subscribedSkus": skus})
		rule.error == set() with input as fixtures.tenant({"subscribedSkus": skus})
	}
}

test_errors_when_subscriptions_are_unknown if {
	rule.error == {fixtures.skus_unknown} with input as fixtures.tenant({})
}
