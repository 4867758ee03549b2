# METADATA
# title: Every custom domain, and the tenant's onmicrosoft.com domain, enforces DMARC
# description: >-
#   DMARC tells receivers what to do with mail that claims to come from the domain but fails SPF
#   and DKIM alignment; only p=quarantine or p=reject stops exact-domain spoofing, p=none just
#   monitors. Every custom accepted domain, and the tenant's own *.onmicrosoft.com domains (the
#   MOERA domain; not the contoso.mail.onmicrosoft.com routing domain), must have exactly one TXT record
#   at _dmarc.<domain> starting v=DMARC1 with p=quarantine or p=reject (p=reject only with
#   parameter dmarcRequireReject), applying to all failing mail (no pct below 100) and to
#   subdomains (no sp=none). A subdomain that is itself an accepted domain and publishes no record
#   of its own is judged by its parent's record and sp= tag. A failed DNS lookup makes the rule an
#   error, never a pass. Each violation names the controls it breaks. CISA SCuBA MS.EXO.4.2v1
#   requires p=reject: while posture accepts p=quarantine (the default), a quarantine policy is a
#   warning that breaks MS.EXO.4.2v1 only. Reports: a record without aggregate reports (rua=) or
#   failure reports (ruf=) is a warning that breaks MS.EXO.4.4v1 (an agency point of contact for
#   both) and CIS 2.1.10 (which asks for both); rua= naming only CISA's address breaks
#   MS.EXO.4.4v1. pct below 100 breaks CIS 2.1.10 (which asks pct=100), sp=none is posture's own
#   judgement. A *.onmicrosoft.com domain's violations break CIS 2.1.10 only: CIS asks for its
#   record (added in the Microsoft 365 admin center, Settings > Domains > DNS records), while
#   SCuBA's MS.EXO.4.x name second-level domains, which it is not (ScubaGear, unlike posture,
#   also judges it). MS.EXO.4.3v1, reports to CISA's address, is exchange.dmarc_reports_to_cisa.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dmarc-configure
#     description: "Microsoft Learn: Set up DMARC to validate the From address domain"
#   - ref: https://datatracker.ietf.org/doc/html/rfc7489
#     description: "RFC 7489: Domain-based Message Authentication, Reporting, and Conformance (DMARC)"
# custom:
#   id: exchange.dmarc_enforced
#   severity: high
#   level: shall
#   requires: [exchange.acceptedDomains, exchange.dns]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.EXO.4.1v1, MS.EXO.4.2v1, MS.EXO.4.4v1]
#     cis_m365: ["2.1.10"]
#   license: []
#   remediation: >-
#     Once SPF and DKIM pass for every service that sends the domain's mail, publish at the
#     domain's DNS host one TXT record at _dmarc.<domain>, e.g. "v=DMARC1; p=reject;
#     rua=mailto:dmarc-reports@<domain>" (start at p=quarantine if unsure and move to reject after
#     reading a few weeks of reports). Remove pct= values below 100 and sp=none. Check it with
#     Resolve-DnsName -Type TXT _dmarc.<domain>. DMARC is not set in any Microsoft 365 admin
#     center, except for domains whose DNS Microsoft hosts: for contoso.onmicrosoft.com go to
#     Settings > Domains, select it, DNS records, Add record, TXT name _dmarc, with the same
#     value (e.g. "v=DMARC1; p=reject; rua=mailto:...; ruf=mailto:...").
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: dmarcRequireReject
#       type: boolean
#       description: Require p=reject (and sp=reject) instead of accepting quarantine.
#       default: false
package posture.rules.exchange.dmarc_enforced

import data.posture.lib.exchange
import data.posture.lib.params

_reject_only := params.value("dmarcRequireReject") == true

_enforcing := {"reject"} if _reject_only

else := {"quarantine", "reject"}

_required := "p=reject" if _reject_only

else := "p=quarantine or p=reject"

not_applicable := "the tenant has no accepted domain whose DMARC record it sets (a custom domain, or its own *.onmicrosoft.com domain)" if {
	count(exchange.dmarc_domains) == 0
}

# _controls are the controls a violation about domain breaks, of those listed: for a
# *.onmicrosoft.com domain only CIS 2.1.10, or posture's own judgement when that leaves none.
_controls(domain, controls) := controls if not domain in exchange.moera_domains

_controls(domain, controls) := _or_posture([c | some c in controls; c == "2.1.10"]) if domain in exchange.moera_domains

_or_posture(controls) := controls if count(controls) > 0

else := ["posture"]

# _violation is a violation about domain that breaks controls (see _controls).
_violation(msg, domain, controls) := {"msg": msg, "entity": _entity(domain), "controls": _controls(domain, controls)}

# _any_violation is a violation about domain that breaks every control of the rule: it names
# none, but for a *.onmicrosoft.com domain, which breaks CIS 2.1.10 only.
_any_violation(msg, domain) := {"msg": msg, "entity": _entity(domain)} if not domain in exchange.moera_domains

_any_violation(msg, domain) := _violation(msg, domain, ["2.1.10"]) if domain in exchange.moera_domains

# Controls a policy that is not enforced breaks: p=none breaks SCuBA's p=reject and CIS's
# quarantine-or-reject; a missing or invalid p= tag leaves no valid record (every control); a
# quarantine policy refused by dmarcRequireReject breaks only SCuBA's p=reject.
_weak_controls("none") := ["MS.EXO.4.2v1", "2.1.10"]

_weak_controls("quarantine") := ["MS.EXO.4.2v1"]

_weak_controls(p) := ["MS.EXO.4.1v1", "MS.EXO.4.2v1", "MS.EXO.4.4v1", "2.1.10"] if not p in {"none", "quarantine"}

deny contains _any_violation(msg, domain) if {
	some domain, recs in exchange.dmarc_records
	count(recs) == 0
	not _inherits(domain)
	msg := sprintf("Domain %s publishes no DMARC record (_dmarc.%s): receivers decide on their own what to do with mail forged in its name", [domain, domain])
}

_inherits(domain) if exchange.dmarc_policy[domain].inherited

deny contains _any_violation(msg, domain) if {
	some domain, recs in exchange.dmarc_records
	count(recs) > 1
	msg := sprintf("Domain %s publishes %d DMARC records, so receivers apply none of them (RFC 7489): %s", [domain, count(recs), concat(" | ", sort(recs))])
}

deny contains _violation(msg, domain, _weak_controls(p)) if {
	some domain, pol in exchange.dmarc_policy
	not pol.inherited
	p := lower(object.get(pol.tags, "p", ""))
	not p in _enforcing
	msg := sprintf("The DMARC policy of %s is %s, not %s: %s (%s)", [domain, _shown(p), _required, _effect(p), pol.record])
}

warn contains {"msg": msg, "entity": _entity(domain), "controls": ["MS.EXO.4.2v1"]} if {
	some domain, pol in exchange.dmarc_policy
	not pol.inherited
	not domain in exchange.moera_domains
	lower(object.get(pol.tags, "p", "")) == "quarantine"
	not _reject_only
	msg := sprintf("The DMARC policy of %s is p=quarantine: posture accepts it (parameter dmarcRequireReject is false), but CISA SCuBA MS.EXO.4.2v1 requires p=reject (%s)", [domain, pol.record])
}

deny contains {"msg": msg, "entity": _entity(domain), "controls": _with_cis(_weak_controls(sp))} if {
	some domain, pol in exchange.dmarc_policy
	pol.inherited
	sp := _subdomain_policy(pol.tags)
	not sp in _enforcing
	msg := sprintf("Subdomain %s has no DMARC record and inherits %s's subdomain policy %s, not %s: %s (%s)", [domain, pol.source, _shown(sp), _required, _effect(sp), pol.record])
}

warn contains {"msg": msg, "entity": _entity(domain), "controls": ["MS.EXO.4.2v1"]} if {
	some domain, pol in exchange.dmarc_policy
	pol.inherited
	_subdomain_policy(pol.tags) == "quarantine"
	not _reject_only
	msg := sprintf("Subdomain %s has no DMARC record and inherits %s's subdomain policy p=quarantine: posture accepts it (parameter dmarcRequireReject is false), but CISA SCuBA MS.EXO.4.2v1 requires p=reject (%s)", [domain, pol.source, pol.record])
}

deny contains _violation(msg, domain, ["posture"]) if {
	some domain, pol in exchange.dmarc_policy
	not pol.inherited
	sp := lower(pol.tags.sp)
	lower(object.get(pol.tags, "p", "")) in _enforcing
	not sp in _enforcing
	msg := sprintf("The DMARC record of %s sets sp=%s: mail forged from its subdomains is %s (%s)", [domain, sp, _sub_effect(sp), pol.record])
}

deny contains _violation(msg, domain, ["2.1.10"]) if {
	some domain, pol in exchange.dmarc_policy
	pct := to_number(pol.tags.pct)
	pct < 100
	msg := sprintf("The DMARC policy that applies to %s covers only %v%% of failing mail (pct=%v): the rest is delivered as if p=none (%s)", [domain, pct, pct, pol.record])
}

warn contains _violation(msg, domain, ["MS.EXO.4.4v1", "2.1.10"]) if {
	some domain, pol in exchange.dmarc_policy
	not pol.inherited
	count(exchange.report_addresses(pol.tags, "rua")) == 0
	msg := sprintf("The DMARC record of %s asks for no aggregate reports (no rua=mailto:): nobody sees who sends mail in the domain's name (%s)", [domain, pol.record])
}

warn contains {"msg": msg, "entity": _entity(domain), "controls": ["MS.EXO.4.4v1"]} if {
	some domain, pol in exchange.dmarc_policy
	not pol.inherited
	not domain in exchange.moera_domains
	rua := exchange.report_addresses(pol.tags, "rua")
	count(rua) > 0
	count(rua - {exchange.cisa_report_address}) == 0
	msg := sprintf("The DMARC record of %s sends aggregate reports only to CISA (%s): CISA SCuBA MS.EXO.4.4v1 wants the agency's own point of contact too (%s)", [domain, exchange.cisa_report_address, pol.record])
}

warn contains _violation(msg, domain, ["MS.EXO.4.4v1", "2.1.10"]) if {
	some domain, pol in exchange.dmarc_policy
	not pol.inherited
	count(exchange.report_addresses(pol.tags, "ruf")) == 0
	msg := sprintf("The DMARC record of %s asks for no failure reports (no ruf=mailto:): %s a point of contact for them, though many receivers never send them (%s)", [domain, _ruf_wanted(domain), pol.record])
}

_ruf_wanted(domain) := "CIS 2.1.10 wants" if domain in exchange.moera_domains

else := "CISA SCuBA MS.EXO.4.4v1 and CIS 2.1.10 want"

# _with_cis adds CIS 2.1.10 to the controls of a subdomain judged by its parent's record: CIS
# wants a record at every accepted domain.
_with_cis(controls) := sort({c | some c in controls} | {"2.1.10"})

_subdomain_policy(tags) := lower(tags.sp) if is_string(tags.sp)

else := lower(object.get(tags, "p", ""))

_shown("") := "missing (no p= tag, so the record is invalid)"

_shown(p) := sprintf("p=%s", [p]) if p != ""

_effect("none") := "mail that fails authentication is delivered as usual, only reported"

_effect(p) := "receivers ignore a record without a valid p= tag" if not p in {"none", "quarantine", "reject"}

_effect("quarantine") := "failing mail goes to junk instead of being rejected"

_sub_effect("none") := "delivered as usual"

_sub_effect(sp) := "handled with an invalid policy" if not sp in {"none", "quarantine"}

_sub_effect("quarantine") := "sent to junk instead of being rejected"

_entity(domain) := {"type": "domain", "id": domain, "name": domain}

error contains msg if some msg in exchange.dmarc_errors

error contains "exchange.acceptedDomains is not an array" if not is_array(input.exchange.acceptedDomains)

error contains "exchange.dns is not an object" if not is_object(input.exchange.dns)

error contains sprintf("config dmarcRequireReject must be true or false, got %s", [json.marshal(v)]) if {
	v := params.value("dmarcRequireReject")
	not is_boolean(v)
}
