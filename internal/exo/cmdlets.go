package exo

import "strings"

// LicenceMDO is what the Defender for Office 365 cmdlets need: without it Exchange Online does
// not offer them at all.
const LicenceMDO = "Microsoft Defender for Office 365 Plan 1"

// Cmdlet is one Exchange Online cmdlet posture runs and the snapshot key its rows fill.
type Cmdlet struct {
	Name string // e.g. "Get-OrganizationConfig"
	Key  string // the snapshot source key, e.g. "exchange.organizationConfig"
	// Object marks a cmdlet that answers one row, stored as that object; otherwise the
	// rows are stored as an array.
	Object bool
	// Licence is what the tenant needs for the cmdlet to exist, as unlicensed sources name it;
	// "" for cmdlets every Exchange Online (EOP) tenant has.
	Licence string
}

// Cmdlets returns the cmdlets in snapshot key order: the one table the collector runs and the
// simulator serves.
func Cmdlets() []Cmdlet {
	return []Cmdlet{
		{Name: "Get-OrganizationConfig", Key: "exchange.organizationConfig", Object: true},
		{Name: "Get-AdminAuditLogConfig", Key: "exchange.adminAuditLogConfig", Object: true},
		{Name: "Get-TransportConfig", Key: "exchange.transportConfig", Object: true},
		{Name: "Get-AtpPolicyForO365", Key: "exchange.atpPolicyForO365", Object: true, Licence: LicenceMDO},
		{Name: "Get-AcceptedDomain", Key: "exchange.acceptedDomains"},
		{Name: "Get-RemoteDomain", Key: "exchange.remoteDomains"},
		{Name: "Get-TransportRule", Key: "exchange.transportRules"},
		{Name: "Get-SharingPolicy", Key: "exchange.sharingPolicies"},
		{Name: "Get-OwaMailboxPolicy", Key: "exchange.owaMailboxPolicies"},
		{Name: "Get-DkimSigningConfig", Key: "exchange.dkimSigningConfigs"},
		{Name: "Get-SafeLinksPolicy", Key: "exchange.safeLinksPolicies", Licence: LicenceMDO},
		{Name: "Get-SafeLinksRule", Key: "exchange.safeLinksRules", Licence: LicenceMDO},
		{Name: "Get-SafeAttachmentPolicy", Key: "exchange.safeAttachmentPolicies", Licence: LicenceMDO},
		{Name: "Get-SafeAttachmentRule", Key: "exchange.safeAttachmentRules", Licence: LicenceMDO},
		{Name: "Get-AntiPhishPolicy", Key: "exchange.antiPhishPolicies"},
		{Name: "Get-AntiPhishRule", Key: "exchange.antiPhishRules"},
		{Name: "Get-HostedContentFilterPolicy", Key: "exchange.hostedContentFilterPolicies"},
		{Name: "Get-HostedConnectionFilterPolicy", Key: "exchange.hostedConnectionFilterPolicies"},
		{Name: "Get-HostedOutboundSpamFilterPolicy", Key: "exchange.hostedOutboundSpamFilterPolicies"},
		{Name: "Get-MalwareFilterPolicy", Key: "exchange.malwareFilterPolicies"},
		{Name: "Get-EOPProtectionPolicyRule", Key: "exchange.eopProtectionPolicyRules"},
		{Name: "Get-ATPProtectionPolicyRule", Key: "exchange.atpProtectionPolicyRules", Licence: LicenceMDO},
		{Name: "Get-RoleAssignmentPolicy", Key: "exchange.roleAssignmentPolicies"},
		{Name: "Get-ExternalInOutlook", Key: "exchange.externalInOutlook", Object: true},
	}
}

// CmdletNamed returns the cmdlet called name; PowerShell's names are case-insensitive.
func CmdletNamed(name string) (Cmdlet, bool) {
	for _, c := range Cmdlets() {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Cmdlet{}, false
}

// Permission is what an app needs to run the cmdlets, as forbidden sources name it.
const Permission = "the Office 365 Exchange Online application permission Exchange.ManageAsApp (admin consent) " +
	"and the Global Reader role (or a custom read-only Exchange role) for the app's service principal"
