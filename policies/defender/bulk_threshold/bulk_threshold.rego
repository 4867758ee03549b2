# METADATA
# title: The bulk complaint level threshold catches most bulk mail
# description: >-
#   Exchange Online Protection gives every message from a bulk sender a bulk complaint level (BCL)
#   from 0 to 9; an anti-spam policy treats mail at or above its BulkThreshold as bulk. The
#   default policy uses 7, which lets most marketing mail through; Microsoft's Standard preset
#   uses 6 and Strict 5. Every anti-spam policy in force - the Strict or Standard preset, a custom
#   policy, or the default policy for everyone else - must have a BulkThreshold no higher than
#   parameter maxBulkThreshold. Custom anti-spam policies are checked as if they applied to
#   someone, because their rules are not collected. The finding names each policy above it.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-bulk-complaint-level-bcl-about
#     description: "Microsoft Learn: Bulk complaint level (BCL) in EOP"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/anti-spam-policies-configure
#     description: "Microsoft Learn: Configure anti-spam policies in EOP"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/recommended-settings-for-eop-and-office365
#     description: "Microsoft Learn: Recommended settings for EOP and Microsoft Defender for Office 365 security"
# custom:
#   id: defender.bulk_threshold
#   severity: low
#   level: should
#   requires:
#     - exchange.hostedContentFilterPolicies
#     - exchange.eopProtectionPolicyRules
#     - exchange.acceptedDomains
#   secure_score: [mdo_bulkthreshold]
#   frameworks:
#   license: []
#   remediation: >-
#     The simplest fix is the Standard or Strict preset security policy for all recipients:
#     Microsoft Defender portal > Email & collaboration > Policies & rules > Threat policies >
#     Preset security policies > Standard protection > Manage protection settings > apply Exchange
#     Online Protection and Defender for Office 365 protection to All recipients. For the policy
#     the finding names: Threat policies > Anti-spam > the inbound policy > Edit spam threshold
#     and properties > Bulk email threshold: 6 (or 5). In Exchange Online PowerShell: Set-
#     HostedContentFilterPolicy -Identity "<policy>" -BulkThreshold 6.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: maxBulkThreshold
#       type: integer
#       minimum: 1
#       maximum: 9
#       description: The highest acceptable BulkThreshold, 1 to 9 (Standard preset 6, Strict 5).
#       default: 6
package posture.rules.defender.bulk_threshold

import data.posture.lib.mdo
import data.posture.lib.params

_kind := "content_filter"

# _param is the highest acceptable threshold.
_param := params.value("maxBulkThreshold")

_checks := [{"prop": "BulkThreshold", "at_most": _param}] if _valid_threshold(_param)

_valid_threshold(n) if {
	is_number(n)
	n in {1, 2, 3, 4, 5, 6, 7, 8, 9}
}

deny contains v if some v in mdo.violations(_kind, _checks, "lets bulk mail through")

error contains msg if some msg in mdo.errors(_kind)

error contains sprintf("config maxBulkThreshold must be a whole number from 1 to 9, got %s", [json.marshal(_param)]) if {
	not _valid_threshold(_param)
}
