# Conditional Access semantics: who a policy applies to, whether it is in force, what it
# targets, what its grant enforces, and - for every way a policy falls short of a requirement -
# a reason text ("is report-only", "is limited to platforms android, iOS", ...).
#
# A requirement is an object
#   {"controls": <grant controls any of which satisfies it>, "what": <text>,
#    "clientAppTypes": <client app types whose sign-ins are in question>}
# (see mfa, phishing_resistant_mfa, legacy_block, device_code_block, block_all, managed_device),
# optionally narrowed further for posture.lib.ca_eval ("flows", "signInRisk", "userRisk",
# "resources") or naming the policies that satisfy it ("policies"). Whether a population is
# covered is posture.lib.ca_eval's job: it combines every policy that applies to each class of
# sign-ins, as Entra does. This package judges one policy at a time: enforces (its grant),
# shortfalls (every reason it is not a policy for all sign-ins that enforces the requirement,
# for texts), and who it applies to.
#
# Who a policy applies to depends on the session's state for PIM-eligible role holders: every
# function about users takes `st`, "signin" (roles held actively) or "activated" (roles held
# actively or eligibly, once activated); see posture.lib.roles.ca_holder_ids. applies_to and
# user_reasons answer for one user; explicitly_included_ids and excluded_ids for populations
# (a policy for All users covers everyone but its exclusions).
package posture.lib.ca

import data.posture.lib.groups
import data.posture.lib.roles
import data.posture.lib.users

# --- requirements -------------------------------------------------------------------------

all_client_app_types := {"browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"}

legacy_client_app_types := {"exchangeActiveSync", "other"}

# phishing_resistant_strength_id is the built-in "Phishing-resistant MFA" authentication strength.
phishing_resistant_strength_id := "00000000-0000-0000-0000-000000000004"

phishing_resistant_methods := {"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"}

mfa := {
	"controls": {"mfa", "authenticationStrength", "phishingResistantAuthenticationStrength"},
	"what": "multifactor authentication",
	"clientAppTypes": all_client_app_types,
}

phishing_resistant_mfa := {
	"controls": {"phishingResistantAuthenticationStrength"},
	"what": "phishing-resistant multifactor authentication",
	"clientAppTypes": all_client_app_types,
}

legacy_block := {
	"controls": {"block"},
	"what": "blocking legacy authentication",
	"clientAppTypes": legacy_client_app_types,
}

block_all := {
	"controls": {"block"},
	"what": "blocking access",
	"clientAppTypes": all_client_app_types,
}

# device_code_block is blocking device code flow: an OAuth 2.0 grant only modern clients use, so
# browser and mobile and desktop clients are the sign-ins in question.
device_code_block := {
	"controls": {"block"},
	"what": "blocking device code flow",
	"clientAppTypes": {"browser", "mobileAppsAndDesktopClients"},
	"flows": ["deviceCodeFlow"],
}

managed_device := {
	"controls": {"compliantDevice", "domainJoinedDevice"},
	"what": "a compliant or hybrid-joined device",
	"clientAppTypes": all_client_app_types,
}

# --- policies and their fields ------------------------------------------------------------

default policies := []

policies := input.entra.conditionalAccessPolicies if is_array(input.entra.conditionalAccessPolicies)

# Graph returns null for unset conditions (platforms, locations, grantControls, ...): _get
# treats null like an absent key.
_get(obj, path, fallback) := v if {
	v := object.get(obj, path, null)
	v != null
} else := fallback

_set(obj, path) := {x | some x in _get(obj, path, [])}

_list(xs) := concat(", ", sort([sprintf("%v", [x]) | some x in xs]))

# name is the policy's displayName (its id when it has none).
name(p) := _get(p, ["displayName"], _get(p, ["id"], "?"))

# label names the policy in messages: "policy 'Require MFA for admins'".
label(p) := sprintf("policy '%s'", [name(p)])

state(p) := _get(p, ["state"], "")

enabled(p) if state(p) == "enabled"

report_only(p) if state(p) == "enabledForReportingButNotEnforced"

# state_label is the state in words: enabled, report-only or disabled.
state_label(p) := "enabled" if {
	enabled(p)
} else := "report-only" if {
	report_only(p)
} else := "disabled" if {
	state(p) == "disabled"
} else := state(p)

# --- who a policy applies to --------------------------------------------------------------

_users(p, key) := _get(p, ["conditions", "users", key], [])

_guest_spec(p, key) := _get(p, ["conditions", "users", key], {})

# includes_all_users is true when the policy includes All users.
includes_all_users(p) if "All" in _users(p, "includeUsers")

# targets_users is true when the policy includes any user at all (not only workload identities,
# and not "None").
targets_users(p) if {
	some id in _users(p, "includeUsers")
	id != "None"
}

targets_users(p) if count(_users(p, "includeGroups")) > 0

targets_users(p) if count(_users(p, "includeRoles")) > 0

targets_users(p) if count(_guest_types(_guest_spec(p, "includeGuestsOrExternalUsers"))) > 0

# included is true when the policy's include lists take in the user.
included(p, _, _) if includes_all_users(p)

included(p, uid, _) if uid in _users(p, "includeUsers")

included(p, uid, _) if {
	some g in _users(p, "includeGroups")
	uid in groups.member_ids(g)
}

included(p, uid, st) if {
	some r in _users(p, "includeRoles")
	uid in roles.ca_holder_ids(r, st)
}

included(p, uid, _) if {
	"GuestsOrExternalUsers" in _users(p, "includeUsers")
	users.external_kind(uid)
}

included(p, uid, _) if _guest_included(_guest_spec(p, "includeGuestsOrExternalUsers"), uid)

# excluded is true when the policy's exclude lists take out the user.
excluded(p, uid, _) if uid in _users(p, "excludeUsers")

excluded(p, uid, _) if {
	some g in _users(p, "excludeGroups")
	uid in groups.member_ids(g)
}

excluded(p, uid, st) if {
	some r in _users(p, "excludeRoles")
	uid in roles.ca_holder_ids(r, st)
}

excluded(p, uid, _) if {
	"GuestsOrExternalUsers" in _users(p, "excludeUsers")
	users.external_kind(uid)
}

excluded(p, uid, _) if _guest_excluded(_guest_spec(p, "excludeGuestsOrExternalUsers"), uid)

# applies_to is true when the policy includes the user and does not exclude them. It says
# nothing about state, resources or conditions: see shortfalls for those.
applies_to(p, uid, st) if {
	included(p, uid, st)
	not excluded(p, uid, st)
}

# Guest or external user types come as a comma-separated string. Only the types that have user
# objects (see users.external_kind_ids) can match. When the selection is limited to enumerated
# external tenants the snapshot cannot tell a user's home tenant, so an inclusion is assumed not
# to reach B2B users and an exclusion is assumed to leave them out: both err towards "not
# covered".
_guest_types(spec) := {t |
	some t in split(_get(spec, ["guestOrExternalUserTypes"], ""), ",")
	not t in {"", "none"}
}

_enumerated_tenants(spec) if _get(spec, ["externalTenants", "membershipKind"], "all") == "enumerated"

_guest_included(spec, uid) if {
	kind := users.external_kind(uid)
	kind in _guest_types(spec)
	_tenant_scope_reaches(spec, kind)
}

_tenant_scope_reaches(_, "internalGuest")

_tenant_scope_reaches(spec, _) if not _enumerated_tenants(spec)

_guest_excluded(spec, uid) if users.external_kind(uid) in _guest_types(spec)

_guest_ids(p, "include") := _ids_of_kinds({kind |
	some kind in _guest_kinds(p, "include")
	_tenant_scope_reaches(_guest_spec(p, "includeGuestsOrExternalUsers"), kind)
})

_guest_ids(p, "exclude") := _ids_of_kinds(_guest_kinds(p, "exclude"))

# _ids_of_kinds is the set of users of the given guest or external kinds. It takes the kinds
# alone, so OPA computes it once per distinct set of kinds (a handful) rather than once per
# policy: a union of every guest for each of hundreds of policies otherwise.
_ids_of_kinds(kinds) := union({users.external_kind_ids[kind] | some kind in kinds})

_guest_kinds(p, mode) := {kind |
	"GuestsOrExternalUsers" in _users(p, sprintf("%sUsers", [mode]))
	some kind, _ in users.external_kind_ids
} | _guest_types(_guest_spec(p, sprintf("%sGuestsOrExternalUsers", [mode])))

# explicitly_included_ids is the set of users the policy includes by id, group, role or guest
# type. It ignores "All" on purpose: for an All-users policy use includes_all_users and work
# with the exclusions instead of materializing every user.
explicitly_included_ids(p, st) := _union({
	{id | some id in _users(p, "includeUsers"); not id in {"All", "None", "GuestsOrExternalUsers"}},
	_union({groups.member_ids(g) | some g in _users(p, "includeGroups")}),
	_union({roles.ca_holder_ids(r, st) | some r in _users(p, "includeRoles")}),
	_guest_ids(p, "include"),
})

# excluded_ids is the set of users the policy excludes.
excluded_ids(p, st) := _union({
	{id | some id in _users(p, "excludeUsers"); id != "GuestsOrExternalUsers"},
	_union({groups.member_ids(g) | some g in _users(p, "excludeGroups")}),
	_union({roles.ca_holder_ids(r, st) | some r in _users(p, "excludeRoles")}),
	_guest_ids(p, "exclude"),
})

# applied_ids is explicitly_included_ids less excluded_ids: the users the policy applies to by
# explicit inclusion. It is computed from the policy's user conditions alone, so the policies
# that target the same users (copies of a policy for other apps, platforms or grants) share one
# set, computed once per evaluation instead of once per policy and class of sign-ins.
applied_ids(p, st) := _applied_ids(users_condition(p), st)

_applied_ids(users, st) := explicitly_included_ids(q, st) - excluded_ids(q, st) if {
	q := by_users(users)
}

# users_condition is the policy's conditions.users (null when absent): all that who it applies
# to (included, excluded, applies_to, ..._ids) depends on.
users_condition(p) := object.get(p, ["conditions", "users"], null)

# by_users is a policy with only the given users condition: it includes and excludes the same
# users as every policy with that condition, so callers judge such policies once.
by_users(users) := {"conditions": {"users": users}}

# _union is union(sets), without copying when at most one of them has members: a policy that
# targets one group or the guests then shares that group's or the guests' set instead of
# copying it, which for a large group or many guests is most of the work.
_union(sets) := only if {
	nonempty := [s | some s in sets; count(s) > 0]
	count(nonempty) == 1
	only := nonempty[0]
} else := union(sets)

# unverifiable is the set of reasons the snapshot cannot tell who the policy applies to: groups
# in its include/exclude lists whose members were not collected, roles held through such
# groups, and guest or external user types when some users' type is unknown
# (users.kind_unknown_ids). A rule that credits the policy should report these as errors rather
# than guess.
unverifiable(p) := unverifiable_exclusions(p) | _unverifiable(p, "include", "includes")

# unverifiable_exclusions is the part of unverifiable about the exclude lists: what a rule
# needs when only exclusions matter (e.g. whether an account is excluded).
unverifiable_exclusions(p) := _unverifiable(p, "exclude", "excludes")

_unverifiable(p, mode, verb) := (by_group | by_role) | by_kind if {
	by_group := {sprintf("%s %s group '%s' %s", [label(p), verb, groups.name(g), _not_collected]) |
		some g in _users(p, sprintf("%sGroups", [mode]))
		not groups.members_known(g)
	}
	by_role := {msg |
		some r in _users(p, sprintf("%sRoles", [mode]))
		some grant in roles.unexpanded_group_grants
		grant.roleId == r
		msg := sprintf("%s %s role '%s', which is assigned to group '%s' %s", [
			label(p), verb, roles.name(r),
			groups.name(grant.principalId), _not_collected,
		])
	}
	by_kind := {msg |
		kinds := _guest_kinds(p, mode) & object.keys(users.external_kind_ids)
		count(kinds) > 0
		n := count(users.kind_unknown_ids)
		n > 0
		msg := sprintf("%s %s guest or external user types (%s), which the snapshot cannot tell for %d user(s): it has neither externalUserState nor creationType for them (a snapshot collected before posture read them; collect again)", [
			label(p), verb, concat(", ", sort(kinds)), n,
		])
	}
}

_not_collected := "whose members are not in the snapshot (entra.groupMembers)"

# user_reasons is the set of reasons the policy does not apply to the user: that it does not
# include them, or each way it excludes them. Empty when it applies.
user_reasons(p, uid, st) := {sprintf("does not include %s", [users.upn(uid)])} if {
	not included(p, uid, st)
} else := exclusion_reasons(p, uid, st)

# exclusion_reasons is the set of ways the policy excludes the user.
exclusion_reasons(p, uid, st) := ((direct | by_group) | by_role) | as_external if {
	who := users.upn(uid)
	direct := {sprintf("excludes %s directly", [who]) | uid in _users(p, "excludeUsers")}
	by_group := {sprintf("excludes %s through group '%s'", [who, groups.name(g)]) |
		some g in _users(p, "excludeGroups")
		uid in groups.member_ids(g)
	}
	by_role := {sprintf("excludes %s through role '%s'", [who, roles.name(r)]) |
		some r in _users(p, "excludeRoles")
		uid in roles.ca_holder_ids(r, st)
	}
	as_external := {sprintf("excludes %s as a guest or external user (%s)", [who, users.external_kind(uid)]) |
		_excludes_as_external(p, uid)
	}
}

_excludes_as_external(p, uid) if {
	"GuestsOrExternalUsers" in _users(p, "excludeUsers")
	users.external_kind(uid)
}

_excludes_as_external(p, uid) if _guest_excluded(_guest_spec(p, "excludeGuestsOrExternalUsers"), uid)

# exclusion_gaps describes, for each entry of the policy's exclude lists, how many of `uids` it
# takes out: a set of {kind: user|group|role|guests, id, count, text}. Entries that take out none
# of them are left out, so callers pass the users they care about (e.g. the uncovered ones).
exclusion_gaps(p, uids, st) := ((direct | by_group) | by_role) | guests if {
	direct := {{"kind": "user", "id": id, "count": 1, "text": sprintf("excludes user %s", [users.upn(id)])} |
		some id in _users(p, "excludeUsers")
		id in uids
	}
	by_group := {{"kind": "group", "id": g, "count": n, "text": sprintf("excludes group '%s' (%s)", [groups.name(g), _users_text(n)])} |
		some g in _users(p, "excludeGroups")
		n := count(groups.member_ids(g) & uids)
		n > 0
	}
	by_role := {{"kind": "role", "id": r, "count": n, "text": sprintf("excludes role '%s' (%s)", [roles.name(r), _users_text(n)])} |
		some r in _users(p, "excludeRoles")
		n := count(roles.ca_holder_ids(r, st) & uids)
		n > 0
	}
	guest_count := count(_guest_ids(p, "exclude") & uids)
	guests := {{"kind": "guests", "id": "", "count": guest_count, "text": sprintf("excludes guest or external users (%s)", [_users_text(guest_count)])} |
		guest_count > 0
	}
}

_users_text(1) := "1 user"

_users_text(n) := sprintf("%d users", [n]) if n != 1

# --- what a policy enforces ---------------------------------------------------------------

# controls is the set of grant controls the policy offers: builtInControls, plus one of
# "authenticationStrength", "phishingResistantAuthenticationStrength" or
# "authenticationStrengthWithoutMfa" for an authentication strength, and
# "customAuthenticationFactor" and "termsOfUse".
controls(p) := ((builtins | strength) | custom) | terms if {
	builtins := _set(p, ["grantControls", "builtInControls"])
	s := _get(p, ["grantControls", "authenticationStrength"], {})
	strength := {_strength_control(s) | count(s) > 0}
	custom := {"customAuthenticationFactor" | count(_get(p, ["grantControls", "customAuthenticationFactors"], [])) > 0}
	terms := {"termsOfUse" | count(_get(p, ["grantControls", "termsOfUse"], [])) > 0}
}

# An authentication strength whose requirementsSatisfied is "none" does not satisfy MFA.
_strength_control(s) := "phishingResistantAuthenticationStrength" if {
	phishing_resistant_strength(s)
} else := "authenticationStrengthWithoutMfa" if {
	_get(s, ["requirementsSatisfied"], "mfa") == "none"
} else := "authenticationStrength"

# phishing_resistant_strength is true for the built-in Phishing-resistant MFA strength and for a
# custom strength whose every allowed combination is a phishing-resistant method.
phishing_resistant_strength(s) if s.id == phishing_resistant_strength_id

phishing_resistant_strength(s) if {
	combos := _get(s, ["allowedCombinations"], [])
	count(combos) > 0
	every c in combos {
		c in phishing_resistant_methods
	}
}

_requires_all(p) if upper(_get(p, ["grantControls", "operator"], "OR")) == "AND"

# enforces is true when every way through the policy's grant passes one of `accepted`: with AND
# one accepted control is enough; with OR every offered control must be accepted.
enforces(p, accepted) if {
	offered := controls(p)
	count(offered & accepted) > 0
	_no_alternative(p, offered, accepted)
}

_no_alternative(p, _, _) if _requires_all(p)

_no_alternative(_, offered, accepted) if count(offered - accepted) == 0

# mentions is true when the policy's grant includes any control of the requirement, enforced or
# not: the policies worth explaining when a requirement is not met.
mentions(p, req) if count(controls(p) & req.controls) > 0

# blocks is true when the policy's grant is "Block access".
blocks(p) if "block" in controls(p)

# grant_text renders the grant, e.g. "mfa OR compliantDevice".
grant_text(p) := concat(sprintf(" %s ", [upper(_get(p, ["grantControls", "operator"], "OR"))]), sort(controls(p)))

# --- how a policy falls short ---------------------------------------------------------------

# shortfalls is the set of reasons the policy does not count for the requirement; empty when
# it counts. Who it applies to is not part of it (see user_reasons and exclusion_gaps).
shortfalls(p, req) := union({
	state_reasons(p),
	resource_reasons(p),
	client_app_reasons(p, req.clientAppTypes),
	condition_reasons(p),
	grant_reasons(p, req),
})

# counts is true when the policy has no shortfall for the requirement.
counts(p, req) if count(shortfalls(p, req)) == 0

state_reasons(p) := set() if {
	enabled(p)
} else := {"is report-only"} if {
	report_only(p)
} else := {"is disabled"} if {
	state(p) == "disabled"
} else := {sprintf("has state %q", [state(p)])}

# resource_reasons says how the policy falls short of "all resources, none excluded".
resource_reasons(p) := (scope | excluded) | filter if {
	include := _get(p, ["conditions", "applications", "includeApplications"], [])
	scope := {_resource_scope_text(p, include) | not "All" in include}
	exclude := _get(p, ["conditions", "applications", "excludeApplications"], [])
	excluded := {sprintf("excludes resources %s", [_list(exclude)]) | count(exclude) > 0}
	f := _get(p, ["conditions", "applications", "applicationFilter"], {})
	filter := {sprintf("uses an application filter (%s: %s)", [_get(f, ["mode"], "?"), _get(f, ["rule"], "?")]) |
		count(f) > 0
	}
}

_resource_scope_text(p, include) := sprintf("targets only selected resources (%s)", [_list(include)]) if {
	count(include) > 0
} else := sprintf("targets user actions (%s) instead of resources", [_list(actions)]) if {
	actions := _get(p, ["conditions", "applications", "includeUserActions"], [])
	count(actions) > 0
} else := sprintf("targets authentication contexts (%s) instead of resources", [_list(contexts)]) if {
	contexts := _get(p, ["conditions", "applications", "includeAuthenticationContextClassReferences"], [])
	count(contexts) > 0
} else := "targets no resources"

# client_app_reasons says which of the `needed` client app types the policy leaves out. No
# client app types (or "all") means every client.
client_app_reasons(p, needed) := set() if {
	_all_client_apps(p)
} else := {sprintf("is limited to client apps %s (not %s)", [_list(types), _list(missing)])} if {
	types := _set(p, ["conditions", "clientAppTypes"])
	missing := needed - types
	count(missing) > 0
} else := set()

_all_client_apps(p) if count(_get(p, ["conditions", "clientAppTypes"], [])) == 0

_all_client_apps(p) if "all" in _get(p, ["conditions", "clientAppTypes"], [])

# condition_reasons is the set of conditions that narrow when the policy applies.
condition_reasons(p) := ((((locations | platforms) | risks) | devices) | flows) | workloads if {
	locations := _location_reasons(p)
	platforms := _platform_reasons(p)
	risks := _risk_reasons(p)
	devices := _device_reasons(p)
	flows := _flow_reasons(p)
	workloads := _workload_reasons(p)
}

_location_reasons(p) := included | excluded if {
	include := _get(p, ["conditions", "locations", "includeLocations"], [])
	included := {sprintf("is limited to locations %s", [location_names(include)]) |
		count(include) > 0
		not "All" in include
	}
	exclude := _get(p, ["conditions", "locations", "excludeLocations"], [])
	excluded := {sprintf("excludes locations %s", [location_names(exclude)]) | count(exclude) > 0}
}

# named_locations is the snapshot's named locations ([] when absent).
default named_locations := []

named_locations := input.entra.namedLocations if is_array(input.entra.namedLocations)

# location_names renders location ids as names: "all trusted locations", 'HQ', or the id.
location_names(ids) := concat(", ", sort([_location_name(id) | some id in ids]))

_location_name("AllTrusted") := "all trusted locations"

_location_name(id) := n if {
	id != "AllTrusted"
	names := [l.displayName | some l in named_locations; l.id == id; is_string(l.displayName)]
	n := sprintf("'%s'", [sort(names)[0]])
} else := id if id != "AllTrusted"

_platform_reasons(p) := included | excluded if {
	include := _get(p, ["conditions", "platforms", "includePlatforms"], [])
	included := {sprintf("is limited to platforms %s", [_list(include)]) |
		count(include) > 0
		not "all" in include
	}
	exclude := _get(p, ["conditions", "platforms", "excludePlatforms"], [])
	excluded := {sprintf("excludes platforms %s", [_list(exclude)]) | count(exclude) > 0}
}

_risk_conditions := {
	"signInRiskLevels": "sign-in risk",
	"userRiskLevels": "user risk",
	"servicePrincipalRiskLevels": "service principal risk",
}

_risk_reasons(p) := levels | insider if {
	levels := {sprintf("applies only at %s %s", [what, _list(l)]) |
		some key, what in _risk_conditions
		l := _get(p, ["conditions", key], [])
		count(l) > 0
	}
	insider_levels := _get(p, ["conditions", "insiderRiskLevels"], "")
	insider := {sprintf("applies only at insider risk %s", [insider_levels]) | insider_levels != ""}
}

_device_reasons(p) := {sprintf("%s devices matching the filter %s", [verb, _get(f, ["rule"], "?")]) |
	f := _get(p, ["conditions", "devices", "deviceFilter"], {})
	count(f) > 0
	verb := _filter_verb(_get(f, ["mode"], "include"))
}

_filter_verb("exclude") := "excludes"

_filter_verb(mode) := "is limited to" if mode != "exclude"

_flow_reasons(p) := {sprintf("is limited to authentication flows %s", [methods]) |
	methods := _get(p, ["conditions", "authenticationFlows", "transferMethods"], "")
	methods != ""
}

_workload_reasons(p) := {"targets workload identities (service principals)" |
	apps := _get(p, ["conditions", "clientApplications"], {})
	_workload_scope(apps)
}

# targets_workloads is true when the policy applies to workload identities (service principals)
# instead of users.
targets_workloads(p) if _workload_scope(_get(p, ["conditions", "clientApplications"], {}))

_workload_scope(apps) if count(_get(apps, ["includeServicePrincipals"], [])) > 0

_workload_scope(apps) if count(_get(apps, ["servicePrincipalFilter"], {})) > 0

# grant_reasons says how the policy's grant falls short of the requirement's controls.
grant_reasons(p, req) := {"has no grant controls"} if {
	count(controls(p)) == 0
} else := {sprintf("does not require %s (grant: %s)", [req.what, grant_text(p)])} if {
	count(controls(p) & req.controls) == 0
} else := {sprintf("lets users satisfy it with %s instead of %s (grant: %s)", [
	_list(controls(p) - req.controls),
	req.what, grant_text(p),
])} if {
	not enforces(p, req.controls)
} else := set()
