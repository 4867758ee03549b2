# METADATA
# title: Every custom domain enforces DMARC
# description: >-
#   DMARC tells receivers what to do with mail that claims to come from the domain but fails SPF
#   and DKIM alignment; only p=quarantine or p=reject stops exact-domain spoofing, p=none just
#   monitors. Every accepted domain other than *.onmicrosoft.com must have exactly one TXT record
#   at _dmarc.<domain> starting v=DMARC1 with p=quarantine or p=reject (p=reject only with
#   parameter dmarcRequireReject: CIS accepts quarantine, CISA SCuBA MS.EXO.4.2 asks for reject),
#   applying to all failing mail (no pct below 100) and to subdomains (no sp=none). A subdomain
#   that is itself an accepted domain and publishes no record of its own is judged by its
#   parent's record and sp= tag. A record without aggregate reports (rua=) gives a warning: no one
#   would see spoofing or broken senders (SCuBA MS.EXO.4.4). MS.EXO.4.3, reports to CISA's
#   address, binds US federal agencies only and is not checked. A failed DNS lookup makes the
#   rule an error, never a pass.
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
#     center, except for domains whose DNS Microsoft hosts (Settings > Domains).
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

not_applicable := "the tenant has no accepted domain of its own; Microsoft publishes DMARC for *.onmicrosoft.com domains" if {
	count(exchange.custom_domains) == 0
}

# _records is the domain's DMARC records, for the domains whose lookup succeeded.
_records[domain] := l.records if {
	some domain in exchange.custom_domains
	l := exchange.lookup(domain, "dmarc")
	l.known
}

# _policy is what applies to each domain whose DMARC policy is known: its own single record, or
# for a subdomain without one, its parent's single record read with sp=. {"source", "tags",
# "record", "inherited"}.
_policy[domain] := {"source": domain, "tags": exchange.tags(recs[0]), "record": recs[0], "inherited": false} if {
	some domain, recs in _records
	count(recs) == 1
}

_policy[domain] := {"source": parent, "tags": exchange.tags(precs[0]), "record": precs[0], "inherited": true} if {
	some domain, recs in _records
	count(recs) == 0
	parent := exchange.parent_domain(domain)
	precs := _records[parent]
	count(precs) == 1
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, recs in _records
	count(recs) == 0
	not _inherits(domain)
	msg := sprintf("Domain %s publishes no DMARC record (_dmarc.%s): receivers decide on their own what to do with mail forged in its name", [domain, domain])
}

_inherits(domain) if _policy[domain].inherited

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, recs in _records
	count(recs) > 1
	msg := sprintf("Domain %s publishes %d DMARC records, so receivers apply none of them (RFC 7489): %s", [domain, count(recs), concat(" | ", sort(recs))])
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, pol in _policy
	not pol.inherited
	p := lower(object.get(pol.tags, "p", ""))
	not p in _enforcing
	msg := sprintf("The DMARC policy of %s is %s, not %s: %s (%s)", [domain, _shown(p), _required, _effect(p), pol.record])
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, pol in _policy
	pol.inherited
	sp := _subdomain_policy(pol.tags)
	not sp in _enforcing
	msg := sprintf("Subdomain %s has no DMARC record and inherits %s's subdomain policy %s, not %s: %s (%s)", [domain, pol.source, _shown(sp), _required, _effect(sp), pol.record])
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, pol in _policy
	not pol.inherited
	sp := lower(pol.tags.sp)
	lower(object.get(pol.tags, "p", "")) in _enforcing
	not sp in _enforcing
	msg := sprintf("The DMARC record of %s sets sp=%s: mail forged from its subdomains is %s (%s)", [domain, sp, _sub_effect(sp), pol.record])
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, pol in _policy
	pct := to_number(pol.tags.pct)
	pct < 100
	msg := sprintf("The DMARC policy that applies to %s covers only %v%% of failing mail (pct=%v): the rest is delivered as if p=none (%s)", [domain, pct, pct, pol.record])
}

warn contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, pol in _policy
	not pol.inherited
	not _reports(pol.tags)
	msg := sprintf("The DMARC record of %s asks for no aggregate reports (no rua=): nobody sees who sends mail in the domain's name (%s)", [domain, pol.record])
}

_reports(tags) if contains(lower(tags.rua), "mailto:")

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

error contains msg if {
	some domain in exchange.custom_domains
	l := exchange.lookup(domain, "dmarc")
	not l.known
	msg := l.reason
}

error contains "exchange.acceptedDomains is not an array" if not is_array(input.exchange.acceptedDomains)

error contains "exchange.dns is not an object" if not is_object(input.exchange.dns)

error contains sprintf("config dmarcRequireReject must be true or false, got %s", [json.marshal(v)]) if {
	v := params.value("dmarcRequireReject")
	not is_boolean(v)
}
