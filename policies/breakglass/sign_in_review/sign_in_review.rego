# METADATA
# title: No break-glass account has signed in within the review period
# description: >-
#   Emergency access accounts should only be used in an emergency or a drill, so every sign-in
#   to one deserves a look: an unexpected one can be misuse or an attacker. Microsoft and CIS
#   ask for alerts on their sign-ins (Azure Monitor, Microsoft Sentinel, Defender for Cloud
#   Apps); this rule does not see those alerts, but lists what the directory itself records.
#   For each declared break-glass account it reads the last interactive and non-interactive
#   sign-in attempts (signInActivity.lastSignInDateTime, lastNonInteractiveSignInDateTime; both
#   count failed attempts too, and may lag by up to a day) and warns when either falls within
#   breakGlassSignInReviewDays (default 30) before the snapshot was taken (collectedAt). An
#   account that has never been used (signInActivity null, or both times empty) passes.
#   signInActivity missing from the snapshot makes the result an error naming the account:
#   reading it needs AuditLog.Read.All and Entra ID P1, and posture's collector reads it only
#   for privileged accounts, Conditional Access exclusions and the declared break-glass
#   accounts, writing null for one Graph returned without it (never signed in).
#   With nothing declared the rule is not applicable.
# related_resources:
#   - ref: https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/security-emergency-access#monitor-sign-in-and-audit-logs
#     description: "Microsoft Learn: Manage emergency access accounts - Monitor sign-in and audit logs"
#   - ref: https://learn.microsoft.com/en-us/graph/api/resources/signinactivity
#     description: "Microsoft Learn: signInActivity resource type"
#   - ref: https://learn.microsoft.com/en-us/entra/identity/monitoring-health/howto-manage-inactive-user-accounts
#     description: "Microsoft Learn: How to detect and investigate inactive user accounts (lastSignInDateTime)"
# custom:
#   id: breakglass.sign_in_review
#   severity: medium
#   level: should
#   requires: [entra.users, entra.groups, entra.groupMembers]
#   secure_score: []
#   frameworks:
#     cisa_scuba: []
#     cis_m365: ["2.2.1"]
#   license: [AAD_PREMIUM]
#   remediation: >-
#     For each listed account, open Entra ID > Monitoring & health > Sign-in logs in the Microsoft
#     Entra admin center, filter by the account (interactive and non-interactive sign-ins), and
#     check each sign-in against your record of emergencies and drills; look at the audit log for
#     what the account changed. Investigate anything unexplained as a compromise (reset the
#     credentials, rotate the security keys). To be told at once rather than at the next check,
#     send the sign-in logs to a Log Analytics workspace and create an alert rule on the
#     accounts' object ids (or a Microsoft Sentinel or Defender for Cloud Apps policy).
#   user_impact: low
#   implementation_cost: low
#   parameters:
#     - name: breakGlassSignInReviewDays
#       type: integer
#       minimum: 1
#       description: How many days before the snapshot a break-glass sign-in is listed for review.
#       default: 30
#     - name: breakGlass
#       type: object
#       description: >-
#         Break-glass accounts: users (object ids or userPrincipalNames) and groups (object ids
#         or display names) whose members are the accounts.
#       default: {users: [], groups: []} # none declared: the rule is not applicable
package posture.rules.breakglass.sign_in_review

import data.posture.lib.breakglass_checks as checks
import data.posture.lib.entity
import data.posture.lib.params
import data.posture.lib.users

not_applicable := checks.not_applicable_reason

error contains msg if some msg in checks.errors

_days := params.value("breakGlassSignInReviewDays")

_day_ns := ((24 * 60) * 60) * 1000000000

# The engine gives rules no clock: "now" is when the snapshot was collected, so the same snapshot
# always gives the same report.
_now := _parse(input.collectedAt)

# time.parse_rfc3339_ns fails the whole evaluation on a malformed string (the engine runs with
# strict built-in errors), so only strings shaped like RFC 3339 reach it.
_parse(ts) := time.parse_rfc3339_ns(ts) if {
	is_string(ts)
	regex.match(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`, ts)
}

_kinds := {"lastSignInDateTime": "interactive", "lastNonInteractiveSignInDateTime": "non-interactive"}

_activity(uid) := checks.property(uid, "signInActivity")

_activity_object(uid) := a if {
	a := _activity(uid)
	is_object(a)
} else := {}

# A null signInActivity means no sign-in was ever recorded; only its absence is unknown.
_has_activity(uid) if "signInActivity" in object.keys(object.get(users.by_id, uid, {}))

# _recent is the set of [kind, timestamp, days before the snapshot] of the account's sign-ins
# within the review window.
_recent(uid) := {[kind, ts, days] |
	some key, kind in _kinds
	ts := object.get(_activity_object(uid), key, null)
	ns := _parse(ts)
	days := floor((_now - ns) / _day_ns)
	_now - ns <= _days * _day_ns
}

warn contains {"msg": msg, "entity": entity.user(uid)} if {
	_valid_days
	some uid in checks.accounts
	recent := _recent(uid)
	count(recent) > 0
	msg := sprintf("break-glass account %s signed in within the last %v days (%s); break-glass accounts are for emergencies only, so confirm each sign-in was an emergency or a drill", [
		users.upn(uid),
		_days,
		concat("; ", sort([sprintf("last %s sign-in attempt %s, %s", [kind, ts, _ago(days)]) | some [kind, ts, days] in recent])),
	])
}

_ago(days) := "after the snapshot was taken" if {
	days < 0
} else := "less than a day before the snapshot" if {
	days == 0
} else := "1 day before the snapshot" if {
	days == 1
} else := sprintf("%d days before the snapshot", [days])

error contains sprintf("config breakGlassSignInReviewDays must be a number of days, got %s", [json.marshal(_days)]) if {
	not _valid_days
}

_valid_days if {
	is_number(_days)
	_days >= 0
}

error contains sprintf("snapshot collectedAt %s is not an RFC 3339 date and time, so the age of sign-ins cannot be told", [json.marshal(object.get(input, "collectedAt", null))]) if {
	count(checks.accounts) > 0
	not _now
}

error contains sprintf("break-glass account %s has no signInActivity in the snapshot: reading it needs the AuditLog.Read.All permission and Entra ID P1", [users.upn(uid)]) if {
	some uid in checks.accounts
	not _has_activity(uid)
}

error contains sprintf("break-glass account %s has signInActivity.%s %s, which is not an RFC 3339 date and time", [users.upn(uid), key, json.marshal(ts)]) if {
	some uid in checks.accounts
	some key, _ in _kinds
	ts := object.get(_activity(uid), key, null)
	ts != null
	not _parse(ts)
}
