package graph

import (
	"fmt"
	"strings"
)

// Cloud is one Microsoft cloud: where tokens come from, where Graph answers and where the
// Exchange Online admin API answers.
type Cloud struct {
	Name          string // global, usgov, usgovdod or china (the snapshot's tenant.cloud)
	AuthorityHost string // the Entra ID sign-in host, with a trailing slash
	GraphURL      string // Graph's scheme and host, without a trailing slash
	ExchangeURL   string // Exchange Online's scheme and host (the admin API's), without a trailing slash
}

// Scope is the token scope for Graph's application permissions in the cloud.
func (c Cloud) Scope() string { return c.GraphURL + "/.default" }

// ExchangeScope is the token scope for Exchange Online's application permissions
// (Exchange.ManageAsApp) in the cloud.
func (c Cloud) ExchangeScope() string { return c.ExchangeURL + "/.default" }

// clouds lists the national clouds: Graph and sign-in hosts from Microsoft Learn, "National
// cloud deployments"; Exchange Online's admin API host, which is also the token audience, as the
// ExchangeOnlineManagement module uses it for each -ExchangeEnvironmentName (O365Default,
// O365USGovGCCHigh, O365USGovDoD, O365China) and as Microsoft Learn's endpoint lists give it
// ("Microsoft 365 U.S. Government DoD endpoints": outlook-dod.office365.us). The DoD cloud's
// webmail.apps.mil is only the remote PowerShell URI (-ConnectionUri .../powershell-liveid), not
// the REST admin API nor a token audience; cisagov/ScubaGear's EXO REST helper (EXORestHelper.psm1)
// uses outlook-dod.office365.us for both the host and the scope.
var clouds = []Cloud{
	{"global", "https://login.microsoftonline.com/", "https://graph.microsoft.com", "https://outlook.office365.com"},
	{"usgov", "https://login.microsoftonline.us/", "https://graph.microsoft.us", "https://outlook.office365.us"},
	{"usgovdod", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us", "https://outlook-dod.office365.us"},
	{"china", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn", "https://partner.outlook.cn"},
}

// Clouds returns every cloud, global first.
func Clouds() []Cloud { return append([]Cloud(nil), clouds...) }

// CloudNames lists the names --cloud accepts.
func CloudNames() []string {
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = c.Name
	}
	return names
}

// CloudNamed returns the cloud called name; "" is global.
func CloudNamed(name string) (Cloud, error) {
	if name == "" {
		name = "global"
	}
	for _, c := range clouds {
		if c.Name == name {
			return c, nil
		}
	}
	return Cloud{}, fmt.Errorf("unknown cloud %q: expected one of %s", name, strings.Join(CloudNames(), ", "))
}
