# METADATA
# title: The service-accounts group is excluded only from the MFA policy
# description: >-
#   Service accounts cannot answer an MFA prompt, so the MFA policy excludes their group. That
#   exclusion must not spread: a group left out of the blocking and device policies too is a
#   back door with a password as its only lock. Every Conditional Access policy that is on or in
#   report-only mode and excludes the group fails, unless it is one the config names as the MFA
#   policy.
# custom:
#   id: org.service_accounts_mfa_only
#   severity: high
#   level: shall
#   requires: [entra.conditionalAccessPolicies, entra.groups]
#   parameters:
#     - name: serviceAccountsGroup
#       type: string
#       description: The service-accounts group, by object id or display name.
#       default: ""
#     - name: serviceAccountsMfaPolicies
#       type: array
#       items: string
#       description: Ids or display names of the policies that may exclude the group (the MFA policy).
#       default: []
#   remediation: >-
#     In the Entra admin center > Conditional Access > Policies, remove the service-accounts group
#     from Users > Exclude of every policy but the MFA policy. Protect the service accounts with
#     a location or workload identity policy instead.
package posture.rules.org.service_accounts_mfa_only

import data.posture.lib.params

ref := params.value("serviceAccountsGroup")

may_exclude := {p | some p in params.value("serviceAccountsMfaPolicies")}

group_ids := {g.id | some g in input.entra.groups; ref in {g.id, g.displayName}}

error contains "set parameters.serviceAccountsGroup in the config (the group's object id or display name)" if ref == ""

error contains sprintf("the service-accounts group %q is not in the tenant's groups", [ref]) if {
	ref != ""
	count(group_ids) == 0
}

deny contains {"msg": msg, "entity": {"type": "policy", "id": p.id, "name": p.displayName}} if {
	some p in input.entra.conditionalAccessPolicies
	p.state != "disabled"
	some g in object.get(p.conditions.users, "excludeGroups", [])
	g in group_ids
	not p.id in may_exclude
	not p.displayName in may_exclude
	msg := sprintf("%s excludes the service-accounts group %s; only the MFA policy may", [p.displayName, ref])
}
