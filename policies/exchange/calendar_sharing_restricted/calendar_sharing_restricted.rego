# METADATA
# title: Calendars and contacts are not shared with every external domain
# description: >-
#   A sharing policy (Get-SharingPolicy) decides what users may share from their calendar and
#   contacts with people in other organizations. Its Domains entries read
#   "<domain>:<action>[, <action>]"; the domain "*" means every external domain and "Anonymous"
#   means anyone with a link (published calendars). No enabled sharing policy may share contacts
#   (ContactsSharing) or any calendar information (CalendarSharingFreeBusySimple, ...Detail,
#   ...Reviewer) with "*" or "Anonymous". CISA SCuBA forbids sharing contacts and calendar details
#   with all domains (ScubaGear also fails free/busy with "*"), CIS and Secure Score want external
#   calendar sharing off: the built-in Default Sharing Policy, which shares free/busy with "*",
#   fails. Named partner domains remain allowed. Organizations that accept free/busy times only
#   with every domain can set parameter allowFreeBusyWithAllDomains.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/exchange/sharing/sharing-policies/sharing-policies
#     description: "Microsoft Learn: Sharing policies in Exchange Online"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-sharingpolicy
#     description: "Microsoft Learn: Set-SharingPolicy"
#   - ref: https://learn.microsoft.com/en-us/microsoft-365/admin/manage/share-calendars-with-external-users
#     description: "Microsoft Learn: Share calendars with external users"
# custom:
#   id: exchange.calendar_sharing_restricted
#   severity: medium
#   level: shall
#   requires: [exchange.sharingPolicies]
#   secure_score: [exo_individualsharing]
#   frameworks:
#     cisa_scuba: [MS.EXO.6.1v1, MS.EXO.6.2v1]
#     cis_m365: ["1.3.3"]
#   license: []
#   remediation: >-
#     In the Microsoft 365 admin center go to Settings > Org settings > Services > Calendar and
#     clear "Let your users share their calendars with people outside of your organization who
#     have Office 365 or Exchange" (this disables the Default Sharing Policy). For other policies,
#     in the Exchange admin center go to Organization > Sharing > Individual sharing and remove
#     the "Sharing with all domains" and anonymous rules, or disable the policy. In Exchange
#     Online PowerShell: Set-SharingPolicy -Identity "Default Sharing Policy" -Enabled $false, or
#     Set-SharingPolicy -Identity <policy> -Domains "partner.example:CalendarSharingFreeBusySimple"
#     to share with named partners only.
#   user_impact: moderate
#   implementation_cost: low
#   parameters:
#     - name: allowFreeBusyWithAllDomains
#       type: boolean
#       description: >-
#         Accept "*:CalendarSharingFreeBusySimple" (free/busy times only, no subjects or
#         locations) in an enabled sharing policy.
#       default: false
package posture.rules.exchange.calendar_sharing_restricted

import data.posture.lib.exchange
import data.posture.lib.params

_free_busy_ok := params.value("allowFreeBusyWithAllDomains") == true

_audiences := {"*": "every external domain", "anonymous": "anyone with the link (anonymous)"}

deny contains {"msg": msg, "entity": exchange.entity("policy", p)} if {
	some p in exchange.objects("sharingPolicies")
	not _disabled(p)
	some entry in exchange.strings(p, "Domains")
	rule := _parse(entry)
	audience := _audiences[rule.domain]
	shared := [a | some a in rule.actions; _restricted(a)]
	count(shared) > 0
	msg := sprintf("Sharing policy '%s' lets users share %s with %s (%s)", [exchange.name(p), _what(shared), audience, entry])
}

# A policy whose Enabled is unknown counts as enabled.
_disabled(p) if exchange.bool(p, "Enabled") == false

# _parse splits "domain:Action1, Action2" into the lowercased domain and its actions.
_parse(entry) := {"domain": lower(trim_space(parts[0])), "actions": actions} if {
	parts := split(entry, ":")
	count(parts) >= 2
	actions := [trim_space(a) | some a in split(concat(":", array.slice(parts, 1, count(parts))), ","); trim_space(a) != ""]
}

_restricted(action) if lower(action) == "contactssharing"

_restricted(action) if {
	startswith(lower(action), "calendarsharing")
	not _accepted_free_busy(action)
}

_accepted_free_busy(action) if {
	_free_busy_ok
	lower(action) == "calendarsharingfreebusysimple"
}

_what(actions) := concat(" and ", sort({_label(a) | some a in actions}))

_label(a) := "contacts" if lower(a) == "contactssharing"

_label(a) := "calendar free/busy times" if lower(a) == "calendarsharingfreebusysimple"

_label(a) := "calendar free/busy times with subjects and locations" if lower(a) == "calendarsharingfreebusydetail"

_label(a) := "calendar items in full (reviewer)" if lower(a) == "calendarsharingfreebusyreviewer"

_label(a) := a if {
	not lower(a) in {"contactssharing", "calendarsharingfreebusysimple", "calendarsharingfreebusydetail", "calendarsharingfreebusyreviewer"}
}

error contains "exchange.sharingPolicies is not an array" if not is_array(input.exchange.sharingPolicies)

error contains sprintf("config allowFreeBusyWithAllDomains must be true or false, got %s", [json.marshal(v)]) if {
	v := params.value("allowFreeBusyWithAllDomains")
	not is_boolean(v)
}
