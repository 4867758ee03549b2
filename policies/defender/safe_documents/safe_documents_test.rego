package posture.rules.defender.safe_documents_test

import data.posture.lib.fixtures
import data.posture.lib.licenses
import data.posture.rules.defender.safe_documents

_skus(plan) := fixtures.skus([plan])

_p2 := _skus(licenses.defender_office_p2)

_policy(on, open) := {"Identity": "Default", "EnableATPForSPOTeamsODB": true, "EnableSafeDocs": on, "AllowSafeDocsOpen": open}

test_passes_when_safe_documents_is_on_and_blocks_malicious_files if {
	safe_documents.deny == set() with input.exchange.atpPolicyForO365 as _policy(true, false) with input.entra.subscribedSkus as _p2
}

test_fails_when_users_may_open_malicious_files if {
	safe_documents.deny == {{
		"msg": "Safe Documents does not protect files opened from Protected View: AllowSafeDocsOpen is true (expected false)",
		"entity": {"type": "setting", "id": "Default", "name": "ATP policy for Office 365 (Safe Attachments global settings)"},
	}} with input.exchange.atpPolicyForO365 as _policy(true, true) with input.entra.subscribedSkus as _p2
}

test_fails_when_safe_documents_is_off_or_unset if {
	[v.msg | some v in safe_documents.deny] == ["Safe Documents does not protect files opened from Protected View: EnableSafeDocs is false (expected true)"] with input.exchange.atpPolicyForO365 as _policy(false, false) with input.entra.subscribedSkus as _p2
	[v.msg | some v in safe_documents.deny] == ["Safe Documents does not protect files opened from Protected View: AllowSafeDocsOpen is not set (expected false); EnableSafeDocs is not set (expected true)"] with input.exchange.atpPolicyForO365 as {"Identity": "Default"} with input.entra.subscribedSkus as _p2
}

test_not_applicable_with_plan_1_only if {
	safe_documents.not_applicable with input.entra.subscribedSkus as _skus(licenses.defender_office_p1)
	safe_documents.error == set() with input.entra.subscribedSkus as _skus(licenses.defender_office_p1) with input.exchange as {}
}

test_errors_when_the_policy_is_missing_in_a_licensed_tenant if {
	safe_documents.error == {"exchange.atpPolicyForO365 is not an object"} with input.exchange as {} with input.entra.subscribedSkus as _p2
}
