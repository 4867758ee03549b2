# Coverage of a Conditional Access requirement (see posture.lib.ca: mfa, phishing_resistant_mfa,
# managed_device, ...) over a population of users - enabled member users or admins, declared
# break-glass accounts always left out - as posture.lib.ca_eval evaluates it, and the violations
# that say why it falls short.
#
# The violations are bounded by policies and classes of sign-ins, not by users: one per policy
# that asks for the requirement but cannot enforce it, one per uncovered class of sign-ins (with
# the policies that almost cover it), one per relevant policy whose exclusions leave users out,
# and one summary naming at most maxNamedUsers users (admins, who are few, get one each, up to
# maxListedUsers). A 100,000-user tenant therefore yields a finding a person can read, and the
# work is proportional to classes, exclusions and policies, never a loop over all users.
package posture.lib.coverage

import data.posture.lib.breakglass
import data.posture.lib.ca
import data.posture.lib.ca_eval
import data.posture.lib.entity
import data.posture.lib.groups
import data.posture.lib.params
import data.posture.lib.privileged
import data.posture.lib.roles
import data.posture.lib.scuba
import data.posture.lib.users

# security_defaults is true when security defaults are on. A missing or null isEnabled is not
# "on": the rules then look at Conditional Access, which fails closed.
security_defaults if input.entra.securityDefaults.isEnabled == true

# --- populations --------------------------------------------------------------------------

# admins is the set of users holding a privileged role (roles.privileged: active or eligible,
# directly or through a group) who are not disabled, declared break-glass accounts left out. A
# holder whose accountEnabled is missing counts: missing data never shrinks the population.
admins := {uid |
	some uid in roles.privileged_user_ids
	users.exists(uid)
	not users.disabled(uid)
	not breakglass.is_account(uid)
}

# members_total is the number of enabled member users other than declared break-glass accounts.
# The set itself is never built: copying 100,000 ids to drop two costs more than the rest of a
# rule, so uncovered drops the accounts from its (usually small) candidates instead.
members_total := count(users.enabled_member_ids) - count(breakglass.account_ids & users.enabled_member_ids)

# --- policies -----------------------------------------------------------------------------

# mentioning is the list of policies whose grant asks for the requirement in some form, enforced
# or not: the ones worth explaining. For phishing-resistant MFA it also holds the policies that
# require a weaker authentication strength, a common mistake worth naming.
mentioning(req) := [p | some p in ca.policies; _mentions(p, req)]

_mentions(p, req) if ca.mentions(p, req)

_mentions(p, req) if {
	req == ca.phishing_resistant_mfa
	not ca.mentions(p, req)
	"authenticationStrength" in ca.controls(p)
}

# --- evaluations ----------------------------------------------------------------------------

# members_eval is the evaluation (posture.lib.ca_eval.evaluate) of the requirement over enabled
# member users, declared break-glass accounts left out: each rule computes it once and passes it
# to the functions below.
members_eval(req) := _with_mentioning(ca_eval.members(req))

# _with_mentioning adds the policies that mention the requirement (mentioning), which the texts
# read many times.
_with_mentioning(ev) := object.union(ev, {"mentioning": mentioning(ev.req)})

# admins_eval is the evaluation of the requirement over admins, in their admin sessions.
admins_eval(req) := _with_mentioning(ca_eval.admins(req, admins))

# uncovered_members is the set of enabled member users, break-glass accounts left out, with a
# class of sign-ins that does not end in the requirement.
uncovered_members(req) := members_eval(req).uncovered

# uncovered_admins is the set of admins with such a class of admin sessions.
uncovered_admins(req) := admins_eval(req).uncovered

# unverifiable is the set of reasons the snapshot cannot tell whom a relevant policy covers.
unverifiable(ev) := {msg |
	some p in ev.pols
	some msg in ca.unverifiable(p)
}

# unverifiable_admins adds the privileged roles held through groups whose members were not
# collected: their holders cannot be checked.
unverifiable_admins(ev) := unverifiable(ev) | admin_group_errors

# admin_group_errors is the set of privileged roles (posture's, and SCuBA's highly privileged
# ones) held through groups whose members were not collected: the admins among their holders
# cannot be checked.
admin_group_errors := {msg |
	some g in roles.unexpanded_group_grants
	g.roleId in (roles.privileged | scuba.privileged_roles)
	msg := sprintf("%s is assigned to group '%s' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked", [roles.name(g.roleId), groups.name(g.principalId)])
}

# --- SCuBA's highly privileged roles ------------------------------------------------------

# scuba_eval is the evaluation over SCuBA's admins (posture.lib.scuba.admins: holders of the
# baseline's highly privileged roles), whatever the privilegedRoles parameter says: what an
# MS.AAD control about privileged roles is judged on.
scuba_eval(req) := _with_mentioning(ca_eval.admins(req, scuba.admins))

# scuba_controls tags an admin rule's violations (from admin_violations over `uncovered`, the
# uncovered admins) with the framework controls each breaks: a violation about one admin breaks
# `scuba_control` only when the admin holds one of SCuBA's highly privileged roles, and `other`
# (the rule's other controls, e.g. a CIS id) always; a violation about a policy or the tenant
# breaks what the admins it leaves out break together.
scuba_controls(v, uncovered, scuba_control, other) := array.concat([scuba_control], other) if {
	v.entity.type == "user"
	scuba.holds_privileged(v.entity.id)
} else := other if {
	v.entity.type == "user"
} else := array.concat([scuba_control], other) if {
	# One set intersection (it walks the smaller set) rather than a lookup per uncovered admin
	# for each violation about a policy or the tenant.
	count(uncovered & scuba.privileged_user_ids) > 0
} else := other

# scuba_only_admin_violations are the violations, tagged with `scuba_control` alone, for SCuBA's
# admins whom the requirement does not cover and whom posture's population leaves out (an
# organization's privilegedRoles without one of SCuBA's roles): posture's own judgement passes
# them, the SCuBA control does not.
scuba_only_admin_violations(req, scuba_control) := {v |
	ev := scuba_eval(req)
	some uid in (ev.uncovered - admins)
	msg := sprintf("%s (%s) holds a role CISA SCuBA counts as highly privileged (not in parameter privilegedRoles) and is not required to use %s by an enforced Conditional Access policy: %s", [
		users.upn(uid), scuba.role_names(uid), req.what, user_reason(ev, near_table(ev), uid),
	])
	v := {"msg": msg, "entity": entity.user(uid), "controls": [scuba_control]}
}

# --- violations ---------------------------------------------------------------------------

# member_violations is what a rule over all enabled member users reports when the evaluation `ev`
# (members_eval) leaves users uncovered: tenant notes, the policies that ask for the requirement
# but do not enforce it, one violation per uncovered class of sign-ins (naming it, its users and
# the policies that almost cover it), the exclusions that leave users out, and one summary.
member_violations(ev) := set() if {
	count(ev.uncovered) == 0
} else := (((tenant_violations(ev.req) | shortfall_violations(ev.req)) | class_violations(ev)) | gap_violations(ev)) | {{
	"msg": sprintf("%s is not required by Conditional Access for %d of %d enabled member users (%s): %s", [
		_capitalized(ev.req.what), count(ev.uncovered), members_total,
		_population_reason(ev), named(ev.uncovered),
	]),
	"entity": entity.tenant,
}}

# admin_violations is what a rule over admins reports when `ev` (admins_eval) leaves admins
# uncovered: tenant notes, the policies that do not enforce the requirement, and one violation
# per uncovered admin (up to maxListedUsers) naming their roles, the uncovered class of their
# sign-ins and why the policies that almost cover it do not.
admin_violations(ev) := set() if {
	count(ev.uncovered) == 0
} else := ((tenant_violations(ev.req) | shortfall_violations(ev.req)) | _per_admin(ev)) | _more_admins(ev)

_per_admin(ev) := {{"msg": msg, "entity": entity.user(uid)} |
	table := near_table(ev) # once for every admin
	some uid in array.slice(sort(ev.uncovered), 0, _max_listed)
	msg := sprintf("%s (%s) is not required to use %s by an enforced Conditional Access policy: %s", [
		users.upn(uid), privileged.role_names(uid), ev.req.what,
		user_reason(ev, table, uid),
	])
}

_more_admins(ev) := {{"msg": msg, "entity": entity.tenant} |
	rest := count(ev.uncovered) - _max_listed
	rest > 0
	msg := sprintf("%d more admins are not required to use %s (only the first %d are listed; raise parameter maxListedUsers to list more)", [rest, ev.req.what, _max_listed])
}

# user_reason says why the user is uncovered: the first uncovered class of her sign-ins in words
# (and how many more there are), and why each policy that almost covers it does not. `table` is
# near_table(ev).
user_reason(ev, table, uid) := sprintf("%s: %s", [_class_text(ev, ev.classes[i], n), _near_text(ev, table, i, uid)]) if {
	_split(ev)
	classes := sort([[ca_eval.describe(ev, ev.classes[j]), j] | some j in ca_eval.uncovered_classes(ev, uid)])
	i := classes[0][1]
	n := count(classes) - 1
} else := _near_text(ev, table, ca_eval.uncovered_classes(ev, uid)[0], uid)

# class_prefix is "<the first uncovered class of the user's sign-ins>: " when the policies tell
# classes apart, "" otherwise: for rules that word their own reasons.
class_prefix(ev, uid) := sprintf("%s: ", [_class_text(ev, c, n)]) if {
	_split(ev)
	classes := sort([[ca_eval.describe(ev, ev.classes[i]), i] | some i in ca_eval.uncovered_classes(ev, uid)])
	c := ev.classes[classes[0][1]]
	n := count(classes) - 1
} else := ""

_class_text(ev, c, n) := concat("", [_capitalized(ca_eval.describe(ev, c)), _state_text(ev, c.state), _more_classes_text(n)])

# _state_text names the activated state when the evaluation has both.
_state_text(ev, "activated") := " (in sessions where an eligible role is activated)" if _two_states(ev)

_state_text(ev, _) := "" if not _two_states(ev)

_state_text(ev, "signin") := "" if _two_states(ev)

_more_classes_text(0) := ""

_more_classes_text(1) := " (and 1 more class of sign-ins)"

_more_classes_text(n) := sprintf(" (and %d more classes of sign-ins)", [n]) if n > 1

# near_table is, for each class with uncovered users (by index in ev.classes), the policies that
# come closest to covering it: those with the fewest kinds of shortfall in state, grant and
# conditions (at most three, by name), each as [policy, those reasons]. It does not depend on
# the user, so a rule computes it once; who each policy applies to is added per user or class
# (near_misses), and only for those three: against a class of 100,000 users it costs a pass over
# them per policy.
near_table(ev) := {i: chosen |
	# A blocking policy is a near miss only for a requirement of blocking: for MFA it blocks
	# other classes and says nothing about this one.
	cands := {p | some p in ev.mentioning; ca_eval.in_scope(ev.req, p)} | {p |
		some p in ev.pols
		_near_candidate(ev.req, p)
	}
	cands_list := sort([[ca.name(p), p] | some p in cands])
	some i, c in ev.classes
	count(c.uncovered) > 0
	scored := [[n, pair[0], reasons, pair[1]] |
		some pair in cands_list
		reasons := {r | some part in _cheap_parts(ev, c, pair[1]); some r in part}
		n := count([part | some part in _cheap_parts(ev, c, pair[1]); count(part) > 0])
	]
	best := min({s[0] | some s in scored})
	chosen := [[s[3], s[2]] | some s in array.slice(sort([s | some s in scored; s[0] == best]), 0, 3)]
}

# near_misses is, for class i of ev (and a user, or null for the class's uncovered users), the
# near_table's policies with every reason, as texts.
near_misses(ev, table, i, uid) := sort([text |
	some entry in object.get(table, i, [])
	p := entry[0]
	reasons := entry[1] | _user_misses(ev, ev.classes[i], p, uid)
	count(reasons) > 0
	text := sprintf("%s %s", [ca.label(p), concat(", ", sort(reasons))])
])

_cheap_parts(ev, c, p) := [
	ca.state_reasons(p),
	_grant_reasons(ev.req, p),
	_condition_misses(ev, c, p),
]

_near_candidate(_, p) if not ca.blocks(p)

_near_candidate(req, _) if "block" in req.controls

_near_candidate(req, p) if p.id in object.get(req, "policies", set())

# _grant_reasons says how the policy's grant falls short of the requirement; empty when it blocks
# or enforces it. A weaker authentication strength is named as such.
_grant_reasons(req, p) := set() if {
	ca.blocks(p)
} else := set() if {
	p.id in object.get(req, "policies", set())
} else := {_weak_strength_text(p)} if {
	not ca.mentions(p, req)
	"authenticationStrength" in ca.controls(p)
} else := ca.grant_reasons(p, req)

# _condition_misses says, in ca's words, which conditions keep the policy out of the class.
# Both depend on the policy's shape (its conditions without the users) and the class's atoms
# alone, so they are computed once per distinct shape and class (_shape_misses) rather than for
# every copy of a policy that targets other users.
_condition_misses(ev, c, p) := _shape_misses(
	ca_eval.shape(p),
	{dim: c.groups[dim][0] | some dim in ca_eval.dims},
	ev.filters, ev.req.clientAppTypes,
)

_shape_misses(shape, atoms, filters, clients) := {r |
	some dim in ca_eval.dims
	not ca_eval.matches(dim, shape, atoms[dim], filters)
	some r in _scope_texts({"conditions": shape}, dim, clients)
}

_scope_texts(p, "resources", _) := ca.resource_reasons(p)

_scope_texts(p, "clients", clients) := ca.client_app_reasons(p, clients)

_scope_texts(p, dim, _) := {r |
	some r in ca.condition_reasons(p)
	contains(r, _condition_words[dim])
} if not dim in {"resources", "clients"}

_condition_words := {
	"platforms": "platforms",
	"locations": "locations",
	"signInRisk": "sign-in risk",
	"userRisk": "user risk",
	"insiderRisk": "insider risk",
	"flows": "authentication flows",
	"devices": "filter",
}

_user_misses(_, c, p, uid) := ca.user_reasons(p, uid, c.state) if uid != null

_user_misses(_, c, p, null) := {"does not include any of them"} if {
	count(_reachable(p, c.uncovered, c.state)) == 0
} else := {g.text | some g in ca.exclusion_gaps(p, _reachable(p, c.uncovered, c.state), c.state)}

_near_text(ev, table, i, uid) := concat("; ", near) if {
	near := near_misses(ev, table, i, uid)
	count(near) > 0
} else := _no_counting_reason(ev)

_no_counting_reason(ev) := "no policy requires it" if {
	count(ev.mentioning) + count(ev.pols) == 0
} else := "none of the policies that ask for it counts" if {
	count(ev.pols) == 0
} else := "no enforced policy that requires it applies to them"

_population_reason(ev) := "no policy requires it" if {
	count(ev.pols) + count(ev.mentioning) == 0
} else := "none of the policies that ask for it counts" if {
	count(ev.pols) == 0
} else := sprintf("no enforced policy that requires it applies to %s%s", [ca_eval.describe(ev, c), _more_classes_text(n)]) if {
	_split(ev)
	uncovered := [c | some c in ev.classes; count(c.uncovered) > 0]
	c := sort([[0 - count(x.uncovered), ca_eval.describe(ev, x), x] | some x in uncovered])[0][2]
	n := count(uncovered) - 1
} else := "no enforced policy that requires it includes All users" if {
	every p in ev.pols {
		not ca.includes_all_users(p)
	}
} else := "the enforced policies that require it exclude them or do not include them"

# _split is true when the evaluation has more than one class of sign-ins with uncovered users to
# tell apart: policies that distinguish some dimension, or eligible holders uncovered only in
# their activated sessions.
_split(ev) if count(ca_eval.distinguished(ev)) > 0

_split(ev) if {
	_two_states(ev)
	some c in ev.classes
	c.state == "activated"
	count(c.uncovered) > 0
}

_two_states(ev) if count({c.state | some c in ev.classes}) > 1

# class_violations has one tenant violation per uncovered class of sign-ins: the class in words,
# how many users it leaves uncovered (named up to maxNamedUsers), and the policies that almost
# cover it. At most _max_classes are listed, those with the most users first; one more
# violation counts the rest, so a tenant whose policies cut many classes still gets a readable
# finding.
class_violations(ev) := listed | more if {
	_split(ev)
	table := near_table(ev)
	ranked := sort([[0 - count(c.uncovered), ca_eval.describe(ev, c), c.state, i] |
		some i, c in ev.classes
		count(c.uncovered) > 0
	])
	listed := {{"msg": msg, "entity": entity.tenant} |
		some r in array.slice(ranked, 0, _max_classes)
		c := ev.classes[r[3]]
		msg := sprintf("%s%s: no enforced policy requires %s for %d enabled member users (%s): %s", [
			_capitalized(r[1]), _state_text(ev, c.state), ev.req.what,
			count(c.uncovered), named(c.uncovered), _near_text(ev, table, r[3], null),
		])
	}
	more := {{"msg": msg, "entity": entity.tenant} |
		rest := count(ranked) - _max_classes
		rest > 0
		msg := sprintf("%d more classes of sign-ins leave users without %s (only the %d with the most users are listed)", [rest, ev.req.what, _max_classes])
	}
} else := set()

_max_classes := 10

# tenant_violations explain a tenant-wide cause: security defaults on (they never require more
# than MFA, and Conditional Access policies need them off), or Conditional Access unlicensed.
tenant_violations(req) := on | unlicensed if {
	on := {{"msg": msg, "entity": _security_defaults_entity} |
		security_defaults
		msg := sprintf("Security defaults are on, but they do not require %s; the Conditional Access policies that can require it need security defaults turned off", [req.what])
	}
	unlicensed := {{"msg": msg, "entity": entity.tenant} |
		input.sources["entra.conditionalAccessPolicies"].status == "unlicensed"
		msg := sprintf("The tenant has no Conditional Access (entra.conditionalAccessPolicies is unlicensed: it needs Microsoft Entra ID P1), so no policy can require %s", [req.what])
	}
}

_security_defaults_entity := entity.security_defaults

# shortfall_violations has one violation per policy that asks for the requirement but cannot
# enforce it anywhere: not enabled, or a grant that offers an alternative. Narrowing conditions
# are not shortfalls: other policies may cover the rest, which the class violations judge.
shortfall_violations(req) := {{"msg": msg, "entity": entity.ca_policy(p)} |
	some p in mentioning(req)
	reasons := (ca.state_reasons(p) | _grant_reasons(req, p)) | unreachable(p)
	count(reasons) > 0
	msg := sprintf("%s does not count towards requiring %s: it %s", [ca.label(p), req.what, concat(", ", sort(reasons))])
}

# unreachable says why a policy reaches no sign-in of a user at all: it targets no user, only
# workload identities, or no resource (user actions and authentication contexts are not
# resources).
unreachable(p) := ({"targets no users" | not ca.targets_users(p)} | {r |
	ca.targets_workloads(p)
	some r in ca.condition_reasons(p)
	startswith(r, "targets workload")
}) | {r |
	count([a | some a in object.get(p, ["conditions", "applications", "includeApplications"], []); a != "None"]) == 0
	some r in ca.resource_reasons(p)
}

_weak_strength_text(p) := sprintf("requires authentication strength '%s', which allows methods that are not phishing-resistant (%s)", [
	_strength_name(s),
	concat("; ", sort(weak)),
]) if {
	s := p.grantControls.authenticationStrength
	weak := [c | some c in object.get(s, "allowedCombinations", []); not c in ca.phishing_resistant_methods]
	count(weak) > 0
} else := sprintf("requires authentication strength '%s', whose allowed methods are not in the snapshot", [_strength_name(p.grantControls.authenticationStrength)])

_strength_name(s) := n if {
	n := s.displayName
	is_string(n)
} else := object.get(s, "id", "?")

# gap_violations has one violation per relevant policy whose exclusions leave some of the
# uncovered users out. A policy that targets groups or roles is only charged for the users it
# includes: excluding a contractor from an admins-only policy leaves no admin out.
gap_violations(ev) := {{"msg": msg, "entity": entity.ca_policy(p)} |
	some st, left in ev.by_state
	some p in ev.pols
	not ca.blocks(p)
	count(ca.exclusion_gaps(p, left, st)) > 0 # cheap: what _reachable costs is only paid for policies with a gap
	gaps := ca.exclusion_gaps(p, _reachable(p, left, st), st)
	count(gaps) > 0
	msg := sprintf("%s requires %s but %s", [ca.label(p), ev.req.what, _join_gaps(gaps)])
}

_reachable(p, uids, st) := uids if {
	ca.includes_all_users(p)
} else := uids & ca.explicitly_included_ids(p, st)

# gaps_text is every exclusion of the policy that takes out some of `uids` (in state `st`), each
# saying it is not break-glass (a declared break-glass account is never among the uncovered),
# joined; "" if none.
gaps_text(p, uids, st) := _join_gaps(ca.exclusion_gaps(p, uids, st))

_join_gaps(gaps) := concat("; ", sort([_gap_text(g) | some g in gaps]))

_gap_text(g) := sprintf("%s, who is not a declared break-glass account", [g.text]) if {
	g.kind == "user"
} else := sprintf("%s, which is not a declared break-glass group", [g.text]) if {
	g.kind == "group"
} else := g.text

# --- names --------------------------------------------------------------------------------

_max_named := params.value("maxNamedUsers")

_max_listed := params.value("maxListedUsers")

# named renders up to maxNamedUsers of the users (the first object ids in order) as UPNs, and
# counts the rest, so a tenant-wide gap neither yields a 100,000-name message nor looks up
# 100,000 names.
named(ids) := users.upns(ids) if {
	count(ids) <= _max_named
} else := sprintf("%s and %d more", [users.upns(array.slice(sort(ids), 0, _max_named)), count(ids) - _max_named])

_capitalized(s) := concat("", [upper(substring(s, 0, 1)), substring(s, 1, -1)])
