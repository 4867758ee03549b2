package posture.rules.defender.safe_attachments_spo_teams_test

import data.posture.lib.fixtures
import data.posture.rules.defender.safe_attachments_spo_teams

_mdo := fixtures.mdo_skus

_policy(on) := {"Identity": "Default", "Name": "Default", "EnableATPForSPOTeamsODB": on, "EnableSafeDocs": false, "AllowSafeDocsOpen": false}

_entity := {"type": "setting", "id": "Default", "name": "ATP policy for Office 365 (Safe Attachments global settings)"}

test_passes_when_files_are_scanned if {
	safe_attachments_spo_teams.deny == set() with input.exchange.atpPolicyForO365 as _policy(true) with input.entra.subscribedSkus as _mdo
}

test_fails_when_files_are_not_scanned if {
	safe_attachments_spo_teams.deny == {{
		"msg": "Safe Attachments does not scan files in SharePoint, OneDrive and Microsoft Teams: EnableATPForSPOTeamsODB is false (expected true)",
		"entity": _entity,
	}} with input.exchange.atpPolicyForO365 as _policy(false) with input.entra.subscribedSkus as _mdo
}

test_fails_when_the_setting_is_missing_or_not_a_boolean if {
	count(safe_attachments_spo_teams.deny) == 1 with input.exchange.atpPolicyForO365 as {"Identity": "Default"} with input.entra.subscribedSkus as _mdo
	count(safe_attachments_spo_teams.deny) == 1 with input.exchange.atpPolicyForO365 as _policy("True") with input.entra.subscribedSkus as _mdo
}

test_not_applicable_without_defender_for_office_365 if {
	safe_attachments_spo_teams.not_applicable == "Safe Attachments for SharePoint, OneDrive and Microsoft Teams needs Microsoft Defender for Office 365: the service plan ATP_ENTERPRISE (in Microsoft 365 Business Premium, Microsoft 365 E5, Microsoft Defender for Office 365 (Plan 1), Microsoft Defender for Office 365 (Plan 2)), which the tenant does not have" with input.entra.subscribedSkus as []
	safe_attachments_spo_teams.error == set() with input.entra.subscribedSkus as [] with input.exchange as {}
}

test_errors_when_the_policy_is_not_an_object if {
	safe_attachments_spo_teams.error == {"exchange.atpPolicyForO365 is not an object"} with input.exchange.atpPolicyForO365 as [_policy(true)] with input.entra.subscribedSkus as _mdo
}

test_errors_when_the_source_is_unlicensed_in_a_licensed_tenant if {
	safe_attachments_spo_teams.error == {
		"exchange.atpPolicyForO365 is not an object",
		"exchange.atpPolicyForO365 is unlicensed although the tenant has Microsoft Defender for Office 365",
	} with input.sources as {"exchange.atpPolicyForO365": {"status": "unlicensed"}} with input.exchange as {} with input.entra.subscribedSkus as _mdo
}
