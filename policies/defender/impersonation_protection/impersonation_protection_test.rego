package posture.rules.defender.impersonation_protection_test

import data.posture.lib.fixtures
import data.posture.rules.defender.impersonation_protection

_kind := "anti_phish"

_good := {"EnableTargetedUserProtection": true, "TargetedUsersToProtect": ["Megan Bowen;megan@contoso.com"], "EnableOrganizationDomainsProtection": true, "TargetedUserProtectionAction": "Quarantine", "TargetedDomainProtectionAction": "Quarantine"}

_bad := {"EnableTargetedUserProtection": false, "TargetedUsersToProtect": null, "EnableOrganizationDomainsProtection": false, "TargetedUserProtectionAction": "NoAction", "TargetedDomainProtectionAction": "NoAction"}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_prefix := "Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) does not protect against impersonation as required: "

test_passes_when_the_policy_everyone_gets_protects_users_and_domains if {
	impersonation_protection.deny == set() with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	impersonation_protection.error == set() with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_naming_the_default_policy_when_it_protects_no_one if {
	impersonation_protection.deny == {
		{
			"msg": concat("", [_prefix, "EnableTargetedUserProtection is false (expected true); TargetedUserProtectionAction is NoAction (expected Quarantine); TargetedUsersToProtect is empty, so no user is protected from impersonation"]),
			"entity": fixtures.policy_entity(_default({})),
			"controls": ["2.1.7"],
		},
		{
			"msg": concat("", [_prefix, "EnableOrganizationDomainsProtection is false (expected true); TargetedDomainProtectionAction is NoAction (expected Quarantine)"]),
			"entity": fixtures.policy_entity(_default({})),
			"controls": ["2.1.7", "MS.SECURITYSUITE.2.2v1"],
		},
	} with input.exchange as _x([_default(_bad)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_moving_domain_impersonation_to_junk_fails_cis_but_not_the_scuba_control if {
	x := _x([_default(object.union(_good, {"TargetedDomainProtectionAction": "MoveToJmf"}))], [])
	[v.controls | some v in impersonation_protection.deny] == [["2.1.7"]] with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	impersonation_protection.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(impersonation_protection.deny) == 4 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_when_the_settings_are_missing if {
	some v in impersonation_protection.deny with input.exchange as _x([_default({})], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in impersonation_protection.deny] == ["No anti-phishing policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-phishing protection"] with input.exchange as _x([], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	impersonation_protection.error == {"rule 'Standard Preset Security Policy' applies anti-phishing policy Standard Preset Security Policy1, which exchange.antiPhishPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_not_applicable_without_defender_for_office_365 if {
	impersonation_protection.not_applicable == "Impersonation protection needs Microsoft Defender for Office 365: the service plan ATP_ENTERPRISE (in Microsoft 365 Business Premium, Microsoft 365 E5, Microsoft Defender for Office 365 (Plan 1), Microsoft Defender for Office 365 (Plan 2)), which the tenant does not have" with input.entra.subscribedSkus as []
	impersonation_protection.error == set() with input.entra.subscribedSkus as [] with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}

test_a_required_user_left_out_fails_posture_only if {
	impersonation_protection.deny == {{
		"msg": concat("", [_prefix, "TargetedUsersToProtect lacks ceo@contoso.com"]),
		"entity": fixtures.policy_entity(_default({})),
		"controls": ["posture"],
	}} with input.exchange as _x([_default(_good)], [])
		with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as {"protectedUsers": ["CEO@contoso.com", "megan@contoso.com"]}
}

test_errors_when_protected_users_is_not_a_list if {
	impersonation_protection.error == {`config protectedUsers must be a list of email addresses, got "ceo@contoso.com"`} with input.exchange as _x([_default(_good)], [])
		with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as {"protectedUsers": "ceo@contoso.com"}
}
