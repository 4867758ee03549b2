package snapshot

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Property is a property the rules count on in every object of a source key.
type Property struct {
	// Path names the property inside each object; dots go into nested objects
	// ("conditions.users.excludeUsers"), except in an OData annotation ("@odata.type"), which is
	// one name. A nested property is required only where its parent is an object: a null parent
	// is the parent entry's business.
	Path string
	// Nullable is true where the service itself returns null (a Conditional Access policy's
	// grantControls when it only sets session controls); the property must still be present.
	// Where the service never returns null, null is as unknown as a missing property.
	Nullable bool
	// Hint says how to read the property when it is missing, for the message; "" for none.
	Hint string
}

// Requirement lists the properties the rules count on in the objects of one source key.
type Requirement struct {
	Key        string // the source key, e.g. "entra.users"
	Noun       string // what its objects are called in messages, e.g. "users"; "" for an object key
	Properties []Property
}

// Hints for Requirements: Graph leaves these properties out unless the request asks for them.
// GET /users returns only a default subset of a user's properties (businessPhones,
// displayName, givenName, id, jobTitle, mail, mobilePhone, officeLocation, preferredLanguage,
// surname, userPrincipalName) unless $select names others: Microsoft Learn, "List users"
// (https://learn.microsoft.com/en-us/graph/api/user-list).
const (
	hintUserSelect = "Graph's /users returns them only when $select names them: " +
		"read users with $select=id,userPrincipalName,accountEnabled,userType"
	hintAssignments = "Graph returns assignments only with $expand=assignments"
	hintPolicyRules = "Graph returns a role's PIM settings only with $expand=policy($expand=rules)"
	hintAppliesTo   = "Graph returns the applications and service principals a policy applies to only at /policies/appManagementPolicies/{id}/appliesTo"
)

// Requirements returns the table of properties the rules count on, per source key: the single
// list that decides whether a known source is usable (see Unusable). An entry belongs here when
// a rule's verdict depends on the property and its absence would read as something it is not:
// a user without accountEnabled as disabled, a policy without excludeUsers as excluding no one,
// a transport rule without State as enforced. Properties a rule already reports as unknown per
// object (a break-glass account's onPremisesSyncEnabled, signInActivity) are left to the rule,
// so that one such object does not make the whole source unusable. Each call returns a new slice.
func Requirements() []Requirement {
	req := func(path string) Property { return Property{Path: path} }
	null := func(path string) Property { return Property{Path: path, Nullable: true} }
	hinted := func(p Property, hint string) Property { p.Hint = hint; return p }
	each := func(prefix string, mk func(string) Property, names ...string) []Property {
		out := make([]Property, len(names))
		for i, n := range names {
			out[i] = mk(prefix + n)
		}
		return out
	}
	mdoRule := slices.Concat(
		[]Property{req("State"), req("Priority")},
		each("", null, "SentTo", "SentToMemberOf", "RecipientDomainIs",
			"ExceptIfSentTo", "ExceptIfSentToMemberOf", "ExceptIfRecipientDomainIs"),
	)
	return []Requirement{
		{"entra.users", "users", []Property{
			req("id"),
			hinted(req("accountEnabled"), hintUserSelect),
			// userType is nullable in the v1.0 schema, and users created before Entra ID had it
			// (August 2014, as administrators report, e.g. itpro-tips.com/usertype-empty-in-microsoft-365)
			// hold null; the rules count them as members (posture.lib.users), never as guests.
			hinted(null("userType"), hintUserSelect),
			req("userPrincipalName"),
		}},
		{"entra.groups", "groups", []Property{req("id")}},
		{"entra.roleAssignments", "role assignments", each("", req, "principalId", "roleDefinitionId", "directoryScopeId")},
		{"entra.roleEligibilitySchedules", "eligibility schedules", slices.Concat(
			each("", req, "principalId", "roleDefinitionId", "directoryScopeId"),
			[]Property{null("status")},
		)},
		// startDateTime is null for an active assignment made outside PIM (the Entra admin
		// center shows its start time as "-"): missing must not read as that.
		{"entra.roleAssignmentScheduleInstances", "assignment schedule instances", slices.Concat(
			each("", req, "principalId", "roleDefinitionId", "directoryScopeId"),
			each("", null, "startDateTime", "endDateTime"),
		)},
		// The PIM settings of each role come only with $expand=policy($expand=rules).
		{"entra.roleManagementPolicyAssignments", "role management policy assignments", []Property{
			req("roleDefinitionId"), req("scopeId"), req("scopeType"),
			hinted(req("policy"), hintPolicyRules), hinted(req("policy.rules"), hintPolicyRules),
		}},
		{"entra.conditionalAccessPolicies", "policies", slices.Concat(
			[]Property{req("id"), req("state"), req("conditions"), null("grantControls"), null("sessionControls")},
			each("conditions.", null, "users", "applications", "platforms", "locations", "devices",
				"clientApplications", "authenticationFlows", "insiderRiskLevels"),
			each("conditions.", req, "clientAppTypes", "signInRiskLevels", "userRiskLevels", "servicePrincipalRiskLevels"),
			each("conditions.users.", req, "includeUsers", "excludeUsers", "includeGroups", "excludeGroups",
				"includeRoles", "excludeRoles"),
			each("conditions.users.", null, "includeGuestsOrExternalUsers", "excludeGuestsOrExternalUsers"),
			each("conditions.applications.", req, "includeApplications", "excludeApplications",
				"includeUserActions", "includeAuthenticationContextClassReferences"),
			[]Property{null("conditions.applications.applicationFilter")},
			each("conditions.locations.", req, "includeLocations", "excludeLocations"),
			each("conditions.platforms.", req, "includePlatforms", "excludePlatforms"),
			[]Property{null("conditions.devices.deviceFilter"), req("conditions.authenticationFlows.transferMethods")},
			each("conditions.clientApplications.", req, "includeServicePrincipals", "excludeServicePrincipals"),
			[]Property{null("conditions.clientApplications.servicePrincipalFilter")},
			each("grantControls.", req, "builtInControls", "customAuthenticationFactors", "termsOfUse"),
			each("grantControls.", null, "operator", "authenticationStrength"),
		)},
		{"entra.userRegistrationDetails", "registration details", []Property{
			req("id"), req("isMfaCapable"), req("isSsprEnabled"), null("methodsRegistered"),
		}},
		{"entra.servicePrincipals", "service principals", []Property{req("id"), null("appOwnerOrganizationId")}},
		{"entra.oauth2PermissionGrants", "grants", each("", req, "clientId", "resourceId")},
		{"entra.domains", "domains", []Property{
			req("id"), req("isVerified"), req("authenticationType"), null("passwordValidityPeriodInDays"),
		}},
		{"entra.subscribedSkus", "subscriptions", each("", req, "skuId", "capabilityStatus", "servicePlans")},
		{"entra.directorySettings", "directory settings", []Property{null("templateId"), req("values")}},
		{"entra.securityDefaults", "", []Property{req("isEnabled")}},
		// A default policy without isEnabled would read as one that restricts nothing, or
		// everything; without a restriction set, as one that restricts nothing.
		{"entra.defaultAppManagementPolicy", "", []Property{
			req("isEnabled"), null("applicationRestrictions"), null("servicePrincipalRestrictions"),
		}},
		// A custom policy overrides the default for the objects it applies to: without
		// appliesTo, a policy that exempts applications would read as one applied to none.
		{"entra.appManagementPolicies", "app management policies", []Property{
			req("id"), req("isEnabled"), null("restrictions"), hinted(req("appliesTo"), hintAppliesTo),
		}},

		{"exchange.acceptedDomains", "accepted domains", []Property{req("DomainName")}},
		{"exchange.transportRules", "transport rules", slices.Concat(
			[]Property{req("State"), req("Mode")},
			each("", null, "RedirectMessageTo", "BlindCopyTo", "CopyTo", "AddToRecipients",
				"SetSCL", "SetHeaderName", "SenderDomainIs", "FromScope", "PrependSubject", "ApplyHtmlDisclaimerText"),
		)},
		{"exchange.sharingPolicies", "sharing policies", []Property{null("Domains")}},
		{"exchange.roleAssignmentPolicies", "role assignment policies", []Property{null("AssignedRoles")}},
		{"exchange.hostedContentFilterPolicies", "anti-spam policies", []Property{
			req("IsDefault"), null("AllowedSenderDomains"), null("AllowedSenders"),
		}},
		{"exchange.hostedConnectionFilterPolicies", "connection filter policies", []Property{null("IPAllowList")}},
		{"exchange.antiPhishPolicies", "anti-phishing policies", []Property{req("IsDefault")}},
		{"exchange.malwareFilterPolicies", "anti-malware policies", []Property{req("IsDefault")}},
		{"exchange.safeLinksRules", "rules", mdoRule},
		{"exchange.safeAttachmentRules", "rules", mdoRule},
		{"exchange.antiPhishRules", "rules", mdoRule},
		{"exchange.eopProtectionPolicyRules", "rules", mdoRule},
		{"exchange.atpProtectionPolicyRules", "rules", mdoRule},

		{"intune.managedDevices", "devices", []Property{req("id"), req("operatingSystem")}},
		{"intune.deviceCompliancePolicies", "policies", []Property{
			req("@odata.type"), hinted(req("assignments"), hintAssignments),
		}},
		{"intune.configurationPolicies", "policies", []Property{
			req("platforms"), req("settings"), hinted(req("assignments"), hintAssignments),
		}},
		{"intune.intents", "intents", []Property{req("settings"), req("assignments")}},
		{"intune.deviceConfigurations", "profiles", []Property{
			req("@odata.type"), hinted(req("assignments"), hintAssignments),
		}},
	}
}

// Unusable returns, for each known source key (see Known) whose objects lack a property of
// Requirements or hold null where the service never does, one line saying which properties
// and how many objects, e.g. "entra.users: 1200 of 1200 users lack accountEnabled (...)".
// Rules that require such a key cannot be evaluated on it: counting its objects would read
// the missing property as false, empty or none. Keys that pass are absent from the map. It
// reads each object of the listed keys once, and only the properties listed.
func (s *Snapshot) Unusable() map[string]string {
	out := map[string]string{}
	for _, r := range Requirements() {
		if !s.Known(r.Key) {
			continue
		}
		if c, ok := s.counted[r.Key]; ok {
			if msg := r.message(c.counts, c.total); msg != "" {
				out[r.Key] = msg
			}
			continue
		}
		sec, name, _ := strings.Cut(r.Key, ".")
		if msg := r.check(s.section(sec)[name]); msg != "" {
			out[r.Key] = msg
		}
	}
	return out
}

// lack counts the objects of a key that lack one property, or hold null for it.
type lack struct{ missing, null int }

// parallelMin is the number of objects from which check counts in parallel: a 100,000-user
// tenant has 100,000 users and as many registration details, and each property read costs a
// map lookup.
const parallelMin = 4096

// check returns the message for a key's value v (an object or an array of objects), or "".
func (r Requirement) check(v any) string {
	paths := make([][]string, len(r.Properties))
	for i, p := range r.Properties {
		paths[i] = splitPath(p.Path)
	}
	var objects []any
	switch x := v.(type) {
	case []any:
		objects = x
	case map[string]any:
		objects = []any{x}
	default:
		return "" // Parse checked the kind; nothing else can be counted
	}
	var counts []lack
	if len(objects) < parallelMin {
		counts = r.count(objects, paths)
	} else {
		counts = r.countParallel(objects, paths)
	}
	return r.message(counts, len(objects))
}

// message is check's message for counts of total objects (counts: per property), or "".
func (r Requirement) message(counts []lack, total int) string {
	var parts, hints []string
	for i, c := range counts {
		if c.missing+c.null == 0 {
			continue
		}
		p := r.Properties[i]
		parts = append(parts, r.describe(p.Path, c, total))
		if p.Hint != "" && !slices.Contains(hints, p.Hint) {
			hints = append(hints, p.Hint)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	msg := r.Key + ": " + strings.Join(parts, "; ")
	if len(hints) > 0 {
		msg += " (" + strings.Join(hints, "; ") + ")"
	}
	return msg
}

// count counts, per property, the objects that lack it or hold null where it may not.
func (r Requirement) count(objects []any, paths [][]string) []lack {
	counts := make([]lack, len(paths))
	for _, o := range objects {
		obj, _ := o.(map[string]any)
		for i, path := range paths {
			var val any
			var at found
			if len(path) == 1 { // most properties: no walk
				var ok bool
				if val, ok = obj[path[0]]; !ok {
					at = absent
				}
			} else {
				val, at = lookup(obj, path)
			}
			switch at {
			case absent:
				counts[i].missing++
			case present:
				if val == nil && !r.Properties[i].Nullable {
					counts[i].null++
				}
			}
		}
	}
	return counts
}

// countParallel is count over chunks of objects, one goroutine per processor.
func (r Requirement) countParallel(objects []any, paths [][]string) []lack {
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(objects) + workers - 1) / workers
	parts := make([][]lack, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(objects))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = r.count(objects[lo:hi], paths)
		}()
	}
	wg.Wait()
	counts := make([]lack, len(paths))
	for _, part := range parts {
		for i, c := range part {
			counts[i].missing += c.missing
			counts[i].null += c.null
		}
	}
	return counts
}

// describe says how many of total objects lack the property at path, e.g. "3 of 1200 users
// lack accountEnabled (2 missing, 1 null)".
func (r Requirement) describe(path string, c lack, total int) string {
	if r.Noun == "" { // an object key: one object
		if c.missing > 0 {
			return "has no " + path
		}
		return "has " + path + " null"
	}
	n := c.missing + c.null
	switch {
	case c.null == 0:
		return fmt.Sprintf("%d of %d %s lack %s", n, total, r.Noun, path)
	case c.missing == 0:
		return fmt.Sprintf("%d of %d %s have %s null", n, total, r.Noun, path)
	}
	return fmt.Sprintf("%d of %d %s lack %s (%d missing, %d null)", n, total, r.Noun, path, c.missing, c.null)
}

// splitPath splits a Property.Path into the names to follow.
func splitPath(path string) []string {
	if strings.HasPrefix(path, "@") {
		return []string{path}
	}
	return strings.Split(path, ".")
}

// found is what lookup found at a path.
type found int

const (
	present found = iota // the property is there (its value may be null)
	absent               // the property is missing, or its parent is not an object
	moot                 // a parent is missing or null: the parent's own entry judges it
)

// lookup follows path into obj.
func lookup(obj map[string]any, path []string) (any, found) {
	var cur any = obj
	for i, name := range path {
		if cur == nil {
			return nil, moot
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, absent
		}
		if cur, ok = m[name]; !ok {
			if i < len(path)-1 {
				return nil, moot
			}
			return nil, absent
		}
	}
	return cur, present
}
