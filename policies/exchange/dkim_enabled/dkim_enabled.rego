# METADATA
# title: DKIM signs mail from every custom domain
# description: >-
#   DKIM signs outgoing mail with a key published in the domain's DNS, so receivers can tell the
#   message really comes from the domain and was not altered; DMARC passes on an aligned DKIM
#   signature even when forwarding breaks SPF, and large mailbox providers require it of bulk
#   senders. Exchange Online signs mail from custom domains with the tenant's onmicrosoft.com key
#   until DKIM is turned on for the domain, and that signature does not align with the From
#   domain. Every accepted domain other than *.onmicrosoft.com (which Microsoft signs itself) must
#   have a DKIM signing configuration (Get-DkimSigningConfig) with Enabled true.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/defender-office-365/email-authentication-dkim-configure
#     description: "Microsoft Learn: Set up DKIM to sign mail from your Microsoft 365 domain"
#   - ref: https://learn.microsoft.com/en-us/powershell/module/exchange/set-dkimsigningconfig
#     description: "Microsoft Learn: Set-DkimSigningConfig"
# custom:
#   id: exchange.dkim_enabled
#   severity: medium
#   level: shall
#   requires: [exchange.acceptedDomains, exchange.dkimSigningConfigs]
#   secure_score: []
#   frameworks:
#     cisa_scuba: [MS.EXO.3.1v1]
#     cis_m365: ["2.1.9"]
#   license: []
#   remediation: >-
#     Publish the two CNAME records selector1._domainkey.<domain> and selector2._domainkey.<domain>
#     that Microsoft gives for the domain (Get-DkimSigningConfig -Identity <domain> | Format-List
#     Selector1CNAME, Selector2CNAME; New-DkimSigningConfig -DomainName <domain> -Enabled $false
#     first if the domain has no configuration). Then in the Microsoft Defender portal go to Email
#     & collaboration > Policies & rules > Threat policies > Email authentication settings > DKIM,
#     select the domain and turn on "Sign messages for this domain with DKIM signatures"; or in
#     Exchange Online PowerShell: Set-DkimSigningConfig -Identity <domain> -Enabled $true.
#   user_impact: low
#   implementation_cost: low
package posture.rules.exchange.dkim_enabled

import data.posture.lib.exchange

_configs := exchange.objects("dkimSigningConfigs")

# _config_of is the DKIM signing configuration of the domain, matched on Domain (else Name).
_config_of(domain) := cs[0] if {
	cs := [c | some c in _configs; lower(_domain(c)) == domain]
	count(cs) > 0
}

_domain(c) := d if {
	d := exchange.prop(c, "Domain")
	is_string(d)
} else := exchange.name(c)

not_applicable := "the tenant has no accepted domain of its own; Microsoft signs mail from *.onmicrosoft.com domains with DKIM itself" if {
	count(exchange.custom_domains) == 0
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain in exchange.custom_domains
	not _config_of(domain)
	msg := sprintf("Accepted domain %s has no DKIM signing configuration: its mail is signed only for the onmicrosoft.com domain, which does not align with %s for DMARC", [domain, domain])
}

deny contains {"msg": msg, "entity": _entity(domain)} if {
	some domain in exchange.custom_domains
	c := _config_of(domain)
	exchange.bool(c, "Enabled") == false
	msg := sprintf("DKIM signing is off for %s (Enabled is false, Status %s): receivers cannot verify that mail from %s was sent by the organization", [domain, _status(c), domain])
}

_status(c) := s if {
	s := exchange.prop(c, "Status")
	is_string(s)
} else := "unknown"

_entity(domain) := {"type": "domain", "id": domain, "name": domain}

error contains sprintf("exchange.%s is not an array", [k]) if {
	some k in ["acceptedDomains", "dkimSigningConfigs"]
	not is_array(input.exchange[k])
}

error contains sprintf("DKIM signing configuration of %s: Enabled is %s, not true or false", [domain, json.marshal(exchange.prop(c, "Enabled"))]) if {
	some domain in exchange.custom_domains
	c := _config_of(domain)
	not exchange.has_bool(c, "Enabled")
}
