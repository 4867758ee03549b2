package posture.rules.exchange.unified_audit_log_test

import data.posture.rules.exchange.unified_audit_log

_config(enabled) := {
	"Identity": "Admin Audit Log Settings",
	"Name": "Admin Audit Log Settings",
	"AdminAuditLogEnabled": true,
	"UnifiedAuditLogIngestionEnabled": enabled,
}

test_passes_when_ingestion_is_enabled if {
	unified_audit_log.deny == set() with input.exchange.adminAuditLogConfig as _config(true)
	unified_audit_log.error == set() with input.exchange.adminAuditLogConfig as _config(true)
}

test_fails_when_ingestion_is_disabled if {
	unified_audit_log.deny == {{
		"msg": "The unified audit log is not recording (adminAuditLogConfig.UnifiedAuditLogIngestionEnabled is false): user and admin activity across Microsoft 365 leaves no searchable trail for investigations",
		"entity": {"type": "setting", "id": "adminAuditLogConfig.UnifiedAuditLogIngestionEnabled", "name": "Unified audit log"},
	}} with input.exchange.adminAuditLogConfig as _config(false)
}

test_admin_audit_log_alone_does_not_pass if {
	c := object.union(_config(false), {"AdminAuditLogEnabled": true})
	count(unified_audit_log.deny) == 1 with input.exchange.adminAuditLogConfig as c
}

test_errors_when_the_setting_is_missing_or_odd if {
	unified_audit_log.error == {"exchange.adminAuditLogConfig.UnifiedAuditLogIngestionEnabled is null, not true or false"} with input.exchange.adminAuditLogConfig as {"Identity": "Admin Audit Log Settings"}
	unified_audit_log.error == {`exchange.adminAuditLogConfig.UnifiedAuditLogIngestionEnabled is "yes", not true or false`} with input.exchange.adminAuditLogConfig as _config("yes")
	unified_audit_log.deny == set() with input.exchange.adminAuditLogConfig as _config("yes")
}

test_errors_when_the_config_is_not_an_object if {
	unified_audit_log.error == {"exchange.adminAuditLogConfig is not an object"} with input.exchange.adminAuditLogConfig as "on"
}
