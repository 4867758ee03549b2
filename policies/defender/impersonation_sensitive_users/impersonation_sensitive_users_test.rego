package posture.rules.defender.impersonation_sensitive_users_test

import data.posture.lib.fixtures
import data.posture.rules.defender.impersonation_sensitive_users

_kind := "anti_phish"

_good := {"EnableTargetedUserProtection": true, "TargetedUsersToProtect": ["Chief Executive;ceo@contoso.com", "Megan Bowen;megan@contoso.com"], "TargetedUserProtectionAction": "MoveToJmf"}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_sensitive := {"protectedUsers": ["CEO@contoso.com"]}

test_passes_when_every_policy_in_force_protects_the_sensitive_accounts if {
	x := _x([_default(_good)], [])
	impersonation_sensitive_users.deny == set() with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _sensitive
	impersonation_sensitive_users.error == set() with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _sensitive
}

test_errors_naming_the_parameter_when_no_sensitive_account_is_listed if {
	impersonation_sensitive_users.error == {"parameter protectedUsers is empty: CISA SCuBA MS.SECURITYSUITE.2.1v1 protects the organization's sensitive accounts from impersonation, and only the organization can name them; list their email addresses in protectedUsers"} with input.exchange as _x([_default(_good)], [])
		with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_when_a_sensitive_account_is_left_out_or_not_acted_on if {
	x := _x([_default(object.union(_good, {"TargetedUsersToProtect": ["Megan Bowen;megan@contoso.com"], "TargetedUserProtectionAction": "NoAction"}))], [])
	impersonation_sensitive_users.deny == {{
		"msg": "Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) does not protect the sensitive accounts from impersonation: TargetedUserProtectionAction is NoAction (expected Delete or MoveToJmf or Quarantine or Redirect); TargetedUsersToProtect lacks ceo@contoso.com",
		"entity": fixtures.policy_entity(_default({})),
	}} with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _sensitive
}

test_fails_for_a_preset_that_does_not_cover_everyone_and_the_policy_below_it if {
	rule := fixtures.preset_rule("Standard", {"SentToMemberOf": ["Executives"]})
	x := _x([_default({"EnableTargetedUserProtection": false}), _standard(_good)], [rule])
	[v.entity.name | some v in impersonation_sensitive_users.deny] == ["Office365 AntiPhish Default"] with input.exchange as x
		with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _sensitive
}

test_fails_when_no_policy_covers_everyone if {
	count(impersonation_sensitive_users.deny) == 1 with input.exchange as _x([], []) with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _sensitive
}

test_not_applicable_without_defender_for_office_365_even_without_the_list if {
	impersonation_sensitive_users.not_applicable with input.entra.subscribedSkus as []
	impersonation_sensitive_users.error == set() with input.entra.subscribedSkus as [] with input.exchange as _x([_default(_good)], [])
}

test_errors_when_the_parameter_is_not_a_list if {
	impersonation_sensitive_users.error == {`config protectedUsers must be a list of email addresses, got "ceo@contoso.com"`} with input.exchange as _x([_default(_good)], [])
		with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as {"protectedUsers": "ceo@contoso.com"}
}
