package collect

import (
	"strings"

	"github.com/m365posture/posture/internal/exo"
	"github.com/m365posture/posture/internal/snapshot"
)

// shape is how a source's answer is stored.
type shape int

const (
	list   shape = iota // a collection, every page: an array
	object              // a single object
	first               // a collection of one (organization), stored as its element
)

// Licences Graph asks for, as the messages of unlicensed sources name them.
const (
	licP1     = "Microsoft Entra ID P1"
	licP2     = "Microsoft Entra ID P2"
	licIntune = "Microsoft Intune"
)

// Source is one snapshot key and how it is read: from Graph (Path), from Exchange Online's
// admin API (Cmdlet) or from DNS (exchange.dns).
type Source struct {
	Key        string // snapshot source key, e.g. "entra.users"
	Path       string // the Graph request, with version and query; "" for the others
	Cmdlet     string // the Exchange Online cmdlet run through InvokeCommand, or ""
	Permission string // least-privilege application permission (and role)
	Licence    string // what the tenant needs when the service answers with a licence error; "" if none
	shape      shape
	expand     []expansion // navigation properties read per object after the list
	property   string      // for an object: the property of the answer that is stored
}

// userSelect is what rules read of users; signInActivity is read separately, for the accounts
// that need it, because it needs AuditLog.Read.All and Entra ID P1 on top of User.Read.All.
// externalUserState and creationType tell external (B2B) users whose UPN has no #EXT# - internal
// users converted to external - from local guests (posture.lib.users.external_kind_ids).
const userSelect = "id,displayName,userPrincipalName,mail,accountEnabled,userType,createdDateTime," +
	"onPremisesSyncEnabled,onPremisesImmutableId,assignedLicenses,externalUserState,creationType"

// complianceExpand reads compliance policies with their assignments and their actions for
// noncompliance ("mark noncompliant after N days"): Graph answers those only through $expand,
// not at .../scheduledActionsForRule.
const complianceExpand = "assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)"

// deviceSelect is what rules read of managed devices: compliance, encryption, OS and the ids
// that join a device to Entra ID. No user or hardware identifiers (userPrincipalName, serial
// number, IMEI): a device is named by its deviceName, and personal data stays out.
const deviceSelect = "id,deviceName,operatingSystem,osVersion,complianceState,isEncrypted,managementAgent," +
	"lastSyncDateTime,azureADDeviceId"

// roleManagementPolicyScope is the $filter, percent-encoded, that reads the PIM policies of the
// tenant's directory roles: scopeId eq '/' and scopeType eq 'DirectoryRole'.
const roleManagementPolicyScope = "scopeId%20eq%20'%2F'%20and%20scopeType%20eq%20'DirectoryRole'"

// appliesToExpansions reads the applications and service principals each app management
// policy is assigned to (Microsoft Learn, "List appliesTo"), by id only.
var appliesToExpansions = []expansion{
	{"appliesTo", "/policies/appManagementPolicies/{id}/appliesTo?$select=id"},
}

// Page sizes: Graph's maximum $top where its docs give one (Microsoft Learn, "List users": 999
// without signInActivity; groups, servicePrincipals and members: 999). Elsewhere Graph's
// default page size applies. signInActivity is not read with the users (its list pages hold at
// most 500, Graph allows 10 such requests a minute, and it needs AuditLog.Read.All and Entra ID
// P1): only for the accounts rules need it for, one by one or from a list of all users with it,
// whichever takes fewer requests (signin.go).
const (
	roleManagementPolicyAssignmentsPath = "/v1.0/policies/roleManagementPolicyAssignments?$filter=" + roleManagementPolicyScope +
		"&$expand=policy($expand=rules)"
	usersPath    = "/v1.0/users?$select=" + userSelect + "&$top=999"
	membersQuery = "/transitiveMembers/microsoft.graph.user?$select=id&$top=999"
)

// Sources returns every source: Graph's in snapshot key order, then Exchange Online's cmdlets
// (the table of exo.Cmdlets) and exchange.dns. groupMembers is read after the Conditional
// Access policies, groups and role assignments it depends on; the cmdlets after
// entra.organization (the tenant id and initial domain); exchange.dns after
// exchange.acceptedDomains.
func Sources() []Source {
	srcs := graphSources()
	for _, c := range exo.Cmdlets() {
		sh := list
		if c.Object {
			sh = first
		}
		srcs = append(srcs, Source{Key: c.Key, Cmdlet: c.Name, Permission: exo.Permission, Licence: c.Licence, shape: sh})
	}
	return append(srcs, Source{Key: keyDNS, Permission: "none (DNS TXT lookups of the accepted domains)"})
}

// graphSources returns the Graph sources in snapshot key order.
func graphSources() []Source {
	return []Source{
		{Key: "entra.organization", Path: "/v1.0/organization", Permission: "Organization.Read.All", shape: first},
		{Key: "entra.subscribedSkus", Path: "/v1.0/subscribedSkus", Permission: "LicenseAssignment.Read.All"},
		{Key: "entra.domains", Path: "/v1.0/domains", Permission: "Domain.Read.All"},
		// signInActivity (GET /users/{id}?$select=id,signInActivity for privileged and
		// break-glass accounts, or GET /users?$select=id,signInActivity&$top=500 when that takes
		// fewer requests) also needs AuditLog.Read.All; without it the users are still read and
		// the source message says so.
		{Key: "entra.users", Path: usersPath, Permission: "User.Read.All"},
		{Key: "entra.groups", Permission: "GroupMember.Read.All",
			Path: "/v1.0/groups?$select=id,displayName,description,groupTypes,securityEnabled,mailEnabled,isAssignableToRole,membershipRule,onPremisesSyncEnabled&$top=999"},
		{Key: "entra.groupMembers", Path: "/v1.0/groups/{id}" + membersQuery, Permission: "GroupMember.Read.All"},
		{Key: "entra.roleDefinitions", Path: "/v1.0/roleManagement/directory/roleDefinitions", Permission: "RoleManagement.Read.Directory"},
		{Key: "entra.roleAssignments", Path: "/v1.0/roleManagement/directory/roleAssignments", Permission: "RoleManagement.Read.Directory"},
		{Key: "entra.roleEligibilitySchedules", Path: "/v1.0/roleManagement/directory/roleEligibilitySchedules",
			Permission: "RoleEligibilitySchedule.Read.Directory", Licence: licP2},
		// Microsoft Learn, "List roleAssignmentScheduleInstances": the active assignments, made
		// through PIM or directly through the role assignments API (then startDateTime is null).
		{Key: "entra.roleAssignmentScheduleInstances", Path: "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances",
			Permission: "RoleAssignmentSchedule.Read.Directory", Licence: licP2},
		// Microsoft Learn, "List roleManagementPolicyAssignments": the $filter on scopeId and
		// scopeType is required (scopeId '/' and scopeType DirectoryRole for the tenant's
		// directory roles), and a nested $expand brings each role's PIM settings (the rules).
		{Key: "entra.roleManagementPolicyAssignments", Path: roleManagementPolicyAssignmentsPath,
			Permission: "RoleManagementPolicy.Read.Directory", Licence: licP2},
		{Key: "entra.conditionalAccessPolicies", Path: "/v1.0/identity/conditionalAccess/policies", Permission: "Policy.Read.All", Licence: licP1},
		{Key: "entra.namedLocations", Path: "/v1.0/identity/conditionalAccess/namedLocations", Permission: "Policy.Read.All", Licence: licP1},
		{Key: "entra.securityDefaults", Path: "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", Permission: "Policy.Read.All", shape: object},
		{Key: "entra.authorizationPolicy", Path: "/v1.0/policies/authorizationPolicy", Permission: "Policy.Read.All", shape: object},
		{Key: "entra.authenticationMethodsPolicy", Path: "/v1.0/policies/authenticationMethodsPolicy", Permission: "Policy.Read.AuthenticationMethod", shape: object},
		{Key: "entra.adminConsentRequestPolicy", Path: "/v1.0/policies/adminConsentRequestPolicy", Permission: "Policy.Read.All", shape: object},
		// Microsoft Learn, "Get tenantAppManagementPolicy" and "List appManagementPolicies":
		// Policy.Read.All is the least privileged permission. A custom policy takes precedence
		// over the tenant default for the applications and service principals it is assigned
		// to ("Application authentication methods API overview"), which only its appliesTo
		// ("List appliesTo", read per policy; Application.Read.All, which posture holds for
		// entra.servicePrincipals, or Policy.Read.All) names. $select=id keeps the applications'
		// credentials and other properties out of the snapshot.
		{Key: "entra.defaultAppManagementPolicy", Path: "/v1.0/policies/defaultAppManagementPolicy", Permission: "Policy.Read.All", shape: object},
		{Key: "entra.appManagementPolicies", Path: "/v1.0/policies/appManagementPolicies", Permission: "Policy.Read.All",
			expand: appliesToExpansions},
		{Key: "entra.userRegistrationDetails", Path: "/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999",
			Permission: "AuditLog.Read.All", Licence: licP1},
		{Key: "entra.servicePrincipals", Permission: "Application.Read.All",
			Path: "/v1.0/servicePrincipals?$select=id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,verifiedPublisher,signInAudience,tags&$top=999"},
		{Key: "entra.oauth2PermissionGrants", Path: "/v1.0/oauth2PermissionGrants", Permission: "Directory.Read.All"},
		// Microsoft Learn, "List settings" (tenant-wide): GroupSettings.Read.All is the least
		// privileged application permission; Directory.Read.All is a higher one.
		{Key: "entra.directorySettings", Path: "/v1.0/groupSettings", Permission: "GroupSettings.Read.All"},
		{Key: "entra.riskyUsers", Path: "/v1.0/identityProtection/riskyUsers", Permission: "IdentityRiskyUser.Read.All", Licence: licP2},

		// Device configurations and compliance policies are read from beta: the Windows baseline's
		// legacy mappings, intune.windows_compliance_policy (activeFirewallRequired,
		// antivirusRequired, defenderEnabled, ...) and the assignment filter fields of the
		// targets are beta-only properties, which v1.0 never returns.
		{Key: "intune.deviceConfigurations", Path: "/beta/deviceManagement/deviceConfigurations?$expand=assignments",
			Permission: "DeviceManagementConfiguration.Read.All", Licence: licIntune},
		{Key: "intune.deviceCompliancePolicies", Path: "/beta/deviceManagement/deviceCompliancePolicies?$expand=" + complianceExpand,
			Permission: "DeviceManagementConfiguration.Read.All", Licence: licIntune},
		{Key: "intune.configurationPolicies", Path: "/beta/deviceManagement/configurationPolicies?$expand=assignments",
			Permission: "DeviceManagementConfiguration.Read.All", Licence: licIntune, expand: policyExpansions},
		{Key: "intune.intents", Path: "/beta/deviceManagement/intents", Permission: "DeviceManagementConfiguration.Read.All",
			Licence: licIntune, expand: intentExpansions},
		{Key: "intune.managedDevices", Permission: "DeviceManagementManagedDevices.Read.All", Licence: licIntune,
			Path: "/v1.0/deviceManagement/managedDevices?$select=" + deviceSelect},
		{Key: "intune.deviceManagementSettings", Path: "/v1.0/deviceManagement?$select=settings",
			Permission: "DeviceManagementConfiguration.Read.All", Licence: licIntune, shape: object, property: "settings"},

		{Key: "secureScore.scores", Path: "/v1.0/security/secureScores?$top=90", Permission: "SecurityEvents.Read.All"},
		{Key: "secureScore.controlProfiles", Path: "/v1.0/security/secureScoreControlProfiles", Permission: "SecurityEvents.Read.All"},
	}
}

// Requests returns every Graph request the source sends, with version and query, {id}
// standing for an object's id: its Path, the signInActivity reads of users (per account, or
// the list), and the per-object reads of its expansions. Exchange and DNS sources send none.
func (s Source) Requests() []string {
	if s.Path == "" {
		return nil
	}
	out := []string{s.Path}
	if s.Key == "entra.users" {
		out = append(out, "/v1.0/users/{id}"+signInSelect, signInListPath)
	}
	version, _, _ := strings.Cut(strings.TrimPrefix(s.Path, "/"), "/")
	for _, e := range s.expand {
		out = append(out, "/"+version+e.path)
	}
	return out
}

// notCollected says why a known key has no collector; such keys are recorded as skipped.
func notCollected(snapshot.Key) string { return "not collected by this version of posture" }
