# METADATA
# title: Outlook on the web does not offer third-party storage providers
# description: >-
#   Outlook on the web can let users attach and save files to storage services other than the
#   organization's OneDrive (Dropbox, Box, Google Drive and others), where the organization's
#   retention, DLP and eDiscovery do not reach and from where data leaves unnoticed. Every
#   Outlook on the web mailbox policy (Get-OwaMailboxPolicy) must have
#   AdditionalStorageProvidersAvailable false; the built-in OwaMailboxPolicy-Default has it true.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-owamailboxpolicy
#     description: "Microsoft Learn: Set-OwaMailboxPolicy (AdditionalStorageProvidersAvailable)"
#   - ref: https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/outlook-on-the-web/outlook-on-the-web-mailbox-policies
#     description: "Microsoft Learn: Outlook on the web mailbox policies in Exchange Online"
# custom:
#   id: exchange.owa_storage_restricted
#   severity: medium
#   level: should
#   requires: [exchange.owaMailboxPolicies]
#   secure_score: [exo_storageproviderrestricted]
#   frameworks:
#     cis_m365: ["6.5.3"]
#   license: []
#   remediation: >-
#     The Exchange admin center does not show this setting; in Exchange Online PowerShell run
#     Set-OwaMailboxPolicy -Identity OwaMailboxPolicy-Default -AdditionalStorageProvidersAvailable
#     $false, and the same for every other policy Get-OwaMailboxPolicy lists.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.owa_storage_restricted

import data.posture.lib.exchange

_policies := exchange.objects("owaMailboxPolicies")

deny contains {"msg": msg, "entity": exchange.entity("policy", p)} if {
	some p in _policies
	exchange.bool(p, "AdditionalStorageProvidersAvailable") == true
	msg := sprintf("Outlook on the web mailbox policy '%s' lets users attach and save files to third-party storage (AdditionalStorageProvidersAvailable is true), outside the organization's retention and data loss prevention", [exchange.name(p)])
}

error contains "exchange.owaMailboxPolicies is not an array" if not is_array(input.exchange.owaMailboxPolicies)

error contains sprintf("Outlook on the web mailbox policy '%s': AdditionalStorageProvidersAvailable is %s, not true or false", [exchange.name(p), json.marshal(exchange.prop(p, "AdditionalStorageProvidersAvailable"))]) if {
	some p in _policies
	not exchange.has_bool(p, "AdditionalStorageProvidersAvailable")
}
