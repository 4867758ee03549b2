# METADATA
# title: Passwords are set to never expire
# description: >-
#   Forced periodic password changes make users pick weaker, predictable passwords and do not
#   stop an attacker who already has one; NIST SP 800-63B, CISA and Microsoft recommend against
#   them. Every verified domain whose users authenticate in the cloud (authenticationType
#   Managed) must have passwordValidityPeriodInDays set to 2147483647, the value Entra uses for
#   "never expire". An unset value means Entra's 90-day default. Federated domains are left to
#   their identity provider. A violation breaks both CISA SCuBA MS.AAD.6.1v1 and CIS 1.3.1.
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

# Every violation breaks every control the rule cites: both ask that passwords never expire.
_controls := ["MS.AAD.6.1v1", "1.3.1"]

deny contains object.union(v, {"controls": _controls}) if some v in _violations

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

_violations contains {"msg": _message(d.id, days), "entity": entity.domain(d.id)} if {
	some d in managed_domains
	days := object.get(d, "passwordValidityPeriodInDays", null)
	days != never_expires
}

_message(domain, null) := sprintf("Passwords in domain %s expire: passwordValidityPeriodInDays is not set, so the 90-day default applies", [domain])

_message(domain, days) := sprintf("Passwords in domain %s expire after %v days (passwordValidityPeriodInDays is %v, not %d)", [domain, days, days, never_expires]) if {
	days != null
}
