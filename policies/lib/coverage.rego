# Coverage of a Conditional Access requirement (see posture.lib.ca: mfa, phishing_resistant_mfa,
# managed_device, ...) over a population of users - enabled member users or admins, declared
# break-glass accounts always left out - and the violations that say why it falls short.
#
# The violations are bounded by policies and exclusions, not by users: one per policy that asks
# for the requirement but does not count, one per counting policy whose exclusions leave users
# out, and one summary naming at most maxNamedUsers users (admins, who are few, get one each, up
# to maxListedUsers). A 100,000-user tenant therefore yields a finding a person can read, and the
# work is proportional to exclusions and policies (see uncovered), never a loop over all users.
package posture.lib.coverage

import data.posture.lib.breakglass
import data.posture.lib.ca
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

# counting is the list of policies that count for the requirement (see ca.counts).
counting(req) := [p | some p in mentioning(req); ca.counts(p, req)]

# uncovered_members is the set of enabled member users, break-glass accounts left out, whom no
# counting policy covers.
uncovered_members(req) := uncovered(counting(req), users.enabled_member_ids)

# uncovered_admins is the set of admins whom no counting policy covers.
uncovered_admins(req) := uncovered(counting(req), admins)

# uncovered is the set of users of `population` (a set of user ids) that none of `pols` (the
# policies that count) applies to, declared break-glass accounts left out, computed so that the
# usual tenant costs almost nothing: with an All-users policy only the users every such policy
# excludes are candidates, break-glass accounts are dropped from them first (often leaving
# none), and a few candidates are checked one by one against the targeted policies
# (ca.applies_to) instead of materializing what those policies include; guest-type inclusions
# would otherwise cost a pass over every user.
uncovered(pols, population) := _left(pols, candidates) if {
	all_users := [p | some p in pols; ca.includes_all_users(p)]
	count(all_users) > 0
	candidates := intersection({(ca.excluded_ids(p) & population) | some p in all_users}) - breakglass.account_ids
} else := _left(pols, population - breakglass.account_ids)

_left(pols, candidates) := _remaining([p | some p in pols; not ca.includes_all_users(p)], candidates)

_remaining(targeted, candidates) := candidates if {
	count(candidates) * count(targeted) == 0
} else := {uid |
	some uid in candidates
	every p in targeted {
		not ca.applies_to(p, uid)
	}
} if {
	count(candidates) * count(targeted) <= _one_by_one_budget
} else := candidates - union({(ca.explicitly_included_ids(p) - ca.excluded_ids(p)) | some p in targeted})

# Checking one user against one policy costs a few microseconds; past this many checks the set
# arithmetic is cheaper.
_one_by_one_budget := 5000

# unverifiable is the set of reasons the snapshot cannot tell whom a counting policy covers.
unverifiable(req) := {msg |
	some p in counting(req)
	some msg in ca.unverifiable(p)
}

# unverifiable_admins adds the privileged roles held through groups whose members were not
# collected: their holders cannot be checked.
unverifiable_admins(req) := unverifiable(req) | admin_group_errors

# admin_group_errors is the set of privileged roles (posture's, and SCuBA's highly privileged
# ones) held through groups whose members were not collected: the admins among their holders
# cannot be checked.
admin_group_errors := {msg |
	some g in roles.unexpanded_group_grants
	g.roleId in (roles.privileged | scuba.privileged_roles)
	msg := sprintf("%s is assigned to group '%s' whose members are not in the snapshot (entra.groupMembers), so its holders cannot be checked", [roles.name(g.roleId), groups.name(g.principalId)])
}

# --- SCuBA's highly privileged roles ------------------------------------------------------

# scuba_uncovered_admins is the set of SCuBA's admins (posture.lib.scuba.admins: holders of
# the baseline's highly privileged roles) whom no counting policy covers, whatever the
# privilegedRoles parameter says: what an MS.AAD control about privileged roles is judged on.
scuba_uncovered_admins(req) := uncovered(counting(req), scuba.admins)

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
	some uid in uncovered
	scuba.holds_privileged(uid)
} else := other

# scuba_only_admin_violations are the violations, tagged with `scuba_control` alone, for SCuBA's
# admins whom no counting policy covers and whom posture's population leaves out (an
# organization's privilegedRoles without one of SCuBA's roles): posture's own judgement passes
# them, the SCuBA control does not.
scuba_only_admin_violations(req, scuba_control) := {v |
	some uid in (scuba_uncovered_admins(req) - admins)
	msg := sprintf("%s (%s) holds a role CISA SCuBA counts as highly privileged (not in parameter privilegedRoles) and is not required to use %s by an enforced Conditional Access policy: %s", [
		users.upn(uid), scuba.role_names(uid), req.what, _admin_reason(req, uid),
	])
	v := {"msg": msg, "entity": entity.user(uid), "controls": [scuba_control]}
}

# --- violations ---------------------------------------------------------------------------

# member_violations is what a rule over all enabled member users reports when `uncovered` (from
# uncovered_members) is not empty: tenant notes, the policies that do not count, the exclusions
# that leave users out, and one summary.
member_violations(req, uncovered) := set() if {
	count(uncovered) == 0
} else := ((tenant_violations(req) | shortfall_violations(req)) | gap_violations(req, uncovered)) | {{
	"msg": sprintf("%s is not required by Conditional Access for %d of %d enabled member users (%s): %s", [
		_capitalized(req.what), count(uncovered), members_total,
		_population_reason(req), named(uncovered),
	]),
	"entity": entity.tenant,
}}

# admin_violations is what a rule over admins reports when `uncovered` (from uncovered_admins)
# is not empty: tenant notes, the policies that do not count, and one violation per uncovered
# admin (up to maxListedUsers) naming their roles and how each counting policy misses them.
admin_violations(req, uncovered) := set() if {
	count(uncovered) == 0
} else := ((tenant_violations(req) | shortfall_violations(req)) | _per_admin(req, uncovered)) | _more_admins(req, uncovered)

_per_admin(req, uncovered) := {{"msg": msg, "entity": entity.user(uid)} |
	some uid in array.slice(sort(uncovered), 0, _max_listed)
	msg := sprintf("%s (%s) is not required to use %s by an enforced Conditional Access policy: %s", [
		users.upn(uid), privileged.role_names(uid), req.what,
		_admin_reason(req, uid),
	])
}

_more_admins(req, uncovered) := {{"msg": msg, "entity": entity.tenant} |
	rest := count(uncovered) - _max_listed
	rest > 0
	msg := sprintf("%d more admins are not required to use %s (only the first %d are listed; raise parameter maxListedUsers to list more)", [rest, req.what, _max_listed])
}

_admin_reason(req, uid) := _no_counting_reason(req) if {
	count(counting(req)) == 0
} else := concat("; ", texts) if {
	texts := sort([sprintf("%s %s", [ca.label(p), concat(", ", sort(reasons))]) |
		some p in counting(req)
		reasons := ca.user_reasons(p, uid)
		count(reasons) > 0
	])
	count(texts) > 0
} else := "no enforced policy that requires it applies to them"

_no_counting_reason(req) := "no policy requires it" if {
	count(mentioning(req)) == 0
} else := "none of the policies that ask for it counts"

_population_reason(req) := _no_counting_reason(req) if {
	count(counting(req)) == 0
} else := "no enforced policy that requires it includes All users" if {
	every p in counting(req) {
		not ca.includes_all_users(p)
	}
} else := "the enforced policies that require it exclude them or do not include them"

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

# shortfall_violations has one violation per policy that asks for the requirement but does not
# count for it, listing every shortfall.
shortfall_violations(req) := {{"msg": msg, "entity": entity.ca_policy(p)} |
	some p in mentioning(req)
	reasons := _shortfalls(p, req)
	count(reasons) > 0
	msg := sprintf("%s does not count towards requiring %s: it %s", [ca.label(p), req.what, concat(", ", sort(reasons))])
}

# A weaker authentication strength is named, instead of ca's generic grant text.
_shortfalls(p, req) := (ca.shortfalls(p, req) - ca.grant_reasons(p, req)) | {_weak_strength_text(p)} if {
	not ca.mentions(p, req)
} else := ca.shortfalls(p, req)

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

# gap_violations has one violation per counting policy whose exclusions leave some of
# `uncovered` out. A policy that targets groups or roles is only charged for the users it
# includes: excluding a contractor from an admins-only policy leaves no admin out.
gap_violations(req, uncovered) := {{"msg": msg, "entity": entity.ca_policy(p)} |
	some p in counting(req)
	count(ca.exclusion_gaps(p, uncovered)) > 0 # cheap: what _reachable costs is only paid for policies with a gap
	gaps := ca.exclusion_gaps(p, _reachable(p, uncovered))
	count(gaps) > 0
	msg := sprintf("%s requires %s but %s", [ca.label(p), req.what, _join_gaps(gaps)])
}

_reachable(p, uids) := uids if {
	ca.includes_all_users(p)
} else := uids & ca.explicitly_included_ids(p)

# gaps_text is every exclusion of the policy that takes out some of `uids`, each saying it is not
# break-glass (a declared break-glass account is never among the uncovered), joined; "" if none.
gaps_text(p, uids) := _join_gaps(ca.exclusion_gaps(p, uids))

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
