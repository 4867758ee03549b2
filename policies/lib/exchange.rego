# Exchange Online helpers: reading cmdlet objects (PascalCase properties as Get-* returns them,
# read case-insensitively), the organization's on/off settings, the tenant's accepted domains and
# which of them are its own ("custom") domains, the SPF and DMARC lookups of exchange.dns and the
# DMARC policy that governs each domain, and what mail flow (transport) rules do.
package posture.lib.exchange

# --- reading cmdlet objects ---------------------------------------------------------------

# prop is property `name` of the cmdlet object `obj`, matched case-insensitively (the admin API
# returns PascalCase, but a property renamed in casing must not read as absent); null when the
# object has no such property or is not an object.
prop(obj, name) := obj[name] if {
	is_object(obj)
	name in object.keys(obj)
} else := v if {
	is_object(obj)
	some k, v in obj
	lower(k) == lower(name)
} else := null

# bool is a property read as a boolean: true/false, or the strings "True"/"False" that some
# serializations of Exchange objects produce; undefined for anything else (null, numbers, ...),
# so a rule can tell "false" from "unknown".
bool(obj, name) := b if {
	b := prop(obj, name)
	is_boolean(b)
} else := b if {
	s := prop(obj, name)
	is_string(s)
	lower(s) in {"true", "false"}
	b := lower(s) == "true"
}

# has_bool is true when property `name` reads as a boolean (see bool). Rules write
# `not exchange.has_bool(...)`: a `not` around an expression that calls an undefined function
# would itself be undefined.
has_bool(obj, name) if is_boolean(bool(obj, name))

# strings is a multi-valued property as a list of strings: an array keeps its strings, a single
# string becomes a one-element list, null or anything else is empty.
strings(obj, name) := [s | some s in v; is_string(s)] if {
	v := prop(obj, name)
	is_array(v)
} else := [v] if {
	v := prop(obj, name)
	is_string(v)
	v != ""
} else := []

# objects is exchange.<key> when it is an array of objects (anything else: empty).
objects(key) := [o | some o in input.exchange[key]; is_object(o)] if {
	is_array(input.exchange[key])
} else := []

# name is how a finding names a cmdlet object: Name, else Identity, else Domain / DomainName,
# else "?".
name(obj) := _first_string(obj, ["Name", "Identity", "DomainName", "Domain"], "?")

# entity is the finding entity of cmdlet object `obj` of the given type: its Guid (or Identity,
# or name) as id.
entity(type, obj) := {"type": type, "id": _id(obj), "name": name(obj)}

_id(obj) := _first_string(obj, ["Guid", "ExchangeObjectId", "Identity"], name(obj))

# _first_string is the first of the properties that holds a non-empty string, else fallback.
_first_string(obj, fields, fallback) := vs[0] if {
	vs := [v | some f in fields; v := prop(obj, f); is_string(v); v != ""]
	count(vs) > 0
} else := fallback

# --- organization settings ------------------------------------------------------------
#
# A cmdlet that answers one row (Get-OrganizationConfig, Get-TransportConfig,
# Get-AdminAuditLogConfig, ...) is stored as an object, exchange.<key>. A rule about one of its
# on/off properties is the setting it reads, the value that is wrong and what that means:
#   deny contains v if some v in exchange.switch_violations("organizationConfig", "AuditDisabled", true, "Mailbox auditing (organization)", "Mailbox auditing is off ...")
#   error contains msg if some msg in exchange.setting_errors("organizationConfig", ["AuditDisabled"])

# switch_violations is the deny set of an on/off setting: one violation, on the setting
# "<key>.<prop>" named `label`, when exchange.<key>.<prop> reads as `wrong`.
switch_violations(key, prop, wrong, label, msg) := {v |
	bool(input.exchange[key], prop) == wrong
	v := {"msg": msg, "entity": setting_entity(key, prop, label)}
}

# setting_entity is the finding entity of property `prop` of the setting exchange.<key>.
setting_entity(key, prop, label) := {"type": "setting", "id": concat(".", [key, prop]), "name": label}

# setting_errors is why the on/off properties `props` of exchange.<key> cannot be judged:
# object_errors, or switch_errors.
setting_errors(key, props) := object_errors(key) | switch_errors(key, props)

# object_errors is {"exchange.<key> is not an object"} when it is not, or is missing (empty
# otherwise).
object_errors(key) := set() if {
	is_object(object.get(input, ["exchange", key], null))
} else := {sprintf("exchange.%s is not an object", [key])}

# switch_errors names each of the properties `props` of the object exchange.<key> that does not
# read as true or false (missing, null, or another type): unknown is not off.
switch_errors(key, props) := {msg |
	o := input.exchange[key]
	is_object(o)
	some p in props
	not has_bool(o, p)
	msg := sprintf("exchange.%s.%s is %s, not true or false", [key, p, json.marshal(prop(o, p))])
}

# --- accepted domains ---------------------------------------------------------------------

# Suffixes of the domains Microsoft assigns and runs (tenant.onmicrosoft.com, the
# tenant.mail.onmicrosoft.com routing domain, and their sovereign-cloud counterparts): Microsoft
# publishes their SPF records and signs their mail, so the tenant cannot change SPF or DKIM for
# them. DMARC differs: see moera_domains.
microsoft_suffixes := [".onmicrosoft.com", ".onmicrosoft.us", ".onmschina.cn"]

# is_microsoft_domain is true for a domain Microsoft assigns (*.onmicrosoft.com and kin).
is_microsoft_domain(domain) if {
	some suffix in microsoft_suffixes
	endswith(lower(domain), suffix)
}

# accepted_domains is the set of accepted domain names, lowercased.
accepted_domains := {lower(d) |
	some ad in objects("acceptedDomains")
	d := prop(ad, "DomainName")
	is_string(d)
	d != ""
}

# custom_domains is the set of accepted domains the organization owns and runs DNS for: every
# accepted domain except Microsoft's *.onmicrosoft.com ones, whatever its DomainType
# (Authoritative or relay: mail from it leaves through Exchange Online either way, and a domain
# that sends nothing can still be spoofed).
custom_domains := {d | some d in accepted_domains; not is_microsoft_domain(d)}

# moera_domains are the tenant's own Microsoft domains (its initial contoso.onmicrosoft.com, the
# Microsoft Online Email Routing Address, and any other it added), lowercased, without the mail
# routing domain (contoso.mail.onmicrosoft.com, IsCoexistenceDomain true). Microsoft runs their
# DNS, but a DMARC record for one is the tenant's to add, in the Microsoft 365 admin center
# (Settings > Domains > DNS records): Microsoft's guidance and CIS 2.1.10 ask for one, as
# attackers send mail in these names. The routing domain is not in the admin center; ScubaGear
# leaves it out too.
moera_domains := {d |
	some ad in objects("acceptedDomains")
	name := prop(ad, "DomainName")
	is_string(name)
	d := lower(name)
	is_microsoft_domain(d)
	not _routing_domain(d, ad)
}

_routing_domain(_, ad) if prop(ad, "IsCoexistenceDomain") == true

_routing_domain(d, _) if contains(d, ".mail.")

# dmarc_domains are the domains whose DMARC records the rules judge: the custom domains and the
# MOERA domains.
dmarc_domains := custom_domains | moera_domains

# is_accepted_domain is true when `domain` is an accepted domain or a subdomain of one.
is_accepted_domain(domain) if lower(domain) in accepted_domains

is_accepted_domain(domain) if {
	some d in accepted_domains
	endswith(lower(domain), concat("", [".", d]))
}

# parent_domain is the nearest accepted custom domain `domain` is a subdomain of (for DMARC's
# sp= inheritance); undefined when there is none.
parent_domain(domain) := p if {
	parents := [d | some d in custom_domains; endswith(domain, concat("", [".", d]))]
	count(parents) > 0
	p := _longest(parents)
}

_longest(xs) := x if {
	some x in xs
	every y in xs {
		count(y) <= count(x)
	}
}

# is_external_address is true when `recipient` (as a transport rule lists it) is an SMTP address
# outside the accepted domains. Get-TransportRule shows recipients in the directory by name and
# plain SMTP addresses as typed; a value without "@" is a directory recipient, taken as internal.
is_external_address(recipient) if {
	parts := split(trim_space(recipient), "@")
	count(parts) == 2
	domain := trim_right(trim_space(parts[1]), ".>\"'")
	domain != ""
	not is_accepted_domain(domain)
}

# --- DNS (exchange.dns) -------------------------------------------------------------------

# lookup is the outcome of the `field` ("spf" or "dmarc") lookup for `domain`:
# {"known": true, "records": [...]} when it succeeded (records may be empty: no record), or
# {"known": false, "reason": "..."} when it failed or was not made. A failed lookup is stored as
# null (the loader drops it) with a message under "errors"; it is never "no record".
lookup(domain, field) := {"known": true, "records": [r | some r in recs; is_string(r)]} if {
	recs := _dns_entry(domain)[field]
	is_array(recs)
} else := {"known": false, "reason": sprintf("the %s lookup for %s failed: %s", [_label(field), _qname(domain, field), msg])} if {
	msg := _dns_entry(domain).errors[field]
	is_string(msg)
} else := {"known": false, "reason": sprintf("the %s lookup for %s failed or was not made (exchange.dns has no %s records for %s)", [_label(field), _qname(domain, field), field, domain])}

_dns_entry(domain) := e if {
	some k, e in input.exchange.dns
	lower(k) == lower(domain)
	is_object(e)
} else := {}

_qname(domain, "spf") := domain

_qname(domain, "dmarc") := concat("", ["_dmarc.", domain])

_label("spf") := "SPF"

_label("dmarc") := "DMARC"

# tags parses a DMARC record ("v=DMARC1; p=reject; rua=mailto:...") into an object of lowercased
# tag names to trimmed values. A repeated tag keeps its first value.
tags(record) := {k: v |
	some i, part in split(record, ";")
	kv := split(part, "=")
	count(kv) >= 2
	k := lower(trim_space(kv[0]))
	k != ""
	not _seen_before(record, i, k)
	v := trim_space(concat("=", array.slice(kv, 1, count(kv))))
}

_seen_before(record, i, k) if {
	some j, part in split(record, ";")
	j < i
	lower(trim_space(split(part, "=")[0])) == k
}

# spf_terms is an SPF record split into lowercased terms ("v=spf1", "include:...", "-all").
spf_terms(record) := [lower(t) | some t in split(replace(replace(record, "\t", " "), "\n", " "), " "); t != ""]

# --- DMARC (exchange.dns) -----------------------------------------------------------------

# dmarc_records is, for each domain of dmarc_domains whose DMARC lookup succeeded, its DMARC
# records (an empty list: none published).
dmarc_records[domain] := l.records if {
	some domain in dmarc_domains
	l := lookup(domain, "dmarc")
	l.known
}

# dmarc_policy is the DMARC policy that governs each domain of dmarc_domains whose policy is known: its
# own record when it publishes exactly one, or, for a subdomain that publishes none, the single
# record of its nearest accepted parent domain, which governs it through sp= (RFC 7489 6.6.3).
# {"source": domain holding the record, "tags": tags(record), "record", "inherited"}.
dmarc_policy[domain] := {"source": domain, "tags": tags(recs[0]), "record": recs[0], "inherited": false} if {
	some domain, recs in dmarc_records
	count(recs) == 1
}

dmarc_policy[domain] := {"source": parent, "tags": tags(precs[0]), "record": precs[0], "inherited": true} if {
	some domain, recs in dmarc_records
	count(recs) == 0
	parent := parent_domain(domain)
	precs := dmarc_records[parent]
	count(precs) == 1
}

# dmarc_errors is, for each domain of dmarc_domains whose DMARC lookup failed, the reason.
dmarc_errors[domain] := l.reason if {
	some domain in dmarc_domains
	l := lookup(domain, "dmarc")
	not l.known
}

# report_addresses is the set of addresses a DMARC report tag (rua or ruf) sends reports to:
# its mailto: URIs, lower-cased, without a size limit ("mailto:a@b.com!10m" is a@b.com).
report_addresses(tags, tag) := {a |
	v := tags[tag]
	is_string(v)
	some uri in split(v, ",")
	u := lower(trim_space(uri))
	startswith(u, "mailto:")
	a := split(substring(u, 7, -1), "!")[0]
	a != ""
}

# cisa_report_address is where US federal agencies send DMARC aggregate reports (BOD 18-01,
# CISA SCuBA MS.EXO.4.3v1).
cisa_report_address := "reports@dmarc.cyber.dhs.gov"

# --- mail flow (transport) rules ----------------------------------------------------------

# enforced is true for a transport rule whose actions apply to mail: State is not "Disabled"
# and Mode is not one of the test modes ("Audit", "AuditAndNotify"). A rule without a State or
# Mode counts as enforced (fail closed: an unknown rule may well be acting).
enforced(rule) if {
	not lower(_str(prop(rule, "State"))) == "disabled"
	not lower(_str(prop(rule, "Mode"))) in {"audit", "auditandnotify"}
}

_str(v) := v if is_string(v)

_str(v) := "" if not is_string(v)

# scl is the transport rule's SetSCL as a number (it may arrive as a string); undefined when
# the rule does not set the spam confidence level.
scl(rule) := n if {
	v := prop(rule, "SetSCL")
	is_number(v)
	n := v
} else := n if {
	v := prop(rule, "SetSCL")
	is_string(v)

	# to_number raises an error on anything else, which fails the whole rule in production.
	regex.match(`^-?[0-9]+$`, trim_space(v))
	n := to_number(trim_space(v))
}
