package posture.rules.defender.impersonation_partner_domains_test

import data.posture.lib.fixtures
import data.posture.rules.defender.impersonation_partner_domains

_kind := "anti_phish"

_good := {"EnableTargetedDomainsProtection": true, "TargetedDomainsToProtect": ["fabrikam.com", "litwareinc.com"], "TargetedDomainProtectionAction": "Quarantine"}

_x(policies, presets) := fixtures.mdo_exchange(_kind, policies, presets)

_default(settings) := fixtures.default_policy(_kind, settings)

_standard(settings) := fixtures.preset_policy("Standard", settings)

_partners := {"partnerDomains": ["Fabrikam.com"]}

test_passes_when_every_policy_in_force_protects_the_partner_domains if {
	x := _x([_default(_good)], [])
	impersonation_partner_domains.deny == set() with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _partners
	impersonation_partner_domains.error == set() with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _partners
}

test_errors_naming_the_parameter_when_no_partner_is_listed if {
	impersonation_partner_domains.error == {"parameter partnerDomains is empty: CISA SCuBA MS.SECURITYSUITE.2.3v1 protects key suppliers' and partners' domains from impersonation, and only the organization can name them; list them in partnerDomains"} with input.exchange as _x([_default(_good)], [])
		with input.entra.subscribedSkus as fixtures.mdo_skus
}

test_fails_when_protection_is_off_and_the_partner_is_missing if {
	x := _x([_default({"EnableTargetedDomainsProtection": false, "TargetedDomainsToProtect": null, "TargetedDomainProtectionAction": "BccMessage"})], [])
	impersonation_partner_domains.deny == {{
		"msg": "Anti-phishing policy 'Office365 AntiPhish Default' (the default policy, applied to every recipient no other anti-phishing policy covers) does not protect the partners' domains from impersonation: EnableTargetedDomainsProtection is false (expected true); TargetedDomainProtectionAction is BccMessage (expected Delete or MoveToJmf or Quarantine or Redirect); TargetedDomainsToProtect lacks fabrikam.com",
		"entity": fixtures.policy_entity(_default({})),
	}} with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _partners
}

test_a_standard_preset_for_everyone_shadows_the_default_policy if {
	x := _x([_default({}), _standard(_good)], [fixtures.preset_rule("Standard", {})])
	impersonation_partner_domains.deny == set() with input.exchange as x with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as _partners
}

test_not_applicable_without_defender_for_office_365_even_without_the_list if {
	impersonation_partner_domains.not_applicable with input.entra.subscribedSkus as []
	impersonation_partner_domains.error == set() with input.entra.subscribedSkus as [] with input.exchange as _x([_default(_good)], [])
}

test_errors_when_the_parameter_is_not_a_list if {
	impersonation_partner_domains.error == {`config partnerDomains must be a list of domain names, got "fabrikam.com"`} with input.exchange as _x([_default(_good)], [])
		with input.entra.subscribedSkus as fixtures.mdo_skus with data.posture.config as {"partnerDomains": "fabrikam.com"}
}
