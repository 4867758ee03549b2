# METADATA
# title: Mail from outside the organization is marked as external
# description: >-
#   Telling users that a message comes from outside the organization is a cheap defence against
#   phishing that impersonates a colleague or the CEO. Either the native tag is on
#   (Get-ExternalInOutlook Enabled true: Outlook shows an "External" tag and a banner, without
#   changing the message) or an enforced mail flow rule for mail from outside the organization
#   (FromScope NotInOrganization) prepends a subject marker (PrependSubject) or a disclaimer
#   (ApplyHtmlDisclaimerText). CISA SCuBA MS.EXO.7.1v1 asks that external sender warnings be
#   implemented, which either does (ScubaGear itself looks only for a subject-prepending rule);
#   CIS 6.2.3 asks for the native tag, so a rule without the native tag is a warning that breaks
#   CIS 6.2.3 only.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-externalinoutlook
#     description: "Microsoft Learn: Set-ExternalInOutlook"
#   - ref: https://techcommunity.microsoft.com/blog/exchange/native-external-sender-callouts-on-email-in-outlook/2250098
#     description: "Microsoft Tech Community: Native external sender callouts on email in Outlook"
#   - ref: https://learn.microsoft.com/en-us/exchange/security-and-compliance/mail-flow-rules/mail-flow-rules
#     description: "Microsoft Learn: Mail flow rules (transport rules) in Exchange Online"
# custom:
#   id: exchange.external_sender_tagging
#   severity: medium
#   level: shall
#   requires: [exchange.externalInOutlook, exchange.transportRules]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.EXO.7.1v1]
#     cis_m365: ["6.2.3"]
#   license: []
#   remediation: >-
#     In Exchange Online PowerShell run Set-ExternalInOutlook -Enabled $true (there is no admin
#     center switch; the tag appears in Outlook within a few days). Partner domains that should not
#     be tagged go in -AllowList @{Add="partner.example"}. Alternatively, in the Exchange admin
#     center go to Mail flow > Rules > Add a rule > Modify messages, apply it if "The sender is
#     located Outside the organization" and "Prepend the subject of the message with" [External],
#     in Enforce mode.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.external_sender_tagging

import data.posture.lib.exchange

_native := input.exchange.externalInOutlook

deny contains {"msg": msg, "entity": _entity} if {
	not _native_on
	count(tagging_rules) == 0
	msg := sprintf("Mail from outside the organization is not marked as external: the native external tag is %s (externalInOutlook.Enabled) and no enforced mail flow rule for senders outside the organization prepends a subject marker or a disclaimer", [_state])
}

warn contains {"msg": msg, "entity": _entity, "controls": ["6.2.3"]} if {
	not _native_on
	count(tagging_rules) > 0
	msg := sprintf("The native external tag is %s (externalInOutlook.Enabled): mail flow rule %s marks external mail, which CISA SCuBA accepts, but CIS 6.2.3 asks for the native tag", [_state, concat(", ", [sprintf("'%s'", [n]) | some n in sort(tagging_rules)])])
}

_native_on if exchange.bool(_native, "Enabled") == true

_state := "off" if {
	exchange.bool(_native, "Enabled") == false
} else := "not set"

_entity := {"type": "setting", "id": "externalInOutlook.Enabled", "name": "External sender tag"}

# tagging_rules are the enforced mail flow rules that mark mail from outside the organization.
tagging_rules := [exchange.name(r) |
	some r in exchange.objects("transportRules")
	exchange.enforced(r)
	lower(_string(exchange.prop(r, "FromScope"))) == "notinorganization"
	_marks(r)
]

_marks(r) if _nonempty(exchange.prop(r, "PrependSubject"))

_marks(r) if _nonempty(exchange.prop(r, "ApplyHtmlDisclaimerText"))

_nonempty(s) if {
	is_string(s)
	trim_space(s) != ""
}

_string(s) := s if is_string(s)

_string(s) := "" if not is_string(s)

error contains "exchange.externalInOutlook is not an object" if not is_object(_native)

error contains "exchange.transportRules is not an array" if not is_array(input.exchange.transportRules)
