package snapshot

// Section names: the snapshot's four data sections, as they appear in JSON and
// as the first part of a source key ("entra.users").
const (
	SectionEntra       = "entra"
	SectionExchange    = "exchange"
	SectionIntune      = "intune"
	SectionSecureScore = "secureScore"
)

// Kind is the JSON shape a known snapshot key must have.
type Kind string

// The kinds of known keys.
const (
	// KindObject is a single JSON object, e.g. entra.organization.
	KindObject Kind = "object"
	// KindArray is an array of JSON objects, e.g. entra.users.
	KindArray Kind = "array"
	// KindStringArrays is an object whose values are arrays of strings:
	// entra.groupMembers (group id -> transitive member user ids).
	KindStringArrays Kind = "object of string arrays"
	// KindDNS is exchange.dns: an object from domain name to an object with
	// optional "spf" and "dmarc" arrays of TXT record strings.
	KindDNS Kind = "dns records"
)

// Key is one known key of a snapshot section.
type Key struct {
	Section string // "entra", "exchange", "intune" or "secureScore"
	Name    string // the key inside the section, e.g. "users"
	Kind    Kind   // the JSON shape the key's value must have
}

// String returns the source key, "<section>.<name>" (e.g. "entra.users").
func (k Key) String() string { return k.Section + "." + k.Name }

// Keys returns the table of known keys of schema version 1 in the order of
// DESIGN.md: the single list that Parse validates against and that the
// collector and the documentation use. Each call returns a new slice.
func Keys() []Key {
	const e, x, i, s = SectionEntra, SectionExchange, SectionIntune, SectionSecureScore
	return []Key{
		{e, "organization", KindObject},
		{e, "subscribedSkus", KindArray},
		{e, "domains", KindArray},
		{e, "users", KindArray},
		{e, "groups", KindArray},
		{e, "groupMembers", KindStringArrays},
		{e, "roleDefinitions", KindArray},
		{e, "roleAssignments", KindArray},
		{e, "roleEligibilitySchedules", KindArray},
		{e, "roleAssignmentScheduleInstances", KindArray},
		{e, "roleManagementPolicyAssignments", KindArray},
		{e, "conditionalAccessPolicies", KindArray},
		{e, "namedLocations", KindArray},
		{e, "securityDefaults", KindObject},
		{e, "authorizationPolicy", KindObject},
		{e, "authenticationMethodsPolicy", KindObject},
		{e, "adminConsentRequestPolicy", KindObject},
		{e, "defaultAppManagementPolicy", KindObject},
		{e, "appManagementPolicies", KindArray},
		{e, "userRegistrationDetails", KindArray},
		{e, "servicePrincipals", KindArray},
		{e, "oauth2PermissionGrants", KindArray},
		{e, "directorySettings", KindArray},
		{e, "riskyUsers", KindArray},

		{x, "organizationConfig", KindObject},
		{x, "adminAuditLogConfig", KindObject},
		{x, "transportConfig", KindObject},
		{x, "atpPolicyForO365", KindObject},
		{x, "acceptedDomains", KindArray},
		{x, "remoteDomains", KindArray},
		{x, "transportRules", KindArray},
		{x, "sharingPolicies", KindArray},
		{x, "owaMailboxPolicies", KindArray},
		{x, "dkimSigningConfigs", KindArray},
		{x, "safeLinksPolicies", KindArray},
		{x, "safeLinksRules", KindArray},
		{x, "safeAttachmentPolicies", KindArray},
		{x, "safeAttachmentRules", KindArray},
		{x, "antiPhishPolicies", KindArray},
		{x, "antiPhishRules", KindArray},
		{x, "hostedContentFilterPolicies", KindArray},
		{x, "hostedConnectionFilterPolicies", KindArray},
		{x, "hostedOutboundSpamFilterPolicies", KindArray},
		{x, "malwareFilterPolicies", KindArray},
		{x, "eopProtectionPolicyRules", KindArray},
		{x, "atpProtectionPolicyRules", KindArray},
		{x, "roleAssignmentPolicies", KindArray},
		{x, "externalInOutlook", KindObject},
		{x, "dns", KindDNS},

		{i, "deviceConfigurations", KindArray},
		{i, "deviceCompliancePolicies", KindArray},
		{i, "configurationPolicies", KindArray},
		{i, "intents", KindArray},
		{i, "managedDevices", KindArray},
		{i, "deviceManagementSettings", KindObject},

		{s, "scores", KindArray},
		{s, "controlProfiles", KindArray},
	}
}

// KnownKeys returns the source keys of all known keys ("entra.users", ...),
// in the order of Keys.
func KnownKeys() []string {
	keys := Keys()
	out := make([]string, len(keys))
	for n, k := range keys {
		out[n] = k.String()
	}
	return out
}

// sectionNames lists the data sections in document order.
func sectionNames() []string {
	return []string{SectionEntra, SectionExchange, SectionIntune, SectionSecureScore}
}
