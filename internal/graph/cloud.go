package graph

import (
	"fmt"
	"strings"
)

// Cloud is one Microsoft cloud: where tokens come from and where Graph answers.
type Cloud struct {
	Name          string // global, usgov, usgovdod or china (the snapshot's tenant.cloud)
	AuthorityHost string // the Entra ID sign-in host, with a trailing slash
	GraphURL      string // Graph's scheme and host, without a trailing slash
}

// Scope is the token scope for Graph's application permissions in the cloud.
func (c Cloud) Scope() string { return c.GraphURL + "/.default" }

// clouds lists the national clouds (Microsoft Learn, "National cloud deployments").
var clouds = []Cloud{
	{"global", "https://login.microsoftonline.com/", "https://graph.microsoft.com"},
	{"usgov", "https://login.microsoftonline.us/", "https://graph.microsoft.us"},
	{"usgovdod", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us"},
	{"china", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn"},
}

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
