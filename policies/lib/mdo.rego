# Which Exchange Online Protection (EOP) and Microsoft Defender for Office 365 (MDO) threat
# policy applies to whom, from input.exchange (objects as the Exchange cmdlets return them).
#
# The model. Every recipient gets exactly one policy of each kind (Safe Links, Safe
# Attachments, anti-phishing, anti-spam, anti-malware): the first that applies to them, in this
# order of precedence (Microsoft Learn, "Order of precedence for preset security policies"):
#   1. the Strict preset security policy, then 2. the Standard preset: they apply through the
#      rules of Get-EOPProtectionPolicyRule (anti-spam, anti-malware; the rule names the preset's
#      policy of each kind) and Get-ATPProtectionPolicyRule (Safe Links, Safe Attachments, and
#      the MDO settings of the preset's anti-phishing policy, which the EOP rule names), whose
#      Identity is "Strict Preset Security Policy" / "Standard Preset Security Policy";
#   3. custom policies, through their own rule (Get-SafeLinksRule, Get-SafeAttachmentRule,
#      Get-AntiPhishRule; the rule names its policy), lowest Priority first;
#   4. the fallback for everyone else: the default policy (IsDefault: anti-phishing, anti-spam,
#      anti-malware), or for Safe Links and Safe Attachments the Built-in protection preset
#      (the policies named "Built-In Protection Policy", IsBuiltInProtection), which Microsoft
#      keeps on; its rule ("ATP Built-In Protection Rule") may list exceptions - if the snapshot
#      holds it in atpProtectionPolicyRules its State and exceptions are honoured.
# A preset or custom rule is in force when its State is "Enabled". Conditions of different
# types must all match (SentTo, SentToMemberOf, RecipientDomainIs), and any exception takes a
# recipient out. A rule covers everyone when it has no SentTo or SentToMemberOf condition, its
# RecipientDomainIs is empty (a preset's "All recipients") or lists every accepted domain, and
# it has no exception.
#
# Anti-spam and anti-malware rules (Get-HostedContentFilterRule, Get-MalwareFilterRule) are not
# collected, so whom a custom policy of those kinds applies to is unknown: such a policy is
# treated as applying to some recipients ("unscoped"), ahead of the default policy.
#
# reachable(kind) lists the policies in force in precedence order, up to and including the
# first that covers everyone: the policies some recipient can actually get. A rule checks each
# of them for its settings and reports the ones that are wrong; when no policy covers everyone
# (gaps), some recipients get no protection of that kind at all.
package posture.lib.mdo

import data.posture.lib.licenses

# list is input.exchange[key]'s objects; [] when it is missing or not a list.
list(key) := [o | some o in input.exchange[key]; is_object(o)] if {
	is_array(input.exchange[key])
} else := []

# kinds describes each kind of policy: where its policies and rules are, which property of a
# rule names the policy, what covers everyone else, and which of its sources exist only with
# Defender for Office 365.
kinds := {
	"safe_links": {
		"label": "Safe Links", "policies": "safeLinksPolicies",
		"rules": "safeLinksRules", "link": "SafeLinksPolicy",
		"preset_rules": "atpProtectionPolicyRules", "preset_link": "SafeLinksPolicy",
		"fallback": "built_in",
		"mdo_sources": ["exchange.safeLinksPolicies", "exchange.safeLinksRules", "exchange.atpProtectionPolicyRules"],
	},
	"safe_attachments": {
		"label": "Safe Attachments", "policies": "safeAttachmentPolicies",
		"rules": "safeAttachmentRules", "link": "SafeAttachmentPolicy",
		"preset_rules": "atpProtectionPolicyRules", "preset_link": "SafeAttachmentPolicy",
		"fallback": "built_in",
		"mdo_sources": ["exchange.safeAttachmentPolicies", "exchange.safeAttachmentRules", "exchange.atpProtectionPolicyRules"],
	},
	"anti_phish": {
		"label": "anti-phishing", "policies": "antiPhishPolicies",
		"rules": "antiPhishRules", "link": "AntiPhishPolicy",
		"preset_rules": "eopProtectionPolicyRules", "preset_link": "AntiPhishPolicy",
		"preset_scope": "atpProtectionPolicyRules", "fallback": "default",
		"mdo_sources": ["exchange.atpProtectionPolicyRules"],
	},
	"anti_phish_eop": {
		"label": "anti-phishing", "policies": "antiPhishPolicies",
		"rules": "antiPhishRules", "link": "AntiPhishPolicy",
		"preset_rules": "eopProtectionPolicyRules", "preset_link": "AntiPhishPolicy",
		"fallback": "default", "mdo_sources": [],
	},
	"content_filter": {
		"label": "anti-spam", "policies": "hostedContentFilterPolicies",
		"preset_rules": "eopProtectionPolicyRules", "preset_link": "HostedContentFilterPolicy",
		"fallback": "default", "mdo_sources": [],
	},
	"malware_filter": {
		"label": "anti-malware", "policies": "malwareFilterPolicies",
		"preset_rules": "eopProtectionPolicyRules", "preset_link": "MalwareFilterPolicy",
		"fallback": "default", "mdo_sources": [],
	},
}

# anti_phish_eop is the anti-phishing kind for the Exchange Online Protection settings of the
# policies (spoofing, the first contact, unauthenticated sender and "via" safety tips): a preset
# applies those to the recipients of its EOP rule, while anti_phish follows its Defender for
# Office 365 rule, which scopes the impersonation settings.

# presets are the Standard and Strict preset security policies: the Identity of their rules and
# their place in the order of precedence.
presets := {
	"strict": {"identity": "Strict Preset Security Policy", "label": "Strict", "order": 0},
	"standard": {"identity": "Standard Preset Security Policy", "label": "Standard", "order": 1},
}

built_in_rule_identity := "ATP Built-In Protection Rule"

built_in_policy_name := "Built-In Protection Policy"

# --- domains and rule scopes --------------------------------------------------------------

# accepted_domains is the set of the tenant's accepted domain names, lower-cased.
accepted_domains := {lower(d.DomainName) | some d in list("acceptedDomains"); is_string(d.DomainName)}

_conditions := [
	{"key": "SentTo", "text": "recipients %s"},
	{"key": "SentToMemberOf", "text": "members of %s"},
	{"key": "RecipientDomainIs", "text": "recipients in %s"},
]

# values is a rule property as a list of strings: null or missing is empty, a single string is
# a list of one.
values(r, key) := [v | some v in r[key]; is_string(v)] if {
	is_array(r[key])
} else := [r[key]] if {
	is_string(r[key])
	r[key] != ""
} else := []

_names_every_domain(r) if {
	count(accepted_domains) > 0
	named := {lower(d) | some d in values(r, "RecipientDomainIs")}
	count(accepted_domains - named) == 0
}

_recipients_unrestricted(r) if count(values(r, "RecipientDomainIs")) == 0

_recipients_unrestricted(r) if _names_every_domain(r)

_has_exceptions(r) if {
	some c in _conditions
	count(values(r, concat("", ["ExceptIf", c.key]))) > 0
}

# enabled is true when a rule's State is "Enabled".
enabled(r) if r.State == "Enabled"

# covers_everyone is true when an enabled rule applies to every recipient.
covers_everyone(r) if {
	enabled(r)
	count(values(r, "SentTo")) == 0
	count(values(r, "SentToMemberOf")) == 0
	_recipients_unrestricted(r)
	not _has_exceptions(r)
}

_covers(r) if covers_everyone(r)

else := false

# scope describes whom a rule applies to, e.g. "members of Finance except recipients x@y".
scope(r) := "all recipients" if {
	covers_everyone(r)
} else := concat("", [_included(r), _excepted(r)])

_included(r) := "all recipients" if {
	count(values(r, "SentTo")) + count(values(r, "SentToMemberOf")) == 0
	_recipients_unrestricted(r)
} else := concat(" who are also ", [sprintf(c.text, [concat(", ", values(r, c.key))]) |
	some c in _conditions
	count(values(r, c.key)) > 0
])

_excepted(r) := "" if {
	not _has_exceptions(r)
} else := sprintf(" except %s", [concat(" and ", [sprintf(c.text, [concat(", ", values(r, k))]) |
	some c in _conditions
	k := concat("", ["ExceptIf", c.key])
	count(values(r, k)) > 0
])])

# --- policies in force --------------------------------------------------------------------

# name is a policy's or rule's Name, else its Identity.
name(o) := o.Name if {
	is_string(o.Name)
} else := o.Identity if {
	is_string(o.Identity)
} else := "(unnamed)"

_named(o, ref) if {
	is_string(ref)
	some k in ["Name", "Identity"]
	lower(o[k]) == lower(ref)
}

# policy_named is the list of the kind's policies that a rule's reference names.
policy_named(kind, ref) := [p | some p in list(kinds[kind].policies); _named(p, ref)]

# preset_rule is the enabled-or-not rule of a preset in `key` (eop or atp rules); undefined when
# the preset is not set up.
preset_rule(key, preset) := r if {
	some r in list(key)
	lower(name(r)) == lower(presets[preset].identity)
}

_is_default(p) if p.IsDefault == true

_is_built_in(p) if p.IsBuiltInProtection == true

_is_built_in(p) if lower(name(p)) == lower(built_in_policy_name)

_is_preset_policy(kind, p) if {
	some r in list(kinds[kind].preset_rules)
	_named(p, r[kinds[kind].preset_link])
}

_is_preset_policy(_, p) if {
	some preset in presets
	startswith(lower(name(p)), lower(preset.identity))
}

_entity(p) := {"type": "policy", "id": id, "name": name(p)} if {
	id := p.Guid
	is_string(id)
} else := {"type": "policy", "id": object.get(p, "Identity", name(p)), "name": name(p)}

# Entries: {policy, role, order, all (covers everyone), text (what it is and whom it covers)}.
_preset_entries(kind) := [e |
	k := kinds[kind]
	some id, preset in presets
	named_by := preset_rule(k.preset_rules, id)
	scope_rule := preset_rule(object.get(k, "preset_scope", k.preset_rules), id)
	enabled(scope_rule)
	some p in policy_named(kind, named_by[k.preset_link])
	e := {
		"policy": p, "role": id, "order": preset.order, "all": _covers(scope_rule),
		"text": sprintf("%s policy '%s' (the %s preset security policy, applied to %s)", [k.label, name(p), preset.label, scope(scope_rule)]),
	}
]

_custom_entries(kind) := [e |
	k := kinds[kind]
	k.rules
	some r in list(k.rules)
	enabled(r)
	some p in policy_named(kind, r[k.link])
	not _is_default(p)
	not _is_built_in(p)
	prio := _priority(r)
	e := {
		"policy": p, "role": "custom", "order": 10 + prio, "all": _covers(r),
		"text": sprintf("%s policy '%s' (custom, rule priority %d, applied to %s)", [k.label, name(p), prio, scope(r)]),
	}
]

_priority(r) := r.Priority if is_number(r.Priority)

else := 1000000

_unscoped_entries(kind) := [e |
	k := kinds[kind]
	not k.rules
	some p in list(k.policies)
	not _is_default(p)
	not _is_preset_policy(kind, p)
	e := {
		"policy": p, "role": "unscoped", "order": 10, "all": false,
		"text": sprintf("%s policy '%s' (custom; its rule is not collected, so it may apply to any recipient)", [k.label, name(p)]),
	}
]

_fallback_entries(kind) := [e |
	k := kinds[kind]
	some p in list(k.policies)
	_is_default(p)
	e := {
		"policy": p, "role": "default", "order": _last, "all": true,
		"text": sprintf("%s policy '%s' (the default policy, applied to every recipient no other %s policy covers)", [k.label, name(p), k.label]),
	}
] if {
	kinds[kind].fallback == "default"
} else := [e |
	k := kinds[kind]
	not _built_in_disabled
	some p in list(k.policies)
	_is_built_in(p)
	e := {
		"policy": p, "role": "built_in", "order": _last, "all": _built_in_covers_everyone,
		"text": sprintf("%s policy '%s' (the Built-in protection preset, applied to every recipient no other %s policy covers%s)", [k.label, name(p), k.label, _built_in_exceptions_text]),
	}
]

_last := 2000000000

_built_in_rules := [r | some r in list("atpProtectionPolicyRules"); lower(name(r)) == lower(built_in_rule_identity)]

_built_in_disabled if {
	some r in _built_in_rules
	not enabled(r)
}

default _built_in_covers_everyone := true

_built_in_covers_everyone := false if _built_in_has_exceptions

_built_in_has_exceptions if {
	some r in _built_in_rules
	_has_exceptions(r)
}

_built_in_exceptions_text := _excepted(r) if {
	some r in _built_in_rules
	_has_exceptions(r)
} else := ""

# in_force is the list of the kind's policies that apply to someone, in order of precedence.
in_force(kind) := [es[i] |
	es := array.concat(array.concat(_preset_entries(kind), _custom_entries(kind)), array.concat(_unscoped_entries(kind), _fallback_entries(kind)))
	orders := sort({e.order | some e in es})
	some o in orders
	some i, e in es
	e.order == o
]

_first_all_order(kind) := min(orders) if {
	orders := {e.order | some e in in_force(kind); e.all}
	count(orders) > 0
}

# reachable is the list of policies in force that some recipient gets: those up to and including
# the first that covers everyone (or all of them when none does).
reachable(kind) := [e | some e in in_force(kind); e.order <= _first_all_order(kind)] if {
	_first_all_order(kind)
} else := in_force(kind)

# everyone_covered is true when some policy of the kind in force covers every recipient.
everyone_covered(kind) if _first_all_order(kind)

# --- violations ---------------------------------------------------------------------------

tenant := {
	"type": "tenant",
	"id": object.get(input, ["tenant", "id"], ""),
	"name": object.get(input, ["tenant", "displayName"], ""),
}

# violation is the deny entry for a reachable policy `e` that `what` is wrong with.
violation(e, what) := {"msg": sprintf("%s %s", [_capitalized(e.text), what]), "entity": _entity(e.policy)}

# violation_of is violation(e, what) naming the framework `controls` it breaks; null controls
# (a check that names none) break every control the rule cites, so the entry names none.
violation_of(e, what, null) := violation(e, what)

violation_of(e, what, controls) := object.union(violation(e, what), {"controls": controls}) if is_array(controls)

# gaps is the violation for a kind that no policy in force gives to every recipient.
gaps(kind) := {{"msg": msg, "entity": tenant} |
	not everyone_covered(kind)
	msg := sprintf("No %s policy applies to every recipient (%s), so some recipients get no %s protection", [kinds[kind].label, _gap_reason(kind), kinds[kind].label])
}

_gap_reason(kind) := "there is no Built-In Protection Policy and no enabled preset or custom policy covers every accepted domain without exceptions" if {
	kinds[kind].fallback == "built_in"
	count([p | some p in list(kinds[kind].policies); _is_built_in(p)]) == 0
} else := sprintf("the %s rule is disabled", [built_in_rule_identity]) if {
	kinds[kind].fallback == "built_in"
	_built_in_disabled
} else := sprintf("the %s rule has exceptions%s", [built_in_rule_identity, _built_in_exceptions_text]) if {
	kinds[kind].fallback == "built_in"
} else := "there is no default policy (IsDefault true)"

_capitalized(s) := concat("", [upper(substring(s, 0, 1)), substring(s, 1, -1)])

# --- expectations -----------------------------------------------------------------------
#
# A rule about Defender and Exchange Online Protection policies states what it expects of a
# policy as a list of checks, one per property, and takes its deny set from violations(kind,
# checks, what). A check is an object with:
#   prop       the property it reads;
#   one test   equals (a value); in (a list of values); at_least or at_most (a number);
#              includes (values a multi-valued property must hold, compared case-insensitively on
#              what follows the last ";", so "Display Name;address" entries match an address);
#              empty (true: a multi-valued property, an allow list, must hold nothing);
#              not_empty (true: it must hold something);
#   controls   (optional) the framework controls, among those the rule cites, that a policy failing
#              the check breaks; a check without controls (and without accepts) breaks every
#              control the rule cites;
#   accepts    (optional) {control: [values]} for a cited control that accepts more values than
#              the rule does: the control is broken only when the value is none of them;
#   text       (optional) how to describe the problem instead of the generated "X is Y
#              (expected Z)".
# A check that fails while its controls and accepts leave no control broken is posture's own,
# stricter judgement: its violations name the control "posture" (they fail the rule, and break no
# framework control).

# problems is the set of what is wrong with policy `p` under `checks`: {"text", "controls"}, with
# controls null when the check breaks every control the rule cites.
problems(p, checks) := {pr |
	some c in checks
	v := object.get(p, c.prop, null)
	t := _failure(c, v)
	pr := {"text": object.get(c, "text", t), "controls": _broken(c, v)}
}

_failure(c, v) := sprintf("%s is %s (expected %s)", [c.prop, show(v), show(c.equals)]) if {
	"equals" in object.keys(c)
	v != c.equals
}

_failure(c, v) := sprintf("%s is %s (expected %s)", [c.prop, show(v), concat(" or ", sort(c.in))]) if {
	is_array(c.in)
	not v in c.in
}

_failure(c, v) := sprintf("%s is %s (expected %v or more)", [c.prop, show(v), c.at_least]) if {
	is_number(c.at_least)
	not _at_least(v, c.at_least)
}

_failure(c, v) := sprintf("%s is %s (expected %v or less)", [c.prop, show(v), c.at_most]) if {
	is_number(c.at_most)
	not _at_most(v, c.at_most)
}

_failure(c, v) := sprintf("%s lacks %s", [c.prop, concat(", ", sort(missing))]) if {
	is_array(c.includes)
	missing := {_entry_key(x) | some x in c.includes} - {_entry_key(x) | some x in _strings(v)}
	count(missing) > 0
}

_failure(c, v) := sprintf("%s lists %s", [c.prop, concat(", ", sort(_strings(v)))]) if {
	c.empty == true
	count(_strings(v)) > 0
}

_failure(c, v) := sprintf("%s is empty", [c.prop]) if {
	c.not_empty == true
	count(_strings(v)) == 0
}

_at_least(v, n) if {
	is_number(v)
	v >= n
}

_at_most(v, n) if {
	is_number(v)
	v <= n
}

# _strings is a multi-valued property value as a list of strings (see values).
_strings(v) := values({"v": v}, "v")

# _entry_key is how list entries compare: lower-cased, the part after the last ";".
_entry_key(x) := lower(trim_space(parts[count(parts) - 1])) if parts := split(x, ";")

_broken(c, _) := null if {
	not "controls" in object.keys(c)
	not "accepts" in object.keys(c)
}

_broken(c, v) := ids if {
	_tagged(c)
	broken := {id | some id in object.get(c, "controls", [])} | {id |
		some id, ok in object.get(c, "accepts", {})
		not v in ok
	}
	ids := _or_posture(broken)
}

_tagged(c) if "controls" in object.keys(c)

_tagged(c) if "accepts" in object.keys(c)

_or_posture(ids) := ["posture"] if count(ids) == 0

_or_posture(ids) := sort(ids) if count(ids) > 0

# impersonation_actions are the anti-phishing actions on detected impersonation that keep the
# message from the inbox (Set-AntiPhishPolicy: all but NoAction and BccMessage), which CISA SCuBA
# group 2 accepts.
impersonation_actions := ["Delete", "MoveToJmf", "Quarantine", "Redirect"]

# string_list is true for a list of strings: what a parameter listing addresses or domains holds.
string_list(xs) if {
	is_array(xs)
	every x in xs {
		is_string(x)
	}
}

# violations is the deny set of a rule that expects `checks` of every policy of `kind` some
# recipient gets: for each reachable policy with problems, one violation per set of controls
# its problems break ("<policy> <what>: <problems>"), and the gap when no policy covers everyone.
violations(kind, checks, what) := {v |
	some e in reachable(kind)
	some v in entry_violations(e, checks, what)
} | gaps(kind)

# entry_violations is the violations of one policy entry {policy, text} under `checks`.
entry_violations(e, checks, what) := {v |
	ps := problems(e.policy, checks)
	some controls in {pr.controls | some pr in ps}
	texts := sort({pr.text | some pr in ps; pr.controls == controls})
	v := violation_of(e, sprintf("%s: %s", [what, concat("; ", texts)]), controls)
}

# errors is why a rule on policies of `kind` cannot judge them: an enabled rule names a policy the
# snapshot does not hold (unresolved), or a Defender for Office 365 source of the kind is
# unlicensed although the tenant has the licence.
errors(kind) := unresolved(kind) | unlicensed_but_licensed(kinds[kind].mdo_sources)

# defender_errors is errors(kind) for a rule that is not_applicable without Defender for Office
# 365: errors outrank not_applicable, so without the licence there are none.
defender_errors(kind) := errors(kind) if licenses.has_defender_office

else := set()

# show renders a property value for messages: strings as they are, null as "not set".
show(v) := "not set" if {
	v == null
} else := v if {
	is_string(v)
} else := json.marshal(v)

# mismatch describes how property `prop` of policy `p` differs from `want`; undefined when it
# equals `want` (a missing or null property never does).
mismatch(p, prop, want) := sprintf("%s is %s (expected %s)", [prop, show(v), show(want)]) if {
	v := object.get(p, prop, null)
	v != want
}

# not_one_of describes property `prop` of policy `p` when it is not one of `allowed` (a set of
# strings); undefined when it is.
not_one_of(p, prop, allowed) := sprintf("%s is %s (expected %s)", [prop, show(v), concat(" or ", sort(allowed))]) if {
	v := object.get(p, prop, null)
	not v in allowed
}

# --- data problems and licences -----------------------------------------------------------

# unresolved is the set of reasons the policy of an enabled rule cannot be checked: the rule
# names a policy the snapshot does not hold, or holds more than once.
unresolved(kind) := {msg |
	some r in _naming_rules(kind)
	n := count(policy_named(kind, r.ref))
	n != 1
	msg := sprintf("rule '%s' applies %s policy %s, which exchange.%s holds %d times", [name(r.rule), kinds[kind].label, show(r.ref), kinds[kind].policies, n])
}

# _naming_rules are the enabled preset and custom rules of a kind, each with the policy it names.
_naming_rules(kind) := array.concat(
	[{"rule": r, "ref": object.get(r, k.preset_link, null)} |
		k := kinds[kind]
		some id, _ in presets
		r := preset_rule(k.preset_rules, id)
		enabled(r)
	],
	[{"rule": r, "ref": object.get(r, k.link, null)} |
		k := kinds[kind]
		k.rules
		some r in list(k.rules)
		enabled(r)
	],
)

# unlicensed_but_licensed is the set of reasons a Defender for Office 365 source cannot be
# trusted: the tenant has the licence, yet the source says it has not.
unlicensed_but_licensed(keys) := {msg |
	licenses.has_defender_office
	some key in keys
	input.sources[key].status == "unlicensed"
	msg := sprintf("%s is unlicensed although the tenant has Microsoft Defender for Office 365", [key])
}

# needs_defender is the not_applicable reason of a rule whose feature needs Defender for
# Office 365.
needs_defender(feature) := sprintf("%s needs Microsoft Defender for Office 365: the service plan ATP_ENTERPRISE (in %s), which the tenant does not have", [feature, licenses.products("ATP_ENTERPRISE")])
