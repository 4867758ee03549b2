# METADATA
# title: DMARC aggregate reports reach CISA (US federal agencies)
# description: >-
#   Binding Operational Directive 18-01 has US federal executive-branch agencies send their DMARC
#   aggregate reports to CISA, which watches for spoofing of government domains: CISA SCuBA
#   MS.EXO.4.3v1 asks that the rua= tag of every domain's DMARC record include
#   mailto:reports@dmarc.cyber.dhs.gov. The baseline itself says only federal executive-branch
#   departments and agencies should include that address, so the rule applies only when parameter
#   federalAgency is true and is not applicable otherwise. Every accepted domain other than
#   *.onmicrosoft.com is checked on the DMARC record that governs it (its own, or for an accepted
#   subdomain without one, its parent's, as exchange.dmarc_enforced reads them); a domain with no
#   single record sends no reports at all. A failed DNS lookup makes the rule an error.
# related_resources:
#   - ref: https://www.cisa.gov/news-events/directives/bod-18-01-enhance-email-and-web-security
#     description: "CISA: Binding Operational Directive 18-01, Enhance Email and Web Security"
#   - ref: https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/exo.md
#     description: "CISA SCuBA Exchange Online baseline (MS.EXO.4.3v1)"
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dmarc-configure
#     description: "Microsoft Learn: Set up DMARC to validate the From address domain"
# custom:
#   id: exchange.dmarc_reports_to_cisa
#   severity: low
#   level: shall
#   requires: [exchange.acceptedDomains, exchange.dns]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.EXO.4.3v1]
#   license: []
#   remediation: >-
#     Add CISA's address to the aggregate report tag of each domain's DMARC record at the domain's
#     DNS host, keeping the agency's own address: "v=DMARC1; p=reject;
#     rua=mailto:reports@dmarc.cyber.dhs.gov,mailto:dmarc-reports@<domain>;
#     ruf=mailto:dmarc-reports@<domain>". Check it with Resolve-DnsName -Type TXT _dmarc.<domain>.
#     Organizations that are not US federal agencies must not add it: leave parameter
#     federalAgency false.
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: federalAgency
#       type: boolean
#       description: >-
#         The tenant belongs to a US federal executive-branch department or agency, which BOD
#         18-01 binds (CISA SCuBA MS.EXO.4.3v1 applies only then).
#       default: false
package posture.rules.exchange.dmarc_reports_to_cisa

import data.posture.lib.exchange
import data.posture.lib.params

_federal := params.value("federalAgency")

not_applicable := "CISA SCuBA MS.EXO.4.3v1 binds only US federal executive-branch agencies, which alone should send DMARC reports to CISA; set parameter federalAgency to true if the tenant belongs to one" if {
	_federal == false
} else := "the tenant has no accepted domain of its own: the rule judges custom domains, and the DNS of a *.onmicrosoft.com domain is Microsoft's (a DMARC record for it is added in the Microsoft 365 admin center, Settings > Domains)" if {
	count(exchange.custom_domains) == 0
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain in exchange.custom_domains
	exchange.dmarc_records[domain]
	not exchange.dmarc_policy[domain]
	msg := sprintf("Domain %s has no single DMARC record that governs it, so no aggregate reports reach CISA (%s)", [domain, exchange.cisa_report_address])
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain, pol in exchange.dmarc_policy
	domain in exchange.custom_domains
	not exchange.cisa_report_address in exchange.report_addresses(pol.tags, "rua")
	msg := sprintf("The DMARC record that governs %s does not send aggregate reports to CISA: its rua= lacks mailto:%s (%s: %s)", [domain, exchange.cisa_report_address, pol.source, pol.record])
}

_entity(domain) := {"type": "domain", "id": domain, "name": domain}

# Data errors count only where the rule applies: errors outrank not_applicable.
error contains msg if {
	_federal == true
	some msg in _data_errors
}

# MS.EXO.4.3v1 names second-level domains: the custom domains, not the *.onmicrosoft.com ones.
_data_errors contains msg if {
	some domain, msg in exchange.dmarc_errors
	domain in exchange.custom_domains
}

_data_errors contains "exchange.acceptedDomains is not an array" if not is_array(input.exchange.acceptedDomains)

_data_errors contains "exchange.dns is not an object" if not is_object(input.exchange.dns)

error contains sprintf("config federalAgency must be true or false, got %s", [json.marshal(_federal)]) if not is_boolean(_federal)
