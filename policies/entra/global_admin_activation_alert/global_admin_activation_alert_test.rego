package posture.rules.entra.global_admin_activation_alert_test

import data.posture.lib.fixtures
import data.posture.rules.entra.global_admin_activation_alert as rule

_ga := fixtures.global_admin

_entra(settings) := {"subscribedSkus": [fixtures.p2_sku], "roleManagementPolicyAssignments": settings}

test_passes_when_activating_global_administrator_alerts_a_mailbox if {
	entra := _entra([fixtures.pim_alerting(_ga, ["soc@contoso.com"], true), fixtures.pim_alerting(fixtures.user_admin, [], true)])
	rule.deny == set() with input as fixtures.tenant(entra)
	rule.error == set() with input as fixtures.tenant(entra)
}

test_fails_when_the_activation_alert_has_no_additional_recipient if {
	rule.deny == {{
		"msg": "PIM alerts no additional recipient of an activation to Global Administrator (Notification_Admin_EndUser_Assignment has no notificationRecipients)",
		"entity": {"type": "role", "id": _ga, "name": "Global Administrator"},
	}} with input as fixtures.tenant(_entra([fixtures.pim_alerting(_ga, [], true)]))
}

test_errors_when_the_rule_is_missing_or_unreadable if {
	no_rule := fixtures.pim_settings(_ga, [fixtures.approval_rule(true)])
	rule.error == {"the PIM settings of Global Administrator have no rule Notification_Admin_EndUser_Assignment"} with input as fixtures.tenant(_entra([no_rule]))
	odd := fixtures.pim_settings(_ga, [fixtures.notification_rule("Notification_Admin_EndUser_Assignment", "soc@contoso.com")])
	rule.error == {`Notification_Admin_EndUser_Assignment of Global Administrator has notificationRecipients "soc@contoso.com", not a list, so who is alerted is unknown`} with input as fixtures.tenant(_entra([odd]))
}

test_not_applicable_without_entra_id_p2_or_id_governance if {
	every skus in [[], fixtures.e3_skus] {
		rule.not_applicable == fixtures.pim_unlicensed("MS.AAD.7.8v1") with input as fixtures.tenant({"subscribedSkus": skus})
		rule.error == set() with input as fixtures.tenant({"subscribedSkus": skus})
	}
}

test_errors_when_subscriptions_are_unknown if {
	rule.error == {fixtures.skus_unknown} with input as fixtures.tenant({})
}
