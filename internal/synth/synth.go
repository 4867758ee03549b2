// Package synth generates large synthetic tenants (snapshot schema v1 JSON) for benchmarks and simulator tests.
package synth

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"time"
)

// Options sizes the generated tenant. A zero or negative field takes its default:
// 100000 users, 20000 groups, 300 Conditional Access policies.
type Options struct {
	Users, Groups, Policies int
	// Admins is the number of privileged users besides the two break-glass accounts (capped at
	// the users there are); zero means one user in ten, at most 50.
	Admins int
	// Services is a snapshot (schema v1 JSON, such as the demo tenant) whose exchange, intune and
	// secureScore sections are copied into the tenant with their sources, so that every baseline
	// has data to judge; nil leaves the tenant Entra-only. It must be a valid snapshot: Generate
	// panics on one it cannot decode, as it serves tests and benchmarks only.
	Services []byte
	// Devices is the number of Intune managed devices when Services is set: its devices repeated
	// with fresh ids and owned by generated users. Zero keeps Services' own devices.
	Devices int
	Seed    int64
}

// Defaults for zero Options fields.
const (
	DefaultUsers    = 100000
	DefaultGroups   = 20000
	DefaultPolicies = 300
)

func (o Options) withDefaults() Options {
	if o.Users <= 0 {
		o.Users = DefaultUsers
	}
	if o.Groups <= 0 {
		o.Groups = DefaultGroups
	}
	if o.Policies <= 0 {
		o.Policies = DefaultPolicies
	}
	return o
}

// Object id prefixes: readable, patterned GUIDs (the last group is the 1-based index in hex).
const (
	userPrefix     = "a1000000-0000-4000-8000-"
	groupPrefix    = "b2000000-0000-4000-8000-"
	policyPrefix   = "c3000000-0000-4000-8000-"
	assignPrefix   = "d4000000-0000-4000-8000-"
	eligiblePrefix = "d5000000-0000-4000-8000-"
	instancePrefix = "d7000000-0000-4000-8000-"
	spPrefix       = "e5000000-0000-4000-8000-"
	appPrefix      = "e6000000-0000-4000-8000-"
	locPrefix      = "f6000000-0000-4000-8000-"
	tenantPrefix   = "7e000000-0000-4000-8000-"

	initialDomain = "synthetic.onmicrosoft.com"
	defaultDomain = "synthetic.example"
	skuE3         = "05e9a617-0261-4cee-bb44-138d3ef5d965"
	skuE5         = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
	guestRoleID   = "10dae51f-b6af-4016-8d66-8c2a99b929b3"
)

// role is a built-in directory role; for built-in roles the id is the template id.
type role struct{ id, name string }

// privileged is the role list of Microsoft's "Require MFA for administrators" template.
var privileged = [...]role{
	{"62e90394-69f5-4237-9190-012177145e10", "Global Administrator"},
	{"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator"},
	{"c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator"},
	{"b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator"},
	{"158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator"},
	{"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator"},
	{"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator"},
	{"729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator"},
	{"966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator"},
	{"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator"},
	{"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator"},
	{"194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator"},
	{"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator"},
	{"fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"},
}

// scubaRoles are CISA SCuBA's highly privileged roles, whose PIM settings the tenant holds.
var scubaRoles = [...]string{
	"62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814",
	"fe930be7-5e62-47db-91af-98c3a49a38b1", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
	"29232cdf-9323-42fd-ade2-1d097af3e4de", "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "158c047a-c907-4556-b7ef-446551a6b5f7",
}

const (
	roleGlobalAdmin   = 0
	roleExchangeAdmin = 6
	roleHelpdeskAdmin = 7
	roleSecurityAdmin = 11
	roleUserAdmin     = 13
)

// roleGroups are the role-assignable groups that hold a role for their members.
var roleGroups = [...]struct {
	name string
	role int
}{
	{"Role - Security Administrators", roleSecurityAdmin},
	{"Role - Exchange Administrators", roleExchangeAdmin},
	{"Role - Helpdesk Administrators", roleHelpdeskAdmin},
}

// caGroupSizes are the member counts of the groups Conditional Access policies target or
// exclude (capped at the number of users).
var caGroupSizes = [...]int{10, 5000, 50, 1000, 200, 2500, 25, 500, 4000, 100}

var caGroupNames = [...]string{
	"Contractors", "Sales", "Pilot - Passwordless", "Finance", "Frontline Workers", "Engineering",
	"MFA Exclusions", "Executives", "Retail Stores", "Service Accounts",
}

var firstNames = [...]string{
	"Adele", "Alex", "Allan", "Ana", "Ben", "Carla", "Chen", "Christie", "Daniel", "Debra", "Diego", "Elena",
	"Fatima", "George", "Grady", "Hana", "Henrietta", "Ian", "Isaiah", "Johanna", "Joni", "Julia", "Kevin",
	"Laura", "Lee", "Lidia", "Lynne", "Maria", "Megan", "Miriam", "Nestor", "Nina", "Omar", "Patti", "Pradeep",
	"Priya", "Sam", "Tom", "Uma", "Wendy",
}

var lastNames = [...]string{
	"Ali", "Archie", "Baker", "Berger", "Bowen", "Brown", "Cline", "Deyoung", "Diaz", "Fernandez", "Fischer",
	"Garcia", "Graham", "Gu", "Gupta", "Haddad", "Holloway", "Jones", "Kim", "Langer", "Lee", "Lorenz",
	"Meyer", "Mueller", "Murphy", "Nair", "Novak", "Patel", "Petrova", "Robbins", "Rossi", "Sherman",
	"Siciliani", "Silva", "Suzuki", "Vance", "Walsh", "Wilber", "Wilke", "Zhang",
}

// User kinds.
const (
	member uint8 = iota
	disabledMember
	guestUser
)

type userPlan struct {
	kind            uint8
	capable, synced bool
	e5              bool
	first, last     uint8
	day, hour       uint8 // last sign-in: days before collection, hour of day
}

type assignment struct {
	principal string // full object id
	role      int    // index into privileged
}

type groupPlan struct {
	name, description string
	roleAssignable    bool
	members           []int // user indexes; nil for groups nothing references
	from, size        int   // contiguous member range, used when members is nil and size > 0
}

type policyPlan struct {
	name, state                                string
	includeUsers, excludeUsers                 []string
	includeGroups, excludeGroups               []string
	includeRoles, excludeRoles                 []string
	includeGuests                              bool
	apps, clientApps, platforms, signInRisk    []string
	locationsInclude, locationsExclude, grants []string
	operator, strength                         string
}

// plan is every decision about the tenant, made before anything is written, so that the
// sources block (which comes first) knows every count.
type plan struct {
	o          Options
	tenant     int // the tenant id's last group
	users      []userPlan
	bg         []int // break-glass user indexes: 0 and 1
	admins     []int // admin user indexes: contiguous, right after the break-glass accounts
	groups     []groupPlan
	emergency  int    // group index of "Emergency access", -1 when absent
	roleGroups [3]int // group index per roleGroups entry, -1 when absent
	caGroups   []int  // group indexes Conditional Access policies target or exclude
	active     []assignment
	eligible   []assignment
	policies   []policyPlan
	risky      []int
	e3, e5     int // consumed licences
	memberSets int // groups with a groupMembers entry
}

// Generate returns a synthetic tenant as snapshot schema v1 JSON. The output depends only on
// o: the same options (including Seed) always give the same bytes. Every entra key the rules
// read is present and every source is "ok". Users and registration details carry the
// properties a collector selects ($select), not every property Graph can return: the default
// 100000 users come to about 80 MB.
func Generate(o Options) []byte {
	p := newPlan(o.withDefaults())
	var svc *services
	if o.Services != nil {
		var err error
		if svc, err = decodeServices(o.Services); err != nil {
			panic("synth: Options.Services: " + err.Error())
		}
	}
	w := writer{b: make([]byte, 0, p.o.Users*850+p.o.Groups*330+p.o.Policies*1500+p.o.Devices*400+len(o.Services)+1<<20)}
	p.write(&w, svc)
	return w.b
}

func newPlan(o Options) *plan {
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x9e3779b97f4a7c15))
	p := &plan{o: o, tenant: int(uint64(o.Seed) & 0xffffffffffff), emergency: -1, roleGroups: [3]int{-1, -1, -1}}
	n := o.Users

	p.users = make([]userPlan, n)
	for i := range p.users {
		u := &p.users[i]
		k := r.IntN(100)
		switch {
		case k < 5:
			u.kind = disabledMember
		case k < 10:
			u.kind = guestUser
		}
		u.capable = r.IntN(100) < 70
		u.synced = r.IntN(100) < 80
		u.e5 = r.IntN(100) < 10
		u.first = uint8(r.IntN(len(firstNames)))
		u.last = uint8(r.IntN(len(lastNames)))
		u.day = uint8(r.IntN(90))
		u.hour = uint8(r.IntN(24))
	}
	for i := 0; i < min(2, n); i++ {
		p.bg = append(p.bg, i)
		p.users[i] = userPlan{kind: member, capable: true, day: 60, hour: 9}
	}
	if n > 2 {
		admins := min(50, (n-2)/10)
		if o.Admins > 0 {
			admins = min(o.Admins, n-2)
		}
		for i := range admins {
			ui := 2 + i
			p.admins = append(p.admins, ui)
			u := &p.users[ui]
			u.kind, u.synced, u.e5 = member, false, true
		}
	}
	p.planGroups(r)
	p.planRoles()
	p.planPolicies(r)
	for i := 997; i < n; i += 1000 {
		p.risky = append(p.risky, i)
	}
	for i, u := range p.users {
		switch {
		case u.kind != member || i < len(p.bg): // break-glass accounts are unlicensed
		case u.e5:
			p.e5++
		default:
			p.e3++
		}
	}
	return p
}

func (p *plan) planGroups(r *rand.Rand) {
	n, g := p.o.Users, p.o.Groups
	add := func(gp groupPlan) int {
		if len(p.groups) >= g {
			return -1
		}
		p.groups = append(p.groups, gp)
		return len(p.groups) - 1
	}
	p.emergency = add(groupPlan{name: "Emergency access", description: "Break-glass accounts",
		roleAssignable: true, members: p.bg})
	var staff []int
	for i, u := range p.users {
		if u.kind == member && i >= len(p.bg) {
			staff = append(staff, i)
		}
	}
	add(groupPlan{name: "All staff", description: "Every enabled member account", members: staff})
	for i, rg := range roleGroups {
		p.roleGroups[i] = add(groupPlan{name: rg.name,
			description: "Members hold the " + privileged[rg.role].name + " role", roleAssignable: true,
			members: []int{}})
	}
	for i, size := range caGroupSizes {
		size = min(size, n-len(p.bg))
		if size <= 0 {
			break
		}
		from := len(p.bg) + r.IntN(n-len(p.bg)-size+1)
		idx := add(groupPlan{name: caGroupNames[i], description: caGroupNames[i] + " (Conditional Access scope)",
			from: from, size: size})
		if idx < 0 {
			break
		}
		p.caGroups = append(p.caGroups, idx)
	}
	for len(p.groups) < g {
		p.groups = append(p.groups, groupPlan{name: "Team " + strconv.Itoa(len(p.groups)),
			description: "Collaboration group"})
	}
	for _, gp := range p.groups {
		if gp.members != nil || gp.size > 0 {
			p.memberSets++
		}
	}
}

// planRoles gives the break-glass accounts Global Administrator and spreads the admins over
// the privileged roles: active, PIM-eligible, or through a role-assignable group.
func (p *plan) planRoles() {
	for _, b := range p.bg {
		p.active = append(p.active, assignment{hexID(userPrefix, b+1), roleGlobalAdmin})
	}
	for i, gi := range p.roleGroups {
		if gi >= 0 {
			p.active = append(p.active, assignment{hexID(groupPrefix, gi+1), roleGroups[i].role})
		}
	}
	for i, ui := range p.admins {
		ri := i % len(privileged)
		switch i % 4 {
		case 1:
			p.eligible = append(p.eligible, assignment{hexID(userPrefix, ui+1), ri})
		case 2:
			rg := i / 4 % len(roleGroups)
			if gi := p.roleGroups[rg]; gi >= 0 {
				p.groups[gi].members = append(p.groups[gi].members, ui)
				continue
			}
			p.active = append(p.active, assignment{hexID(userPrefix, ui+1), roleGroups[rg].role})
		default:
			p.active = append(p.active, assignment{hexID(userPrefix, ui+1), ri})
		}
	}
	p.active = append(p.active, assignment{hexID(spPrefix, 4), roleUserAdmin})
}

func (p *plan) planPolicies(r *rand.Rand) {
	var bgUsers []string
	for _, b := range p.bg {
		bgUsers = append(bgUsers, hexID(userPrefix, b+1))
	}
	// bgExclusion excludes the break-glass accounts: through their group when it exists.
	bgExclusion := func(pp *policyPlan) {
		if p.emergency >= 0 {
			pp.excludeGroups = append(pp.excludeGroups, hexID(groupPrefix, p.emergency+1))
		} else {
			pp.excludeUsers = append(pp.excludeUsers, bgUsers...)
		}
	}
	var roles []string
	for _, ro := range privileged {
		roles = append(roles, ro.id)
	}
	caGroup := func(i int) (string, bool) {
		if len(p.caGroups) == 0 {
			return "", false
		}
		return hexID(groupPrefix, p.caGroups[i%len(p.caGroups)]+1), true
	}
	all := []string{"All"}
	for i := range p.o.Policies {
		pp := policyPlan{state: "enabled", apps: all, clientApps: []string{"all"}, operator: "OR"}
		num := "CA" + pad3(i+1) + " "
		switch {
		case i == 0:
			pp.name = num + "Require MFA for all users"
			pp.includeUsers, pp.grants = all, []string{"mfa"}
			bgExclusion(&pp)
		case i == 1:
			pp.name = num + "Require MFA for admins"
			pp.includeRoles, pp.grants = roles, []string{"mfa"}
			pp.excludeUsers = bgUsers
		case i == 2:
			pp.name = num + "Block legacy authentication"
			pp.includeUsers, pp.grants = all, []string{"block"}
			pp.clientApps = []string{"exchangeActiveSync", "other"}
			bgExclusion(&pp)
		default:
			g, hasGroup := caGroup(i)
			target := func() {
				if hasGroup {
					pp.includeGroups = []string{g}
				} else {
					pp.includeUsers = all
				}
			}
			switch (i - 3) % 8 {
			case 0:
				pp.name = num + "Block sign-ins from outside allowed countries"
				target()
				pp.grants = []string{"block"}
				pp.locationsInclude = all
				pp.locationsExclude = []string{hexID(locPrefix, 1), hexID(locPrefix, 2)}
				bgExclusion(&pp)
			case 1:
				pp.name = num + "Require compliant device on iOS and Android"
				pp.includeUsers, pp.grants = all, []string{"compliantDevice"}
				pp.platforms = []string{"android", "iOS"}
				bgExclusion(&pp)
				if hasGroup {
					pp.excludeGroups = append(pp.excludeGroups, g)
				}
			case 2:
				pp.name = num + "Require phishing-resistant MFA (report-only)"
				pp.state = "enabledForReportingButNotEnforced"
				pp.includeUsers, pp.strength = all, "phishing"
				pp.excludeUsers = append([]string{}, bgUsers...)
				if others := p.o.Users - len(p.bg); others > 0 {
					pp.excludeUsers = append(pp.excludeUsers, hexID(userPrefix, len(p.bg)+r.IntN(others)+1))
				}
			case 3:
				pp.name = num + "Pilot - require MFA (disabled)"
				pp.state = "disabled"
				target()
				pp.grants = []string{"mfa"}
			case 4:
				pp.name = num + "Require MFA for risky sign-ins"
				pp.includeUsers, pp.grants = all, []string{"mfa"}
				pp.signInRisk = []string{"high", "medium"}
				bgExclusion(&pp)
			case 5:
				pp.name = num + "Require MFA for Office 365"
				target()
				pp.apps, pp.grants = []string{"Office365"}, []string{"mfa"}
				bgExclusion(&pp)
			case 6:
				pp.name = num + "Require MFA for guests"
				pp.includeGuests, pp.grants = true, []string{"mfa"}
				bgExclusion(&pp)
			case 7:
				pp.name = num + "Require MFA or compliant device"
				pp.includeUsers, pp.grants = all, []string{"mfa", "compliantDevice"}
				pp.excludeRoles = []string{privileged[roleHelpdeskAdmin].id}
				bgExclusion(&pp)
				if hasGroup {
					pp.excludeGroups = append(pp.excludeGroups, g)
				}
			}
		}
		p.policies = append(p.policies, pp)
	}
}

// write emits the snapshot. Keys follow the order of DESIGN.md's example.
func (p *plan) write(w *writer, svc *services) {
	w.raw(`{"schemaVersion":1,"generator":{"name":"posture-synth","version":"0.1.0"},"collectedAt":`)
	w.str(collectedAt.Format(time.RFC3339))
	w.raw(`,"tenant":{"id":`)
	w.id(tenantPrefix, p.tenant)
	w.raw(`,"displayName":"Synthetic Tenant","defaultDomain":"` + defaultDomain + `","cloud":"global"},"sources":{`)
	sources := []struct {
		key   string
		count int // -1: an object, no count
	}{
		{"adminConsentRequestPolicy", -1}, {"appManagementPolicies", 0}, {"authenticationMethodsPolicy", -1}, {"authorizationPolicy", -1},
		{"conditionalAccessPolicies", len(p.policies)}, {"defaultAppManagementPolicy", -1}, {"domains", 2}, {"groupMembers", p.memberSets},
		{"groups", len(p.groups)}, {"namedLocations", 2}, {"organization", -1}, {"riskyUsers", len(p.risky)},
		{"roleAssignments", len(p.active)}, {"roleDefinitions", len(privileged)},
		{"roleEligibilitySchedules", len(p.eligible)}, {"roleAssignmentScheduleInstances", len(p.active)},
		{"roleManagementPolicyAssignments", len(scubaRoles)}, {"securityDefaults", -1}, {"servicePrincipals", 4},
		{"subscribedSkus", 2}, {"userRegistrationDetails", len(p.users)}, {"users", len(p.users)},
		{"directorySettings", 1}, {"oauth2PermissionGrants", 2},
	}
	for i, s := range sources {
		w.comma(i)
		w.raw(`"entra.` + s.key + `":{"status":"ok"`)
		if s.count >= 0 {
			w.raw(`,"count":`)
			w.num(s.count)
		}
		w.raw(`}`)
	}
	if svc != nil {
		p.writeServiceSources(w, svc)
	}
	w.raw(`},"entra":{"organization":`)
	p.writeOrganization(w)
	w.raw(`,"subscribedSkus":`)
	p.writeSkus(w)
	w.raw(`,"domains":[`)
	writeDomain(w, initialDomain, false, true, "2147483647")
	w.raw(`,`)
	writeDomain(w, defaultDomain, true, false, "null")
	w.raw(`],"users":[`)
	for i := range p.users {
		w.comma(i)
		p.writeUser(w, i)
	}
	w.raw(`],"groups":[`)
	for i := range p.groups {
		w.comma(i)
		p.writeGroup(w, i)
	}
	w.raw(`],"groupMembers":{`)
	first := true
	for i, gp := range p.groups {
		if gp.members == nil && gp.size == 0 {
			continue
		}
		if !first {
			w.raw(`,`)
		}
		first = false
		w.id(groupPrefix, i+1)
		w.raw(`:[`)
		if gp.members != nil {
			for j, ui := range gp.members {
				w.comma(j)
				w.id(userPrefix, ui+1)
			}
		} else {
			for j := range gp.size {
				w.comma(j)
				w.id(userPrefix, gp.from+j+1)
			}
		}
		w.raw(`]`)
	}
	w.raw(`},"roleDefinitions":[`)
	for i, ro := range privileged {
		w.comma(i)
		w.raw(`{"id":"` + ro.id + `","displayName":"` + ro.name + `","description":"Built-in role.","isBuiltIn":true,"isEnabled":true,"resourceScopes":["/"],"templateId":"` + ro.id + `","version":"1","rolePermissions":[]}`)
	}
	w.raw(`],"roleAssignments":[`)
	for i, a := range p.active {
		w.comma(i)
		w.raw(`{"id":`)
		w.id(assignPrefix, i+1)
		w.raw(`,"principalId":"` + a.principal + `","roleDefinitionId":"` + privileged[a.role].id +
			`","directoryScopeId":"/","appScopeId":null,"condition":null}`)
	}
	w.raw(`],"roleEligibilitySchedules":[`)
	for i, a := range p.eligible {
		w.comma(i)
		w.raw(`{"id":`)
		w.id(eligiblePrefix, i+1)
		w.raw(`,"principalId":"` + a.principal + `","roleDefinitionId":"` + privileged[a.role].id +
			`","directoryScopeId":"/","appScopeId":null,"createdUsing":null,"createdDateTime":"2025-03-01T09:00:00Z","modifiedDateTime":null,"status":"Provisioned","memberType":"Direct","scheduleInfo":{"startDateTime":"2025-03-01T09:00:00Z","recurrence":null,"expiration":{"type":"noExpiration","endDateTime":null,"duration":null}}}`)
	}
	// Every active assignment was made in PIM but the first, which was made outside it (no start).
	w.raw(`],"roleAssignmentScheduleInstances":[`)
	for i, a := range p.active {
		w.comma(i)
		w.raw(`{"id":`)
		w.id(instancePrefix, i+1)
		w.raw(`,"principalId":"` + a.principal + `","roleDefinitionId":"` + privileged[a.role].id +
			`","directoryScopeId":"/","appScopeId":null,"startDateTime":`)
		if i == 0 {
			w.raw(`null`)
		} else {
			w.raw(`"2025-03-01T09:00:00Z"`)
		}
		w.raw(`,"endDateTime":null,"assignmentType":"Assigned","memberType":"Direct","roleAssignmentOriginId":`)
		w.id(assignPrefix, i+1)
		w.raw(`,"roleAssignmentScheduleId":`)
		w.id(instancePrefix, i+1)
		w.raw(`}`)
	}
	// PIM's default settings for each of SCuBA's roles: no approval, no additional recipients.
	w.raw(`],"roleManagementPolicyAssignments":[`)
	for i, id := range scubaRoles {
		w.comma(i)
		policy := "DirectoryRole_" + tenantPrefix + string(appendHex12(nil, p.tenant)) + "_" + id
		w.raw(`{"id":"` + policy + `_` + id + `","policyId":"` + policy + `","scopeId":"/","scopeType":"DirectoryRole","roleDefinitionId":"` + id +
			`","policy":{"id":"` + policy + `","displayName":"DirectoryRole","description":"DirectoryRole","isOrganizationDefault":false,"scopeId":"/","scopeType":"DirectoryRole","rules":[` +
			`{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyApprovalRule","id":"Approval_EndUser_Assignment","target":{"caller":"EndUser","operations":["all"],"level":"Assignment","inheritableSettings":[],"enforcedSettings":[]},"setting":{"isApprovalRequired":false,"isApprovalRequiredForExtension":false,"isRequestorJustificationRequired":true,"approvalMode":"SingleStage","approvalStages":[]}}`)
		for _, n := range []struct{ id, caller, level string }{
			{"Notification_Admin_Admin_Eligibility", "Admin", "Eligibility"},
			{"Notification_Admin_Admin_Assignment", "Admin", "Assignment"},
			{"Notification_Admin_EndUser_Assignment", "EndUser", "Assignment"},
		} {
			w.raw(`,{"@odata.type":"#microsoft.graph.unifiedRoleManagementPolicyNotificationRule","id":"` + n.id +
				`","notificationType":"Email","recipientType":"Admin","notificationLevel":"All","isDefaultRecipientsEnabled":true,"notificationRecipients":[],"target":{"caller":"` +
				n.caller + `","operations":["all"],"level":"` + n.level + `","inheritableSettings":[],"enforcedSettings":[]}}`)
		}
		w.raw(`]}}`)
	}
	w.raw(`],"conditionalAccessPolicies":[`)
	for i := range p.policies {
		w.comma(i)
		p.writePolicy(w, i)
	}
	w.raw(`],"namedLocations":[{"@odata.type":"#microsoft.graph.countryNamedLocation","id":`)
	w.id(locPrefix, 1)
	w.raw(`,"displayName":"Allowed countries","createdDateTime":"2025-02-10T13:58:40Z","modifiedDateTime":"2025-02-10T13:58:40Z","countriesAndRegions":["US","CA","GB","DE"],"includeUnknownCountriesAndRegions":false,"countryLookupMethod":"clientIpAddress"},{"@odata.type":"#microsoft.graph.ipNamedLocation","id":`)
	w.id(locPrefix, 2)
	w.raw(`,"displayName":"Headquarters","createdDateTime":"2025-02-10T13:55:02Z","modifiedDateTime":"2025-02-10T13:55:02Z","isTrusted":true,"ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"198.51.100.0/24"}]}]`)
	w.raw(`,"securityDefaults":{"id":"00000000-0000-0000-0000-000000000005","displayName":"Security Defaults","description":"Security defaults is a set of basic identity security mechanisms recommended by Microsoft.","isEnabled":false}`)
	w.raw(`,"authorizationPolicy":{"id":"authorizationPolicy","displayName":"Authorization Policy","description":"Used to manage authorization related settings across the company.","allowInvitesFrom":"everyone","allowedToSignUpEmailBasedSubscriptions":true,"allowedToUseSSPR":true,"allowEmailVerifiedUsersToJoinOrganization":false,"allowUserConsentForRiskyApps":null,"blockMsolPowerShell":false,"guestUserRoleId":"` + guestRoleID + `","defaultUserRolePermissions":{"allowedToCreateApps":true,"allowedToCreateSecurityGroups":true,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true,"permissionGrantPoliciesAssigned":["ManagePermissionGrantsForSelf.microsoft-user-default-legacy","ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team","ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat"]}}`)
	w.raw(`,"authenticationMethodsPolicy":` + authMethodsPolicy)
	w.raw(`,"adminConsentRequestPolicy":{"id":"policy","isEnabled":false,"notifyReviewers":false,"remindersEnabled":false,"requestDurationInDays":0,"version":0,"reviewers":[]}`)
	// The tenant default app management policy as Microsoft ships it: off, no restrictions.
	w.raw(`,"defaultAppManagementPolicy":{"id":"00000000-0000-0000-0000-000000000000","displayName":"Default app management tenant policy","isEnabled":false,` +
		`"applicationRestrictions":{"passwordCredentials":[],"keyCredentials":[]},"servicePrincipalRestrictions":{"passwordCredentials":[],"keyCredentials":[]}},"appManagementPolicies":[]`)
	w.raw(`,"userRegistrationDetails":[`)
	for i := range p.users {
		w.comma(i)
		p.writeRegistration(w, i)
	}
	w.raw(`],"servicePrincipals":[`)
	for i, sp := range servicePrincipals {
		w.comma(i)
		w.raw(`{"id":`)
		w.id(spPrefix, i+1)
		w.raw(`,"appId":`)
		if sp.appID != "" {
			w.str(sp.appID)
		} else {
			w.id(appPrefix, i+1)
		}
		w.raw(`,"displayName":`)
		w.str(sp.name)
		w.raw(`,"servicePrincipalType":"Application","accountEnabled":true,"appOwnerOrganizationId":`)
		if sp.appID != "" {
			w.str(microsoftTenant)
		} else {
			w.id(tenantPrefix, p.tenant)
		}
		w.raw(`,"signInAudience":"AzureADMultipleOrgs","tags":[]}`)
	}
	w.raw(`],"directorySettings":[{"id":"5a000000-0000-4000-8000-000000000001","displayName":"Password Rule Settings","templateId":"5cf42378-d67d-4f36-ba46-e8b86229381d","values":[{"name":"EnableBannedPasswordCheck","value":"True"},{"name":"BannedPasswordList","value":"synthetic\tcontoso"},{"name":"BannedPasswordCheckOnPremisesMode","value":"Audit"},{"name":"EnableBannedPasswordCheckOnPremises","value":"False"},{"name":"LockoutThreshold","value":"10"},{"name":"LockoutDurationInSeconds","value":"60"}]}]`)
	// Two delegated grants to the tenant's own app: one tenant-wide, one by a single user.
	w.raw(`,"oauth2PermissionGrants":[{"id":"c3ludGgtZ3JhbnQtMQ","clientId":`)
	w.id(spPrefix, len(servicePrincipals))
	w.raw(`,"consentType":"AllPrincipals","principalId":null,"resourceId":`)
	w.id(spPrefix, 1)
	w.raw(`,"scope":"openid profile User.Read"},{"id":"c3ludGgtZ3JhbnQtMg","clientId":`)
	w.id(spPrefix, len(servicePrincipals))
	w.raw(`,"consentType":"Principal","principalId":`)
	w.id(userPrefix, len(p.users))
	w.raw(`,"resourceId":`)
	w.id(spPrefix, 1)
	w.raw(`,"scope":"openid Mail.ReadWrite"}]`)
	w.raw(`,"riskyUsers":[`)
	for i, ui := range p.risky {
		w.comma(i)
		w.raw(`{"id":`)
		w.id(userPrefix, ui+1)
		w.raw(`,"isDeleted":false,"isProcessing":false,"riskLastUpdatedDateTime":"2026-11-20T22:14:05Z","riskLevel":"medium","riskState":"atRisk","riskDetail":"none","userDisplayName":`)
		p.writeDisplayName(w, ui)
		w.raw(`,"userPrincipalName":`)
		p.writeUPN(w, ui)
		w.raw(`}`)
	}
	w.raw(`]}`)
	if svc != nil {
		p.writeServices(w, svc)
	}
	w.raw(`}` + "\n")
}

var collectedAt = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const microsoftTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

var servicePrincipals = [...]struct{ appID, name string }{
	{"00000003-0000-0000-c000-000000000000", "Microsoft Graph"},
	{"00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"},
	{"00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"},
	{"", "Provisioning Automation"},
}

func (p *plan) writeOrganization(w *writer) {
	w.raw(`{"id":`)
	w.id(tenantPrefix, p.tenant)
	w.raw(`,"displayName":"Synthetic Tenant","tenantType":"AAD","countryLetterCode":"US","createdDateTime":"2019-06-11T17:02:44Z","onPremisesSyncEnabled":true,"onPremisesLastSyncDateTime":"2026-11-22T09:41:07Z","verifiedDomains":[{"capabilities":"Email, OfficeCommunicationsOnline","isDefault":false,"isInitial":true,"name":"` + initialDomain + `","type":"Managed"},{"capabilities":"Email, OfficeCommunicationsOnline","isDefault":true,"isInitial":false,"name":"` + defaultDomain + `","type":"Managed"}]}`)
}

var (
	plansE3 = `{"servicePlanId":"efb87545-963c-4e0d-99df-69c6916d9eb0","servicePlanName":"EXCHANGE_S_ENTERPRISE","provisioningStatus":"Success","appliesTo":"User"},{"servicePlanId":"c1ec4a95-1f05-45b3-a911-aa3fa01094f5","servicePlanName":"INTUNE_A","provisioningStatus":"Success","appliesTo":"User"},{"servicePlanId":"41781fb2-bc02-4b7c-bd55-b576c07bb09d","servicePlanName":"AAD_PREMIUM","provisioningStatus":"Success","appliesTo":"User"}`
	plansE5 = plansE3 + `,{"servicePlanId":"eec0eb4f-6444-4f95-aba0-50c24d67f998","servicePlanName":"AAD_PREMIUM_P2","provisioningStatus":"Success","appliesTo":"User"},{"servicePlanId":"f20fedf3-f3c3-43c3-8267-2bfdd51c0939","servicePlanName":"ATP_ENTERPRISE","provisioningStatus":"Success","appliesTo":"User"},{"servicePlanId":"8e0c0a52-6a6c-4d40-8370-dd62790dcd70","servicePlanName":"THREAT_INTELLIGENCE","provisioningStatus":"Success","appliesTo":"User"},{"servicePlanId":"bf6f5520-59e3-4f82-974b-7dbbc4fd27c7","servicePlanName":"SAFEDOCS","provisioningStatus":"Success","appliesTo":"User"}`
)

func (p *plan) writeSkus(w *writer) {
	for i, s := range []struct {
		id, part, plans string
		used            int
	}{{skuE3, "SPE_E3", plansE3, p.e3}, {skuE5, "SPE_E5", plansE5, p.e5}} {
		if i == 0 {
			w.raw(`[`)
		} else {
			w.raw(`,`)
		}
		w.raw(`{"accountName":"SyntheticTenant","appliesTo":"User","capabilityStatus":"Enabled","consumedUnits":`)
		w.num(s.used)
		w.raw(`,"id":"`)
		w.b = appendHex12(append(w.b, tenantPrefix...), p.tenant)
		w.raw(`_` + s.id + `","prepaidUnits":{"enabled":`)
		w.num(s.used + s.used/10 + 5)
		w.raw(`,"lockedOut":0,"suspended":0,"warning":0},"servicePlans":[` + s.plans + `],"skuId":"` + s.id +
			`","skuPartNumber":"` + s.part + `"}`)
	}
	w.raw(`]`)
}

func writeDomain(w *writer, name string, isDefault, initial bool, validity string) {
	w.raw(`{"id":"` + name + `","authenticationType":"Managed","availabilityStatus":null,"isAdminManaged":true,"isDefault":`)
	w.boolean(isDefault)
	w.raw(`,"isInitial":`)
	w.boolean(initial)
	w.raw(`,"isRoot":true,"isVerified":true,"passwordNotificationWindowInDays":14,"passwordValidityPeriodInDays":` +
		validity + `,"supportedServices":["Email","OfficeCommunicationsOnline"],"state":null}`)
}

func (p *plan) writeDisplayName(w *writer, i int) {
	u := p.users[i]
	w.raw(`"`)
	switch {
	case i < len(p.bg):
		w.raw(`Break Glass `)
		w.num(i + 1)
	case p.isAdmin(i):
		w.raw(firstNames[u.first] + ` ` + lastNames[u.last] + ` (Admin)`)
	default:
		w.raw(firstNames[u.first])
		w.raw(` `)
		w.raw(lastNames[u.last])
	}
	w.raw(`"`)
}

func (p *plan) isAdmin(i int) bool {
	return i >= len(p.bg) && i < len(p.bg)+len(p.admins)
}

// writeUPN writes a unique userPrincipalName: the user index keeps names unique.
func (p *plan) writeUPN(w *writer, i int) {
	u := p.users[i]
	w.raw(`"`)
	switch {
	case i < len(p.bg):
		w.raw(`bg`)
		w.num(i + 1)
		w.raw(`@` + initialDomain)
	case p.isAdmin(i):
		w.raw(`adm-`)
		w.lower(firstNames[u.first])
		w.num(i)
		w.raw(`@` + initialDomain)
	case u.kind == guestUser:
		w.lower(firstNames[u.first])
		w.raw(`.`)
		w.lower(lastNames[u.last])
		w.num(i)
		w.raw(`_partner`)
		w.num(i % 7)
		w.raw(`.example#EXT#@` + initialDomain)
	default:
		w.lower(firstNames[u.first])
		w.raw(`.`)
		w.lower(lastNames[u.last])
		w.num(i)
		w.raw(`@` + defaultDomain)
	}
	w.raw(`"`)
}

func (p *plan) writeUser(w *writer, i int) {
	u := p.users[i]
	w.raw(`{"id":`)
	w.id(userPrefix, i+1)
	w.raw(`,"displayName":`)
	p.writeDisplayName(w, i)
	w.raw(`,"userPrincipalName":`)
	p.writeUPN(w, i)
	w.raw(`,"accountEnabled":`)
	w.boolean(u.kind != disabledMember)
	if u.kind == guestUser {
		w.raw(`,"userType":"Guest","externalUserState":"Accepted","creationType":"Invitation"`)
	} else {
		w.raw(`,"userType":"Member","externalUserState":null,"creationType":null`)
	}
	w.raw(`,"onPremisesSyncEnabled":`)
	if u.synced && u.kind != guestUser {
		w.raw(`true`)
	} else {
		w.raw(`null`)
	}
	w.raw(`,"assignedLicenses":[`)
	if u.kind == member && i >= len(p.bg) {
		if u.e5 {
			w.raw(`{"disabledPlans":[],"skuId":"` + skuE5 + `"}`)
		} else {
			w.raw(`{"disabledPlans":[],"skuId":"` + skuE3 + `"}`)
		}
	}
	w.raw(`],"signInActivity":{"lastSignInDateTime":`)
	w.signIn(u)
	w.raw(`}}`)
}

func (p *plan) writeRegistration(w *writer, i int) {
	u := p.users[i]
	w.raw(`{"id":`)
	w.id(userPrefix, i+1)
	w.raw(`,"userPrincipalName":`)
	p.writeUPN(w, i)
	w.raw(`,"userDisplayName":`)
	p.writeDisplayName(w, i)
	if u.kind == guestUser {
		w.raw(`,"userType":"guest"`)
	} else {
		w.raw(`,"userType":"member"`)
	}
	w.raw(`,"isAdmin":`)
	w.boolean(i < len(p.bg) || p.isAdmin(i))
	w.raw(`,"isSsprEnabled":`)
	w.boolean(i < len(p.bg) || p.isAdmin(i) || u.capable)
	switch {
	case i < len(p.bg):
		w.raw(`,"isMfaCapable":true,"isMfaRegistered":true,"isPasswordlessCapable":true,"isSsprRegistered":true,"methodsRegistered":["fido2"]}`)
	case u.capable:
		w.raw(`,"isMfaCapable":true,"isMfaRegistered":true,"isPasswordlessCapable":false,"isSsprRegistered":true,"methodsRegistered":["microsoftAuthenticatorPush","softwareOneTimePasscode"]}`)
	default:
		w.raw(`,"isMfaCapable":false,"isMfaRegistered":false,"isPasswordlessCapable":false,"isSsprRegistered":false,"methodsRegistered":[]}`)
	}
}

func (p *plan) writeGroup(w *writer, i int) {
	gp := p.groups[i]
	w.raw(`{"id":`)
	w.id(groupPrefix, i+1)
	w.raw(`,"displayName":`)
	w.str(gp.name)
	w.raw(`,"description":`)
	w.str(gp.description)
	w.raw(`,"groupTypes":[],"mailEnabled":false,"securityEnabled":true,"isAssignableToRole":`)
	if gp.roleAssignable {
		w.raw(`true`)
	} else {
		w.raw(`null`)
	}
	w.raw(`,"membershipRule":null,"onPremisesSyncEnabled":null}`)
}

const (
	strengthPhishing = `{"id":"00000000-0000-0000-0000-000000000004","displayName":"Phishing-resistant MFA","description":"Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key","policyType":"builtIn","requirementsSatisfied":"mfa","allowedCombinations":["windowsHelloForBusiness","fido2","x509CertificateMultiFactor"],"combinationConfigurations":[],"createdDateTime":"2021-12-01T08:00:00Z","modifiedDateTime":"2021-12-01T08:00:00Z"}`
	allGuestTypes    = `{"guestOrExternalUserTypes":"internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider","externalTenants":{"@odata.type":"#microsoft.graph.conditionalAccessAllExternalTenants","membershipKind":"all"}}`
)

func (p *plan) writePolicy(w *writer, i int) {
	pp := p.policies[i]
	w.raw(`{"id":`)
	w.id(policyPrefix, i+1)
	w.raw(`,"templateId":null,"displayName":`)
	w.str(pp.name)
	w.raw(`,"createdDateTime":"2025-02-10T14:03:11Z","modifiedDateTime":"2026-06-03T08:21:45Z","deletedDateTime":null,"state":"` + pp.state + `","conditions":{"userRiskLevels":[],"signInRiskLevels":`)
	w.strs(pp.signInRisk)
	w.raw(`,"clientAppTypes":`)
	w.strs(pp.clientApps)
	w.raw(`,"servicePrincipalRiskLevels":[],"insiderRiskLevels":null,"platforms":`)
	if pp.platforms != nil {
		w.raw(`{"includePlatforms":`)
		w.strs(pp.platforms)
		w.raw(`,"excludePlatforms":[]}`)
	} else {
		w.raw(`null`)
	}
	w.raw(`,"locations":`)
	if pp.locationsInclude != nil {
		w.raw(`{"includeLocations":`)
		w.strs(pp.locationsInclude)
		w.raw(`,"excludeLocations":`)
		w.strs(pp.locationsExclude)
		w.raw(`}`)
	} else {
		w.raw(`null`)
	}
	w.raw(`,"devices":null,"clientApplications":null,"authenticationFlows":null,"applications":{"includeApplications":`)
	w.strs(pp.apps)
	w.raw(`,"excludeApplications":[],"includeUserActions":[],"includeAuthenticationContextClassReferences":[],"applicationFilter":null},"users":{"includeUsers":`)
	w.strs(pp.includeUsers)
	w.raw(`,"excludeUsers":`)
	w.strs(pp.excludeUsers)
	w.raw(`,"includeGroups":`)
	w.strs(pp.includeGroups)
	w.raw(`,"excludeGroups":`)
	w.strs(pp.excludeGroups)
	w.raw(`,"includeRoles":`)
	w.strs(pp.includeRoles)
	w.raw(`,"excludeRoles":`)
	w.strs(pp.excludeRoles)
	w.raw(`,"includeGuestsOrExternalUsers":`)
	if pp.includeGuests {
		w.raw(allGuestTypes)
	} else {
		w.raw(`null`)
	}
	w.raw(`,"excludeGuestsOrExternalUsers":null}},"grantControls":{"operator":"` + pp.operator + `","builtInControls":`)
	w.strs(pp.grants)
	w.raw(`,"customAuthenticationFactors":[],"termsOfUse":[],"authenticationStrength":`)
	if pp.strength == "phishing" {
		w.raw(strengthPhishing)
	} else {
		w.raw(`null`)
	}
	w.raw(`},"sessionControls":null}`)
}

const authMethodsPolicy = `{"id":"authenticationMethodsPolicy","displayName":"Authentication Methods Policy","description":"The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings","lastModifiedDateTime":"2026-05-12T11:20:31Z","policyVersion":"1.5","policyMigrationState":"migrationComplete","registrationEnforcement":{"authenticationMethodsRegistrationCampaign":{"snoozeDurationInDays":1,"state":"enabled","excludeTargets":[],"includeTargets":[{"id":"all_users","targetType":"group","targetedAuthenticationMethod":"microsoftAuthenticator"}]}},"authenticationMethodConfigurations":[{"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","id":"Fido2","state":"enabled","isSelfServiceRegistrationAllowed":true,"isAttestationEnforced":true,"keyRestrictions":{"isEnforced":false,"enforcementType":"block","aaGuids":[]},"excludeTargets":[],"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}]},{"@odata.type":"#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration","id":"MicrosoftAuthenticator","state":"enabled","isSoftwareOathEnabled":false,"featureSettings":{"displayAppInformationRequiredState":{"state":"enabled","includeTarget":{"targetType":"group","id":"all_users"},"excludeTarget":{"targetType":"group","id":"00000000-0000-0000-0000-000000000000"}},"displayLocationInformationRequiredState":{"state":"enabled","includeTarget":{"targetType":"group","id":"all_users"},"excludeTarget":{"targetType":"group","id":"00000000-0000-0000-0000-000000000000"}}},"excludeTargets":[],"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false,"authenticationMode":"any"}]},{"@odata.type":"#microsoft.graph.smsAuthenticationMethodConfiguration","id":"Sms","state":"disabled","excludeTargets":[],"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false,"isUsableForSignIn":false}]},{"@odata.type":"#microsoft.graph.voiceAuthenticationMethodConfiguration","id":"Voice","state":"disabled","isOfficePhoneAllowed":false,"excludeTargets":[],"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}]},{"@odata.type":"#microsoft.graph.emailAuthenticationMethodConfiguration","id":"Email","state":"disabled","allowExternalIdToUseEmailOtp":"default","excludeTargets":[],"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}]},{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration","id":"TemporaryAccessPass","state":"enabled","defaultLifetimeInMinutes":60,"defaultLength":8,"minimumLifetimeInMinutes":60,"maximumLifetimeInMinutes":480,"isUsableOnce":true,"excludeTargets":[],"includeTargets":[{"targetType":"group","id":"all_users","isRegistrationRequired":false}]}]}`

// writer appends JSON to a byte slice. It writes compact JSON; callers pass raw fragments
// that are already valid JSON.
type writer struct{ b []byte }

func (w *writer) raw(s string) { w.b = append(w.b, s...) }

func (w *writer) num(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (w *writer) boolean(v bool) { w.b = strconv.AppendBool(w.b, v) }

// lower writes ASCII s in lower case (names in UPNs), without allocating.
func (w *writer) lower(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		w.b = append(w.b, c)
	}
}

func (w *writer) comma(i int) {
	if i > 0 {
		w.b = append(w.b, ',')
	}
}

// str writes s as a JSON string. Generated strings are plain ASCII, so the fast path copies
// them; anything else goes through encoding/json so the output stays valid.
func (w *writer) str(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s) // a string always marshals
			w.b = append(w.b, q...)
			return
		}
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

func (w *writer) strs(ss []string) {
	w.b = append(w.b, '[')
	for i, s := range ss {
		w.comma(i)
		w.str(s)
	}
	w.b = append(w.b, ']')
}

// id writes a quoted GUID made of prefix and n as 12 hex digits.
func (w *writer) id(prefix string, n int) {
	w.b = append(w.b, '"')
	w.b = append(w.b, prefix...)
	w.b = appendHex12(w.b, n)
	w.b = append(w.b, '"')
}

// signIn writes the user's last sign-in time: u.day days and u.hour hours before collection.
func (w *writer) signIn(u userPlan) {
	t := collectedAt.AddDate(0, 0, -int(u.day)).Add(-time.Duration(u.hour) * time.Hour)
	w.b = append(w.b, '"')
	w.b = t.AppendFormat(w.b, time.RFC3339)
	w.b = append(w.b, '"')
}

func hexID(prefix string, n int) string { return string(appendHex12([]byte(prefix), n)) }

func appendHex12(b []byte, n int) []byte {
	const digits = "0123456789abcdef"
	var buf [12]byte
	for i := 11; i >= 0; i-- {
		buf[i] = digits[n&0xf]
		n >>= 4
	}
	return append(b, buf[:]...)
}

func pad3(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}
