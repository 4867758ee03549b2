package posture.rules.defender.preset_policies_test

import data.posture.lib.fixtures
import data.posture.rules.defender.preset_policies

_mdo := fixtures.mdo_skus

_standard(scope) := fixtures.preset_rule("Standard", scope)

_strict(scope) := fixtures.preset_rule("Strict", scope)

_domains := fixtures.accepted_domains(["contoso.com", "contoso.onmicrosoft.com"])

_tenant := {"type": "tenant", "id": "t1", "name": "Contoso"}

test_passes_when_standard_covers_everyone_for_both_layers if {
	x := {"acceptedDomains": _domains, "eopProtectionPolicyRules": [_standard({}), _strict({"SentToMemberOf": ["Executives"]})], "atpProtectionPolicyRules": [_standard({})]}
	preset_policies.deny == set() with input.exchange as x with input.entra.subscribedSkus as _mdo
}

test_passes_when_a_preset_names_every_accepted_domain if {
	x := {"acceptedDomains": _domains, "eopProtectionPolicyRules": [_strict({"RecipientDomainIs": ["contoso.com", "contoso.onmicrosoft.com"]})], "atpProtectionPolicyRules": [_strict({"RecipientDomainIs": ["contoso.com", "contoso.onmicrosoft.com"]})]}
	preset_policies.deny == set() with input.exchange as x with input.entra.subscribedSkus as _mdo
}

test_warns_when_no_preset_is_set_up if {
	x := {"acceptedDomains": _domains, "eopProtectionPolicyRules": [], "atpProtectionPolicyRules": []}
	preset_policies.deny == {
		{"msg": "Neither the Standard nor the Strict preset security policy applies Exchange Online Protection to every recipient: Standard is not set up; Strict is not set up", "entity": _tenant},
		{"msg": "Neither the Standard nor the Strict preset security policy applies Defender for Office 365 protection to every recipient: Standard is not set up; Strict is not set up", "entity": _tenant},
	} with input.exchange as x with input.entra.subscribedSkus as _mdo with input.tenant as {"id": "t1", "displayName": "Contoso"}
}

test_names_the_scope_of_a_preset_that_leaves_recipients_out if {
	x := {
		"acceptedDomains": _domains,
		"eopProtectionPolicyRules": [_standard({"RecipientDomainIs": ["contoso.com"]}), _strict({"State": "Disabled"})],
		"atpProtectionPolicyRules": [_standard({"ExceptIfSentTo": ["scanner@contoso.com"]})],
	}
	[v.msg | some v in preset_policies.deny] == [
		"Neither the Standard nor the Strict preset security policy applies Defender for Office 365 protection to every recipient: Standard applies to all recipients except recipients scanner@contoso.com; Strict is not set up",
		"Neither the Standard nor the Strict preset security policy applies Exchange Online Protection to every recipient: Standard applies to recipients in contoso.com; Strict is turned off",
	] with input.exchange as x with input.entra.subscribedSkus as _mdo
}

test_checks_only_exchange_online_protection_without_defender_for_office_365 if {
	x := {"acceptedDomains": _domains, "eopProtectionPolicyRules": [_standard({})]}
	preset_policies.deny == set() with input.exchange as x with input.entra.subscribedSkus as []
	preset_policies.error == set() with input.exchange as x with input.entra.subscribedSkus as [] with input.sources as {"exchange.atpProtectionPolicyRules": {"status": "unlicensed"}}
}

test_errors_when_the_atp_rules_are_unlicensed_in_a_licensed_tenant if {
	preset_policies.error == {"exchange.atpProtectionPolicyRules is unlicensed although the tenant has Microsoft Defender for Office 365"} with input.sources as {"exchange.atpProtectionPolicyRules": {"status": "unlicensed"}}
		with input.entra.subscribedSkus as _mdo
}

test_odd_rules_do_not_cover_anyone if {
	x := {"acceptedDomains": _domains, "eopProtectionPolicyRules": [_standard({"State": "enabled"}), "odd"], "atpProtectionPolicyRules": [_standard({})]}
	count(preset_policies.deny) == 1 with input.exchange as x with input.entra.subscribedSkus as _mdo
}
