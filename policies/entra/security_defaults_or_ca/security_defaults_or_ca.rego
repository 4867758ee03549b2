# METADATA
# title: Security defaults or Conditional Access protect the tenant
# description: >-
#   A tenant needs one of Microsoft's two ways to enforce baseline identity protection (MFA,
#   blocking legacy authentication): security defaults, free and all-or-nothing, or Conditional
#   Access policies, which need Microsoft Entra ID P1. With both off, nothing requires MFA or
#   blocks legacy protocols, and a password is all an attacker needs. The tenant passes when
#   security defaults are enabled, or when it has Entra ID P1 (or P2) and at least one enabled
#   (not report-only) Conditional Access policy that targets users. It fails when security
#   defaults are off and no such policy exists, or when it has no P1: when the licence expires
#   Microsoft leaves existing policies in place, but they can only be viewed and deleted, no
#   longer updated, so they are no protection the tenant can maintain. A missing or null
#   isEnabled is an error unless Conditional Access already settles the answer. Whether the
#   policies protect enough is for the other Conditional Access rules (admin MFA, MFA for all
#   users, legacy authentication) to judge.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/fundamentals/security-defaults
#     description: "Microsoft Learn: Security defaults in Microsoft Entra ID"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/overview
#     description: "Microsoft Learn: What is Conditional Access? (licence requirements)"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/identitysecuritydefaultsenforcementpolicy
#     description: "Microsoft Graph: identitySecurityDefaultsEnforcementPolicy resource type"
# custom:
#   id: entra.security_defaults_or_ca
#   severity: high
#   level: shall
#   requires:
#     - entra.securityDefaults
#     - entra.conditionalAccessPolicies
#     - entra.subscribedSkus
#   accepts_unlicensed: [entra.conditionalAccessPolicies]
#   secure_score: []
#   frameworks:
#     # SCuBA has no such policy; CIS M365 5.1.1.1 (v3/v4) asks for security defaults to be
#     # *disabled* in favour of Conditional Access, which this rule does not require.
#     cisa_scuba: []
#     cis_m365: []
#   license: []
#   remediation: >-
#     Without Entra ID P1 (or P2): in the Microsoft Entra admin center open Entra ID > Overview >
#     Properties > Manage security defaults and set Security defaults to Enabled (Graph: PATCH
#     /policies/identitySecurityDefaultsEnforcementPolicy {"isEnabled": true}), and revoke
#     existing sessions so that users register for MFA. With P1 or P2: create Conditional
#     Access policies instead (at least Require MFA for administrators, Require MFA for all
#     users and Block legacy authentication, from Entra ID > Conditional Access > Create new
#     policy from templates), start them in report-only mode, and turn them On - the portal
#     asks to turn security defaults off first.
#   user_impact: moderate
#   implementation_cost: low
package posture.rules.entra.security_defaults_or_ca

import data.posture.lib.ca
import data.posture.lib.entity
import data.posture.lib.licenses

# _is_enabled is the flag as collected; null when it or the object around it is missing.
_is_enabled := v if {
	is_object(input.entra.securityDefaults)
	v := object.get(input.entra.securityDefaults, "isEnabled", null)
} else := null

_security_defaults if _is_enabled == true

# Enabled policies that target users; report-only policies enforce nothing, and policies for
# workload identities only do not protect sign-ins of people.
enforced := [p | some p in ca.policies; ca.enabled(p); ca.targets_users(p)]

_conditional_access if {
	licenses.has_p1
	count(enforced) > 0
}

_protected if _security_defaults

_protected if _conditional_access

_setting := entity.security_defaults

# An unknown security defaults flag only matters when Conditional Access does not settle it.
error contains msg if {
	not _protected
	not is_boolean(_is_enabled)
	msg := sprintf("entra.securityDefaults.isEnabled is %v, not true or false, so it is unknown whether security defaults are on", [_is_enabled])
}

deny contains {"msg": msg, "entity": _setting} if {
	_is_enabled == false
	not _protected
	licenses.has_p1
	msg := sprintf("Security defaults are off and no enabled Conditional Access policy applies to users (%s): nothing requires multifactor authentication or blocks legacy authentication", [_policies_text])
}

deny contains {"msg": msg, "entity": _setting} if {
	_is_enabled == false
	not licenses.has_p1
	msg := sprintf("Security defaults are off and the tenant lacks Microsoft Entra ID P1 (AAD_PREMIUM), which Conditional Access needs, so Conditional Access cannot stand in for them (%s)", [_policies_text])
}

_policies_text := "the tenant has no Conditional Access policies" if {
	count(ca.policies) == 0
} else := sprintf("Conditional Access policies: %d enabled, %d report-only, %d disabled", [
	count([p | some p in ca.policies; ca.enabled(p)]),
	count([p | some p in ca.policies; ca.report_only(p)]),
	count([p | some p in ca.policies; ca.state(p) == "disabled"]),
])
