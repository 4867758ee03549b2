# METADATA
# title: Every recipient is protected from impersonation of key partners' domains
# description: >-
#   Attackers register look-alike domains of the suppliers and partners an organization pays and
#   trusts. CISA SCuBA MS.SECURITYSUITE.2.3v1 asks for domain impersonation protection of key
#   suppliers' and partners' domains. Only the organization can name them, so the rule needs them
#   in parameter partnerDomains and is an error, naming the parameter, while it is empty: without
#   the list the control cannot be verified. A message is checked by the anti-phishing policy of
#   its recipient, so every anti-phishing policy a recipient can get - the Strict or Standard
#   preset, a custom policy through its enabled rule, or the default policy for everyone else -
#   must turn custom domain impersonation protection on (EnableTargetedDomainsProtection), list
#   each partner domain in TargetedDomainsToProtect, and act on a detection with one of the
#   actions the baseline lists (redirect, move to Junk Email, quarantine or delete; not NoAction
#   or BccMessage). The finding names each policy in force that falls short.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about#domain-impersonation-protection
#     description: "Microsoft Learn: Domain impersonation protection"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-mdo-configure
#     description: "Microsoft Learn: Configure anti-phishing policies in Microsoft Defender for Office 365"
#   - ref: https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/securitysuite.md
#     description: "CISA SCuBA Security Suite baseline (MS.SECURITYSUITE.2.3v1)"
# custom:
#   id: defender.impersonation_partner_domains
#   severity: medium
#   level: should
#   requires:
#     - exchange.antiPhishPolicies
#     - exchange.antiPhishRules
#     - exchange.eopProtectionPolicyRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.atpProtectionPolicyRules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.2.3v1]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     List the key partners' domains in parameter partnerDomains. Then in the Microsoft Defender
#     portal go to Email & collaboration > Policies & rules > Threat policies > Anti-phishing > the
#     policy the finding names (for a preset: Preset security policies > Manage protection
#     settings > "Add domains to flag when impersonated by attackers") > Edit protection settings:
#     check "Enable domains to protect" and "Include custom domains" and add each partner domain;
#     Edit actions: "If a message is detected as domain impersonation": quarantine (or redirect,
#     move to Junk Email, delete). In Exchange Online PowerShell: Set-AntiPhishPolicy -Identity
#     "<policy>" -EnableTargetedDomainsProtection $true -TargetedDomainsToProtect
#     @{Add="fabrikam.com"} -TargetedDomainProtectionAction Quarantine.
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: partnerDomains
#       type: array
#       items: string
#       description: >-
#         Domains of key suppliers and partners, which every anti-phishing policy in force must
#         protect from impersonation (TargetedDomainsToProtect).
#       default: []
package posture.rules.defender.impersonation_partner_domains

import data.posture.lib.licenses
import data.posture.lib.mdo
import data.posture.lib.params

_kind := "anti_phish"

not_applicable := mdo.needs_defender("Impersonation protection") if not licenses.has_defender_office

_param := params.value("partnerDomains")

_checks := [
	{"prop": "EnableTargetedDomainsProtection", "equals": true},
	{"prop": "TargetedDomainsToProtect", "includes": _param},
	{"prop": "TargetedDomainProtectionAction", "in": mdo.impersonation_actions},
] if {
	mdo.string_list(_param)
	count(_param) > 0
}

deny contains v if some v in mdo.violations(_kind, _checks, "does not protect the partners' domains from impersonation")

error contains msg if some msg in mdo.defender_errors(_kind)

error contains "parameter partnerDomains is empty: CISA SCuBA MS.SECURITYSUITE.2.3v1 protects key suppliers' and partners' domains from impersonation, and only the organization can name them; list them in partnerDomains" if {
	licenses.has_defender_office
	_param == []
}

error contains sprintf("config partnerDomains must be a list of domain names, got %s", [json.marshal(_param)]) if {
	not mdo.string_list(_param)
}
