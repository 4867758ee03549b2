# Helpers shared by the break-glass rules under policies/breakglass: when there is no account to
# check, which declared accounts the snapshot cannot check, and how an account holds Global
# Administrator. Which accounts are break-glass accounts is posture.lib.breakglass's business.
package posture.lib.breakglass_checks

import data.posture.lib.breakglass
import data.posture.lib.ca
import data.posture.lib.roles
import data.posture.lib.users

undeclared := "no break-glass account or group is declared in the config (breakGlass.users, breakGlass.groups)"

# not_applicable_reason says why a rule that checks each declared account has nothing to check:
# nothing is declared, or only groups without members are. Undefined while declarations do not
# resolve, because rules report those as errors and an error must not read as "nothing to check".
not_applicable_reason := undeclared if {
	not breakglass.declared
} else := "the declared break-glass groups have no members, so there is no break-glass account to check" if {
	count(breakglass.account_ids) == 0
	count(breakglass.unresolved) == 0
}

# unknown_accounts is the set of break-glass account ids that are not users of the snapshot:
# members of a declared group whose user objects entra.users does not hold.
unknown_accounts := {uid | some uid in breakglass.account_ids; not users.exists(uid)}

# errors is the set of reasons some declared account cannot be checked: declarations that do not
# resolve (posture.lib.breakglass.unresolved) and accounts missing from entra.users.
errors := breakglass.unresolved | {msg |
	some uid in unknown_accounts
	msg := sprintf("break-glass account %s (a member of a declared break-glass group) is not among the snapshot's users (entra.users), so it cannot be checked", [uid])
}

# accounts is the set of ids of the declared break-glass accounts that the snapshot holds.
accounts := breakglass.account_ids - unknown_accounts

# property is the user's property `name`; undefined when the user object lacks it or holds null,
# which for a property the collector selects means it was not read.
property(uid, name) := v if {
	v := object.get(users.by_id, [uid, name], null)
	v != null
}

# missing is true when the user object lacks the property or holds null for it.
missing(uid, name) if object.get(users.by_id, [uid, name], null) == null

# has_property is true when the user object carries the key, even with a null value.
has_property(uid, name) if name in object.keys(users.by_id[uid])

# global_admin_grants is the set of the user's Global Administrator grants (roles.user_grants
# entries: kind active|eligible, via null or a group id, scope).
global_admin_grants(uid) := roles.grants_of(uid, roles.global_administrator)

# active_global_admin is true when the user holds Global Administrator through an active
# tenant-wide assignment, directly or through a group: nothing needs activating before use.
active_global_admin(uid) if {
	some g in global_admin_grants(uid)
	g.kind == "active"
	g.scope == "/"
}

# policies_to_exclude_from is the list of Conditional Access policies that must exclude every
# break-glass account: on or report-only (report-only policies get switched on), and aimed at
# users (a policy for workload identities only cannot block a user's sign-in).
policies_to_exclude_from := [p |
	some p in ca.policies
	ca.state_label(p) in {"enabled", "report-only"}
	ca.targets_users(p)
]

# policy_errors is the set of reasons the snapshot cannot tell whether one of `pols` (a list of
# Conditional Access policies) is in force or whom it applies to: a state other than the three
# Graph defines, or no user conditions on a policy that is on or report-only. Such a policy must
# not be skipped as if it did not matter.
policy_errors(pols) := bad_state | no_users if {
	bad_state := {msg |
		some p in pols
		not ca.state(p) in {"enabled", "disabled", "enabledForReportingButNotEnforced"}
		msg := sprintf("%s has state %s; expected enabled, disabled or enabledForReportingButNotEnforced", [ca.label(p), json.marshal(object.get(p, "state", null))])
	}
	no_users := {msg |
		some p in pols
		ca.state(p) in {"enabled", "enabledForReportingButNotEnforced"}
		not is_object(object.get(p, ["conditions", "users"], null))
		msg := sprintf("%s has no conditions.users in the snapshot, so whom it applies to cannot be told", [ca.label(p)])
	}
}
