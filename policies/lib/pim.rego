# Privileged Identity Management as Graph v1.0 shows it: each directory role's PIM settings
# (input.entra.roleManagementPolicyAssignments, read with $expand=policy($expand=rules)) and the
# active assignments with their schedule (input.entra.roleAssignmentScheduleInstances).
#
# A role's settings are rules of its policy, named by id: Approval_EndUser_Assignment (an
# activation needs approval), Notification_Admin_Admin_Eligibility and
# Notification_Admin_Admin_Assignment (the alert to admins when someone is made eligible or
# active), Notification_Admin_EndUser_Assignment (the alert to admins when someone activates),
# as Microsoft Learn lists them ("List rules (for a role management policy)", and "Overview of
# role management policies").
package posture.lib.pim

import data.posture.lib.entity
import data.posture.lib.licenses
import data.posture.lib.roles

# not_applicable is the reason of a PIM rule in a tenant without PIM: it names the service plans
# that bring it and the framework control the rule cites, which CISA SCuBA asks for whatever
# the licence and ScubaGear fails without them (a third-party PAM system also satisfies it).
not_applicable(control) := sprintf("%s (ScubaGear fails %s without them)", [licenses.missing("Privileged Identity Management", licenses.pim_plans), control]) if {
	not licenses.has_pim
}

default _policy_assignments := []

_policy_assignments := input.entra.roleManagementPolicyAssignments if is_array(input.entra.roleManagementPolicyAssignments)

# The policies of the directory roles at tenant scope ("/"; scopeType DirectoryRole, or Directory,
# which Graph also answers with).
_tenant_wide(a) if {
	a.scopeId == "/"
	lower(a.scopeType) in {"directoryrole", "directory"}
}

# rules is the set of the rules with id rule_id of the PIM policy of role role_id (a role
# template id); empty when the snapshot has no such policy or rule (see missing).
rules(role_id, rule_id) := {r |
	some a in _policy_assignments
	_tenant_wide(a)
	a.roleDefinitionId == role_id
	some r in object.get(a, ["policy", "rules"], [])
	r.id == rule_id
}

# has_settings is true when the snapshot holds the PIM policy of the role.
has_settings(role_id) if {
	some a in _policy_assignments
	_tenant_wide(a)
	a.roleDefinitionId == role_id
	is_array(object.get(a, ["policy", "rules"], null))
}

# missing is the set of reasons the snapshot cannot tell the role's rule rule_id: the role's
# policy or the rule is not there.
missing(role_id, rule_id) := {sprintf("the snapshot has no PIM settings of %s (entra.roleManagementPolicyAssignments has no policy assignment for it with its rules)", [roles.name(role_id)])} if {
	not has_settings(role_id)
} else := {sprintf("the PIM settings of %s have no rule %s", [roles.name(role_id), rule_id])} if {
	count(rules(role_id, rule_id)) == 0
} else := set()

# recipients is the list of the additional recipients of a notification rule (the addresses
# entered under "Additional recipients"); [] when none.
recipients(r) := list if {
	list := r.notificationRecipients
	is_array(list)
} else := []

default _instances := []

_instances := input.entra.roleAssignmentScheduleInstances if is_array(input.entra.roleAssignmentScheduleInstances)

# outside_pim is the set of active assignment instances of a role in `role_ids` made outside PIM:
# an instance without a start time, which is how the Entra admin center tells an assignment made
# in the Microsoft 365 admin center, with PowerShell or the role assignments API apart from one
# made in PIM (its start time column shows "-").
outside_pim(role_ids) := {i |
	some i in _instances
	i.roleDefinitionId in role_ids
	i.startDateTime == null
}

# _alert_names says, per notification rule, which event it alerts admins to.
_alert_names := {
	"Notification_Admin_Admin_Eligibility": "an assignment as eligible",
	"Notification_Admin_Admin_Assignment": "an assignment as active",
	"Notification_Admin_EndUser_Assignment": "an activation",
}

# alert_violations has one violation per role of role_ids and notification rule of rule_ids
# that sends its alert to no additional recipient: the baselines ask for the address of a
# monitored mailbox there, beyond the default recipients (the Global and Privileged Role
# Administrators themselves).
alert_violations(role_ids, rule_ids) := {{"msg": msg, "entity": entity.role(role_id)} |
	some role_id in role_ids
	some rule_id in rule_ids
	some r in rules(role_id, rule_id)
	count(recipients(r)) == 0
	msg := sprintf("PIM alerts no additional recipient of %s to %s (%s has no notificationRecipients)", [
		_alert_names[rule_id], roles.name(role_id), rule_id,
	])
}

# alert_errors are the reasons the snapshot cannot tell those alerts.
alert_errors(role_ids, rule_ids) := {msg |
	some role_id in role_ids
	some rule_id in rule_ids
	some msg in missing(role_id, rule_id)
} | {msg |
	some role_id in role_ids
	some rule_id in rule_ids
	some r in rules(role_id, rule_id)
	v := object.get(r, "notificationRecipients", null)
	v != null
	not is_array(v)
	msg := sprintf("%s of %s has notificationRecipients %s, not a list, so who is alerted is unknown", [rule_id, roles.name(role_id), json.marshal(v)])
}
