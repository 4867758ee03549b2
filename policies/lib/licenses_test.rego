package posture.lib.licenses_test

import data.posture.lib.licenses

_sku(status, plans) := {"skuId": "s", "skuPartNumber": "X", "capabilityStatus": status, "servicePlans": plans}

_p2 := {"servicePlanId": licenses.entra_id_p2, "servicePlanName": "AAD_PREMIUM_P2", "provisioningStatus": "Success"}

_p1 := {"servicePlanId": licenses.entra_id_p1, "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"}

test_p2_includes_p1 if {
	licenses.has_p1 with input.entra.subscribedSkus as [_sku("Enabled", [_p2])]
	licenses.has_p2 with input.entra.subscribedSkus as [_sku("Enabled", [_p2])]
}

test_p1_alone_is_not_p2 if {
	licenses.has_p1 with input.entra.subscribedSkus as [_sku("Enabled", [_p1])]
	not licenses.has_p2 with input.entra.subscribedSkus as [_sku("Enabled", [_p1])]
}

test_grace_period_still_counts if {
	licenses.has_p2 with input.entra.subscribedSkus as [_sku("Warning", [_p2])]
}

test_suspended_subscription_grants_nothing if {
	not licenses.has_p1 with input.entra.subscribedSkus as [_sku("Suspended", [_p1, _p2])]
}

test_disabled_plan_grants_nothing if {
	not licenses.has_p2 with input.entra.subscribedSkus as [_sku("Enabled", [object.union(_p2, {"provisioningStatus": "Disabled"})])]
}

test_no_skus_means_no_licence if {
	not licenses.has_p1 with input.entra as {}
}

_plan(id) := {"servicePlanId": id, "servicePlanName": "X", "provisioningStatus": "Success"}

test_defender_office_plan_2_counts_as_defender_office if {
	licenses.has_defender_office with input.entra.subscribedSkus as [_sku("Enabled", [_plan(licenses.defender_office_p2)])]
}

test_defender_office_plan_1_counts_as_defender_office if {
	licenses.has_defender_office with input.entra.subscribedSkus as [_sku("Enabled", [_plan(licenses.defender_office_p1)])]
}

test_entra_premium_is_not_defender_office if {
	not licenses.has_defender_office with input.entra.subscribedSkus as [_sku("Enabled", [_p1, _p2])]
}

test_pim_comes_with_p2_or_id_governance if {
	licenses.has_pim with input.entra.subscribedSkus as [_sku("Enabled", [_p2])]
	licenses.has_pim with input.entra.subscribedSkus as [_sku("Enabled", [_p1, _plan(licenses.entra_id_governance)])]
	not licenses.has_pim with input.entra.subscribedSkus as [_sku("Enabled", [_p1])]
	not licenses.has_p2 with input.entra.subscribedSkus as [_sku("Enabled", [_p1, _plan(licenses.entra_id_governance)])]
}

test_safe_documents_is_not_defender_office_plan_2 if {
	licenses.has(licenses.safe_documents) with input.entra.subscribedSkus as [_sku("Enabled", [_plan(licenses.safe_documents)])]
	not licenses.has(licenses.safe_documents) with input.entra.subscribedSkus as [_sku("Enabled", [_plan(licenses.defender_office_p1), _plan(licenses.defender_office_p2)])]
}

test_products_names_the_products_of_a_plan if {
	licenses.products("SAFEDOCS") == "Microsoft 365 A5 for faculty, Microsoft 365 E5, Microsoft Defender Suite"
}

test_missing_names_each_plan_with_its_products if {
	licenses.missing("Safe Documents", ["SAFEDOCS"]) == "Safe Documents needs the service plan SAFEDOCS (in Microsoft 365 A5 for faculty, Microsoft 365 E5, Microsoft Defender Suite), which the tenant does not have"
	licenses.missing("PIM", licenses.pim_plans) == "PIM needs one of the service plans AAD_PREMIUM_P2 (in Enterprise Mobility + Security E5, Microsoft 365 E5, Microsoft Entra ID P2) or Entra_Identity_Governance (in Microsoft Entra ID Governance), and the tenant has none of them"
}

test_errors_only_when_subscriptions_are_not_a_list if {
	licenses.errors == set() with input.entra.subscribedSkus as []
	licenses.errors == {"entra.subscribedSkus is not a list, so which service plans the tenant has is unknown"} with input.entra as {}
	licenses.errors == {"entra.subscribedSkus is not a list, so which service plans the tenant has is unknown"} with input.entra.subscribedSkus as {"value": []}
}
