package posture.rules.entra.privileged_assignment_alerts_test

import data.posture.lib.fixtures
import data.posture.rules.entra.privileged_assignment_alerts as rule

_alerting := [fixtures.pim_alerting(r, ["soc@contoso.com"], true) | some r in fixtures.scuba_roles]

_entra(settings) := {"subscribedSkus": [fixtures.p2_sku], "roleManagementPolicyAssignments": settings}

test_passes_when_every_highly_privileged_role_alerts_a_mailbox_on_assignment if {
	rule.deny == set() with input as fixtures.tenant(_entra(_alerting))
	rule.error == set() with input as fixtures.tenant(_entra(_alerting))
}

test_fails_for_each_role_and_kind_of_assignment_without_an_additional_recipient if {
	quiet := fixtures.pim_settings(fixtures.exchange_admin, [
		fixtures.notification_rule("Notification_Admin_Admin_Eligibility", []),
		fixtures.notification_rule("Notification_Admin_Admin_Assignment", ["soc@contoso.com"]),
	])
	settings := array.concat([s | some s in _alerting; s.roleDefinitionId != fixtures.exchange_admin], [quiet])
	rule.deny == {{
		"msg": "PIM alerts no additional recipient of an assignment as eligible to Exchange Administrator (Notification_Admin_Admin_Eligibility has no notificationRecipients)",
		"entity": {"type": "role", "id": fixtures.exchange_admin, "name": "Exchange Administrator"},
	}} with input as fixtures.tenant(_entra(settings))
}

test_fails_with_microsofts_default_settings if {
	defaults := [fixtures.pim_alerting(r, [], false) | some r in fixtures.scuba_roles]
	count(rule.deny) == 16 with input as fixtures.tenant(_entra(defaults))
}

test_errors_for_a_role_whose_settings_are_missing if {
	settings := [s | some s in _alerting; s.roleDefinitionId != fixtures.hybrid_identity_admin]
	rule.error == {"the snapshot has no PIM settings of Hybrid Identity Administrator (entra.roleManagementPolicyAssignments has no policy assignment for it with its rules)"} with input as fixtures.tenant(_entra(settings))
}

test_not_applicable_without_entra_id_p2_or_id_governance if {
	every skus in [[], fixtures.e3_skus] {
		rule.not_applicable == fixtures.pim_unlicensed("MS.AAD.7.7v1") with input as fixtures.tenant({"subscribedSkus": skus})
		rule.error == set() with input as fixtures.tenant({"subscribedSkus": skus})
	}
}

test_errors_when_subscriptions_are_unknown if {
	rule.error == {fixtures.skus_unknown} with input as fixtures.tenant({})
}
