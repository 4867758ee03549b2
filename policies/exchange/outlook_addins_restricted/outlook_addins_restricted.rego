# METADATA
# title: Users cannot install Outlook add-ins themselves
# description: >-
#   An Outlook add-in that a user installs from the store or a file can read (and with
#   ReadWriteMailbox, change and send) the mail it is opened on, and such add-ins are a known
#   route for consent phishing and data theft. Whether users may install them is decided by the
#   user roles in each role assignment policy (Get-RoleAssignmentPolicy, AssignedRoles): none may
#   include "My Custom Apps", "My Marketplace Apps" or "My ReadWriteMailbox Apps". Admins can still
#   deploy approved add-ins centrally (Integrated apps). The default policy grants all three.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/add-ins-for-outlook/specify-who-can-install-and-manage-add-ins
#     description: "Microsoft Learn: Specify the administrators and users who can install and manage add-ins for Outlook"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-roleassignmentpolicy
#     description: "Microsoft Learn: Set-RoleAssignmentPolicy"
# custom:
#   id: exchange.outlook_addins_restricted
#   severity: medium
#   level: should
#   requires: [exchange.roleAssignmentPolicies]
#   secure_score: [exo_outlookaddins]
#   frameworks:
#     cis_m365: ["6.3.1"]
#   license: []
#   remediation: >-
#     In the Exchange admin center go to Roles > User roles, open each policy (Default Role
#     Assignment Policy first), clear My Custom Apps, My Marketplace Apps and My ReadWriteMailbox
#     Apps under "Other roles" and save. In Exchange Online PowerShell: Get-ManagementRoleAssignment
#     -RoleAssignee "Default Role Assignment Policy" | Where-Object Role -in "My Custom
#     Apps","My Marketplace Apps","My ReadWriteMailbox Apps" | Remove-ManagementRoleAssignment.
#     Deploy the add-ins the organization needs from the Microsoft 365 admin center (Settings >
#     Integrated apps).
#   user_impact: moderate
#   implementation_cost: low
package posture.rules.exchange.outlook_addins_restricted

import data.posture.lib.exchange

# install_roles are the user roles that let a mailbox owner install Outlook add-ins.
install_roles := ["My Custom Apps", "My Marketplace Apps", "My ReadWriteMailbox Apps"]

deny contains {"msg": msg, "entity": exchange.entity("policy", p)} if {
	some p in exchange.objects("roleAssignmentPolicies")
	assigned := {lower(r) | some r in exchange.strings(p, "AssignedRoles")}
	granted := [r | some r in install_roles; lower(r) in assigned]
	count(granted) > 0
	msg := sprintf("Role assignment policy '%s' lets the users it is assigned to install Outlook add-ins themselves (it assigns %s)", [exchange.name(p), concat(", ", granted)])
}

error contains "exchange.roleAssignmentPolicies is not an array" if not is_array(input.exchange.roleAssignmentPolicies)
