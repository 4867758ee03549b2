# METADATA
# title: Passwords are set to never expire
# description: >-
#   Forced periodic password changes make users pick weaker, predictable passwords and do not
#   stop an attacker who already has one; NIST SP 800-63B, CISA and Microsoft recommend against
#   them. Every verified domain whose users authenticate in the cloud (authenticationType
#   Managed) must have passwordValidityPeriodInDays set to 2147483647, the value Entra uses for
#   "never expire". Federated domains are left to their identity provider. A finite period breaks
#   both CISA SCuBA MS.AAD.6.1v1 and CIS 1.3.1. An unset value (null) is where the sources part:
#   Microsoft Graph's domain reference gives it the 90-day default, so posture fails it, and so
#   does CIS 1.3.1, whose audit expects 2147483647; SCuBA's text (aad.md at ScubaGear 4d34e9a)
#   says tenants created after October 2021 have null, which Microsoft treats as never
#   expiring, and accepts it. A null period is therefore posture's own judgement and CIS's, not
#   a breach of MS.AAD.6.1v1.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/microsoft-365/admin/manage/set-password-expiration-policy
#     description: "Microsoft Learn: Set the password expiration policy for your organization"
#   - ref: https://learn.microsoft.com/en-us/microsoft-365/admin/misc/password-policy-recommendations
#     description: "Microsoft Learn: Password policy recommendations for Microsoft 365 passwords"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/domain
#     description: "Microsoft Learn: domain resource type (passwordValidityPeriodInDays)"
# custom:
#   id: entra.password_never_expires
#   severity: medium
#   level: shall
#   requires: [entra.domains]
#   secure_score: [PWAgePolicyNew]
#   frameworks:
#     cisa_scuba: [MS.AAD.6.1v1]
#     cis_m365: ["1.3.1"]
#   license: []
#   remediation: >-
#     In the Microsoft 365 admin center go to Settings > Org settings > Security & privacy >
#     Password expiration policy, tick "Set passwords to never expire (recommended)" and save;
#     this sets every managed domain. For one domain with Microsoft Graph PowerShell:
#     Update-MgDomain -DomainId <domain> -PasswordValidityPeriodInDays 2147483647. Pair it with
#     MFA for all users and Entra Password Protection, which are what actually protect passwords.
#   user_impact: low
#   implementation_cost: low
package posture.rules.entra.password_never_expires

import data.posture.lib.entity

# A finite period breaks both controls; an unset one CIS's and posture's judgement only.
_controls(null) := ["posture", "1.3.1"]

_controls(days) := ["MS.AAD.6.1v1", "1.3.1"] if days != null

deny contains {"msg": _message(d.id, days), "entity": entity.domain(d.id), "controls": _controls(days)} if {
	some d in managed_domains
	days := object.get(d, "passwordValidityPeriodInDays", null)
	days != never_expires
}

never_expires := 2147483647

default _domains := []

_domains := input.entra.domains if is_array(input.entra.domains)

# managed_domains are the verified domains whose passwords Entra manages.
managed_domains := [d |
	some d in _domains
	d.isVerified == true
	lower(object.get(d, "authenticationType", "")) == "managed"
]

not_applicable := "no verified domain uses managed (cloud) authentication; federated domains follow their identity provider's password policy" if {
	count(managed_domains) == 0
}

_message(domain, null) := sprintf("Passwords in domain %s may expire: passwordValidityPeriodInDays is not set, which Microsoft Graph documents as the 90-day default (CISA SCuBA accepts it as never expiring)", [domain])

_message(domain, days) := sprintf("Passwords in domain %s expire after %v days (passwordValidityPeriodInDays is %v, not %d)", [domain, days, days, never_expires]) if {
	days != null
}
