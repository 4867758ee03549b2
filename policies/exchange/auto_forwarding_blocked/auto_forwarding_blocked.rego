# METADATA
# title: Mail is not automatically forwarded outside the organization
# description: >-
#   An attacker who takes over a mailbox often adds an inbox rule or mailbox forwarding that
#   sends every message to an outside address, and keeps reading the mail after the password is
#   reset. Three controls decide whether that works, and each must block it. Remote domains
#   (Get-RemoteDomain): the Default one ("*") and every other must have AutoForwardEnabled false,
#   except partner domains listed in parameter allowedForwardingDomains. Outbound spam filter
#   policies (Get-HostedOutboundSpamFilterPolicy): AutoForwardingMode must be "Off".
#   "Automatic", the default, lets Microsoft decide; it blocks today, but Secure Score and CIS ask
#   for an explicit "Off", so it fails unless parameter acceptAutomaticForwardingMode is true.
#   Mail flow rules (Get-TransportRule): no enforced rule may redirect, copy, blind-copy or add
#   recipients outside the accepted domains (RedirectMessageTo, CopyTo, BlindCopyTo,
#   AddToRecipients); those rules forward regardless of the other two controls. Recipients that a
#   rule names without an @ are directory recipients and are taken as internal. Each violation
#   names the control it breaks: remote domains are what CISA SCuBA MS.EXO.1.1v2 covers (it allows
#   agency-approved domains, as allowedForwardingDomains does); outbound spam filter policies and
#   mail flow rules are what CIS 6.2.1 covers, and "Automatic" accepted by
#   acceptAutomaticForwardingMode is a warning for CIS 6.2.1, which asks for "Off".
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/outbound-spam-policies-external-email-forwarding
#     description: "Microsoft Learn: Control automatic external email forwarding in Microsoft 365"
#   - ref: https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/remote-domains/remote-domains
#     description: "Microsoft Learn: Remote domains in Exchange Online"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-hostedoutboundspamfilterpolicy
#     description: "Microsoft Learn: Set-HostedOutboundSpamFilterPolicy (AutoForwardingMode)"
# custom:
#   id: exchange.auto_forwarding_blocked
#   severity: high
#   level: shall
#   requires: [exchange.remoteDomains, exchange.hostedOutboundSpamFilterPolicies, exchange.transportRules, exchange.acceptedDomains]
#   secure_score: [mdo_blockmailforward, mdo_autoforwardingmode]
#   frameworks:
#     cisa_scuba: [MS.EXO.1.1v2]
#     cis_m365: ["6.2.1"]
#   license: []
#   remediation: >-
#     Remote domains: in the Exchange admin center go to Mail flow > Remote domains, open Default
#     and each other domain, clear "Allow automatic forwarding" under Email reply types and save
#     (PowerShell: Set-RemoteDomain -Identity Default -AutoForwardEnabled $false). Outbound spam
#     policy: in the Microsoft Defender portal go to Email & collaboration > Policies & rules >
#     Threat policies > Anti-spam, open "Anti-spam outbound policy (Default)" and every custom
#     outbound policy, set "Automatic forwarding rules" to "Off - Forwarding is disabled"
#     (PowerShell: Set-HostedOutboundSpamFilterPolicy -Identity Default -AutoForwardingMode Off);
#     allow forwarding for the few mailboxes that need it with a custom outbound policy scoped to
#     them. Mail flow rules: in the Exchange admin center go to Mail flow > Rules and remove the
#     external recipients from the rule's redirect, copy or Bcc action, or disable it
#     (Disable-TransportRule -Identity "<rule>").
#   user_impact: moderate
#   implementation_cost: low
#   parameters:
#     - name: allowedForwardingDomains
#       type: array
#       items: string
#       description: >-
#         External domains mail may be forwarded to (a partner or a domain of the same
#         organization that is not an accepted domain): remote domains for them may allow
#         automatic forwarding and mail flow rules may send to them. "*" is not accepted.
#       default: []
#     - name: acceptAutomaticForwardingMode
#       type: boolean
#       description: >-
#         Accept AutoForwardingMode "Automatic" (Microsoft's system-controlled setting, which
#         currently blocks external forwarding) in outbound spam filter policies.
#       default: false
package posture.rules.exchange.auto_forwarding_blocked

import data.posture.lib.exchange
import data.posture.lib.params

_allowed_param := params.value("allowedForwardingDomains")

_allowed := {lower(trim_space(d)) | some d in _allowed_param; is_string(d); trim_space(d) != "*"}

_accept_automatic := params.value("acceptAutomaticForwardingMode") == true

# --- remote domains -----------------------------------------------------------------------

deny contains {"msg": msg, "entity": exchange.entity("remoteDomain", d), "controls": ["MS.EXO.1.1v2"]} if {
	some d in exchange.objects("remoteDomains")
	exchange.bool(d, "AutoForwardEnabled") == true
	domain := lower(trim_space(_string(exchange.prop(d, "DomainName"))))
	not domain in _allowed
	msg := _remote_message(exchange.name(d), domain)
}

_remote_message(name, "*") := sprintf("Remote domain '%s' (*) allows automatic forwarding to every external domain (AutoForwardEnabled is true): inbox rules and mailbox forwarding can send mail to any outside address", [name])

_remote_message(name, domain) := sprintf("Remote domain '%s' (%s) allows automatic forwarding to %s (AutoForwardEnabled is true) and %s is not in parameter allowedForwardingDomains", [name, domain, domain, domain]) if {
	domain != "*"
}

# --- outbound spam filter policies --------------------------------------------------------

deny contains {"msg": msg, "entity": exchange.entity("policy", p), "controls": ["6.2.1"]} if {
	some p in exchange.objects("hostedOutboundSpamFilterPolicies")
	mode := exchange.prop(p, "AutoForwardingMode")
	is_string(mode)
	not _blocks(mode)
	msg := _mode_message(exchange.name(p), mode)
}

warn contains {"msg": msg, "entity": exchange.entity("policy", p), "controls": ["6.2.1"]} if {
	_accept_automatic
	some p in exchange.objects("hostedOutboundSpamFilterPolicies")
	mode := exchange.prop(p, "AutoForwardingMode")
	is_string(mode)
	lower(mode) == "automatic"
	msg := sprintf("Outbound spam filter policy '%s' leaves external forwarding to Microsoft (AutoForwardingMode is %s): accepted by parameter acceptAutomaticForwardingMode, but CIS 6.2.1 asks for Off", [exchange.name(p), mode])
}

_blocks(mode) if lower(mode) == "off"

_blocks(mode) if {
	lower(mode) == "automatic"
	_accept_automatic
}

_mode_message(name, mode) := sprintf("Outbound spam filter policy '%s' allows automatic forwarding to external recipients (AutoForwardingMode is %s)", [name, mode]) if {
	lower(mode) == "on"
} else := sprintf("Outbound spam filter policy '%s' leaves external forwarding to Microsoft (AutoForwardingMode is %s, not Off): it blocks forwarding today, but only an explicit Off keeps it blocked", [name, mode]) if {
	lower(mode) == "automatic"
} else := sprintf("Outbound spam filter policy '%s' has AutoForwardingMode %s, which is not Off", [name, mode])

# --- mail flow rules ----------------------------------------------------------------------

# forward_actions are the transport rule actions that send a copy of the message elsewhere.
forward_actions := ["RedirectMessageTo", "BlindCopyTo", "CopyTo", "AddToRecipients"]

deny contains {"msg": msg, "entity": exchange.entity("transportRule", r), "controls": ["6.2.1"]} if {
	some r in exchange.objects("transportRules")
	exchange.enforced(r)
	sends := [sprintf("%s %s", [a, concat(", ", ext)]) |
		some a in forward_actions
		ext := [x | some x in exchange.strings(r, a); _external(x)]
		count(ext) > 0
	]
	count(sends) > 0
	msg := sprintf("Mail flow rule '%s' sends mail to recipients outside the organization (%s), whatever the forwarding settings", [exchange.name(r), concat("; ", sends)])
}

_external(address) if {
	exchange.is_external_address(address)
	not _allowed_address(address)
}

_allowed_address(address) if {
	domain := lower(trim_space(split(address, "@")[1]))
	some a in _allowed
	_in_domain(domain, a)
}

_in_domain(domain, a) if domain == a

_in_domain(domain, a) if endswith(domain, concat("", [".", a]))

_string(s) := s if is_string(s)

_string(s) := "" if not is_string(s)

# --- unknown data -------------------------------------------------------------------------

error contains sprintf("exchange.%s is not an array", [k]) if {
	some k in ["remoteDomains", "hostedOutboundSpamFilterPolicies", "transportRules", "acceptedDomains"]
	not is_array(input.exchange[k])
}

error contains sprintf("remote domain '%s': AutoForwardEnabled is %s, not true or false", [exchange.name(d), json.marshal(exchange.prop(d, "AutoForwardEnabled"))]) if {
	some d in exchange.objects("remoteDomains")
	not exchange.has_bool(d, "AutoForwardEnabled")
}

error contains sprintf("outbound spam filter policy '%s': AutoForwardingMode is %s, not a string", [exchange.name(p), json.marshal(exchange.prop(p, "AutoForwardingMode"))]) if {
	some p in exchange.objects("hostedOutboundSpamFilterPolicies")
	not is_string(exchange.prop(p, "AutoForwardingMode"))
}

error contains sprintf("config allowedForwardingDomains must be a list of domain names, got %s", [json.marshal(_allowed_param)]) if {
	not _string_list(_allowed_param)
}

error contains sprintf("config acceptAutomaticForwardingMode must be true or false, got %s", [json.marshal(v)]) if {
	v := params.value("acceptAutomaticForwardingMode")
	not is_boolean(v)
}

_string_list(xs) if {
	is_array(xs)
	every x in xs {
		is_string(x)
	}
}
