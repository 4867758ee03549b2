package posture.rules.defender.mailbox_intelligence_test

import data.posture.lib.fixtures
import data.posture.rules.defender.mailbox_intelligence

_kind := "anti_phish"

_good := {"EnableMailboxIntelligence": true, "EnableMailboxIntelligenceProtection": true, "MailboxIntelligenceProtectionAction": "MoveToJmf"}

_bad := {"EnableMailboxIntelligence": true, "EnableMailboxIntelligenceProtection": false, "MailboxIntelligenceProtectionAction": "NoAction"}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

test_passes_when_the_policy_everyone_gets_acts_on_it if {
	mailbox_intelligence.deny == set() with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	mailbox_intelligence.error == set() with input.exchange as _x([_default(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_naming_the_default_policy_when_it_takes_no_action if {
	mailbox_intelligence.deny == {{
		"msg": "Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) does not act on impersonation that mailbox intelligence detects: EnableMailboxIntelligenceProtection is false (expected true); MailboxIntelligenceProtectionAction is NoAction (expected Delete or MoveToJmf or Quarantine or Redirect)",
		"entity": fixtures.policy_entity(_default({})),
	}} with input.exchange as _x([_default(_bad)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_a_standard_preset_for_everyone_shadows_a_weak_default_policy if {
	mailbox_intelligence.deny == set() with input.exchange as _x([_default(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(mailbox_intelligence.deny) == 2 with input.exchange as _x([_default(_bad), _standard(_bad)], [rule]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_when_the_settings_are_missing if {
	some v in mailbox_intelligence.deny with input.exchange as _x([_default({})], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in mailbox_intelligence.deny] == ["No anti-phishing policy applies to every recipient (there is no default policy (IsDefault true)), so some recipients get no anti-phishing protection"] with input.exchange as _x([], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	mailbox_intelligence.error == {"rule 'Standard Preset Security Policy' applies anti-phishing policy Standard Preset Security Policy1, which exchange.antiPhishPolicies holds 0 times"} with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_not_applicable_without_defender_for_office_365 if {
	mailbox_intelligence.not_applicable == "Mailbox intelligence needs Microsoft Defender for Office 365: the service plan ATP_ENTERPRISE (in Microsoft 365 Business Premium, Microsoft 365 E5, Microsoft Defender for Office 365 (Plan 1), Microsoft Defender for Office 365 (Plan 2)), which the tenant does not have" with input.entra.subscribedSkus as []
	mailbox_intelligence.error == set() with input.entra.subscribedSkus as [] with input.exchange as _x([_default(_good)], [fixtures.preset_rule("Standard", {})])
}
