package posture.rules.entra.privileged_activation_alerts_test

import data.posture.lib.fixtures
import data.posture.rules.entra.privileged_activation_alerts as rule

_entra(settings) := {"subscribedSkus": [fixtures.p2_sku], "roleManagementPolicyAssignments": settings}

_alerting := [fixtures.pim_alerting(r, ["soc-roles@contoso.com"], false) | some r in fixtures.scuba_roles]

test_passes_when_every_other_highly_privileged_role_alerts_a_mailbox_on_activation if {
	# Global Administrator's own alert is MS.AAD.7.8v1's business.
	settings := array.concat([s | some s in _alerting; s.roleDefinitionId != fixtures.global_admin], [fixtures.pim_alerting(fixtures.global_admin, [], false)])
	rule.deny == set() with input as fixtures.tenant(_entra(settings))
	rule.error == set() with input as fixtures.tenant(_entra(settings))
}

test_fails_for_each_role_whose_activation_alert_has_no_additional_recipient if {
	settings := array.concat([s | some s in _alerting; not s.roleDefinitionId in {fixtures.sharepoint_admin, fixtures.application_admin}], [
		fixtures.pim_alerting(fixtures.sharepoint_admin, [], false),
		fixtures.pim_alerting(fixtures.application_admin, [], false),
	])
	fixtures.msgs(rule.deny) == {
		"PIM alerts no additional recipient of an activation to SharePoint Administrator (Notification_Admin_EndUser_Assignment has no notificationRecipients)",
		"PIM alerts no additional recipient of an activation to Application Administrator (Notification_Admin_EndUser_Assignment has no notificationRecipients)",
	} with input as fixtures.tenant(_entra(settings))
}

test_errors_for_a_role_whose_settings_are_missing if {
	settings := [s | some s in _alerting; s.roleDefinitionId != fixtures.user_admin]
	rule.error == {"the snapshot has no PIM settings of User Administrator (entra.roleManagementPolicyAssignments has no policy assignment for it with its rules)"} with input as fixtures.tenant(_entra(settings))
}

test_not_applicable_without_entra_id_p2_or_id_governance if {
	every skus in [[], fixtures.e3_skus] {
		rule.not_applicable == fixtures.pim_unlicensed("MS.AAD.7.9v1") with input as fixtures.tenant({"subscribedSkus": skus})
		rule.error == set() with input as fixtures.tenant({"subscribedSkus": skus})
	}
}

test_errors_when_subscriptions_are_unknown if {
	rule.error == {fixtures.skus_unknown} with input as fixtures.tenant({})
}
