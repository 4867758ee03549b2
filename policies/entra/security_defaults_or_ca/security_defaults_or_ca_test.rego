package posture.rules.entra.security_defaults_or_ca_test

import data.posture.rules.entra.security_defaults_or_ca

_p1 := {
	"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "skuPartNumber": "SPE_E3", "capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"}],
}

_business_basic := {
	"skuId": "3b555118-da6a-4418-894f-7df1e2096870", "skuPartNumber": "O365_BUSINESS_ESSENTIALS", "capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": "9aaf7827-d63c-4b61-89c3-182f06f82e5c", "servicePlanName": "EXCHANGE_S_STANDARD", "provisioningStatus": "Success"}],
}

_policy(state) := {
	"id": sprintf("ca-%s", [state]),
	"displayName": sprintf("Require MFA (%s)", [state]),
	"state": state,
	"conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
	"grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
}

_entra(security_defaults, skus, policies) := {
	"securityDefaults": {"id": "00000000-0000-0000-0000-000000000005", "isEnabled": security_defaults},
	"subscribedSkus": skus,
	"conditionalAccessPolicies": policies,
}

_setting := {"type": "setting", "id": "securityDefaults.isEnabled", "name": "Security defaults"}

test_passes_when_security_defaults_are_enabled if {
	security_defaults_or_ca.deny == set() with input.entra as _entra(true, [_business_basic], [])
	security_defaults_or_ca.error == set() with input.entra as _entra(true, [_business_basic], [])
}

test_passes_with_p1_and_an_enabled_policy if {
	security_defaults_or_ca.deny == set() with input.entra as _entra(false, [_p1], [_policy("enabled")])
	security_defaults_or_ca.error == set() with input.entra as _entra(false, [_p1], [_policy("enabled")])
}

test_fails_when_neither_security_defaults_nor_conditional_access_protect if {
	security_defaults_or_ca.deny == {{
		"msg": "Security defaults are off and no enabled Conditional Access policy applies to users (the tenant has no Conditional Access policies): nothing requires multifactor authentication or blocks legacy authentication",
		"entity": _setting,
	}} with input.entra as _entra(false, [_p1], [])
}

test_fails_when_the_policies_are_report_only_or_disabled if {
	security_defaults_or_ca.deny == {{
		"msg": "Security defaults are off and no enabled Conditional Access policy applies to users (Conditional Access policies: 0 enabled, 1 report-only, 1 disabled): nothing requires multifactor authentication or blocks legacy authentication",
		"entity": _setting,
	}} with input.entra as _entra(false, [_p1], [_policy("enabledForReportingButNotEnforced"), _policy("disabled")])
}

test_fails_when_the_only_enabled_policy_targets_workload_identities if {
	workload := object.union(_policy("enabled"), {"conditions": {"users": {"includeUsers": ["None"]}, "clientApplications": {"includeServicePrincipals": ["ServicePrincipalsInMyTenant"]}}})
	some d in security_defaults_or_ca.deny with input.entra as _entra(false, [_p1], [workload])
	d.msg == "Security defaults are off and no enabled Conditional Access policy applies to users (Conditional Access policies: 1 enabled, 0 report-only, 0 disabled): nothing requires multifactor authentication or blocks legacy authentication"
}

test_fails_without_p1_even_with_enabled_policies if {
	security_defaults_or_ca.deny == {{
		"msg": "Security defaults are off and the tenant lacks Microsoft Entra ID P1 (AAD_PREMIUM), which Conditional Access needs, so Conditional Access cannot stand in for them (Conditional Access policies: 1 enabled, 0 report-only, 0 disabled)",
		"entity": _setting,
	}} with input.entra as _entra(false, [_business_basic], [_policy("enabled")])
	some d in security_defaults_or_ca.deny with input.entra as _entra(false, [], [])
	d.msg == "Security defaults are off and the tenant lacks Microsoft Entra ID P1 (AAD_PREMIUM), which Conditional Access needs, so Conditional Access cannot stand in for them (the tenant has no Conditional Access policies)"
}

test_errors_when_the_security_defaults_flag_is_unknown if {
	security_defaults_or_ca.error == {"entra.securityDefaults.isEnabled is null, not true or false, so it is unknown whether security defaults are on"} with input.entra as _entra(null, [_p1], [])
	security_defaults_or_ca.deny == set() with input.entra as _entra(null, [_p1], [])
	entra := object.union(_entra(true, [_p1], []), {"securityDefaults": null})
	security_defaults_or_ca.error == {"entra.securityDefaults.isEnabled is null, not true or false, so it is unknown whether security defaults are on"} with input.entra as entra
	security_defaults_or_ca.error == {"entra.securityDefaults.isEnabled is yes, not true or false, so it is unknown whether security defaults are on"} with input.entra as _entra("yes", [], [])
}

test_an_unknown_flag_does_not_matter_when_conditional_access_protects if {
	security_defaults_or_ca.error == set() with input.entra as _entra(null, [_p1], [_policy("enabled")])
	security_defaults_or_ca.deny == set() with input.entra as _entra(null, [_p1], [_policy("enabled")])
}
