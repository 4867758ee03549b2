# METADATA
# title: Impersonation protection covers key users and the organization's domains for every recipient
# description: >-
#   Attackers send mail from look-alike names and domains (a CEO's name on a free mail address,
#   contoso.co instead of contoso.com) to get payments and credentials. Defender for Office 365
#   anti-phishing policies catch this when user impersonation protection is on for a list of
#   people worth impersonating (EnableTargetedUserProtection with TargetedUsersToProtect) and
#   domain impersonation protection covers the organization's own domains
#   (EnableOrganizationDomainsProtection), with both detections quarantined
#   (TargetedUserProtectionAction and TargetedDomainProtectionAction Quarantine). Protection is
#   applied by the policy of the recipient, so every anti-phishing policy a recipient can get -
#   the Strict or Standard preset (through its Defender for Office 365 rule), a custom policy
#   through its enabled rule, or the default policy for everyone else - must have these settings;
#   with parameter protectedUsers, each listed address must be among the protected users. The
#   finding names each policy in force that falls short.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-about
#     description: "Microsoft Learn: Anti-phishing policies in Microsoft 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-phishing-policies-mdo-configure
#     description: "Microsoft Learn: Configure anti-phishing policies in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
# custom:
#   id: defender.impersonation_protection
#   severity: high
#   level: shall
#   requires:
#     - exchange.antiPhishPolicies
#     - exchange.antiPhishRules
#     - exchange.eopProtectionPolicyRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.atpProtectionPolicyRules]
#   secure_score: [mdo_antiphishingpolicies, mdo_enabledomainstoprotect]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.2.1v1, MS.SECURITYSUITE.2.2v1]
#     cis_m365: ["2.1.7"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     In the Microsoft Defender portal go to Email & collaboration > Policies & rules > Threat
#     policies > Anti-phishing > the policy the finding names (or Preset security policies >
#     Manage protection settings > Impersonation protection, for a preset) > Edit protection
#     settings: turn on "Enable users to protect" and add your executives, finance staff and other
#     likely targets; turn on "Enable domains to protect" with "Include domains I own"; Edit
#     actions: quarantine messages detected as user impersonation and as domain impersonation. In
#     Exchange Online PowerShell: Set-AntiPhishPolicy -Identity "<policy>"
#     -EnableTargetedUserProtection $true -TargetedUsersToProtect @{Add="Megan
#     Bowen;megan@contoso.com"} -EnableOrganizationDomainsProtection $true
#     -TargetedUserProtectionAction Quarantine -TargetedDomainProtectionAction Quarantine.
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: protectedUsers
#       type: array
#       items: string
#       description: >-
#         Email addresses that every anti-phishing policy in force must protect from impersonation
#         (TargetedUsersToProtect). Empty: at least one protected user is enough.
#       default: []
package posture.rules.defender.impersonation_protection

import data.posture.lib.licenses
import data.posture.lib.mdo
import data.posture.lib.params

_kind := "anti_phish"

not_applicable := mdo.needs_defender("Impersonation protection") if not licenses.has_defender_office

# _expected are the impersonation settings every anti-phishing policy in force must have.
_expected := {
	"EnableTargetedUserProtection": true,
	"EnableOrganizationDomainsProtection": true,
	"TargetedUserProtectionAction": "Quarantine",
	"TargetedDomainProtectionAction": "Quarantine",
}

_problems(p) := {m | some prop, want in _expected; m := mdo.mismatch(p, prop, want)} | _user_problems(p)

_param := params.value("protectedUsers")

_required := {lower(trim_space(a)) | some a in _param; is_string(a)} if is_array(_param)

else := set()

_user_problems(p) := {"TargetedUsersToProtect is empty, so no user is protected from impersonation"} if {
	count(mdo.values(p, "TargetedUsersToProtect")) == 0
} else := {m |
	missing := _required - {_address(u) | some u in mdo.values(p, "TargetedUsersToProtect")}
	count(missing) > 0
	m := sprintf("TargetedUsersToProtect lacks %s", [concat(", ", sort(missing))])
}

# _address is the address of a TargetedUsersToProtect entry, which reads "Display Name;address".
_address(entry) := lower(trim_space(parts[count(parts) - 1])) if {
	parts := split(entry, ";")
}

deny contains v if {
	some e in mdo.reachable(_kind)
	problems := _problems(e.policy)
	count(problems) > 0
	v := mdo.violation(e, sprintf("does not protect against impersonation as required: %s", [concat("; ", sort(problems))]))
}

deny contains v if {
	some v in mdo.gaps(_kind)
}

error contains msg if {
	licenses.has_defender_office
	some msg in mdo.unresolved(_kind)
}

error contains msg if {
	some msg in mdo.unlicensed_but_licensed(["exchange.atpProtectionPolicyRules"])
}

error contains sprintf("config protectedUsers must be a list of email addresses, got %s", [json.marshal(_param)]) if {
	not _string_list(_param)
}

_string_list(xs) if {
	is_array(xs)
	every x in xs {
		is_string(x)
	}
}
