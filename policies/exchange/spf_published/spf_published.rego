# METADATA
# title: Every custom domain publishes an SPF record that fails other senders
# description: >-
#   SPF lists the servers allowed to send mail for a domain; without a record that ends by
#   failing everyone else, anyone can send mail as the domain and receivers have no reason to
#   doubt it. Every accepted domain other than *.onmicrosoft.com (whose records Microsoft
#   publishes) must have exactly one TXT record starting v=spf1 (two or more are a permanent
#   error, RFC 7208 section 4.5) that ends in "-all" (hard fail). "~all" (soft fail) gives a
#   warning (a failure with parameter requireSpfHardFail) that is posture's own judgement: CISA
#   SCuBA MS.EXO.2.2v3 accepts either fail mechanism and CIS 2.1.8 asks only for a published
#   record. "?all", "+all" or no "all" at all fail MS.EXO.2.2v3. A record that ends in a
#   redirect= modifier is only warned about, since posture does not follow it; until someone
#   checks the target, MS.EXO.2.2v3 counts as broken (fail closed). A failed DNS lookup makes the
#   rule an error: an unanswered question is never "no record" and never a pass. Secure Score's
#   "Ensure that SPF records are published for all Exchange Domains" asks only for a record, so
#   the rule's control_coverage counts, for that control, the domains with exactly one SPF record
#   whatever its ending.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/email-authentication-spf-configure
#     description: "Microsoft Learn: Set up SPF to identify valid email sources for your Microsoft 365 domain"
#   - ref: https://datatracker.ietf.org/doc/html/rfc7208
#     description: "RFC 7208: Sender Policy Framework (SPF)"
# custom:
#   id: exchange.spf_published
#   severity: medium
#   level: shall
#   requires: [exchange.acceptedDomains, exchange.dns]
#   secure_score: [exo_SPF_records_for_all_domains]
#   frameworks:
#     cisa_scuba: [MS.EXO.2.2v3]
#     cis_m365: ["2.1.8"]
#   license: []
#   remediation: >-
#     At the domain's DNS host publish one TXT record at the domain that lists every service that
#     sends its mail and ends in -all, for Microsoft 365 alone: "v=spf1
#     include:spf.protection.outlook.com -all"; merge any second v=spf1 record into it. The
#     Microsoft 365 admin center shows the expected record under Settings > Domains > <domain> >
#     DNS records. Check it with Resolve-DnsName -Type TXT <domain>. Domains that send no mail
#     get "v=spf1 -all".
#   user_impact: low
#   implementation_cost: moderate
#   parameters:
#     - name: requireSpfHardFail
#       type: boolean
#       description: Fail (instead of warn) for records that end in ~all (soft fail).
#       default: false
package posture.rules.exchange.spf_published

import data.posture.lib.exchange
import data.posture.lib.params

_hard_fail_only := params.value("requireSpfHardFail") == true

not_applicable := "the tenant has no accepted domain of its own; Microsoft publishes SPF for *.onmicrosoft.com domains" if {
	count(exchange.custom_domains) == 0
}

# _records is the domain's SPF records, for the domains whose lookup succeeded.
_records[domain] := l.records if {
	some domain in exchange.custom_domains
	l := exchange.lookup(domain, "spf")
	l.known
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, recs in _records
	count(recs) == 0
	msg := sprintf("Domain %s publishes no SPF record: receivers cannot tell the organization's mail from mail forged in its name", [domain])
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, recs in _records
	count(recs) > 1
	msg := sprintf("Domain %s publishes %d SPF records, which makes SPF a permanent error for every message (RFC 7208): %s", [domain, count(recs), concat(" | ", sort(recs))])
}

deny contains {"msg": msg, "entity": _entity(domain), "controls": ["MS.EXO.2.2v3"]} if {
	some domain, recs in _records
	count(recs) == 1
	ending := _ending(recs[0])
	ending.kind == "weak"
	msg := sprintf("The SPF record of %s ends in %s, which does not fail other senders: %s", [domain, ending.term, recs[0]])
}

deny contains {"msg": msg, "entity": _entity(domain), "controls": ["MS.EXO.2.2v3"]} if {
	some domain, recs in _records
	count(recs) == 1
	_ending(recs[0]).kind == "none"
	msg := sprintf("The SPF record of %s has no \"all\" mechanism or redirect, so mail from any other server is \"neutral\": %s", [domain, recs[0]])
}

deny contains {"msg": msg, "entity": _entity(domain), "controls": ["posture"]} if {
	_hard_fail_only
	some domain, recs in _records
	count(recs) == 1
	_ending(recs[0]).kind == "soft"
	msg := _soft_message(domain, recs[0])
}

warn contains {"msg": msg, "entity": _entity(domain), "controls": ["posture"]} if {
	not _hard_fail_only
	some domain, recs in _records
	count(recs) == 1
	_ending(recs[0]).kind == "soft"
	msg := _soft_message(domain, recs[0])
}

warn contains {"msg": msg, "entity": _entity(domain), "controls": ["MS.EXO.2.2v3"]} if {
	some domain, recs in _records
	count(recs) == 1
	ending := _ending(recs[0])
	ending.kind == "redirect"
	msg := sprintf("The SPF record of %s hands over to %s, which posture does not look up; check that it ends in -all: %s", [domain, ending.term, recs[0]])
}

# control_coverage: the custom domains that publish one SPF record (any ending) over all of them;
# Secure Score's exo_SPF_records_for_all_domains asks for a published record, not a hard fail.
control_coverage["exo_SPF_records_for_all_domains"] := {"covered": count(published), "total": count(exchange.custom_domains)} if {
	count(exchange.custom_domains) > 0
	published := {domain | some domain, recs in _records; count(recs) == 1}
}

_soft_message(domain, record) := sprintf("The SPF record of %s ends in ~all (soft fail): receivers accept mail from other servers, only marked as suspicious; -all makes them reject it (CISA SCuBA MS.EXO.2.2v3 accepts either): %s", [domain, record])

# _ending classifies how the record treats senders it does not list: by its "all" mechanism
# (-all hard, ~all soft, ?all/+all/all weak), else a redirect= modifier, else none.
_ending(record) := {"kind": _all_kind(t), "term": t} if {
	alls := [t | some t in exchange.spf_terms(record); regex.match(`^[-~?+]?all$`, t)]
	count(alls) > 0
	t := alls[count(alls) - 1]
} else := {"kind": "redirect", "term": r} if {
	rs := [t | some t in exchange.spf_terms(record); startswith(t, "redirect=")]
	count(rs) > 0
	r := rs[0]
} else := {"kind": "none", "term": ""}

_all_kind("-all") := "hard"

_all_kind("~all") := "soft"

_all_kind(t) := "weak" if not t in {"-all", "~all"}

_entity(domain) := {"type": "domain", "id": domain, "name": domain}

error contains msg if {
	some domain in exchange.custom_domains
	l := exchange.lookup(domain, "spf")
	not l.known
	msg := l.reason
}

error contains "exchange.acceptedDomains is not an array" if not is_array(input.exchange.acceptedDomains)

error contains "exchange.dns is not an object" if not is_object(input.exchange.dns)

error contains sprintf("config requireSpfHardFail must be true or false, got %s", [json.marshal(v)]) if {
	v := params.value("requireSpfHardFail")
	not is_boolean(v)
}
