package posture.rules.defender.impersonation_protection_test

import data.posture.rules.defender.impersonation_protection

_mdo := [{"capabilityStatus": "Enabled", "servicePlans": [{"servicePlanId": "f20fedf3-f3c3-43c3-8267-2bfdd51c0939", "provisioningStatus": "Success"}]}]

_good := {"EnableTargetedUserProtection": true, "TargetedUsersToProtect": ["Megan Bowen;megan@contoso.com"], "EnableOrganizationDomainsProtection": true, "TargetedUserProtectionAction": "Quarantine", "TargetedDomainProtectionAction": "Quarantine"}

_bad := {"EnableTargetedUserProtection": false, "TargetedUsersToProtect": null, "EnableOrganizationDomainsProtection": false, "TargetedUserProtectionAction": "NoAction", "TargetedDomainProtectionAction": "NoAction"}

_fallback(settings) := object.union({"Name": "Office365 AntiPhish Default", "Identity": "Office365 AntiPhish Default", "IsDefault": true, "Guid": "g-fb"}, settings)

_standard(settings) := object.union({"Name": "Standard Preset Security Policy1", "Identity": "Standard Preset Security Policy1", "Guid": "g-std"}, settings)

_standard_rule := {"Identity": "Standard Preset Security Policy", "Name": "Standard Preset Security Policy", "State": "Enabled", "Priority": 1, "AntiPhishPolicy": "Standard Preset Security Policy1", "SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null}

_exchange(policies, presets) := {"acceptedDomains": [{"DomainName": "contoso.com"}], "antiPhishPolicies": policies, "eopProtectionPolicyRules": presets, "atpProtectionPolicyRules": presets, "antiPhishRules": []}

test_passes_when_the_policy_everyone_gets_protects_users_and_domains if {
	impersonation_protection.deny == set() with input.exchange as _exchange([_fallback(_good)], []) with input.entra.subscribedSkus as _mdo
	impersonation_protection.error == set() with input.exchange as _exchange([_fallback(_good)], []) with input.entra.subscribedSkus as _mdo
}

test_fails_naming_the_default_policy_when_it_protects_no_one if {
	impersonation_protection.deny == {{
		"msg": "Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) does not protect against impersonation as required: EnableOrganizationDomainsProtection is false (expected true); EnableTargetedUserProtection is false (expected true); TargetedDomainProtectionAction is NoAction (expected Quarantine); TargetedUserProtectionAction is NoAction (expected Quarantine); TargetedUsersToProtect is empty, so no user is protected from impersonation",
		"entity": {"type": "policy", "id": "g-fb", "name": "Office365 AntiPhish Default"},
	}} with input.exchange as _exchange([_fallback(_bad)], []) with input.entra.subscribedSkus as _mdo
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	impersonation_protection.deny == set() with input.exchange as _exchange([_fallback(_bad), _standard(_good)], [_standard_rule]) with input.entra.subscribedSkus as _mdo
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := object.union(_standard_rule, {"SentToMemberOf": ["Finance"]})
	count(impersonation_protection.deny) == 2 with input.exchange as _exchange([_fallback(_bad), _standard(_bad)], [rule]) with input.entra.subscribedSkus as _mdo
}

test_fails_when_the_settings_are_missing if {
	some v in impersonation_protection.deny with input.exchange as _exchange([_fallback({})], []) with input.entra.subscribedSkus as _mdo
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in impersonation_protection.deny] == ["No anti-phishing policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-phishing protection"] with input.exchange as _exchange([], []) with input.entra.subscribedSkus as _mdo
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	impersonation_protection.error == {"rule 'Standard Preset Security Policy' applies anti-phishing policy Standard Preset Security Policy1, which exchange.antiPhishPolicies holds 0 times"} with input.exchange as _exchange([_fallback(_good)], [_standard_rule]) with input.entra.subscribedSkus as _mdo
}

test_not_applicable_without_defender_for_office_365 if {
	impersonation_protection.not_applicable == "Impersonation protection needs Microsoft Defender for Office 365 (Plan 1 or Plan 2), which the tenant does not have" with input.entra.subscribedSkus as []
	impersonation_protection.error == set() with input.entra.subscribedSkus as [] with input.exchange as _exchange([_fallback(_good)], [_standard_rule])
}

test_fails_when_a_required_user_is_not_protected if {
	x := _exchange([_fallback(_good)], [])
	[v.msg | some v in impersonation_protection.deny] == ["Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) does not protect against impersonation as required: TargetedUsersToProtect lacks ceo@contoso.com"] with input.exchange as x
		with input.entra.subscribedSkus as _mdo with data.posture.config as {"protectedUsers": ["CEO@contoso.com", "megan@contoso.com"]}
}

test_errors_when_protected_users_is_not_a_list if {
	impersonation_protection.error == {`config protectedUsers must be a list of email addresses, got "ceo@contoso.com"`} with input.exchange as _exchange([_fallback(_good)], [])
		with input.entra.subscribedSkus as _mdo with data.posture.config as {"protectedUsers": "ceo@contoso.com"}
}
