# The authentication methods policy (input.entra.authenticationMethodsPolicy: Graph v1.0
# /policies/authenticationMethodsPolicy with its authenticationMethodConfigurations inline): one
# method's configuration by id, why it cannot be read, the migration state, and whom a method or
# feature targets, in words for messages.
package posture.lib.authmethods

import data.posture.lib.groups

# raw is input.entra.authenticationMethodsPolicy as collected, or null when it is absent.
raw := object.get(input, ["entra", "authenticationMethodsPolicy"], null)

# policy is the authentication methods policy; {} when it is not an object (rules report that
# through `unreadable`, so an empty policy never passes anything).
default policy := {}

policy := raw if is_object(raw)

# all_users is the target id Graph uses for "All users".
all_users := "all_users"

# nobody is the all-zero id Graph puts in a Microsoft Authenticator feature's excludeTarget when
# the feature excludes no one.
nobody := "00000000-0000-0000-0000-000000000000"

# configurations_listed is true when the policy holds its list of method configurations.
configurations_listed if is_array(policy.authenticationMethodConfigurations)

# configurations is the list of method configurations; [] when it is missing.
default configurations := []

configurations := policy.authenticationMethodConfigurations if configurations_listed

# named is the list of the configurations whose id is `id`, ignoring case (Graph spells them
# Sms, Voice, Email, MicrosoftAuthenticator, Fido2, ...). A list, not a lookup table, so that a
# duplicated id shows up as a problem instead of a conflict that would stop the evaluation.
named(id) := [c |
	some c in configurations
	is_object(c)
	is_string(c.id)
	lower(c.id) == lower(id)
]

# config is the configuration of method `id`; undefined unless exactly one exists.
config(id) := cs[0] if {
	cs := named(id)
	count(cs) == 1
}

# enabled is true when method `id` has a configuration whose state is "enabled".
enabled(id) if config(id).state == "enabled"

# labels are the methods' names as the Microsoft Entra admin center shows them.
labels := {
	"sms": "SMS",
	"voice": "Voice call",
	"email": "Email OTP",
	"microsoftauthenticator": "Microsoft Authenticator",
	"fido2": "Passkey (FIDO2)",
	"temporaryaccesspass": "Temporary Access Pass",
	"softwareoath": "Third-party software OATH tokens",
	"hardwareoath": "Hardware OATH tokens",
	"x509certificate": "Certificate-based authentication",
}

# label is method `id`'s display name, or the id itself for a method without one.
label(id) := labels[lower(id)] if {
	is_string(id)
} else := sprintf("%v", [id])

_method_states := {"enabled", "disabled"}

# unreadable is the set of reasons the configurations of the methods `ids` cannot be checked:
# the policy or its configuration list is missing, a method has no configuration or several,
# or a configuration's state is neither enabled nor disabled.
unreadable(ids) := policy_problems | {msg |
	configurations_listed
	some id in ids
	msg := _config_problem(id)
}

# policy_problems are the reasons the policy itself cannot be read.
policy_problems contains "entra.authenticationMethodsPolicy is not an object" if not is_object(raw)

policy_problems contains msg if {
	is_object(raw)
	not configurations_listed
	msg := "entra.authenticationMethodsPolicy has no authenticationMethodConfigurations list, so the state of its methods is unknown"
}

_config_problem(id) := msg if {
	count(named(id)) == 0
	msg := sprintf("the authentication methods policy has no %s configuration (id %s), so whether the method is enabled is unknown", [label(id), id])
} else := msg if {
	n := count(named(id))
	n > 1
	msg := sprintf("the authentication methods policy has %d configurations with id %s, so the state of %s is ambiguous", [n, id, label(id)])
} else := msg if {
	state := object.get(config(id), "state", null)
	not state in _method_states
	msg := sprintf("the %s configuration has state %s; expected \"enabled\" or \"disabled\"", [label(id), json.marshal(state)])
}

# migration_states are the values Graph documents for policyMigrationState.
migration_states := {"preMigration", "migrationInProgress", "migrationComplete", "unknownFutureValue"}

# migration_state is the policy's policyMigrationState; undefined when it is missing or null.
migration_state := policy.policyMigrationState if is_string(policy.policyMigrationState)

# migration_complete is true when only the authentication methods policy governs methods: until
# then the legacy MFA and SSPR policies, which Graph v1.0 does not expose, are respected too.
migration_complete if migration_state == "migrationComplete"

# targets is the list of target objects under `key` (includeTargets or excludeTargets) of a
# method configuration; undefined when that key is missing or not a list.
targets(c, key) := [t | some t in c[key]; is_object(t)] if is_array(c[key])

# target_name names one target: "all users", a group by display name, or type and id.
target_name(t) := "all users" if {
	t.id == all_users
} else := sprintf("group '%s'", [groups.name(t.id)]) if {
	t.targetType == "group"
} else := sprintf("%s %s", [object.get(t, "targetType", "target"), object.get(t, "id", "without id")])

# audience describes whom a method configuration is enabled for: its include targets, minus its
# exclude targets.
audience(c) := concat("", [_included(c), _excluded(c)])

_included(c) := "unknown users (includeTargets is missing)" if {
	not targets(c, "includeTargets")
} else := "no one (includeTargets is empty)" if {
	count(targets(c, "includeTargets")) == 0
} else := concat(", ", sort({target_name(t) | some t in targets(c, "includeTargets")}))

_excluded(c) := sprintf(" except %s", [concat(", ", sort({target_name(t) | some t in ts}))]) if {
	ts := targets(c, "excludeTargets")
	count(ts) > 0
} else := ""
