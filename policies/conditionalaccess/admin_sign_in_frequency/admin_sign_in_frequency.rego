# METADATA
# title: Administrators sign in again every few hours and their browser sessions do not persist
# description: >-
#   An administrator's session is worth stealing: a session cookie or refresh token taken from an
#   admin's browser gives its holder the admin's rights for as long as the session lives (90 days
#   rolling by default). Short sign-in frequency limits how long a stolen session is useful, and
#   never-persistent browser sessions leave no long-lived cookie behind when the browser closes.
#   The tenant passes when every enabled holder of a privileged role (active or PIM eligible,
#   directly or through a group; declared break-glass accounts left out) is covered, in every
#   class of their admin sessions (resources, client apps, platforms, locations, risk levels,
#   device filters, as posture.lib.ca_eval cuts them: policies for complementary conditions add
#   up, and a block counts), by enabled Conditional Access policies whose session controls set
#   sign-in frequency to at most 4 hours (parameter adminSignInFrequencyHours; "Every time" also
#   counts) and persistent browser session to "Never persistent". Both may come from one policy or
#   from two. Report-only policies do not enforce anything, and security defaults set neither
#   control.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/howto-conditional-access-session-lifetime
#     description: "Microsoft Learn: Configure adaptive session lifetime policies"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-session-lifetime
#     description: "Microsoft Learn: Conditional Access adaptive session lifetime"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/signinfrequencysessioncontrol
#     description: "Microsoft Graph: signInFrequencySessionControl resource type"
# custom:
#   id: conditionalaccess.admin_sign_in_frequency
#   severity: medium
#   level: should
#   requires:
#     - entra.conditionalAccessPolicies
#     - entra.users
#     - entra.roleAssignments
#     - entra.roleEligibilitySchedules
#     - entra.groups
#     - entra.groupMembers
#   accepts_unlicensed: [entra.conditionalAccessPolicies, entra.roleEligibilitySchedules]
#   secure_score: [aad_sign_in_freq_session_timeout]
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["5.2.2.4"]
#   license: [AAD_PREMIUM]
#   remediation: >-
#     In the Microsoft Entra admin center open Entra ID > Conditional Access > Policies (formerly
#     Protection > Conditional Access) and select New policy, or add the session controls to
#     your "Require MFA for administrators" policy. Users: Include > Select users and groups >
#     Directory roles, and pick every privileged role; Exclude > Users and groups: your
#     break-glass accounts only. Target resources: Include > All resources (formerly "All cloud
#     apps"), no exclusions; persistent browser session only works with all resources. Leave
#     Conditions unconfigured. Session: Sign-in frequency > Periodic reauthentication > 4 hours
#     (or less), and Persistent browser session > Never persistent. Enable policy: On (not
#     Report-only). In Graph: sessionControls.signInFrequency {isEnabled: true, type: "hours",
#     value: 4, frequencyInterval: "timeBased"} and sessionControls.persistentBrowser
#     {isEnabled: true, mode: "never"}. Conditional Access needs Entra ID P1.
#   user_impact: moderate
#   implementation_cost: low
#   parameters:
#     - name: adminSignInFrequencyHours
#       type: integer
#       minimum: 1
#       description: >-
#         The longest sign-in frequency, in hours, that counts for administrators; a policy in
#         days counts 24 hours a day.
#       default: 4
#     - name: privilegedRoles
#       type: array
#       items: string
#       description: >-
#         Role template ids that count as privileged; replaces the default, which is the role
#         list of Microsoft's "Require MFA for administrators" policy template plus Hybrid
#         Identity Administrator, which CISA SCuBA counts as highly privileged.
#       default:
#         - 62e90394-69f5-4237-9190-012177145e10 # Global Administrator
#         - 9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3 # Application Administrator
#         - c4e39bd9-1100-46d3-8c65-fb160da0071f # Authentication Administrator
#         - b0f54661-2d74-4c50-afa3-1ec803f12efe # Billing Administrator
#         - 158c047a-c907-4556-b7ef-446551a6b5f7 # Cloud Application Administrator
#         - b1be1c3e-b65d-4f19-8427-f6fa0d97feb9 # Conditional Access Administrator
#         - 29232cdf-9323-42fd-ade2-1d097af3e4de # Exchange Administrator
#         - 729827e3-9c14-49f7-bb1b-9608f156bbb8 # Helpdesk Administrator
#         - 966707d0-3269-4727-9be2-8c3a10f19b9d # Password Administrator
#         - 7be44c8a-adaf-4e2a-84d6-ab2649e08a13 # Privileged Authentication Administrator
#         - e8611ab8-c189-46e8-94e1-60213ab1f814 # Privileged Role Administrator
#         - 194ae4cb-b126-40b2-bd5b-6091b380977d # Security Administrator
#         - f28a1f50-f6e7-4571-818b-6a12f2af6b6c # SharePoint Administrator
#         - fe930be7-5e62-47db-91af-98c3a49a38b1 # User Administrator
#         - 8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2 # Hybrid Identity Administrator
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts (users: ids or UPNs; groups: ids or display names); they are left
#         out of the admins this rule checks.
#       default: {users: [], groups: []}
package posture.rules.conditionalaccess.admin_sign_in_frequency

import data.posture.lib.ca
import data.posture.lib.coverage
import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.privileged
import data.posture.lib.users

_max_hours_param := params.value("adminSignInFrequencyHours")

_max_hours := h if {
	h := _max_hours_param
	is_number(h)
	h > 0
}

error contains sprintf("config adminSignInFrequencyHours must be a positive number of hours, got %v", [_max_hours_param]) if {
	not _max_hours
}

# admins is the set of users holding a privileged role who are not disabled, break-glass
# accounts left out (posture.lib.coverage.admins).
admins := coverage.admins

_session(p, key) := object.get(p, ["sessionControls", key], null)

# scope_shortfalls is the set of reasons, other than its session controls and who it applies to,
# that the policy does not count: session controls need all resources (persistent browser session
# works only then) and must not depend on the client app or any other condition.
scope_shortfalls(p) := union({
	ca.state_reasons(p),
	ca.resource_reasons(p),
	ca.client_app_reasons(p, ca.all_client_app_types),
	ca.condition_reasons(p),
})

# _hours is the sign-in frequency in hours: 0 for "Every time", value for type hours, value x 24
# for type days; undefined for anything else (Graph has no other type).
_hours(f) := 0 if {
	object.get(f, "frequencyInterval", "timeBased") == "everyTime"
} else := f.value if {
	is_number(f.value)
	f.type == "hours"
} else := f.value * 24 if {
	is_number(f.value)
	f.type == "days"
}

# frequency_reasons is why the policy's sign-in frequency does not meet the limit; empty when
# it does.
frequency_reasons(p) := {"sets no sign-in frequency"} if {
	not is_object(_session(p, "signInFrequency"))
} else := {"does not enable sign-in frequency"} if {
	object.get(_session(p, "signInFrequency"), "isEnabled", null) != true
} else := {sprintf("sets sign-in frequency without a number of hours or days (value %v, type %v)", [
	object.get(f, "value", null),
	object.get(f, "type", null),
])} if {
	f := _session(p, "signInFrequency")
	not _hours(f)
} else := {sprintf("sets sign-in frequency to %s, more than %v hours", [_frequency_text(f), _max_hours])} if {
	f := _session(p, "signInFrequency")
	_hours(f) > _max_hours
} else := set()

# _frequency_text renders a frequency, e.g. "1 day" or "12 hours".
_frequency_text(f) := sprintf("1 %s", [trim_suffix(f.type, "s")]) if {
	f.value == 1
} else := sprintf("%v %s", [f.value, f.type])

# browser_reasons is why the policy does not make browser sessions never persistent; empty when
# it does.
browser_reasons(p) := {"does not set persistent browser session"} if {
	not is_object(_session(p, "persistentBrowser"))
} else := {"does not enable persistent browser session"} if {
	object.get(_session(p, "persistentBrowser"), "isEnabled", null) != true
} else := {sprintf("sets persistent browser session to %v, not never persistent", [mode])} if {
	mode := object.get(_session(p, "persistentBrowser"), "mode", null)
	mode != "never"
} else := set()

# The requirements, for posture.lib.ca_eval: a class of admin sessions is covered when a policy
# that sets the control (or blocks) applies to it; policies for complementary conditions add up.
_frequency_req := {
	"controls": set(),
	"what": "sign-in frequency",
	"clientAppTypes": ca.all_client_app_types,
	"policies": {p.id | some p in ca.policies; count(frequency_reasons(p)) == 0},
}

_browser_req := {
	"controls": set(),
	"what": "never-persistent browser sessions",
	"clientAppTypes": ca.all_client_app_types,
	"policies": {p.id | some p in ca.policies; count(browser_reasons(p)) == 0},
}

_evals := {
	"frequency": coverage.admins_eval(_frequency_req),
	"browser": coverage.admins_eval(_browser_req),
}

# Policies with either session control: the ones worth explaining to an admin.
_session_policies := {p |
	some p in ca.policies
	some key in ["signInFrequency", "persistentBrowser"]
	is_object(_session(p, key))
}

# _uncovered is, per session control, the admins no counting policy covers for it.
_uncovered := {m: ev.uncovered | some m, ev in _evals}

uncovered := _uncovered.frequency | _uncovered.browser

# _missing is what the admin lacks: "frequency", "browser", or both.
_missing(uid) := {m | some m, ids in _uncovered; uid in ids}

coverage := {"covered": count(admins) - count(uncovered), "total": count(admins)} if count(admins) > 0

deny contains {"msg": msg, "entity": entity.user(uid)} if {
	some uid in uncovered
	missing := _missing(uid)
	msg := sprintf("%s (%s) is not covered by an enforced Conditional Access policy for all resources that sets %s: %s", [
		users.upn(uid), privileged.role_names(uid),
		_need_phrases[missing],
		_why(uid, missing),
	])
}

_need_text := {
	"frequency": sprintf("sign-in frequency of at most %v hours", [_max_hours_param]),
	"browser": "never-persistent browser sessions",
}

# _need_phrases words what an admin lacks, per possible set of missing controls: made once, so
# each of thousands of admins looks it up instead of building it again.
_need_phrases := {missing: concat(" and ", [_need_text[m] | some m in ["frequency", "browser"]; m in missing]) |
	some missing in [{"frequency"}, {"browser"}, {"frequency", "browser"}]
}

_why(uid, missing) := "no Conditional Access policy sets sign-in frequency or persistent browser session" if {
	count(_session_policies) == 0
} else := concat("", [_class_prefix(uid, missing), concat("; ", sort([sprintf("%s %s", [ca.label(p), concat(", ", sort(reasons))]) |
	some p in _session_policies
	reasons := _reasons(p, uid, missing)
	count(reasons) > 0
]))])

# _class_prefix names the uncovered class of the admin's sessions, when the policies tell
# classes apart.
_class_prefix(uid, missing) := [coverage.class_prefix(_evals[m], uid) | some m in ["frequency", "browser"]; m in missing][0]

_reasons(p, uid, missing) := union({
	scope_shortfalls(p),
	ca.user_reasons(p, uid, "activated"),
	{r | "frequency" in missing; some r in frequency_reasons(p)},
	{r | "browser" in missing; some r in browser_reasons(p)},
})

# Admins reached only through groups the snapshot has no members for cannot be checked, nor can
# a counting policy whose include or exclude lists depend on such groups.
error contains msg if some msg in coverage.admin_group_errors

error contains msg if {
	some ev in _evals
	some msg in coverage.unverifiable(ev)
}
