# Which Windows policies Intune assigns, to which devices, and the value each sets for each
# setting of the Windows security baseline (baselines/windows.yaml, visible to Rego as
# data.posture.baselines.windows.settings), from input.intune (objects as Graph returns them).
#
# The model.
# - Windows policies are of three kinds: settings catalog profiles and security baseline profiles
#   of the current format (intune.configurationPolicies whose platforms include windows10), the
#   older security baseline and endpoint security profiles (intune.intents) and the older device
#   configuration profiles (intune.deviceConfigurations whose @odata.type is a Windows type).
# - A policy's scope comes from its assignments: allDevicesAssignmentTarget covers every device;
#   groupAssignmentTarget covers the devices of that group; exclusionGroupAssignmentTarget takes
#   that group's devices out; an assignment filter (deviceAndAppManagementAssignmentFilterType
#   include/exclude) narrows its target to some devices. allLicensedUsersAssignmentTarget is
#   reported as "all users" and does NOT count as all devices: a device setting assigned to users
#   reaches a device only once a licensed user signs in to it, so Autopilot pre-provisioning,
#   shared, kiosk and userless devices run without it (Microsoft's baselines are meant for device
#   groups). A policy without assignments counts for nothing and is only named in findings.
#   Device group membership is not collected, so a group-assigned policy covers "the devices of
#   group X", and an exclusion of any group means some devices may be left out.
# - Values. A settings catalog policy's settings are searched recursively: choice settings
#   (choiceSettingValue.value, an option id), simple settings (simpleSettingValue.value) and the
#   children of choices and group collections (ASR rules are the children of the group collection
#   ..._defender_attacksurfacereductionrules). An intent or device configuration profile counts
#   through the setting's `legacy` mapping: intent settings by definitionId, valueJson decoded;
#   device configuration profiles of the mapped @odata.type by property (a dotted property is a
#   path into a complex property). A legacy value equal to the mapping's `value` is the expected
#   value; a mapping without `value` is compared with `expected` (integers such as lengths). An
#   org override of `expected` is not translated into legacy values.
# - A setting is enforced when some assigned policy that covers every device (all devices, no
#   exclusion, no filter) sets an expected value and no assigned policy sets another value (Intune
#   applies neither value of a conflict). Everything else is a violation naming what was found.
# - Org override: config parameter windowsBaseline {<setting id>: {expected: {...}} | {skip: "why"}}.
package posture.lib.intune

import data.posture.lib.groups
import data.posture.lib.params

# --- baseline settings ----------------------------------------------------------------------

_baseline_settings := s if {
	s := data.posture.baselines.windows.settings
	is_array(s)
} else := []

_overrides := o if {
	o := params.value("windowsBaseline")
	is_object(o)
} else := {}

_override(id) := o if {
	o := _overrides[id]
	is_object(o)
} else := {}

# skip_reason is the reason a setting is left out by parameter windowsBaseline; undefined when
# the setting is checked.
skip_reason(id) := r if {
	r := _override(id).skip
	is_string(r)
}

# settings is the list of baseline settings, each with its org override of `expected` applied.
settings := [object.union(s, {"expected": _expected(s)}) | some s in _baseline_settings; is_object(s)]

_expected(s) := e if {
	e := _override(s.id).expected
	is_object(e)
} else := s.expected

# checked is the list of the area's settings that are not skipped.
checked(area) := object.get(_by_area, [area, "checked"], [])

# skipped is the list of the area's settings that parameter windowsBaseline skips.
skipped(area) := object.get(_by_area, [area, "skipped"], [])

# _by_area splits the settings of each area into checked and skipped once per evaluation: the
# rules of an area call checked and skipped dozens of times (per Secure Score control, for
# coverage, violations and notes), and each call was a pass over all 238 settings.
_by_area := {area: {"checked": [s | some s in in_area; not skip_reason(s.id)], "skipped": [s | some s in in_area; skip_reason(s.id)]} |
	some area in {s.area | some s in settings}
	in_area := [s | some s in settings; s.area == area]
}

# --- policies -------------------------------------------------------------------------------

list(key) := [o | some o in input.intune[key]; is_object(o)] if {
	is_array(input.intune[key])
} else := []

_is_windows_catalog(p) if {
	is_string(p.platforms)
	contains(lower(p.platforms), "windows10")
}

_is_windows_catalog(p) if {
	is_array(p.platforms)
	some x in p.platforms
	contains(lower(x), "windows10")
}

_is_windows_configuration(d) if {
	is_string(d["@odata.type"])
	startswith(lower(d["@odata.type"]), "#microsoft.graph.windows")
}

_baseline_family(p) if p.templateReference.templateFamily == "baseline"

_catalog_kind(p) := "security baseline profile" if _baseline_family(p)

else := "settings catalog profile"

_policy_name(p, key) := n if {
	n := p[key]
	is_string(n)
	n != ""
} else := object.get(p, "id", "(unnamed)")

# policies is the list of Windows policies, each {kind, id, name, label, scope, raw}.
policies := array.concat(array.concat(_catalog_policies, _intent_policies), _configuration_policies)

_catalog_policies := [_entry("configurationPolicy", _catalog_kind(p), _policy_name(p, "name"), p) |
	some p in list("configurationPolicies")
	_is_windows_catalog(p)
]

_intent_policies := [_entry("intent", "legacy security baseline profile", _policy_name(p, "displayName"), p) |
	some p in list("intents")
]

_configuration_policies := [_entry("deviceConfiguration", "device configuration profile", _policy_name(p, "displayName"), p) |
	some p in list("deviceConfigurations")
	_is_windows_configuration(p)
]

_entry(kind, what, name, p) := {
	"kind": kind, "id": object.get(p, "id", ""), "name": name, "raw": p,
	"label": sprintf("%s '%s'", [what, name]), "scope": scope(p),
}

# --- assignment scope -----------------------------------------------------------------------

_targets(p) := [a.target | some a in p.assignments; is_object(a); is_object(a.target)] if {
	is_array(p.assignments)
} else := []

_type(t) := lower(t["@odata.type"]) if is_string(t["@odata.type"])

else := ""

_filtered(t) if t.deviceAndAppManagementAssignmentFilterType in {"include", "exclude"}

_included_groups(ts) := sort({groups.name(t.groupId) | some t in ts; _type(t) == "#microsoft.graph.groupassignmenttarget"})

_excluded_groups(ts) := sort({groups.name(t.groupId) | some t in ts; _type(t) == "#microsoft.graph.exclusiongroupassignmenttarget"})

_all_devices_unfiltered(ts) if {
	some t in ts
	_type(t) == "#microsoft.graph.alldevicesassignmenttarget"
	not _filtered(t)
}

# scope describes whom a policy's assignments reach: {assigned, all (every device, without
# exclusions or filters), all_devices, all_users, filtered, groups, excluded}.
scope(p) := {
	"all_devices": all_devices,
	"all_users": all_users,
	"groups": included,
	"excluded": excluded,
	"filtered": filtered,
	"assigned": count(ts) > count([t | some t in ts; _type(t) == "#microsoft.graph.exclusiongroupassignmenttarget"]),
	"all": all,
} if {
	ts := _targets(p)
	all_devices := _has_target(ts, "#microsoft.graph.alldevicesassignmenttarget")
	all_users := _has_target(ts, "#microsoft.graph.alllicensedusersassignmenttarget")
	included := _included_groups(ts)
	excluded := _excluded_groups(ts)
	filtered := count([t | some t in ts; _filtered(t)]) > 0
	all := _covers_all(ts, excluded)
}

default _has_target(_, _) := false

_has_target(ts, type) if {
	some t in ts
	_type(t) == type
}

default _covers_all(_, _) := false

_covers_all(ts, excluded) if {
	_all_devices_unfiltered(ts)
	count(excluded) == 0
}

# scope_text renders a scope for messages, e.g. "assigned to groups Pilot devices".
scope_text(sc) := "not assigned" if {
	not sc.assigned
} else := concat(", ", [x |
	some x in [
		_part(sc.all_devices, "assigned to all devices"),
		_part(sc.all_users, "assigned to all users"),
		_groups_part(sc.groups),
		_excluded_part(sc.excluded),
		_part(sc.filtered, "narrowed by an assignment filter"),
	]
	x != ""
])

_part(true, text) := text

_part(false, _) := ""

_groups_part(gs) := "" if {
	count(gs) == 0
} else := sprintf("assigned to group %s", [gs[0]]) if {
	count(gs) == 1
} else := sprintf("assigned to groups %s", [concat(", ", gs)])

_excluded_part(gs) := "" if {
	count(gs) == 0
} else := sprintf("excluding group %s", [concat(", ", gs)])

# gap_text says which devices a policy that does not cover every device leaves out.
gap_text(sc) := "it is not assigned" if {
	not sc.assigned
} else := sprintf("it excludes devices of group(s) %s", [concat(", ", sc.excluded)]) if {
	count(sc.excluded) > 0
} else := "an assignment filter narrows it to some devices" if {
	sc.filtered
} else := "devices without a signed-in licensed user (Autopilot pre-provisioning, shared and kiosk devices) do not get it" if {
	sc.all_users
	not sc.all_devices
} else := "other devices are not covered"

# --- configured values ----------------------------------------------------------------------

# _instances is every setting instance of a settings catalog policy, at any depth.
_instances(raw) := [node |
	walk(object.get(raw, "settings", []), [_, node])
	is_object(node)
	is_string(node.settingDefinitionId)
]

_instance_value(i) := i.choiceSettingValue.value if {
	is_object(i.choiceSettingValue)
} else := i.simpleSettingValue.value if {
	is_object(i.simpleSettingValue)
} else := [x.value | some x in i.choiceSettingCollectionValue; is_object(x)] if {
	is_array(i.choiceSettingCollectionValue)
} else := [x.value | some x in i.simpleSettingCollectionValue; is_object(x)] if {
	is_array(i.simpleSettingCollectionValue)
} else := null if {
	some k in ["choiceSettingValue", "simpleSettingValue", "choiceSettingCollectionValue", "simpleSettingCollectionValue"]
	k in object.keys(i)
}

# catalog_values is the list of {definitionId, value} a settings catalog policy configures with a
# value (choice and simple settings; a null value stays null). A choice or simple setting
# collection (choiceSettingCollectionValue / simpleSettingCollectionValue, such as Defender's
# passive remediation options) gives the list of its values.
catalog_values(raw) := [{"definitionId": i.settingDefinitionId, "value": v} |
	some i in _instances(raw)
	v := _instance_value(i)
]

_path(prop) := split(prop, ".")

_legacy_dc_value(raw, m) := v if {
	raw["@odata.type"] == m.type
	v := object.get(raw, _path(m.property), null)
	v != null
}

_intent_value(st) := v if {
	is_string(st.valueJson)
	json.is_valid(st.valueJson)
	v := json.unmarshal(st.valueJson)
} else := st.value if {
	"value" in object.keys(st)
}

_legacy_intent_value(raw, m) := v if {
	some st in raw.settings
	is_object(st)
	st.definitionId == m.definitionId
	v := _intent_value(st)
}

# found is the list of what the Windows policies set for a baseline setting, each
# {policy, value, ok}: ok when the value is an expected one.
found(s) := array.concat(array.concat(_found_catalog(s), _found_intent(s)), _found_configuration(s))

_found_catalog(s) := [{"policy": e.policy, "value": e.value, "ok": matches(s.expected, e.value)} |
	some e in object.get(_catalog_by_definition, s.definitionId, [])
]

# _catalog_by_definition maps the definition id of each baseline setting that some settings
# catalog policy sets to the [{policy, value}] of those policies. It is a complete rule, so OPA walks every
# policy's settings tree once per evaluation instead of once per baseline setting and call.
# Only the ids that some policy sets are keys (found reads the others' absence as []): each key
# costs a pass over every pair, and most of the baseline's settings are set by no policy. (OPA's
# comprehension indexing, which would make this one pass, did not engage in any form tried with
# OPA 1.22.2: nested, in a rule body, partial object, `=` instead of `==`.)
_catalog_by_definition := {id: entries |
	some id in ({x.definitionId | some x in _catalog_pairs} & {s.definitionId | some s in settings})
	entries := [{"policy": x.policy, "value": x.value} | some x in _catalog_pairs; x.definitionId == id]
}

_catalog_pairs := [{"policy": p, "definitionId": cv.definitionId, "value": cv.value} |
	some p in _catalog_policies
	some cv in catalog_values(p.raw)
]

_found_intent(s) := [{"policy": p, "value": v, "ok": _legacy_ok(s, m, v)} |
	m := s.legacy.intent
	is_object(m)
	some p in _intent_policies
	is_array(p.raw.settings)
	v := _legacy_intent_value(p.raw, m)
]

_found_configuration(s) := [{"policy": p, "value": v, "ok": _legacy_ok(s, m, v)} |
	m := s.legacy.deviceConfiguration
	is_object(m)
	some p in _configuration_policies
	v := _legacy_dc_value(p.raw, m)
]

_legacy_ok(s, m, v) := _same(v, m.value) if "value" in object.keys(m)

else := matches(s.expected, v)

default _same(_, _) := false

_same(a, b) if a == b

# matches is true when value v meets the expectation e ({value}, {values}, {min}, {max}, {min
# and max}: a range, {equals}). A list (a setting collection) meets {value} when it holds it.
default matches(_, _) := false

matches(e, v) if v == e.value

matches(e, v) if {
	is_array(v)
	e.value in v
}

matches(e, v) if v in e.values

matches(e, v) if v == e.equals

# A bound holds only together with the other bound when both are given: {min: 1, max: 900}
# rejects 0 (the inactivity limit's "off").
matches(e, v) if {
	is_number(v)
	_bounded(e)
	_above_min(e, v)
	_below_max(e, v)
}

_bounded(e) if "min" in object.keys(e)

_bounded(e) if "max" in object.keys(e)

_above_min(e, _) if not "min" in object.keys(e)

_above_min(e, v) if v >= e.min

_below_max(e, _) if not "max" in object.keys(e)

_below_max(e, v) if v <= e.max

# expected_text renders an expectation for messages.
expected_text(e) := show(e.value) if "value" in object.keys(e)

else := concat(" or ", [show(x) | some x in e.values]) if "values" in object.keys(e)

else := sprintf("between %v and %v", [e.min, e.max]) if {
	"min" in object.keys(e)
	"max" in object.keys(e)
} else := sprintf("at least %v", [e.min]) if "min" in object.keys(e)

else := sprintf("at most %v", [e.max]) if "max" in object.keys(e)

else := show(e.equals)

# show renders a value for messages: strings as they are, null as "no value".
show(v) := "no value" if {
	v == null
} else := v if {
	is_string(v)
} else := json.marshal(v)

# --- enforcement ----------------------------------------------------------------------------

_assigned(f) if f.policy.scope.assigned

# enforced is true when a policy for every device sets an expected value and no assigned policy
# sets another.
enforced(s) if {
	fs := found(s)
	some f in fs
	f.ok
	f.policy.scope.all
	every g in fs {
		_ok_or_unassigned(g)
	}
}

_ok_or_unassigned(f) if f.ok

_ok_or_unassigned(f) if not _assigned(f)

# coverage is {covered, total} over the checked settings of an area.
coverage(area) := {"covered": count([s | some s in checked(area); enforced(s)]), "total": count(checked(area))}

# control_coverage is, for each Secure Score control that the area's checked settings name in
# `secureScore`, {covered, total} over those settings: the rule's per-control coverage, which the
# Secure Score estimate uses for that control instead of the rule's coverage. A control whose
# settings parameter windowsBaseline all skips is left out.
control_coverage(area) := {id: {"covered": count([s | some s in mapped; enforced(s)]), "total": count(mapped)} |
	some id in {c | some s in checked(area); some c in _controls(s)}
	mapped := [s | some s in checked(area); id in _controls(s)]
}

_controls(s) := [c | some c in s.secureScore; is_string(c)] if is_array(s.secureScore)

else := []

# problems is the list of texts saying why a setting is not enforced.
problems(s) := ["no Windows policy configures it"] if {
	count(found(s)) == 0
} else := sort([_problem(s, f) | some f in found(s); not _fine(f)])

_fine(f) if {
	f.ok
	f.policy.scope.all
}

_problem(s, f) := sprintf("%s (%s) sets it to %s, expected %s", [f.policy.label, scope_text(f.policy.scope), show(f.value), expected_text(s.expected)]) if {
	not f.ok
	_assigned(f)
} else := sprintf("%s sets it to %s but %s", [f.policy.label, show(f.value), gap_text(f.policy.scope)]) if {
	not f.ok
} else := sprintf("%s sets it (%s) but %s", [f.policy.label, scope_text(f.policy.scope), gap_text(f.policy.scope)])

# violation is the deny entry of a setting that is not enforced.
violation(s) := {
	"msg": sprintf("Baseline setting '%s' (%s) is not enforced on every Windows device: %s", [s.title, s.id, concat("; ", problems(s))]),
	"entity": {"type": "setting", "id": s.id, "name": s.title},
}

# violations is the set of deny entries of an area, plus one naming the settings skipped by
# parameter windowsBaseline when there is something to report.
violations(area) := vs | _skip_note(area, vs) if {
	vs := {violation(s) | some s in checked(area); not enforced(s)}
}

_skip_note(area, vs) := set() if {
	count(vs) * count(skipped(area)) == 0
} else := {{
	"msg": sprintf("Not checked (parameter windowsBaseline skips them): %s", [concat("; ", sort([sprintf("%s (%s)", [s.id, skip_reason(s.id)]) | some s in skipped(area)]))]),
	"entity": tenant,
}}

# not_applicable_reason is the reason an area has nothing to check: every setting skipped, or
# the baseline data not loaded.
not_applicable_reason(area) := sprintf("parameter windowsBaseline skips every setting of area %s", [area]) if {
	count(skipped(area)) > 0
	count(checked(area)) == 0
}

# unloaded is the error of an area for which the baseline defines no setting at all (the baseline
# data did not reach the engine): missing data never passes.
unloaded(area) := {msg |
	count([s | some s in settings; s.area == area]) == 0
	msg := sprintf("the Windows baseline defines no setting of area %s (data.posture.baselines.windows.settings is missing or empty)", [area])
}

tenant := {
	"type": "tenant",
	"id": object.get(input, ["tenant", "id"], ""),
	"name": object.get(input, ["tenant", "displayName"], ""),
}

# --- conflicts ------------------------------------------------------------------------------

# assignments of every configured value of every assigned Windows policy: {definitionId, value,
# policy}, one per policy and definitionId (settings a policy sets more than once, such as
# firewall rules in a collection, are left out: they are lists, not single values).
_catalog_singles := [{"definitionId": d, "value": vs[0], "policy": p} |
	some p in _catalog_policies
	p.scope.assigned
	cvs := catalog_values(p.raw)
	some d in {cv.definitionId | some cv in cvs}
	vs := [cv.value | some cv in cvs; cv.definitionId == d]
	count(vs) == 1
]

# A legacy value is compared in catalog terms: the expected option when it is the expected value,
# else the legacy value itself.
_legacy_singles := [{"definitionId": s.definitionId, "value": v, "policy": f.policy} |
	some s in settings
	some f in array.concat(_found_intent(s), _found_configuration(s))
	f.policy.scope.assigned
	v := _catalog_equivalent(s, f)
]

_catalog_equivalent(s, f) := s.expected.value if {
	f.ok
	"value" in object.keys(s.expected)
} else := f.value

_values := array.concat(_catalog_singles, _legacy_singles)

_overlap(a, _) if a.scope.all_devices

_overlap(_, b) if b.scope.all_devices

_overlap(a, b) if {
	a.scope.all_users
	b.scope.all_users
}

_overlap(a, b) if {
	some g in a.scope.groups
	g in b.scope.groups
}

# conflicts is the list of pairs of assigned policies that set the same definitionId to different
# values and may reach the same devices (one covers all devices, both all users, or they share a
# group): {definitionId, a, b} with a before b by label.
conflicts := [{"definitionId": x.definitionId, "a": x, "b": y} |
	some x in _values
	some y in _values
	x.definitionId == y.definitionId
	x.policy.label < y.policy.label
	x.value != y.value
	_overlap(x.policy, y.policy)
]

# setting_title names a definitionId by its baseline title when it has one.
setting_title(d) := sprintf("'%s' (%s)", [s.title, d]) if {
	some s in settings
	s.definitionId == d
} else := d

# --- licences -------------------------------------------------------------------------------

_keys := ["intune.configurationPolicies", "intune.intents", "intune.deviceConfigurations"]

_unlicensed_keys := sort([k | some k in _keys; input.sources[k].status == "unlicensed"])

# unlicensed is the not_applicable reason when the tenant has no Intune: the collector marks an
# Intune source "unlicensed" when Graph answers that Intune does not apply to the tenant.
unlicensed := sprintf("The tenant has no Microsoft Intune (service plan INTUNE_A; %s unlicensed), so it manages no devices", [concat(", ", ks)]) if {
	ks := _unlicensed_keys
	count(ks) > 0
}
