package posture.lib.fixtures

import data.posture.lib.licenses
import data.posture.lib.mdo

# --- Exchange Online and Defender for Office 365 ------------------------------------------
#
# Builders for input.exchange (objects as the Exchange cmdlets return them, PascalCase) and the
# licences Defender rules look at. A test names the smallest input that shows its point:
#   x := fixtures.mdo_exchange("content_filter", [fixtures.default_policy("content_filter", {"SpamAction": "AddXHeader"})], [])
#   spam_actions.deny == ... with input.exchange as x

# skus is entra.subscribedSkus with one enabled Microsoft 365 E5 subscription holding the service
# plans `plan_ids`.
skus(plan_ids) := [{
	"skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "skuPartNumber": "SPE_E5", "capabilityStatus": "Enabled",
	"servicePlans": [{"servicePlanId": id, "servicePlanName": "X", "provisioningStatus": "Success"} | some id in plan_ids],
}]

# mdo_skus is a tenant with Microsoft Defender for Office 365 Plan 1.
mdo_skus := skus([licenses.defender_office_p1])

# accepted_domains is exchange.acceptedDomains holding `names`.
accepted_domains(names) := [{"Name": n, "DomainName": n, "DomainType": "Authoritative"} | some n in names]

# domain_entity is the finding entity of a domain.
domain_entity(domain) := {"type": "domain", "id": domain, "name": domain}

# dns_exchange is input.exchange for DNS rules: accepted domains contoso.onmicrosoft.com and
# contoso.com, and exchange.dns as given (domain -> {"spf": [...], "dmarc": [...]}).
dns_exchange(dns) := {"acceptedDomains": accepted_domains(["contoso.onmicrosoft.com", "contoso.com"]), "dns": dns}

# dmarc_exchange is dns_exchange with one DMARC record for contoso.com.
dmarc_exchange(record) := dns_exchange({"contoso.com": {"spf": [], "dmarc": [record]}})

# transport_rule is an enabled, enforced mail flow rule (Get-TransportRule) named `name`, with
# `changes` on top.
transport_rule(name, changes) := object.union(
	{"Identity": name, "Name": name, "Guid": sprintf("tr-%s", [name]), "State": "Enabled", "Mode": "Enforce", "Priority": 0},
	changes,
)

# sharing_policy is a sharing policy (Get-SharingPolicy); "Default Sharing Policy" is the default.
sharing_policy(name, enabled, domains) := {
	"Identity": name, "Name": name, "Guid": sprintf("sp-%s", [name]),
	"Enabled": enabled, "Default": name == "Default Sharing Policy", "Domains": domains,
}

# policy_entity is the finding entity of a Defender or Exchange Online Protection policy.
policy_entity(p) := {"type": "policy", "id": p.Guid, "name": p.Name}

# default_policy is the policy of `kind` (a kind of posture.lib.mdo) that everyone no other policy
# covers gets: the default policy (IsDefault), or for Safe Links and Safe Attachments the Built-In
# Protection Policy; `settings` on top.
default_policy(kind, settings) := object.union(_fallback(kind), settings)

_fallback(kind) := {"Name": n, "Identity": n, "IsBuiltInProtection": true, "Guid": "g-default"} if {
	mdo.kinds[kind].fallback == "built_in"
	n := mdo.built_in_policy_name
} else := {"Name": n, "Identity": n, "IsDefault": true, "Guid": "g-default"} if {
	n := _default_names[kind]
}

_default_names := {
	"anti_phish": "Office365 AntiPhish Default", "anti_phish_eop": "Office365 AntiPhish Default",
	"content_filter": "Default", "malware_filter": "Default",
}

# preset_policy is the policy a preset security policy ("Standard" or "Strict") holds for any kind,
# named as Microsoft names them ("Standard Preset Security Policy" and a number).
preset_policy(preset, settings) := object.union(
	{"Name": n, "Identity": n, "Guid": sprintf("g-%s", [lower(preset)])},
	settings,
) if {
	n := sprintf("%s Preset Security Policy1", [preset])
}

# preset_rule is the enabled rule of a preset ("Standard" or "Strict") for all recipients, naming
# its policy of every kind; `scope` on top (e.g. {"SentToMemberOf": ["Finance"]}). Tests put it in
# both exchange.eopProtectionPolicyRules and exchange.atpProtectionPolicyRules.
preset_rule(preset, scope) := object.union(
	{
		"Identity": id, "Name": id, "State": "Enabled", "Priority": _preset_priority[preset],
		"AntiPhishPolicy": p, "HostedContentFilterPolicy": p, "MalwareFilterPolicy": p,
		"SafeLinksPolicy": p, "SafeAttachmentPolicy": p,
		"SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null,
		"ExceptIfSentTo": null, "ExceptIfSentToMemberOf": null, "ExceptIfRecipientDomainIs": null,
	},
	scope,
) if {
	id := sprintf("%s Preset Security Policy", [preset])
	p := sprintf("%s Preset Security Policy1", [preset])
}

_preset_priority := {"Strict": 0, "Standard": 1}

# custom_policy is a custom policy named `name` (its rule is custom_rule).
custom_policy(name, settings) := object.union({"Name": name, "Identity": name, "IsDefault": false, "Guid": sprintf("g-%s", [name])}, settings)

# custom_rule is the enabled rule of custom policy `name` of `kind`, at `priority`, for all
# recipients; `scope` on top.
custom_rule(kind, name, priority, scope) := object.union(
	{
		"Identity": name, "Name": name, mdo.kinds[kind].link: name, "State": "Enabled", "Priority": priority,
		"SentTo": null, "SentToMemberOf": null, "RecipientDomainIs": null,
		"ExceptIfSentTo": null, "ExceptIfSentToMemberOf": null, "ExceptIfRecipientDomainIs": null,
	},
	scope,
)

# mdo_exchange is input.exchange for a rule on policies of `kind`: one accepted domain
# (contoso.com), the kind's `policies`, the preset rules `presets` (in both the EOP and the Defender
# for Office 365 list) and, for kinds with rules, no custom rule.
mdo_exchange(kind, policies, presets) := object.union(
	{
		"acceptedDomains": accepted_domains(["contoso.com"]),
		"eopProtectionPolicyRules": presets, "atpProtectionPolicyRules": presets,
		mdo.kinds[kind].policies: policies,
	},
	_no_custom_rules(kind),
)

_no_custom_rules(kind) := {mdo.kinds[kind].rules: []} if mdo.kinds[kind].rules

else := {}
