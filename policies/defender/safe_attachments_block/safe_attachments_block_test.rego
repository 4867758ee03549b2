package posture.rules.defender.safe_attachments_block_test

import data.posture.rules.defender.safe_attachments_block

_mdo := [{"capabilityStatus": "Enabled", "servicePlans": [{"servicePlanId": "f20fedf3-f3c3-43c3-8267-2bfdd51c0939", "provisioningStatus": "Success"}]}]

_good := {"Enable": true, "Action": "Block"}

_bad := {"Enable": true, "Action": "Monitor"}

_fallback(settings) := object.union({"Name": "Built-In Protection Policy", "Identity": "Built-In Protection Policy", "IsBuiltInProtection": true, "Guid": "g-fb"}, settings)

_standard(settings) := object.union({"Name": "Standard Preset Security Policy1", "Identity": "Standard Preset Security Policy1", "Guid": "g-std"}, settings)

_standard_rule := {"Identity": "Standard Preset Security Policy", "Name": "Standard Preset Security Policy", "State": "Enabled", "Priority": 1, "SafeAttachmentPolicy": "Standard Preset Security Policy1", "SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null}

_exchange(policies, presets) := {"acceptedDomains": [{"DomainName": "contoso.com"}], "safeAttachmentPolicies": policies, "atpProtectionPolicyRules": presets, "safeAttachmentRules": []}

test_passes_when_the_policy_everyone_gets_blocks if {
	safe_attachments_block.deny == set() with input.exchange as _exchange([_fallback(_good)], []) with input.entra.subscribedSkus as _mdo
	safe_attachments_block.error == set() with input.exchange as _exchange([_fallback(_good)], []) with input.entra.subscribedSkus as _mdo
}

test_fails_naming_the_built_in_policy_when_it_only_monitors if {
	safe_attachments_block.deny == {{
		"msg": "Safe Attachments policy 'Built-In Protection Policy' (the Built-in protection preset, applied to every recipient no other Safe Attachments policy covers) does not block malicious attachments: Action is Monitor (expected Block)",
		"entity": {"type": "policy", "id": "g-fb", "name": "Built-In Protection Policy"},
	}} with input.exchange as _exchange([_fallback(_bad)], []) with input.entra.subscribedSkus as _mdo
}

test_a_standard_preset_for_everyone_shadows_a_weak_built_in_policy if {
	safe_attachments_block.deny == set() with input.exchange as _exchange([_fallback(_bad), _standard(_good)], [_standard_rule]) with input.entra.subscribedSkus as _mdo
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := object.union(_standard_rule, {"SentToMemberOf": ["Finance"]})
	count(safe_attachments_block.deny) == 2 with input.exchange as _exchange([_fallback(_bad), _standard(_bad)], [rule]) with input.entra.subscribedSkus as _mdo
}

test_fails_when_the_settings_are_missing if {
	some v in safe_attachments_block.deny with input.exchange as _exchange([_fallback({})], []) with input.entra.subscribedSkus as _mdo
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in safe_attachments_block.deny] == ["No Safe Attachments policy applies to every recipient (there is no Built-In Protection Policy and no enabled preset or custom policy covers every accepted domain without exceptions), so some recipients get no Safe Attachments protection"] with input.exchange as _exchange([], []) with input.entra.subscribedSkus as _mdo
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	safe_attachments_block.error == {"rule 'Standard Preset Security Policy' applies Safe Attachments policy Standard Preset Security Policy1, which exchange.safeAttachmentPolicies holds 0 times"} with input.exchange as _exchange([_fallback(_good)], [_standard_rule]) with input.entra.subscribedSkus as _mdo
}

test_not_applicable_without_defender_for_office_365 if {
	safe_attachments_block.not_applicable == "Safe Attachments needs Microsoft Defender for Office 365 (Plan 1 or Plan 2), which the tenant does not have" with input.entra.subscribedSkus as []
	safe_attachments_block.error == set() with input.entra.subscribedSkus as [] with input.exchange as _exchange([_fallback(_good)], [_standard_rule])
}

test_errors_when_a_source_is_unlicensed_in_a_licensed_tenant if {
	safe_attachments_block.error == {"exchange.safeAttachmentPolicies is unlicensed although the tenant has Microsoft Defender for Office 365"} with input.sources as {"exchange.safeAttachmentPolicies": {"status": "unlicensed"}}
		with input.exchange as _exchange([_fallback(_good)], []) with input.entra.subscribedSkus as _mdo
}
