package posture.rules.defender.safe_links_email_test

import data.posture.lib.fixtures
import data.posture.rules.defender.safe_links_email

_kind := "safe_links"

_good := {"EnableSafeLinksForEmail": true, "ScanUrls": true, "DeliverMessageAfterScan": true, "EnableForInternalSenders": true, "AllowClickThrough": false, "TrackClicks": true}

_bad := object.union(_good, {"EnableForInternalSenders": false, "AllowClickThrough": true})

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_built_in(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_prefix := "Safe Links policy 'Built-In Protection Policy' (the Built-in protection preset, applied to every recipient no other Safe Links policy covers) does not protect links in email as required: "

test_passes_when_the_policy_everyone_gets_protects_links if {
	safe_links_email.deny == set() with input.exchange as _x([_built_in(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	safe_links_email.error == set() with input.exchange as _x([_built_in(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_internal_mail_breaks_only_the_block_list_control if {
	safe_links_email.deny == {
		{
			"msg": concat("", [_prefix, "EnableForInternalSenders is false (expected true)"]),
			"entity": fixtures.policy_entity(_built_in({})),
			"controls": ["2.1.1", "MS.SECURITYSUITE.7.1v1"],
		},
		{
			"msg": concat("", [_prefix, "AllowClickThrough is true (expected false)"]),
			"entity": fixtures.policy_entity(_built_in({})),
			"controls": ["2.1.1"],
		},
	} with input.exchange as _x([_built_in(_bad)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_scanning_and_click_tracking_break_their_own_controls if {
	x := _x([_built_in(object.union(_good, {"DeliverMessageAfterScan": false, "TrackClicks": false}))], [])
	{v.controls | some v in safe_links_email.deny} == {["2.1.1", "MS.SECURITYSUITE.7.2v1"], ["2.1.1", "MS.SECURITYSUITE.7.3v1"]} with input.exchange as x
		with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_safe_links_off_for_email_breaks_every_scuba_control if {
	x := _x([_built_in(object.union(_good, {"EnableSafeLinksForEmail": false}))], [])
	[v.controls | some v in safe_links_email.deny] == [["2.1.1", "MS.SECURITYSUITE.7.1v1", "MS.SECURITYSUITE.7.2v1", "MS.SECURITYSUITE.7.3v1"]] with input.exchange as x
		with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_a_standard_preset_for_everyone_shadows_a_weak_built_in_policy if {
	safe_links_email.deny == set() with input.exchange as _x([_built_in(_bad), _standard(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Finance"]})
	count(safe_links_email.deny) == 4 with input.exchange as _x([_built_in(_bad), _standard(_bad)], [rule]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_when_the_settings_are_missing if {
	some v in safe_links_email.deny with input.exchange as _x([_built_in({})], []) with input.entra.subscribedSkus as fixtures.mdo_skus
	contains(v.msg, "is not set (expected")
}

test_fails_when_no_policy_covers_everyone if {
	[v.msg | some v in safe_links_email.deny] == ["No Safe Links policy applies to every recipient (there is no Built-In Protection Policy and no enabled preset or custom policy covers every accepted domain without exceptions), so some recipients get no Safe Links protection"] with input.exchange as _x([], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_errors_when_a_preset_rule_names_a_missing_policy if {
	safe_links_email.error == {"rule 'Standard Preset Security Policy' applies Safe Links policy Standard Preset Security Policy1, which exchange.safeLinksPolicies holds 0 times"} with input.exchange as _x([_built_in(_good)], [fixtures.preset_rule("Standard", {})]) with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_not_applicable_without_defender_for_office_365 if {
	safe_links_email.not_applicable == "Safe Links needs Microsoft Defender for Office 365: the service plan ATP_ENTERPRISE (in Microsoft 365 Business Premium, Microsoft 365 E5, Microsoft Defender for Office 365 (Plan 1), Microsoft Defender for Office 365 (Plan 2)), which the tenant does not have" with input.entra.subscribedSkus as []
	safe_links_email.error == set() with input.entra.subscribedSkus as [] with input.exchange as _x([_built_in(_good)], [fixtures.preset_rule("Standard", {})])
}

test_errors_when_a_source_is_unlicensed_in_a_licensed_tenant if {
	safe_links_email.error == {"exchange.safeLinksPolicies is unlicensed although the tenant has Microsoft Defender for Office 365"} with input.sources as {"exchange.safeLinksPolicies": {"status": "unlicensed"}}
		with input.exchange as _x([_built_in(_good)], []) with input.entra.subscribedSkus as fixtures.mdo_skus
}
