# METADATA
# title: Safe Links protects links in email for every recipient
# description: >-
#   Safe Links rewrites links in incoming mail and checks them against Microsoft's list of
#   malicious sites when they are clicked, so a link that turns malicious after delivery is still
#   blocked. Every Safe Links policy a recipient can get - the Strict or Standard preset, a custom
#   policy through its enabled rule, or the Built-in protection preset for everyone else - must
#   turn it on for email (EnableSafeLinksForEmail), scan links in real time (ScanUrls), hold the
#   message until the scan finishes (DeliverMessageAfterScan), cover mail from inside the
#   organization (EnableForInternalSenders, which the Built-in protection preset leaves off),
#   record clicks (TrackClicks) and not let users click through to a blocked site
#   (AllowClickThrough false). The finding names each policy in force that falls short, and says
#   so when no policy covers every recipient. Each violation names the controls it breaks: CISA
#   SCuBA MS.SECURITYSUITE.7.1v1 (block-list checks, in internal mail too), 7.2v1 (real-time
#   scanning before delivery), 7.3v1 (click tracking); click-through is CIS 2.1.1 alone.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-links-about
#     description: "Microsoft Learn: Safe Links in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-links-policies-configure
#     description: "Microsoft Learn: Set up Safe Links policies in Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/preset-security-policies
#     description: "Microsoft Learn: Preset security policies in EOP and Microsoft Defender for Office 365"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/recommended-settings-for-eop-and-office365
#     description: "Microsoft Learn: Recommended settings for EOP and Microsoft Defender for Office 365 security"
# custom:
#   id: defender.safe_links_email
#   severity: high
#   level: shall
#   requires:
#     - exchange.safeLinksPolicies
#     - exchange.safeLinksRules
#     - exchange.atpProtectionPolicyRules
#     - exchange.acceptedDomains
#   accepts_unlicensed: [exchange.safeLinksPolicies, exchange.safeLinksRules, exchange.atpProtectionPolicyRules]
#   secure_score: [mdo_safelinksforemail]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.7.1v1, MS.SECURITYSUITE.7.2v1, MS.SECURITYSUITE.7.3v1]
#     cis_m365: ["2.1.1"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For a custom
#     policy the finding names: Threat policies > Safe Links > the policy > Edit protection
#     settings: turn on Safe Links for email, "Apply Safe Links to email messages sent within the
#     organization", "Apply real-time URL scanning" and "Wait for URL scanning to complete before
#     delivering the message", turn on "Track user clicks" and turn off "Let users click through
#     to the original URL". In Exchange Online PowerShell: Set-SafeLinksPolicy -Identity
#     "<policy>" -EnableSafeLinksForEmail $true -ScanUrls $true -DeliverMessageAfterScan $true
#     -EnableForInternalSenders $true -TrackClicks $true -AllowClickThrough $false. The Built-in
#     protection policy cannot be edited: cover its recipients with a preset or a custom policy
#     whose rule names every accepted domain (New-SafeLinksRule -SafeLinksPolicy "<policy>"
#     -RecipientDomainIs <all accepted domains>).
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.safe_links_email

import data.posture.lib.licenses
import data.posture.lib.mdo

_kind := "safe_links"

not_applicable := mdo.needs_defender("Safe Links") if not licenses.has_defender_office

# _checks are the settings every Safe Links policy in force must have (Microsoft's Standard and
# Strict values; CIS 2.1.1 asks for all of them). CISA SCuBA splits them: checking links against
# the block list, in mail from inside the organization too, is MS.SECURITYSUITE.7.1v1; real-time
# scanning before delivery 7.2v1; click tracking 7.3v1; Safe Links off for email breaks all three.
_checks := [
	{"prop": "EnableSafeLinksForEmail", "equals": true, "controls": ["MS.SECURITYSUITE.7.1v1", "MS.SECURITYSUITE.7.2v1", "MS.SECURITYSUITE.7.3v1", "2.1.1"]},
	{"prop": "EnableForInternalSenders", "equals": true, "controls": ["MS.SECURITYSUITE.7.1v1", "2.1.1"]},
	{"prop": "ScanUrls", "equals": true, "controls": ["MS.SECURITYSUITE.7.2v1", "2.1.1"]},
	{"prop": "DeliverMessageAfterScan", "equals": true, "controls": ["MS.SECURITYSUITE.7.2v1", "2.1.1"]},
	{"prop": "TrackClicks", "equals": true, "controls": ["MS.SECURITYSUITE.7.3v1", "2.1.1"]},
	{"prop": "AllowClickThrough", "equals": false, "controls": ["2.1.1"]},
]

deny contains v if some v in mdo.violations(_kind, _checks, "does not protect links in email as required")

error contains msg if some msg in mdo.defender_errors(_kind)
