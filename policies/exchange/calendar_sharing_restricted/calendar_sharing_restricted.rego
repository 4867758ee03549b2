# METADATA
# title: Calendars and contacts are not shared with every external domain
# description: >-
#   A sharing policy (Get-SharingPolicy) decides what users may share from their calendar and
#   contacts with people in other organizations. Its Domains entries read
#   "<domain>:<action>[, <action>]"; the domain "*" means every external domain and "Anonymous"
#   means anyone with a link (published calendars). No enabled sharing policy may share contacts
#   (ContactsSharing) or any calendar information (CalendarSharingFreeBusySimple, ...Detail,
#   ...Reviewer) with "*" or "Anonymous". Named partner domains remain allowed. Each violation
#   names the control it breaks: contacts shared with every domain break CISA SCuBA
#   MS.EXO.6.1v1, calendar information (free/busy included, as the baseline's steps and ScubaGear
#   read it; anonymous publishing counts as sharing with everyone) MS.EXO.6.2v1, and a violation
#   of the Default Sharing Policy also breaks CIS 1.3.3, which wants that policy disabled: an
#   enabled Default Sharing Policy that shares nothing with every domain is a warning for CIS 1.3.3
#   alone. Organizations that accept free/busy times only with every domain can set parameter
#   allowFreeBusyWithAllDomains: such an entry is then a warning, as SCuBA MS.EXO.6.2v1 still
#   forbids it.
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

# _controls are the SCuBA controls sharing each kind of folder breaks.
_controls := {"contacts": ["MS.EXO.6.1v1"], "calendar": ["MS.EXO.6.2v1"]}

# _shared is what each enabled sharing policy shares with every domain or anonymously, one entry
# per policy, Domains entry and kind of folder (contacts, calendar).
_shared contains s if {
	some p in exchange.objects("sharingPolicies")
	not _disabled(p)
	some entry in exchange.strings(p, "Domains")
	rule := _parse(entry)
	audience := _audiences[rule.domain]
	some kind, _ in _controls
	actions := [a | some a in rule.actions; _kind(a) == kind]
	count(actions) > 0
	s := {"policy": p, "entry": entry, "audience": audience, "kind": kind, "actions": actions}
}

deny contains _violation(s, "") if {
	some s in _shared
	not _accepted(s)
}

warn contains _violation(s, ": accepted by parameter allowFreeBusyWithAllDomains, but CISA SCuBA MS.EXO.6.2v1 forbids sharing any calendar information with all domains") if {
	some s in _shared
	_accepted(s)
}

warn contains {"msg": msg, "entity": exchange.entity("policy", p), "controls": ["1.3.3"]} if {
	some p in exchange.objects("sharingPolicies")
	_is_default(p)
	not _disabled(p)
	not _shares_widely(p)
	msg := sprintf("The Default Sharing Policy '%s' is enabled: it shares nothing with every domain, but CIS 1.3.3 wants it disabled so that users cannot share calendars outside the organization", [exchange.name(p)])
}

_violation(s, note) := {
	"msg": sprintf("Sharing policy '%s' lets users share %s with %s (%s)%s", [exchange.name(s.policy), _what(s.actions), s.audience, s.entry, note]),
	"entity": exchange.entity("policy", s.policy),
	"controls": array.concat(_controls[s.kind], _cis(s.policy)),
}

# _cis is CIS 1.3.3 for the Default Sharing Policy, which that control wants disabled.
_cis(p) := ["1.3.3"] if _is_default(p)

else := []

_is_default(p) if exchange.bool(p, "Default") == true

_is_default(p) if lower(exchange.name(p)) == "default sharing policy"

_shares_widely(p) if {
	some s in _shared
	s.policy == p
}

# _accepted is true for calendar free/busy times alone, when parameter allowFreeBusyWithAllDomains accepts them.
_accepted(s) if {
	_free_busy_ok
	s.kind == "calendar"
	every a in s.actions {
		lower(a) == "calendarsharingfreebusysimple"
	}
}

# A policy whose Enabled is unknown counts as enabled.
_disabled(p) if exchange.bool(p, "Enabled") == false

# _parse splits "domain:Action1, Action2" into the lowercased domain and its actions.
_parse(entry) := {"domain": lower(trim_space(parts[0])), "actions": actions} if {
	parts := split(entry, ":")
	count(parts) >= 2
	actions := [trim_space(a) | some a in split(concat(":", array.slice(parts, 1, count(parts))), ","); trim_space(a) != ""]
}

_kind(action) := "contacts" if lower(action) == "contactssharing"

_kind(action) := "calendar" if startswith(lower(action), "calendarsharing")

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
