# METADATA
# title: Safe Documents checks files opened from Protected View
# description: >-
#   Office opens files from the internet and from attachments in Protected View, and users click
#   "Enable editing" to get out of it. Safe Documents sends such a file to Microsoft Defender for
#   Endpoint's cloud before it leaves Protected View (Get-AtpPolicyForO365 EnableSafeDocs), and
#   with AllowSafeDocsOpen false a user cannot leave Protected View when the file is found
#   malicious. Safe Documents is its own service plan, SAFEDOCS, which Microsoft puts in
#   Microsoft 365 E5, A5 and E5 Security and not in Defender for Office 365 Plan 1 or Plan 2
#   (Microsoft Learn, "Safe Documents in Microsoft 365 A5 or E5 Security"; the service plan
#   reference): a tenant without SAFEDOCS cannot turn the feature on and gets not_applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/safe-documents-in-e5-plus-security-about
#     description: "Microsoft Learn: Safe Documents in Microsoft 365 A5 or E5 Security"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchangepowershell/set-atppolicyforo365
#     description: "Microsoft Learn: Set-AtpPolicyForO365"
# custom:
#   id: defender.safe_documents
#   severity: medium
#   level: should
#   requires: [exchange.atpPolicyForO365]
#   accepts_unlicensed: [exchange.atpPolicyForO365]
#   secure_score: [mdo_safedocuments]
#   frameworks: {}
#   license: [SAFEDOCS]
#   remediation: >-
#     In the Microsoft 365 Defender portal go to Email & collaboration > Policies & rules > Threat
#     policies > Safe Attachments > Global settings, turn on "Turn on Safe Documents for Office
#     clients" and turn off "Allow people to click through Protected View even if Safe Documents
#     identified the file as malicious". In Exchange Online PowerShell: Set-AtpPolicyForO365
#     -EnableSafeDocs $true -AllowSafeDocsOpen $false. Users need Microsoft 365 Apps for enterprise
#     (version 2004 or later) for it to work.
#   user_impact: low
#   implementation_cost: low
package posture.rules.defender.safe_documents

import data.posture.lib.licenses
import data.posture.lib.mdo

_policy := object.get(input, ["exchange", "atpPolicyForO365"], null)

_expected := {"EnableSafeDocs": true, "AllowSafeDocsOpen": false}

not_applicable := sprintf("Safe Documents needs the service plan SAFEDOCS (in %s; not in Defender for Office 365 Plan 1 or Plan 2), which the tenant does not have", [licenses.products("SAFEDOCS")]) if {
	not licenses.has(licenses.safe_documents)
}

deny contains {"msg": msg, "entity": _entity} if {
	is_object(_policy)
	problems := {m | some prop, want in _expected; m := mdo.mismatch(_policy, prop, want)}
	count(problems) > 0
	msg := sprintf("Safe Documents does not protect files opened from Protected View: %s", [concat("; ", sort(problems))])
}

_entity := {"type": "setting", "id": object.get(_policy, "Identity", "Default"), "name": "ATP policy for Office 365 (Safe Attachments global settings)"}

error contains "exchange.atpPolicyForO365 is not an object" if {
	licenses.has(licenses.safe_documents)
	not is_object(_policy)
}

error contains msg if {
	licenses.has(licenses.safe_documents)
	some msg in mdo.unlicensed_but_licensed(["exchange.atpPolicyForO365"])
}
