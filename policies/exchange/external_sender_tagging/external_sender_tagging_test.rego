package posture.rules.exchange.external_sender_tagging_test

import data.posture.lib.fixtures
import data.posture.rules.exchange.external_sender_tagging

_native(enabled) := {"Identity": "7e000000-0004-4000-8000-000000000000", "Enabled": enabled, "AllowList": []}

_rule(changes) := fixtures.transport_rule("External sender warning", object.union(
	{"FromScope": "NotInOrganization", "PrependSubject": "[EXTERNAL] ", "ApplyHtmlDisclaimerText": null},
	changes,
))

_msg := "Mail from outside the organization is not marked as external: the native external tag is off (externalInOutlook.Enabled) and no enforced mail flow rule for senders outside the organization prepends a subject marker or a disclaimer"

_entity := {"type": "setting", "id": "externalInOutlook.Enabled", "name": "External sender tag"}

test_passes_when_the_native_tag_is_on if {
	external_sender_tagging.deny == set() with input.exchange.externalInOutlook as _native(true)
		with input.exchange.transportRules as []
	external_sender_tagging.warn == set() with input.exchange.externalInOutlook as _native(true)
		with input.exchange.transportRules as [_rule({})]
}

test_a_subject_tagging_rule_passes_but_warns_for_cis_which_wants_the_native_tag if {
	external_sender_tagging.deny == set() with input.exchange.externalInOutlook as _native(false)
		with input.exchange.transportRules as [_rule({})]
	external_sender_tagging.warn == {{
		"msg": "The native external tag is off (externalInOutlook.Enabled): mail flow rule 'External sender warning' marks external mail, which CISA SCuBA accepts, but CIS 6.2.3 asks for the native tag",
		"entity": _entity,
		"controls": ["6.2.3"],
	}} with input.exchange.externalInOutlook as _native(false)
		with input.exchange.transportRules as [_rule({})]
}

test_passes_with_a_disclaimer_rule if {
	r := _rule({"PrependSubject": null, "ApplyHtmlDisclaimerText": "<p>This message came from outside Contoso.</p>", "ApplyHtmlDisclaimerLocation": "Prepend"})
	external_sender_tagging.deny == set() with input.exchange.externalInOutlook as _native(false)
		with input.exchange.transportRules as [r]
}

test_fails_when_nothing_tags_external_mail if {
	external_sender_tagging.deny == {{"msg": _msg, "entity": _entity}} with input.exchange.externalInOutlook as _native(false)
		with input.exchange.transportRules as []
}

test_disabled_audit_or_internal_rules_do_not_count if {
	rs := [
		_rule({"State": "Disabled"}),
		_rule({"Mode": "AuditAndNotify"}),
		_rule({"FromScope": "InOrganization"}),
		_rule({"PrependSubject": "  "}),
	]
	count(external_sender_tagging.deny) == 1 with input.exchange.externalInOutlook as _native(false)
		with input.exchange.transportRules as rs
}

test_fails_when_the_native_setting_is_unknown if {
	external_sender_tagging.deny == {{
		"msg": "Mail from outside the organization is not marked as external: the native external tag is not set (externalInOutlook.Enabled) and no enforced mail flow rule for senders outside the organization prepends a subject marker or a disclaimer",
		"entity": _entity,
	}} with input.exchange.externalInOutlook as {"Identity": "x"}
		with input.exchange.transportRules as []
}

test_errors_on_wrong_shapes if {
	external_sender_tagging.error == {"exchange.externalInOutlook is not an object", "exchange.transportRules is not an array"} with input.exchange.externalInOutlook as [_native(true)]
		with input.exchange.transportRules as {}
}
