package posture.rules.defender.safe_documents_test

import data.posture.lib.fixtures
import data.posture.lib.licenses
import data.posture.rules.defender.safe_documents

_skus(plan) := fixtures.skus([plan])

_safedocs := _skus(licenses.safe_documents)

_policy(on, open) := {"Identity": "Default", "EnableATPForSPOTeamsODB": true, "EnableSafeDocs": on, "AllowSafeDocsOpen": open}

test_passes_when_safe_documents_is_on_and_blocks_malicious_files if {
	safe_documents.deny == set() with input.exchange.atpPolicyForO365 as _policy(true, false) with input.entra.subscribedSkus as _safedocs
}

test_fails_when_users_may_open_malicious_files if {
	safe_documents.deny == {{
		"msg": "Safe Documents does not protect files opened from Protected View: AllowSafeDocsOpen is true (expected false)",
		"entity": {"type": "setting", "id": "Default", "name": "ATP policy for Office 365 (Safe Attachments global settings)"},
	}} with input.exchange.atpPolicyForO365 as _policy(true, true) with input.entra.subscribedSkus as _safedocs
}

test_fails_when_safe_documents_is_off_or_unset if {
	[v.msg | some v in safe_documents.deny] == ["Safe Documents does not protect files opened from Protected View: EnableSafeDocs is false (expected true)"] with input.exchange.atpPolicyForO365 as _policy(false, false) with input.entra.subscribedSkus as _safedocs
	[v.msg | some v in safe_documents.deny] == ["Safe Documents does not protect files opened from Protected View: AllowSafeDocsOpen is not set (expected false); EnableSafeDocs is not set (expected true)"] with input.exchange.atpPolicyForO365 as {"Identity": "Default"} with input.entra.subscribedSkus as _safedocs
}

# Defender for Office 365 Plan 2 (E3 plus the add-on) does not bring Safe Documents.
_e3_and_mdo_p2 := [
	{
		"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "skuPartNumber": "SPE_E3", "capabilityStatus": "Enabled",
		"servicePlans": [{"servicePlanId": licenses.entra_id_p1, "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"}],
	},
	{
		"skuId": "3dd6cf57-d688-4eed-ba52-9e40b5468c3e", "skuPartNumber": "THREAT_INTELLIGENCE", "capabilityStatus": "Enabled",
		"servicePlans": [
			{"servicePlanId": licenses.defender_office_p1, "servicePlanName": "ATP_ENTERPRISE", "provisioningStatus": "Success"},
			{"servicePlanId": licenses.defender_office_p2, "servicePlanName": "THREAT_INTELLIGENCE", "provisioningStatus": "Success"},
		],
	},
]

test_not_applicable_naming_safedocs_without_the_plan if {
	every skus in [_skus(licenses.defender_office_p1), _skus(licenses.defender_office_p2), _e3_and_mdo_p2, []] {
		contains(safe_documents.not_applicable, "SAFEDOCS") with input.entra.subscribedSkus as skus
		safe_documents.error == set() with input.entra.subscribedSkus as skus with input.exchange as {}
	}
}

test_not_applicable_when_the_safedocs_plan_is_disabled if {
	disabled := [{
		"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "skuPartNumber": "SPE_E5", "capabilityStatus": "Enabled",
		"servicePlans": [{"servicePlanId": licenses.safe_documents, "servicePlanName": "SAFEDOCS", "provisioningStatus": "Disabled"}],
	}]
	safe_documents.not_applicable with input.entra.subscribedSkus as disabled
}

test_errors_when_the_policy_is_missing_in_a_licensed_tenant if {
	safe_documents.error == {"exchange.atpPolicyForO365 is not an object"} with input.exchange as {} with input.entra.subscribedSkus as _safedocs
}
