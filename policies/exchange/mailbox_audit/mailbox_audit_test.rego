package posture.rules.exchange.mailbox_audit_test

import data.posture.rules.exchange.mailbox_audit

_config(audit_disabled) := {
	"Identity": "contoso.onmicrosoft.com",
	"Name": "contoso.onmicrosoft.com",
	"AuditDisabled": audit_disabled,
}

test_passes_when_auditing_is_not_disabled if {
	mailbox_audit.deny == set() with input.exchange.organizationConfig as _config(false)
	mailbox_audit.error == set() with input.exchange.organizationConfig as _config(false)
}

test_fails_when_auditing_is_disabled_for_the_organization if {
	mailbox_audit.deny == {{
		"msg": "Mailbox auditing is turned off for the whole organization (organizationConfig.AuditDisabled is true): no mailbox records who reads, moves or deletes its mail, whatever its own audit settings say",
		"entity": {"type": "setting", "id": "organizationConfig.AuditDisabled", "name": "Mailbox auditing (organization)"},
	}} with input.exchange.organizationConfig as _config(true)
}

test_reads_string_booleans_and_any_casing if {
	count(mailbox_audit.deny) == 1 with input.exchange.organizationConfig as _config("True")
	count(mailbox_audit.deny) == 1 with input.exchange.organizationConfig as {"auditdisabled": true}
	mailbox_audit.deny == set() with input.exchange.organizationConfig as _config("False")
}

test_errors_when_the_setting_is_missing_or_null if {
	mailbox_audit.error == {"exchange.organizationConfig.AuditDisabled is null, not true or false"} with input.exchange.organizationConfig as _config(null)
	mailbox_audit.error == {"exchange.organizationConfig.AuditDisabled is null, not true or false"} with input.exchange.organizationConfig as {"Identity": "x"}
	mailbox_audit.deny == set() with input.exchange.organizationConfig as {"Identity": "x"}
}

test_errors_when_the_setting_is_not_a_boolean if {
	mailbox_audit.error == {"exchange.organizationConfig.AuditDisabled is 1, not true or false"} with input.exchange.organizationConfig as _config(1)
}

test_errors_when_the_config_is_not_an_object if {
	mailbox_audit.error == {"exchange.organizationConfig is not an object"} with input.exchange.organizationConfig as [_config(false)]
}
