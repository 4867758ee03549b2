package posture.rules.exchange.mailtips_enabled_test

import data.posture.rules.exchange.mailtips_enabled

_config(changes) := object.union(
	{
		"Identity": "contoso.onmicrosoft.com",
		"MailTipsAllTipsEnabled": true,
		"MailTipsExternalRecipientsTipsEnabled": true,
		"MailTipsGroupMetricsEnabled": true,
		"MailTipsLargeAudienceThreshold": 25,
		"MailTipsMailboxSourcedTipsEnabled": true,
	},
	changes,
)

test_passes_when_every_tip_is_on_and_the_threshold_is_25 if {
	mailtips_enabled.deny == set() with input.exchange.organizationConfig as _config({})
	mailtips_enabled.error == set() with input.exchange.organizationConfig as _config({})
}

test_fails_with_microsofts_default_external_tip_off if {
	mailtips_enabled.deny == {{
		"msg": "MailTips setting organizationConfig.MailTipsExternalRecipientsTipsEnabled is false: senders are not warned that a recipient is outside the organization",
		"entity": {"type": "setting", "id": "organizationConfig.MailTipsExternalRecipientsTipsEnabled", "name": "MailTipsExternalRecipientsTipsEnabled"},
	}} with input.exchange.organizationConfig as _config({"MailTipsExternalRecipientsTipsEnabled": false})
}

test_fails_once_per_setting_that_is_off if {
	c := _config({"MailTipsAllTipsEnabled": false, "MailTipsGroupMetricsEnabled": false, "MailTipsLargeAudienceThreshold": 100})
	{d.entity.name | some d in mailtips_enabled.deny} == {"MailTipsAllTipsEnabled", "MailTipsGroupMetricsEnabled", "MailTipsLargeAudienceThreshold"} with input.exchange.organizationConfig as c
}

test_fails_when_the_large_audience_threshold_is_above_the_maximum if {
	mailtips_enabled.deny == {{
		"msg": "MailTips warn of a large audience only from 50 recipients (organizationConfig.MailTipsLargeAudienceThreshold is 50; at most 25 is expected)",
		"entity": {"type": "setting", "id": "organizationConfig.MailTipsLargeAudienceThreshold", "name": "MailTipsLargeAudienceThreshold"},
	}} with input.exchange.organizationConfig as _config({"MailTipsLargeAudienceThreshold": 50})
}

test_the_maximum_is_a_parameter if {
	mailtips_enabled.deny == set() with input.exchange.organizationConfig as _config({"MailTipsLargeAudienceThreshold": 50})
		with data.posture.config as {"maxLargeAudienceThreshold": 50}
	count(mailtips_enabled.deny) == 1 with input.exchange.organizationConfig as _config({"MailTipsLargeAudienceThreshold": 25})
		with data.posture.config as {"maxLargeAudienceThreshold": 10}
}

test_reads_a_threshold_given_as_a_string if {
	count(mailtips_enabled.deny) == 1 with input.exchange.organizationConfig as _config({"MailTipsLargeAudienceThreshold": "30"})
}

test_errors_on_missing_settings if {
	mailtips_enabled.error == {
		"exchange.organizationConfig.MailTipsGroupMetricsEnabled is null, not true or false",
		"exchange.organizationConfig.MailTipsLargeAudienceThreshold is null, not a number",
	} with input.exchange.organizationConfig as object.remove(_config({}), ["MailTipsGroupMetricsEnabled", "MailTipsLargeAudienceThreshold"])
}

test_errors_on_a_bad_parameter if {
	mailtips_enabled.error == {`config maxLargeAudienceThreshold must be a non-negative number, got "25"`} with input.exchange.organizationConfig as _config({})
		with data.posture.config as {"maxLargeAudienceThreshold": "25"}
}
