# METADATA
# title: Sign-ins from outside our countries are blocked
# description: >-
#   Our staff work from a known set of countries; a sign-in from anywhere else is an attacker
#   with a phished password far more often than a traveller. The tenant passes when an enabled
#   Conditional Access policy blocks all users and all resources from all locations except
#   country locations within the allowed countries (not "unknown countries") and trusted IP
#   ranges, with no exclusions but the break-glass accounts. Report-only policies block nothing.
# related_resources:
#   - ref: https://learn.microsoft.com/entra/identity/conditional-access/policy-block-by-location
#     description: "Microsoft Learn: Block access by location"
# custom:
#   id: org.countries_blocked
#   severity: high
#   level: shall
#   requires: [entra.conditionalAccessPolicies, entra.namedLocations, entra.users, entra.groups, entra.groupMembers]
#   parameters:
#     - name: allowedCountries
#       type: array
#       items: string
#       description: ISO 3166-1 alpha-2 codes of the countries sign-ins may come from, e.g. [NL, BE].
#       default: []
#     - name: breakGlass
#       type: object
#       description: Break-glass accounts, the only users and groups the blocking policy may exclude.
#       default: {users: [], groups: []}
#   remediation: >-
#     Create a country named location with the allowed countries (Entra admin center > Conditional
#     Access > Named locations), then a policy: Users: All users, excluding the break-glass
#     accounts only; Target resources: All resources; Network: Include Any location, Exclude the
#     country location (and trusted IP ranges if needed); Grant: Block access; Enable policy: On.
package posture.rules.org.countries_blocked

import data.posture.lib.breakglass
import data.posture.lib.params

allowed := {upper(c) | some c in params.value("allowedCountries")}

# Without the list there is nothing to compare with: that is unknown, never a pass.
error contains "set parameters.allowedCountries in the config (ISO 3166 codes such as NL)" if count(allowed) == 0

locations := {l.id: l | some l in input.entra.namedLocations}

deny contains {"msg": msg, "entity": {"type": "tenant", "id": input.tenant.id, "name": input.tenant.displayName}} if {
	count(allowed) > 0
	not any_policy_blocks
	msg := sprintf("no enabled Conditional Access policy blocks sign-ins from outside %s", [concat(", ", sort(allowed))])
}

any_policy_blocks if {
	some p in input.entra.conditionalAccessPolicies
	blocks(p)
}

blocks(p) if {
	p.state == "enabled"
	"block" in p.grantControls.builtInControls
	"All" in p.conditions.users.includeUsers
	"All" in p.conditions.applications.includeApplications
	"All" in p.conditions.locations.includeLocations
	count(p.conditions.locations.excludeLocations) > 0
	every id in p.conditions.locations.excludeLocations {
		allowed_exclusion(locations[id])
	}
	every u in object.get(p.conditions.users, "excludeUsers", []) {
		breakglass.is_account(u)
	}
	every g in object.get(p.conditions.users, "excludeGroups", []) {
		g in breakglass.group_ids
	}
}

# A country location may be left out of the block when every country in it is allowed.
allowed_exclusion(l) if {
	l["@odata.type"] == "#microsoft.graph.countryNamedLocation"
	not l.includeUnknownCountriesAndRegions
	every c in l.countriesAndRegions {
		upper(c) in allowed
	}
}

# So may an IP range the organisation marked trusted (its offices).
allowed_exclusion(l) if {
	l["@odata.type"] == "#microsoft.graph.ipNamedLocation"
	l.isTrusted == true
}
