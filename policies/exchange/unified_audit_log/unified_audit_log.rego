# METADATA
# title: The unified audit log records user and admin activity
# description: >-
#   The unified audit log (Microsoft Purview Audit) is the tenant-wide record of sign-in
#   related, mailbox, SharePoint, Teams and admin activity that incident responders and
#   Defender's alerts rely on. It is on by default in new tenants, but an admin (or an attacker
#   covering their tracks) can turn ingestion off: Get-AdminAuditLogConfig's
#   UnifiedAuditLogIngestionEnabled must be true. Turning it back on takes up to 60 minutes and
#   does not recover what was not recorded.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/purview/audit-log-enable-disable
#     description: "Microsoft Learn: Turn auditing on or off"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-adminauditlogconfig
#     description: "Microsoft Learn: Set-AdminAuditLogConfig (UnifiedAuditLogIngestionEnabled)"
# custom:
#   id: exchange.unified_audit_log
#   severity: high
#   level: shall
#   requires: [exchange.adminAuditLogConfig]
#   secure_score: [mip_search_auditlog]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.5.1v1]
#     cis_m365: ["3.1.1"]
#   license: []
#   remediation: >-
#     In the Microsoft Purview portal go to Solutions > Audit and select "Start recording user and
#     admin activity" (shown only while recording is off). In Exchange Online PowerShell:
#     Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.unified_audit_log

import data.posture.lib.exchange

deny contains v if some v in exchange.switch_violations("adminAuditLogConfig", "UnifiedAuditLogIngestionEnabled", false, "Unified audit log", "The unified audit log is not recording (adminAuditLogConfig.UnifiedAuditLogIngestionEnabled is false): user and admin activity across Microsoft 365 leaves no searchable trail for investigations")

error contains msg if some msg in exchange.setting_errors("adminAuditLogConfig", ["UnifiedAuditLogIngestionEnabled"])
