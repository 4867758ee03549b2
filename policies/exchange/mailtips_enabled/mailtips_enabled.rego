# METADATA
# title: MailTips warn users before they send to outsiders and large audiences
# description: >-
#   MailTips tell a sender, while they write, that a recipient is outside the organization, that a
#   group is large, or that a mailbox is full or away: the moment to catch a misdirected message
#   with confidential content. Get-OrganizationConfig must have MailTipsAllTipsEnabled,
#   MailTipsExternalRecipientsTipsEnabled and MailTipsGroupMetricsEnabled true, and
#   MailTipsLargeAudienceThreshold at most 25 (parameter maxLargeAudienceThreshold). The external
#   recipients tip is off by default.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/mailtips/mailtips
#     description: "Microsoft Learn: MailTips in Exchange Online"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-organizationconfig
#     description: "Microsoft Learn: Set-OrganizationConfig (MailTips parameters)"
# custom:
#   id: exchange.mailtips_enabled
#   severity: low
#   level: should
#   requires: [exchange.organizationConfig]
#   secure_score: [exo_mailtipsenabled]
#   frameworks:
#     cis_m365: ["6.5.2"]
#   license: []
#   remediation: >-
#     MailTips are set in Exchange Online PowerShell only: Set-OrganizationConfig
#     -MailTipsAllTipsEnabled $true -MailTipsExternalRecipientsTipsEnabled $true
#     -MailTipsGroupMetricsEnabled $true -MailTipsLargeAudienceThreshold 25.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: maxLargeAudienceThreshold
#       type: integer
#       minimum: 0
#       description: >-
#         The highest MailTipsLargeAudienceThreshold accepted (recipients in a message before
#         Outlook warns of a large audience).
#       default: 25
package posture.rules.exchange.mailtips_enabled

import data.posture.lib.exchange
import data.posture.lib.params

_config := input.exchange.organizationConfig

# switches are the MailTips settings that must be on, with what each one warns about.
switches := {
	"MailTipsAllTipsEnabled": "no MailTips are shown at all",
	"MailTipsExternalRecipientsTipsEnabled": "senders are not warned that a recipient is outside the organization",
	"MailTipsGroupMetricsEnabled": "senders are not told how many people a group or distribution list reaches",
}

_max_param := params.value("maxLargeAudienceThreshold")

_max := _max_param if _valid_max

deny contains v if {
	some name, what in switches
	some v in exchange.switch_violations("organizationConfig", name, false, name, sprintf("MailTips setting organizationConfig.%s is false: %s", [name, what]))
}

deny contains {"msg": msg, "entity": exchange.setting_entity("organizationConfig", "MailTipsLargeAudienceThreshold", "MailTipsLargeAudienceThreshold")} if {
	n := _threshold
	n > _max
	msg := sprintf("MailTips warn of a large audience only from %v recipients (organizationConfig.MailTipsLargeAudienceThreshold is %v; at most %v is expected)", [n, n, _max])
}

_threshold := n if {
	v := exchange.prop(_config, "MailTipsLargeAudienceThreshold")
	is_number(v)
	n := v
} else := n if {
	v := exchange.prop(_config, "MailTipsLargeAudienceThreshold")
	is_string(v)
	n := to_number(trim_space(v))
}

error contains msg if some msg in exchange.setting_errors("organizationConfig", object.keys(switches))

error contains sprintf("exchange.organizationConfig.MailTipsLargeAudienceThreshold is %s, not a number", [json.marshal(exchange.prop(_config, "MailTipsLargeAudienceThreshold"))]) if {
	is_object(_config)
	not _has_threshold
}

_has_threshold if is_number(_threshold)

error contains sprintf("config maxLargeAudienceThreshold must be a non-negative number, got %s", [json.marshal(_max_param)]) if {
	not _valid_max
}

_valid_max if {
	is_number(_max_param)
	_max_param >= 0
}
