# METADATA
# title: Customer Lockbox is on
# description: >-
#   With Customer Lockbox on, a Microsoft engineer who needs access to the tenant's content (a
#   mailbox, a site) during a support case must be approved by someone in the organization
#   before the access is granted, and the approval is audited. It needs the Customer Lockbox
#   service plan (LOCKBOX_ENTERPRISE: Microsoft 365 E5, Office 365 E5, or the add-on);
#   Get-OrganizationConfig's CustomerLockBoxEnabled must be true. Tenants without the plan get
#   not_applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/purview/customer-lockbox-requests
#     description: "Microsoft Learn: Microsoft Purview Customer Lockbox"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-organizationconfig
#     description: "Microsoft Learn: Set-OrganizationConfig (CustomerLockBoxEnabled)"
# custom:
#   id: exchange.customer_lockbox
#   severity: low
#   level: should
#   requires: [exchange.organizationConfig, entra.subscribedSkus]
#   secure_score: [CustomerLockBoxEnabled]
#   frameworks:
#     cis_m365: ["1.3.6"]
#   license: [LOCKBOX_ENTERPRISE]
#   remediation: >-
#     In the Microsoft 365 admin center go to Settings > Org settings > Security & privacy >
#     Customer lockbox, tick "Require approval for all data access requests" and save. In
#     Exchange Online PowerShell: Set-OrganizationConfig -CustomerLockBoxEnabled $true. Assign
#     the Customer Lockbox Access Approver role to the people who will approve requests.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.customer_lockbox

import data.posture.lib.exchange
import data.posture.lib.licenses

not_applicable := sprintf("the tenant has no Customer Lockbox licence (service plan LOCKBOX_ENTERPRISE, in %s), so the setting cannot be turned on", [licenses.products("LOCKBOX_ENTERPRISE")]) if {
	not licenses.has(licenses.customer_lockbox)
}

deny contains v if some v in exchange.switch_violations("organizationConfig", "CustomerLockBoxEnabled", false, "Customer Lockbox", "Customer Lockbox is off (organizationConfig.CustomerLockBoxEnabled is false): Microsoft support engineers can be granted access to mailbox and file content without anyone in the organization approving it")

error contains msg if some msg in exchange.object_errors("organizationConfig")

# Without the licence the setting cannot be on, so an unreadable value is no error.
error contains msg if {
	licenses.has(licenses.customer_lockbox)
	some msg in exchange.switch_errors("organizationConfig", ["CustomerLockBoxEnabled"])
}
