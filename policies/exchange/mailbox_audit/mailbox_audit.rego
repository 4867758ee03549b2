# METADATA
# title: Mailbox auditing is on for the organization
# description: >-
#   Mailbox audit records (who read, moved, deleted or sent as whom from a mailbox, including
#   delegates and admins) are what an investigator needs after a mailbox compromise: without
#   them, a business email compromise cannot be scoped. Exchange Online audits mailboxes by
#   default, but one organization-wide switch turns it off for every mailbox, whatever each
#   mailbox's own AuditEnabled says: Get-OrganizationConfig's AuditDisabled must be false.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/purview/audit-mailboxes
#     description: "Microsoft Learn: Manage mailbox auditing"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-organizationconfig
#     description: "Microsoft Learn: Set-OrganizationConfig (AuditDisabled)"
# custom:
#   id: exchange.mailbox_audit
#   severity: high
#   level: shall
#   requires: [exchange.organizationConfig]
#   secure_score: [exo_mailboxaudit]
#   frameworks:
#     cisa_scuba: [MS.EXO.13.1v1]
#     cis_m365: ["6.1.1"]
#   license: []
#   remediation: >-
#     Mailbox auditing on by default has no switch in the admin centers; in Exchange Online
#     PowerShell run Set-OrganizationConfig -AuditDisabled $false. Then check that no mailbox
#     was excluded on its own: Get-Mailbox -ResultSize Unlimited | Where-Object AuditEnabled -eq
#     $false, and Get-MailboxAuditBypassAssociation | Where-Object AuditBypassEnabled.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.mailbox_audit

import data.posture.lib.exchange

deny contains v if some v in exchange.switch_violations("organizationConfig", "AuditDisabled", true, "Mailbox auditing (organization)", "Mailbox auditing is turned off for the whole organization (organizationConfig.AuditDisabled is true): no mailbox records who reads, moves or deletes its mail, whatever its own audit settings say")

error contains msg if some msg in exchange.setting_errors("organizationConfig", ["AuditDisabled"])
