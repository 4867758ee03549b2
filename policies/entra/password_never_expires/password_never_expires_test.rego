package posture.rules.entra.password_never_expires_test

import data.posture.lib.fixtures
import data.posture.rules.entra.password_never_expires

_controls := ["MS.AAD.6.1v1", "1.3.1"]

_domain(id, changes) := object.union(
	{
		"id": id, "isVerified": true, "isDefault": false, "isRoot": true,
		"authenticationType": "Managed", "passwordValidityPeriodInDays": 2147483647,
	},
	changes,
)

test_passes_when_every_managed_domain_never_expires if {
	domains := [_domain("contoso.com", {}), _domain("contoso.onmicrosoft.com", {})]
	password_never_expires.deny == set() with input.entra.domains as domains
	not password_never_expires.not_applicable with input.entra.domains as domains
}

test_fails_when_a_domain_expires_after_some_days if {
	domains := [_domain("contoso.com", {"passwordValidityPeriodInDays": 180}), _domain("contoso.onmicrosoft.com", {})]
	password_never_expires.deny == fixtures.tagged(
		{{
			"msg": "Passwords in domain contoso.com expire after 180 days (passwordValidityPeriodInDays is 180, not 2147483647)",
			"entity": {"type": "domain", "id": "contoso.com", "name": "contoso.com"},
		}},
		_controls,
	) with input.entra.domains as domains
}

# SCuBA MS.AAD.6.1v1 accepts an unset period; Graph's reference and CIS 1.3.1 do not.
test_fails_when_the_validity_period_is_null if {
	domains := [_domain("contoso.com", {"passwordValidityPeriodInDays": null})]
	password_never_expires.deny == fixtures.tagged(
		{{
			"msg": "Passwords in domain contoso.com may expire: passwordValidityPeriodInDays is not set, which Microsoft Graph documents as the 90-day default (CISA SCuBA accepts it as never expiring)",
			"entity": {"type": "domain", "id": "contoso.com", "name": "contoso.com"},
		}},
		["posture", "1.3.1"],
	) with input.entra.domains as domains
}

test_fails_when_the_validity_period_is_missing if {
	domains := [object.remove(_domain("contoso.com", {}), ["passwordValidityPeriodInDays"])]
	count(password_never_expires.deny) == 1 with input.entra.domains as domains
}

test_ignores_federated_and_unverified_domains if {
	domains := [
		_domain("contoso.com", {}),
		_domain("fed.contoso.com", {"authenticationType": "Federated", "passwordValidityPeriodInDays": 90}),
		_domain("new.contoso.com", {"isVerified": false, "passwordValidityPeriodInDays": null}),
	]
	password_never_expires.deny == set() with input.entra.domains as domains
}

test_is_not_applicable_without_a_verified_managed_domain if {
	domains := [_domain("fed.contoso.com", {"authenticationType": "Federated"}), _domain("new.contoso.com", {"isVerified": false})]
	password_never_expires.not_applicable == "no verified domain uses managed (cloud) authentication; federated domains follow their identity provider's password policy" with input.entra.domains as domains
	password_never_expires.not_applicable with input.entra.domains as []
}

test_reports_one_denial_per_domain if {
	domains := [_domain("a.com", {"passwordValidityPeriodInDays": 90}), _domain("b.com", {"passwordValidityPeriodInDays": 730})]
	{d.entity.id | some d in password_never_expires.deny} == {"a.com", "b.com"} with input.entra.domains as domains
}
