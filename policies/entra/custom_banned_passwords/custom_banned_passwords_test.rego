package posture.rules.entra.custom_banned_passwords_test

import data.posture.rules.entra.custom_banned_passwords

_p1_skus := [{
	"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965",
	"skuPartNumber": "SPE_E3",
	"capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d", "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success"}],
}]

_free_skus := [{
	"skuId": "18181a46-0d4e-45cd-891e-60aabd171b4e",
	"skuPartNumber": "STANDARDPACK",
	"capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": "9aaf7827-d63c-4b61-89c3-182f06f82e5c", "servicePlanName": "EXCHANGE_S_STANDARD", "provisioningStatus": "Success"}],
}]

_tenant := {"id": "7e000000-0003-4000-8000-000000000000", "displayName": "Fourth Coffee"}

_rules(values) := {
	"id": "b1c2d3e4-0000-4000-8000-000000000001",
	"displayName": "Password Rule Settings",
	"templateId": "5cf42378-d67d-4f36-ba46-e8b86229381d",
	"values": values,
}

_values(enable, list) := [
	{"name": "BannedPasswordCheckOnPremisesMode", "value": "Audit"},
	{"name": "EnableBannedPasswordCheckOnPremises", "value": "False"},
	{"name": "EnableBannedPasswordCheck", "value": enable},
	{"name": "LockoutDurationInSeconds", "value": "60"},
	{"name": "LockoutThreshold", "value": "10"},
	{"name": "BannedPasswordList", "value": list},
]

_group_unified := {
	"id": "b1c2d3e4-0000-4000-8000-000000000002",
	"displayName": "Group.Unified",
	"templateId": "62375ab9-6b52-47ed-826b-58e47e0e304b",
	"values": [{"name": "EnableGroupCreation", "value": "true"}],
}

_entity := {"type": "setting", "id": "b1c2d3e4-0000-4000-8000-000000000001", "name": "Password Rule Settings"}

test_passes_when_the_custom_list_is_enforced_and_filled if {
	settings := [_group_unified, _rules(_values("True", "fourthcoffee\tespresso\tseattle"))]
	custom_banned_passwords.deny == set() with input.entra.directorySettings as settings
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
	custom_banned_passwords.error == set() with input.entra.directorySettings as settings
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_the_check_value_is_case_insensitive if {
	settings := [_rules(_values("true", "fourthcoffee"))]
	custom_banned_passwords.deny == set() with input.entra.directorySettings as settings
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_terms_are_split_on_tabs if {
	custom_banned_passwords.terms("fourthcoffee\t espresso \t\tseattle\t") == ["fourthcoffee", "espresso", "seattle"]
	custom_banned_passwords.terms(" \t ") == []
}

test_fails_when_no_password_rule_settings_exist if {
	custom_banned_passwords.deny == {{
		"msg": "No Password Rule Settings directory setting exists (templateId 5cf42378-d67d-4f36-ba46-e8b86229381d), so the tenant runs on the defaults: no custom banned password list is enforced",
		"entity": {"type": "setting", "id": "Password Rule Settings", "name": "Password Rule Settings"},
	}} with input.entra.directorySettings as [_group_unified]
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
	count(custom_banned_passwords.deny) == 1 with input.entra.directorySettings as []
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_fails_when_the_custom_list_is_not_enforced if {
	settings := [_rules(_values("False", "fourthcoffee\tespresso"))]
	custom_banned_passwords.deny == {{
		"msg": `The custom banned password list is not enforced (EnableBannedPasswordCheck in Password Rule Settings is "False", not True)`,
		"entity": _entity,
	}} with input.entra.directorySettings as settings
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_fails_when_the_check_is_not_set if {
	settings := [_rules([{"name": "BannedPasswordList", "value": "fourthcoffee"}])]
	custom_banned_passwords.deny == {{
		"msg": "Password Rule Settings do not set EnableBannedPasswordCheck, so enforcing the custom banned password list is not configured",
		"entity": _entity,
	}} with input.entra.directorySettings as settings
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_fails_when_the_list_is_empty if {
	msg := "The custom banned password list is empty (BannedPasswordList in Password Rule Settings has no terms), so no organization-specific words are banned"
	custom_banned_passwords.deny == {{"msg": msg, "entity": _entity}} with input.entra.directorySettings as [_rules(_values("True", ""))]
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
	custom_banned_passwords.deny == {{"msg": msg, "entity": _entity}} with input.entra.directorySettings as [_rules(_values("True", null))]
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
	custom_banned_passwords.deny == {{"msg": msg, "entity": _entity}} with input.entra.directorySettings as [_rules([{"name": "EnableBannedPasswordCheck", "value": "True"}])]
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_fails_and_says_so_without_entra_id_p1 if {
	settings := [_rules(_values("True", "fourthcoffee"))]
	custom_banned_passwords.deny == {{
		"msg": "The tenant lacks Microsoft Entra ID P1, which the custom banned password list needs, so organization-specific terms cannot be banned",
		"entity": {"type": "tenant", "id": "7e000000-0003-4000-8000-000000000000", "name": "Fourth Coffee"},
	}} with input.entra.directorySettings as settings
		with input.entra.subscribedSkus as _free_skus with input.tenant as _tenant
}

test_errors_when_the_settings_have_no_values if {
	custom_banned_passwords.error == {"directory setting b1c2d3e4-0000-4000-8000-000000000001 (Password Rule Settings) has no values list, so its password protection settings are unknown"} with input.entra.directorySettings as [_rules(null)]
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
	custom_banned_passwords.deny == set() with input.entra.directorySettings as [_rules(null)]
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_errors_when_a_settings_entry_is_not_an_object if {
	custom_banned_passwords.error == {"entra.directorySettings[1] is not an object, so it may hide the Password Rule Settings"} with input.entra.directorySettings as [_group_unified, "Password Rule Settings"]
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}

test_errors_when_the_settings_are_not_a_list if {
	custom_banned_passwords.error == {"entra.directorySettings is not a list"} with input.entra.directorySettings as _rules(_values("True", "x"))
		with input.entra.subscribedSkus as _p1_skus with input.tenant as _tenant
}
