# The Conditional Access evaluator: whether every sign-in of a population ends in a requirement
# (multifactor authentication, phishing-resistant MFA, a compliant device, a block, ...) the way
# Microsoft Entra evaluates policies, and which classes of sign-ins do not.
#
# How Entra decides (Microsoft Learn, "Building a Conditional Access policy",
# https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-policies,
# and "Conditional Access policy: Multiple policies apply"): every enabled policy whose
# assignments and conditions match a sign-in applies, and all of them must be satisfied; a policy
# that blocks access wins over every grant; exclusions take precedence over inclusions
# (https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-conditional-access-users-groups);
# report-only policies enforce nothing.
#
# Hence a sign-in ends in a requirement when at least one applying, enabled policy blocks or
# enforces it on its own: grants of different policies combine with AND, so a conjunction of
# "control A OR control B" clauses implies a requirement exactly when one clause does (a policy
# offering "mfa OR compliantDevice" never enforces MFA, whatever else applies). Such policies are
# the *relevant* ones; every other policy leaves the answer unchanged.
#
# The sign-in space is cut into classes along the dimensions the relevant policies distinguish:
# resources (All, Office 365, the apps they name, everything else; user actions and
# authentication contexts are not resource sign-ins), client app types, device platforms,
# locations (each named location they use, other trusted, other untrusted), sign-in risk, user
# risk, insider risk, authentication flows and device filters (each distinct filter rule is a
# yes/no question about the device). On each dimension the atoms that every relevant policy
# treats alike are merged, so a tenant whose policies use only platforms has as many classes as
# distinct platform groups, never the product of every value of every condition. In each class
# the relevant policies whose conditions match form a set; the users whom none of that set
# applies to are uncovered in that class. Distinct sets are evaluated once, with set arithmetic
# over who each policy includes and excludes (uncovered_by), so the cost grows with the number of
# distinct classes and the exclusions, not with users x policies.
#
# Who a policy applies to depends on the session's state for PIM-eligible role holders (see
# posture.lib.roles.ca_holder_ids): coverage of all users evaluates the plain state for
# everyone and the activated state for the eligible-only holders of roles the relevant policies
# name; coverage of admins evaluates the activated state, their admin sessions.
package posture.lib.ca_eval

import data.posture.lib.breakglass
import data.posture.lib.ca
import data.posture.lib.ca_conditions
import data.posture.lib.roles
import data.posture.lib.users

# --- relevant policies ---------------------------------------------------------------------

# relevant is the list of enabled policies for users that block access or enforce one of the
# requirement's controls on their own, or whose id is in the requirement's `policies` (for
# requirements a rule judges itself, such as session controls).
relevant(req) := [p | some p in _user_policies; _ends(p, req)]

# _user_policies is the list of enabled policies for users: what every requirement's relevant
# policies are picked from, listed once per evaluation rather than once per requirement.
_user_policies := [p |
	some p in ca.policies
	ca.enabled(p)
	ca.targets_users(p)
	not ca.targets_workloads(p)
]

_ends(p, _) if ca.blocks(p)

_ends(p, req) if ca.enforces(p, req.controls)

_ends(p, req) if p.id in object.get(req, "policies", set())

# --- dimensions and their atoms -----------------------------------------------------------

_levels := ["none", "low", "medium", "high"]

_flows := ["none", "deviceCodeFlow", "authenticationTransfer"]

# "other" stands for a platform Conditional Access cannot identify: only "all" matches it
# (Microsoft Learn, "Conditional Access: Conditions", device platforms).
_platforms := ["android", "iOS", "windows", "windowsPhone", "macOS", "linux", "other"]

_insider := ["none", "minor", "moderate", "elevated"]

# office365_apps are apps that belong to the Office 365 app group, so a policy for Office 365
# covers a policy's named app among them (Microsoft Learn, "Conditional Access: Target resources",
# Office 365): Exchange Online, SharePoint Online, Microsoft Teams, Skype for Business Online.
office365_apps := {
	"00000002-0000-0ff1-ce00-000000000000": "Exchange Online",
	"00000003-0000-0ff1-ce00-000000000000": "SharePoint Online",
	"cc15fd57-2c6c-4117-a88c-83b1d56b4bbe": "Microsoft Teams",
	"00000004-0000-0ff1-ce00-000000000000": "Skype for Business Online",
}

_app_groups := {"All", "None", "Office365", "MicrosoftAdminPortals"}

_at(obj, path) := v if {
	v := object.get(obj, path, null)
	is_array(v)
} else := []

# shape is the part of a policy the class of a sign-in depends on: its conditions without the
# users. Policies that share it (copies for different groups) are matched once.
shape(p) := object.remove(object.get(p, "conditions", {}), ["users"]) if is_object(object.get(p, "conditions", null))

shape(p) := {} if not is_object(object.get(p, "conditions", null))

# atoms is, per dimension, the values a sign-in can take there, given the shapes.
atoms(req, shapes) := {
	"resources": object.get(req, "resources", _resource_atoms(shapes)),
	"clients": sort(req.clientAppTypes),
	"platforms": _platforms,
	"locations": _location_atoms(shapes),
	"signInRisk": object.get(req, "signInRisk", _levels),
	"userRisk": object.get(req, "userRisk", _levels),
	"insiderRisk": _insider,
	"flows": object.get(req, "flows", _flows),
	"devices": numbers.range(0, bits.lsh(1, count(filters(shapes))) - 1),
}

_resource_atoms(shapes) := sort({a |
	some c in shapes
	some key in ["includeApplications", "excludeApplications"]
	some a in _at(c, ["applications", key])
	not a in _app_groups
} | {"Office365", "MicrosoftAdminPortals", "*"})

_location_atoms(shapes) := sort({a |
	some c in shapes
	some key in ["includeLocations", "excludeLocations"]
	some a in _at(c, ["locations", key])
	not a in {"All", "AllTrusted"}
} | {"otherTrusted", "otherUntrusted"})

# filters is the sorted list of distinct device filter rules: atom n of "devices" is the device
# that matches rule i exactly when bit i of n is set.
filters(shapes) := sort({f.rule |
	some c in shapes
	f := object.get(c, ["devices", "deviceFilter"], null)
	is_object(f)
})

# --- matching a shape against an atom ------------------------------------------------------

# matches is true when conditions `c` let a sign-in with value `a` on dimension `dim` through.
# A user action (e.g. urn:user:registersecurityinfo, which a requirement may name as its only
# resource) is matched only by policies for that action: "All resources" does not include user
# actions (Microsoft Learn, "Conditional Access: Target resources", user actions).
matches("resources", c, a, _) if {
	startswith(a, "urn:user:")
	some x in _at(c, ["applications", "includeUserActions"])
	lower(x) == a
}

matches("resources", c, a, _) if {
	not startswith(a, "urn:user:")
	not is_object(object.get(c, ["applications", "applicationFilter"], null))
	some e in _at(c, ["applications", "includeApplications"])
	_app_covers(e, a)
	not _app_excluded(c, a)
}

matches("clients", c, _, _) if _all_clients(c)

matches("clients", c, a, _) if a in _at(c, ["clientAppTypes"])

matches("platforms", c, a, _) if {
	include := _at(c, ["platforms", "includePlatforms"])
	_platform_in(include, a)
	not _platform_in(_at(c, ["platforms", "excludePlatforms"]), a)
}

matches("platforms", c, a, _) if {
	count(_at(c, ["platforms", "includePlatforms"])) == 0
	not _platform_in(_at(c, ["platforms", "excludePlatforms"]), a)
}

matches("locations", c, a, _) if {
	include := _at(c, ["locations", "includeLocations"])
	_location_in(include, a)
	not _location_in(_at(c, ["locations", "excludeLocations"]), a)
}

matches("locations", c, a, _) if {
	count(_at(c, ["locations", "includeLocations"])) == 0
	not _location_in(_at(c, ["locations", "excludeLocations"]), a)
}

matches("signInRisk", c, a, _) if _level_in(ca_conditions.risk_levels({"conditions": c}, "signInRiskLevels"), a)

matches("userRisk", c, a, _) if _level_in(ca_conditions.risk_levels({"conditions": c}, "userRiskLevels"), a)

matches("insiderRisk", c, a, _) if _level_in(_insider_levels(c), a)

matches("flows", c, a, _) if _level_in(ca_conditions.transfer_methods({"conditions": c}), a)

matches("devices", c, _, _) if {
	f := object.get(c, ["devices", "deviceFilter"], null)
	not is_object(f)
}

matches("devices", c, a, rules) if {
	f := object.get(c, ["devices", "deviceFilter"], null)
	is_object(f)
	some i, r in rules
	r == f.rule
	_filter_passes(object.get(f, "mode", "include"), bits.and(a, bits.lsh(1, i)) != 0)
}

_filter_passes("exclude", false)

_filter_passes(mode, true) if mode != "exclude"

_app_covers("All", _)

_app_covers(e, e)

_app_covers("Office365", a) if office365_apps[a]

_app_excluded(c, a) if {
	some e in _at(c, ["applications", "excludeApplications"])
	_app_covers(e, a)
}

_all_clients(c) if count(_at(c, ["clientAppTypes"])) == 0

_all_clients(c) if "all" in _at(c, ["clientAppTypes"])

_platform_in(list, _) if "all" in list

_platform_in(list, a) if a in list

_location_in(list, _) if "All" in list

_location_in(list, a) if a in list

_location_in(list, a) if {
	"AllTrusted" in list
	trusted(a)
}

# trusted is true for a location atom that is trusted: a named location marked trusted, or the
# trusted locations no policy names.
trusted("otherTrusted")

trusted(a) if {
	some l in ca.named_locations
	l.id == a
	l.isTrusted == true
}

# A condition with no levels selected lets every level through.
_level_in(levels, _) if count(levels) == 0

_level_in(levels, a) if a in levels

_insider_levels(c) := {l |
	raw := object.get(c, ["insiderRiskLevels"], "")
	is_string(raw)
	some part in split(raw, ",")
	l := trim_space(part)
	not l in {"", "none"}
}

# --- classes --------------------------------------------------------------------------------

# dims is the list of dimensions of the sign-in space.
dims := ["resources", "clients", "platforms", "locations", "signInRisk", "userRisk", "insiderRisk", "flows", "devices"]

# partition is, per dimension, the groups of atoms every shape treats alike: a list of
# {"atoms": [...], "shapes": set of shape indexes that match them}.
partition(req, shapes) := {dim: groups |
	all_atoms := atoms(req, shapes)
	rules := filters(shapes)
	some dim in dims
	sigs := {a: {i | some i, c in shapes; matches(dim, c, a, rules)} | some a in all_atoms[dim]}
	groups := sort([{"atoms": sort([a | some a, s2 in sigs; s2 == s]), "shapes": s} | some s in {s1 | some _, s1 in sigs}])
}

# cells is the list of classes: one group per dimension, with the shapes matching all of them.
cells(parts) := [{"groups": g, "shapes": s} |
	some r in parts.resources
	some cl in parts.clients
	some pl in parts.platforms
	some lo in parts.locations
	some sr in parts.signInRisk
	some ur in parts.userRisk
	some ir in parts.insiderRisk
	some fl in parts.flows
	some dv in parts.devices
	s := (((((((r.shapes & cl.shapes) & pl.shapes) & lo.shapes) & sr.shapes) & ur.shapes) & ir.shapes) & fl.shapes) & dv.shapes
	g := {
		"resources": r.atoms, "clients": cl.atoms, "platforms": pl.atoms, "locations": lo.atoms,
		"signInRisk": sr.atoms, "userRisk": ur.atoms, "insiderRisk": ir.atoms, "flows": fl.atoms,
		"devices": dv.atoms,
	}
]

# --- evaluation -----------------------------------------------------------------------------

# evaluate judges the requirement over populations per session state: `states` maps "signin"
# and/or "activated" to a set of user ids. The result:
#
#	pols       the relevant policies
#	parts      partition(...), per dimension its groups of atoms
#	filters    the device filter rules (for texts)
#	classes    [{groups, state, policies: [relevant policies applying in the class], uncovered}]
#	by_state   per state, the users uncovered in some class of that state
#	uncovered  the users uncovered in some class, declared break-glass accounts left out
evaluate(req, states) := _evaluate(req, relevant(req), states)

_evaluate(req, rel, states) := {
	"req": req,
	"pols": pols,
	"parts": parts,
	"filters": filters(shapes),
	"classes": classes,
	"by_state": by_state,
	"uncovered": _union_of(by_state),
} if {
	with_shapes := [[shape(p), p] | some p in rel]
	all_shapes := {x[0] | some x in with_shapes}
	candidate_atoms := atoms(req, all_shapes)
	candidate_rules := filters(all_shapes)

	# A policy that matches no sign-in of the requirement's scope (a legacy-client block for
	# device code flow, an app policy for a user action) cannot cover any of it: leaving it out
	# keeps it from splitting classes.
	shapes := sort({c | some c in all_shapes; _in_scope(c, candidate_atoms, candidate_rules)})
	index := {c: i | some i, c in shapes}
	shape_pols := {i: [x[1] | some x in with_shapes; index[x[0]] == i] | some i, _ in shapes}
	pols := [p | some i, _ in shapes; some p in shape_pols[i]]
	parts := partition(req, shapes)
	all_cells := cells(parts)
	keys := {c.shapes | some c in all_cells}

	# Who a policy applies to depends on its users condition alone (ca.users_condition): each
	# shape's policies are reduced to their distinct conditions, All-users ones apart.
	shape_all := {i: {ca.users_condition(p) | some p in shape_pols[i]; ca.includes_all_users(p)} | some i, _ in shapes}
	shape_targeted := {i: {ca.users_condition(p) | some p in shape_pols[i]; not ca.includes_all_users(p)} | some i, _ in shapes}
	by := {st: {k: uncovered_by(union({shape_all[i] | some i in k}), union({shape_targeted[i] | some i in k}), pop, st) | some k in keys} |
		some st, pop in states
	}
	classes := [object.union(c, {"state": st, "policies": _pols_of(shape_pols, c.shapes), "uncovered": by[st][c.shapes]}) |
		some st, _ in states
		some c in all_cells
	]
	by_state := {st: _state_union(by[st]) | some st, _ in states}
}

# _state_union is the union of a state's uncovered sets; when some class has no relevant policy
# its set (everyone) is the union, and is taken as is instead of copying every user again.
_state_union(by_key) := by_key[set()] if {
	by_key[set()]
} else := _union_of(by_key)

# _union_of is the union of the sets in `sets` (an object whose values are sets). When the
# largest holds every other it is that set itself, shared rather than copied (sets are
# iterated as an array: a set of sets would be sorted, and sorting compares whole sets): the uncovered sets
# of a tenant's classes and states mostly nest, and on a large tenant a union copies up to
# 100,000 ids. The test intersects (no sorting), where a set difference would first sort both.
_union_of(sets) := xs[i] if {
	xs := [s | some s in sets]
	n := max([count(s) | some s in xs])
	i := [j | some j, s in xs; count(s) == n][0]
	every j, s in xs {
		_within(j, i, s, xs[i])
	}
} else := union({s | some s in sets})

_within(i, i, _, _)

_within(j, i, s, big) if {
	j != i
	count(s & big) == count(s)
}

_in_scope(c, all_atoms, rules) if {
	every dim in dims {
		some a in all_atoms[dim]
		matches(dim, c, a, rules)
	}
}

# in_scope is true when the policy's conditions match some sign-in of the requirement's scope.
in_scope(req, p) if {
	c := shape(p)
	_in_scope(c, atoms(req, {c}), filters({c}))
}

_pols_of(shape_pols, k) := [p | some i in k; some p in shape_pols[i]]

# members evaluates the requirement over enabled member users: every user in the plain state,
# and the eligible-only holders of the roles the relevant policies name also in the activated
# state (both are sessions they have).
members(req) := _evaluate(req, rel, {
	"signin": _members_but_breakglass,
	"activated": eligible_only(rel) & _members_but_breakglass,
}) if {
	rel := relevant(req)
}

# _members_but_breakglass is the enabled member users without the declared break-glass
# accounts, made once per evaluation: uncovered_by leaves those accounts out of every population
# anyway, and with them already out a class that no policy reaches is this set itself instead of
# a fresh copy of every user for each requirement.
_members_but_breakglass := _but_breakglass(users.enabled_member_ids)

# population evaluates the requirement over any set of users, in the plain state and, for its
# eligible-only holders of roles the relevant policies name, in the activated state.
population(req, ids) := _evaluate(req, rel, {
	"signin": ids,
	"activated": eligible_only(rel) & ids,
}) if {
	rel := relevant(req)
}

# admins evaluates the requirement over `ids` (admins) in their admin sessions: the activated
# state.
admins(req, ids) := evaluate(req, {"activated": ids})

# eligible_only is the set of eligible-only holders of the roles the policies include or exclude.
eligible_only(pols) := union({roles.eligible_only_ids(r) |
	some p in pols
	some key in ["includeRoles", "excludeRoles"]
	some r in _at(p, ["conditions", "users", key])
})

# uncovered_by is the set of users of `population` whom no policy applies to in state `st`,
# declared break-glass accounts left out, given the distinct users conditions
# (ca.users_condition) of the policies: `all_users` of those that include All users, `targeted`
# of the others. It is computed so that the usual tenant costs almost nothing: with an All-users
# policy only the users every such policy excludes are candidates, break-glass accounts are
# dropped from them first (often leaving none), and a few candidates are checked one by one
# against the targeted conditions (ca.applies_to) instead of materializing what those include;
# guest-type inclusions would otherwise cost a pass over every user.
uncovered_by(all_users, targeted, population, st) := _remaining(targeted, candidates, st) if {
	count(all_users) > 0
	candidates := intersection({(ca.excluded_ids(ca.by_users(u), st) & population) | some u in all_users}) - breakglass.account_ids
} else := _but_breakglass(population) if {
	count(targeted) == 0
} else := _remaining(targeted, _but_breakglass(population), st) if {
	count(population) * count(targeted) <= _one_by_one_budget
} else := population - (union({ca.applied_ids(ca.by_users(u), st) | some u in targeted}) | breakglass.account_ids)

# _but_breakglass is ids without the declared break-glass accounts: ids itself when it holds none
# of them (the intersection walks the smaller set, the accounts), since a set difference copies
# every id even when it removes none.
_but_breakglass(ids) := ids if {
	count(ids & breakglass.account_ids) == 0
} else := ids - breakglass.account_ids

_remaining(targeted, candidates, st) := candidates if {
	count(candidates) * count(targeted) == 0
} else := {uid |
	some uid in candidates
	every u in targeted {
		not ca.applies_to(ca.by_users(u), uid, st)
	}
} if {
	count(candidates) * count(targeted) <= _one_by_one_budget
} else := candidates - union({ca.applied_ids(ca.by_users(u), st) | some u in targeted})

# Checking one user against one policy costs a few microseconds; past this many checks the set
# arithmetic is cheaper.
_one_by_one_budget := 5000

# --- texts ----------------------------------------------------------------------------------

# distinguished is the list of dimensions on which the relevant policies tell sign-ins apart.
distinguished(ev) := [dim | some dim in dims; count(ev.parts[dim]) > 1]

# describe renders a class in words, e.g. "mobile app and desktop client sign-ins to Exchange
# Online on android devices from outside trusted locations", naming only the dimensions the policies tell apart ("all
# sign-ins" when they tell none apart).
describe(ev, c) := "all sign-ins" if {
	count(described(ev)) == 0
} else := concat(" ", array.concat(
	[sprintf("%s client", [concat(" or ", [_client_name(x) | some x in c.groups.clients])]) | "clients" in described(ev)],
	array.concat(["sign-ins"], [dimension_text(ev, dim, c.groups[dim]) | some dim in described(ev); dim != "clients"]),
))

# described is the list of dimensions a class's words name: those the policies tell apart, and
# those the requirement itself narrows (legacy clients, device code flow, high risk).
described(ev) := [dim | some dim in dims; _described(ev, dim)]

_described(ev, dim) if count(ev.parts[dim]) > 1

_described(ev, "clients") if count(ev.req.clientAppTypes) < 4

_described(ev, dim) if {
	dim in {"resources", "signInRisk", "userRisk", "flows"}
	ev.req[dim]
}

# dimension_text renders one dimension's group of atoms.
dimension_text(ev, "resources", xs) := sprintf("to resources other than %s", [_resource_names(_complement(ev, "resources", xs))]) if {
	_complement_shorter(ev, "resources", xs)
} else := sprintf("to %s", [_resource_names(xs)])

dimension_text(_, "clients", xs) := sprintf("from %s clients", [concat(", ", [_client_name(x) | some x in xs])])

dimension_text(ev, "platforms", xs) := sprintf("on platforms other than %s", [concat(", ", [_platform_name(x) | some x in _complement(ev, "platforms", xs)])]) if {
	_complement_shorter(ev, "platforms", xs)
} else := sprintf("on %s devices", [concat(", ", [_platform_name(x) | some x in xs])])

dimension_text(ev, "locations", xs) := sprintf("from locations other than %s", [_location_names(ev, _complement(ev, "locations", xs))]) if {
	_complement_shorter(ev, "locations", xs)
} else := sprintf("from %s", [_location_names(ev, xs)])

# A group of atoms is named by what it leaves out when that is shorter: "platforms other than
# android, iOS" rather than the five others.
_complement(ev, dim, xs) := sort([a | some g in ev.parts[dim]; some a in g.atoms; not a in xs])

_complement_shorter(ev, dim, xs) if {
	n := count(_complement(ev, dim, xs))
	n > 0
	n < count(xs)
}

_resource_names(xs) := concat(", ", array.concat(
	[_resource_name(x) | some x in xs; x != "*"],
	["other resources" | "*" in xs],
))

_location_names(ev, xs) := concat(", ", array.concat(
	[sprintf("%s %s", [_named_word(named_ids), ca.location_names(named_ids)]) | count(named_ids) > 0],
	[_location_name(x, other) | some x in xs; x in {"otherTrusted", "otherUntrusted"}],
)) if {
	named_ids := [x | some x in xs; not x in {"otherTrusted", "otherUntrusted"}]
	other := _named_trusted_bool(ev)
}

_named_word(ids) := "named location" if count(ids) == 1

_named_word(ids) := "named locations" if count(ids) > 1

dimension_text(_, "signInRisk", xs) := sprintf("at sign-in risk %s", [concat(", ", xs)])

dimension_text(_, "userRisk", xs) := sprintf("at user risk %s", [concat(", ", xs)])

dimension_text(_, "insiderRisk", xs) := sprintf("at insider risk %s", [concat(", ", xs)])

dimension_text(_, "flows", xs) := concat(" or ", [_flow_name(x) | some x in xs])

dimension_text(ev, "devices", xs) := sprintf("from devices %s", [concat(" or ", [_device_text(ev.filters, x) | some x in xs])])

_resource_name("urn:user:registersecurityinfo") := "the user action Register security information"

_resource_name("urn:user:registerdevice") := "the user action Register or join devices"

_resource_name("*") := "other resources"

_resource_name("Office365") := "Office 365"

_resource_name("MicrosoftAdminPortals") := "Microsoft Admin Portals"

_resource_name(a) := office365_apps[a]

_resource_name(a) := sprintf("app %s", [a]) if {
	not a in {"*", "Office365", "MicrosoftAdminPortals", "urn:user:registersecurityinfo", "urn:user:registerdevice"}
	not office365_apps[a]
}

_client_name("browser") := "browser"

_client_name("mobileAppsAndDesktopClients") := "mobile app and desktop"

_client_name("exchangeActiveSync") := "Exchange ActiveSync"

_client_name("other") := "other legacy"

_platform_name("other") := "unidentified-platform"

_platform_name(a) := a if a != "other"

# _named_trusted is true when a policy names a trusted location: the trusted locations it does not
# name are then "other" ones.
_named_trusted(ev) if {
	some g in ev.parts.locations
	some a in g.atoms
	a != "otherTrusted"
	trusted(a)
}

_named_trusted_bool(ev) if _named_trusted(ev)

_named_trusted_bool(ev) := false if not _named_trusted(ev)

_location_name("otherTrusted", true) := "other trusted locations"

_location_name("otherTrusted", false) := "trusted locations"

_location_name("otherUntrusted", _) := "outside trusted locations"

_flow_name("none") := "outside device code and authentication transfer flows"

_flow_name("deviceCodeFlow") := "using device code flow"

_flow_name("authenticationTransfer") := "using authentication transfer"

_device_text(rules, a) := concat(" and ", [sprintf("%s filter '%s'", [_filter_verb(bits.and(a, bits.lsh(1, i)) != 0), r]) | some i, r in rules])

_filter_verb(true) := "matching"

_filter_verb(false) := "not matching"

# uncovered_classes is the list of the indexes of the classes where the user is uncovered.
uncovered_classes(ev, uid) := [i | some i, c in ev.classes; uid in c.uncovered]
