package collect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/m365posture/posture/internal/dns"
	"github.com/m365posture/posture/internal/exo"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

const (
	keyOrganization    = "entra.organization"
	keyAcceptedDomains = "exchange.acceptedDomains"
	keyDNS             = "exchange.dns"
)

// Values of Options.DNS besides a server's HOST:PORT.
const (
	DNSAuto   = ""       // the simulator's DNS when Graph is a loopback endpoint, else DNSSystem
	DNSSystem = "system" // the system resolver
	DNSOff    = "off"    // no lookups: exchange.dns is skipped
)

// CheckDNS checks a value of Options.DNS (the --dns flag), in one line naming the flag.
func CheckDNS(v string) error {
	switch v {
	case DNSAuto, DNSSystem, DNSOff:
		return nil
	}
	if err := dns.CheckServer(v); err != nil {
		return fmt.Errorf("--dns %q: expected system, off or HOST:PORT of a DNS server, e.g. 1.1.1.1:53", v)
	}
	return nil
}

// resolverFor returns the resolver Options.DNS names; nil for DNSOff. DNSAuto asks the
// simulator's DNS server (UDP on the endpoint's host and port) when c talks to a loopback
// endpoint, so a collection from `posture sim serve` round-trips exchange.dns too.
func resolverFor(v string, c *graph.Client) (*dns.Resolver, error) {
	if err := CheckDNS(v); err != nil {
		return nil, err
	}
	server := v
	switch v {
	case DNSOff:
		return nil, nil
	case DNSSystem:
		server = ""
	case DNSAuto:
		server = ""
		if c.Endpoint() {
			server = loopbackHostPort(c.BaseURL())
		}
	}
	return dns.New(server, 0)
}

// loopbackHostPort returns the HOST:PORT of a loopback URL, or "".
func loopbackHostPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	host, port := u.Hostname(), u.Port()
	ip := net.ParseIP(host)
	if !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return ""
	}
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return net.JoinHostPort(host, port)
}

// exchangeClient returns the Exchange Online client, built once after entra.organization: the
// tenant id is the organization's (else the one the client was given), the initial domain
// (for X-AnchorMailbox) the organization's. When there is none, or the Exchange Online token
// cannot be had, it returns nil and the source every cmdlet gets instead.
func (r *runner) exchangeClient(ctx context.Context) (*exo.Client, snapshot.Source) {
	r.exoOnce.Do(func() {
		org := r.result(keyOrganization)
		tenant, initial := "", ""
		if m, ok := org.value.(map[string]any); ok && org.src.Status == snapshot.StatusOK {
			tenant, _ = m["id"].(string)
			initial = initialDomain(m)
		}
		if tenant == "" {
			tenant = tenantHint(r.c.TenantID())
		}
		if tenant == "" {
			r.exoSrc = snapshot.Source{Status: snapshot.StatusSkipped, Message: fmt.Sprintf(
				"skipped: the tenant id comes from %s, which is %s; give --tenant", keyOrganization, org.src.Status)}
			return
		}
		cl, err := exo.New(r.c, exo.Options{TenantID: tenant, InitialDomain: initial})
		if err != nil {
			r.exoSrc = snapshot.Source{Status: snapshot.StatusError, Message: oneLine(err.Error())}
			return
		}
		// One sign-in for all cmdlets: a failure is every cmdlet's, and a device code prompt
		// appears once.
		if err := cl.SignIn(ctx); err != nil {
			r.exoSrc = snapshot.Source{Status: snapshot.StatusError, Message: "sign in to Exchange Online: " + authReason(err)}
			return
		}
		r.exo = cl
	})
	return r.exo, r.exoSrc
}

// tenantHint returns a tenant given on the command line when it names one tenant (not
// "common" or "organizations").
func tenantHint(t string) string {
	switch strings.ToLower(t) {
	case "", "common", "organizations", "consumers":
		return ""
	}
	return t
}

// initialDomain returns the organization's initial (*.onmicrosoft.com) verified domain.
func initialDomain(org map[string]any) string {
	for _, d := range asList(org["verifiedDomains"]) {
		if m, ok := d.(map[string]any); ok && m["isInitial"] == true {
			name, _ := m["name"].(string)
			return name
		}
	}
	return ""
}

// exchange runs one cmdlet into its shape: the rows, or the first row for an object.
func (r *runner) exchange(ctx context.Context, s Source) *outcome {
	chain := r.result(keyOrganization).chain
	cl, why := r.exchangeClient(ctx)
	if cl == nil {
		if ctx.Err() != nil {
			return &outcome{err: context.Cause(ctx)}
		}
		return &outcome{src: why, chain: chain}
	}
	rows, pages, err := cl.Invoke(ctx, s.Cmdlet, nil)
	if err != nil {
		if ctx.Err() != nil {
			return &outcome{err: context.Cause(ctx)}
		}
		return &outcome{src: classifyExchange(s, err), cause: err, pages: pages, chain: chain + pages}
	}
	var out *outcome
	if s.shape == first {
		if len(rows) == 0 {
			return &outcome{src: snapshot.Source{Status: snapshot.StatusError,
				Message: s.Cmdlet + ": expected one row, got none"}, pages: pages, chain: chain + pages}
		}
		out = &outcome{value: rows[0], src: snapshot.Source{Status: snapshot.StatusOK}, pages: pages}
	} else {
		items := make([]any, len(rows))
		for i, row := range rows {
			items[i] = row
		}
		out = okOutcome(items, len(items), pages)
	}
	out.chain = chain + pages
	return out
}

// classifyExchange maps an InvokeCommand failure to a source status:
//   - the cmdlet is not recognized: unlicensed when the cmdlet needs a licence (Exchange
//     Online offers Defender for Office 365's cmdlets only to tenants that have it), else
//     forbidden (the app's roles do not include it);
//   - 401 or 403: forbidden, naming Exchange.ManageAsApp and the Global Reader role;
//   - a token that could not be had, and everything else: error.
func classifyExchange(s Source, err error) snapshot.Source {
	var ae *graph.AuthError
	if errors.As(err, &ae) {
		return snapshot.Source{Status: snapshot.StatusError, Message: "sign in to Exchange Online: " + authReason(ae)}
	}
	msg := exo.Message(err)
	var ge *graph.Error
	switch {
	case exo.NotAvailable(err) && s.Licence != "":
		return snapshot.Source{Status: snapshot.StatusUnlicensed, Message: "needs " + s.Licence + " (" + msg + ")"}
	case exo.NotAvailable(err):
		return snapshot.Source{Status: snapshot.StatusForbidden, Message: "needs the Global Reader role (or an Exchange role that includes " +
			s.Cmdlet + ") for the app's service principal (" + msg + ")"}
	case errors.As(err, &ge) && (ge.Status == 401 || ge.Status == 403):
		return snapshot.Source{Status: snapshot.StatusForbidden, Message: "needs " + exo.Permission + " (" + msg + ")"}
	}
	return snapshot.Source{Status: snapshot.StatusError, Message: "InvokeCommand " + s.Cmdlet + ": " + msg}
}

// dns looks up the SPF and DMARC records of every accepted domain.
func (r *runner) dns(ctx context.Context, _ Source) *outcome {
	in := r.result(keyAcceptedDomains)
	switch {
	case r.resolver == nil:
		return &outcome{src: snapshot.Source{Status: snapshot.StatusSkipped, Message: "skipped: DNS lookups are off (--dns off)"}}
	case in.src.Status != snapshot.StatusOK:
		return &outcome{chain: in.chain, src: snapshot.Source{Status: snapshot.StatusSkipped,
			Message: fmt.Sprintf("skipped: the domains come from %s, which is %s", keyAcceptedDomains, in.src.Status)}}
	}
	var domains []string
	for _, d := range asList(in.value) {
		if m, ok := d.(map[string]any); ok {
			if name, ok := m["DomainName"].(string); ok {
				domains = append(domains, name)
			}
		}
	}
	recs := r.resolver.Lookup(ctx, domains)
	if ctx.Err() != nil {
		return &outcome{err: context.Cause(ctx)}
	}
	out := okOutcome(recs, len(recs), 1)
	out.chain = in.chain + 1
	return out
}
