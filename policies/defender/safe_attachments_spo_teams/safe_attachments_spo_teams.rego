# METADATA
# title: Safe Attachments scans files in SharePoint, OneDrive and Teams
# description: >-
#   Files uploaded to SharePoint, OneDrive and Teams reach every member of a site or team without
#   passing through mail filtering. With Safe Attachments for SharePoint, OneDrive and Microsoft
#   Teams on (Get-AtpPolicyForO365 EnableATPForSPOTeamsODB), Defender for Office 365 scans them
#   and locks the files it finds malicious so they cannot be opened or downloaded. It is a
#   tenant-wide setting that the preset security policies do not turn on.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-attachments-for-spo-odfb-teams-about
#     description: "Microsoft Learn: Safe Attachments for SharePoint, OneDrive, and Microsoft Teams"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-attachments-for-spo-odfb-teams-configure
#     description: "Microsoft Learn: Turn on Safe Attachments for SharePoint, OneDrive, and Microsoft Teams"
# custom:
#   id: defender.safe_attachments_spo_teams
#   severity: medium
#   level: shall
#   requires: [exchange.atpPolicyForO365]
#   accepts_unlicensed: [exchange.atpPolicyForO365]
#   secure_score: [mdo_atpprotection]
#   frameworks:
#     cisa_scuba: [MS.SECURITYSUITE.1.4v1]
#     cis_m365: ["2.1.5"]
#   license: [ATP_ENTERPRISE]
#   remediation: >-
#     In the Microsoft Defender portal go to Email & collaboration > Policies & rules > Threat
#     policies > Safe Attachments > Global settings and turn on "Turn on Defender for Office 365
#     for SharePoint, OneDrive, and Microsoft Teams". In Exchange Online PowerShell:
#     Set-AtpPolicyForO365 -EnableATPForSPOTeamsODB $true. Consider also stopping downloads of
#     detected files with the SharePoint Online PowerShell command Set-SPOTenant
#     -DisallowInfectedFileDownload $true.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.safe_attachments_spo_teams

import data.posture.lib.licenses
import data.posture.lib.mdo

_policy := object.get(input, ["exchange", "atpPolicyForO365"], null)

not_applicable := mdo.needs_defender("Safe Attachments for SharePoint, OneDrive and Microsoft Teams") if {
	not licenses.has_defender_office
}

deny contains {"msg": msg, "entity": _entity} if {
	is_object(_policy)
	problem := mdo.mismatch(_policy, "EnableATPForSPOTeamsODB", true)
	msg := sprintf("Safe Attachments does not scan files in SharePoint, OneDrive and Microsoft Teams: %s", [problem])
}

_entity := {"type": "setting", "id": object.get(_policy, "Identity", "Default"), "name": "ATP policy for Office 365 (Safe Attachments global settings)"}

error contains "exchange.atpPolicyForO365 is not an object" if {
	licenses.has_defender_office
	not is_object(_policy)
}

error contains msg if {
	some msg in mdo.unlicensed_but_licensed(["exchange.atpPolicyForO365"])
}
