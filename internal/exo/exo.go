// Package exo is posture's Exchange Online admin API client: cmdlets run through InvokeCommand over HTTPS, without PowerShell.
package exo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/m365posture/posture/internal/graph"
)

// DefaultPageSize is the page size asked for (Prefer: odata.maxpagesize) when Options.PageSize
// is 0: the most the admin API sends per page.
const DefaultPageSize = 1000

// anchorMailbox is the system mailbox peers (and the ExchangeOnlineManagement module) name in
// X-AnchorMailbox so the request is routed to the tenant's mailbox server at once.
const anchorMailbox = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}"

// maxHops bounds the redirects followed for one page.
const maxHops = 2

// Options say which tenant to ask.
type Options struct {
	// TenantID is the tenant's id (or one of its domains), the {tenantId} of the request path.
	TenantID string
	// InitialDomain is the tenant's *.onmicrosoft.com domain; when set, requests carry
	// X-AnchorMailbox: UPN:SystemMailbox{...}@InitialDomain.
	InitialDomain string
	// PageSize is the Prefer: odata.maxpagesize asked for; 0 is DefaultPageSize.
	PageSize int
}

// Client runs read-only cmdlets through the admin API's InvokeCommand. It is safe for
// concurrent use.
type Client struct {
	front    *graph.Service // the cloud's Exchange Online host (or the endpoint)
	tenant   string
	endpoint bool // the Graph client talks to Options.Endpoint
	header   map[string]string

	mu  sync.Mutex
	svc *graph.Service // the host the tenant is served from: front until resolved
}

// New returns a client that reaches Exchange Online in c's cloud (or c's endpoint) with c's
// credential and HTTP pipeline: tokens for the cloud's Exchange scope
// (https://outlook.office365.com/.default in the global cloud), retries honouring
// Retry-After, and the verbose log labelled "exo".
func New(c *graph.Client, o Options) (*Client, error) {
	if o.TenantID == "" {
		return nil, errors.New("exchange online client: no tenant id")
	}
	cl := c.Cloud()
	svc, err := c.Service("exo", cl.ExchangeURL, cl.ExchangeScope())
	if err != nil {
		return nil, fmt.Errorf("exchange online client: %w", err)
	}
	size := o.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	h := map[string]string{
		"Prefer":           fmt.Sprintf("odata.maxpagesize=%d", size),
		"X-ResponseFormat": "json",
	}
	if o.InitialDomain != "" {
		h["X-AnchorMailbox"] = "UPN:" + anchorMailbox + "@" + o.InitialDomain
	}
	return &Client{front: svc, svc: svc, tenant: url.PathEscape(o.TenantID), endpoint: c.Endpoint(), header: h}, nil
}

// SignIn gets the Exchange Online token now and resolves the host the tenant is served from
// (Resolve). It returns a *graph.AuthError when no token can be had.
func (c *Client) SignIn(ctx context.Context) error {
	if err := c.front.SignIn(ctx); err != nil {
		return err
	}
	return c.Resolve(ctx)
}

// Resolve finds the host the tenant's admin API is served from, as Microsoft's
// ExchangeOnlineManagement module does when it connects (and cisagov/ScubaGear's
// Get-ExchangeOnlineApiEndpoint after it): a GET of the front door's
// /AdminApi/v1.0/{tenantId}/EXOModuleFile with the token and X-AnchorMailbox, not followed.
// A redirect's Location names the tenant-specific host some tenants are served from, and
// InvokeCommand then goes there; any other answer (the module file) keeps the front door. Only the
// Location's first DNS label is taken, on the front door's own domain
// ("nam12b.outlook.office365.com" under outlook.office365.com, port 443), so the token only
// ever goes to the cloud's Exchange Online hosts. A failed lookup keeps the front door too:
// InvokeCommand then reports what is wrong. It returns a *graph.AuthError when no token can be
// had.
func (c *Client) Resolve(ctx context.Context) error {
	h := map[string]string{}
	if a := c.header["X-AnchorMailbox"]; a != "" {
		h["X-AnchorMailbox"] = a
	}
	_, err := c.front.Get(graph.WithNote(ctx, "EXOModuleFile"), "/AdminApi/v1.0/"+c.tenant+"/EXOModuleFile", h)
	var ae *graph.AuthError
	if errors.As(err, &ae) {
		return ae
	}
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status < 300 || ge.Status > 399 || ge.Location == "" {
		return nil
	}
	svc, err := c.redirected(c.front, ge.Location)
	if err != nil {
		c.front.Logf("EXOModuleFile redirect not followed: %v", err)
		return nil
	}
	c.mu.Lock()
	c.svc = svc
	c.mu.Unlock()
	c.front.Logf("tenant served from %s", svc.BaseURL())
	return nil
}

// redirected returns the service at the tenant-specific host a redirect from from names.
func (c *Client) redirected(from *graph.Service, location string) (*graph.Service, error) {
	base, err := url.Parse(from.BaseURL())
	if err != nil {
		return nil, err
	}
	loc, err := base.Parse(location)
	if err != nil {
		return nil, fmt.Errorf("redirect to %q: %w", location, err)
	}
	return from.At(TenantBase(base, loc, c.endpoint))
}

// TenantBase is the base URL of the tenant-specific host a redirect from the front door
// (scheme and host) to loc names. In a cloud, that is the first DNS label of loc's host on the
// front door's domain, over https on the default port (loc's own domain and port, e.g. 446,
// are not used: ScubaGear builds the host the same way); a host already under the front door's
// domain is kept. With an endpoint (the simulator) every API is the endpoint's listener, so
// loc's scheme and host are taken as given and graph.Service.At accepts them only on the
// endpoint's port.
func TenantBase(front, loc *url.URL, endpoint bool) string {
	if endpoint {
		return loc.Scheme + "://" + loc.Host
	}
	host, own := strings.ToLower(loc.Hostname()), strings.ToLower(front.Hostname())
	if host == own || strings.HasSuffix(host, "."+own) {
		return "https://" + host
	}
	label, _, _ := strings.Cut(host, ".")
	return "https://" + label + "." + own
}

func (c *Client) service() *graph.Service {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.svc
}

// request is InvokeCommand's body.
type request struct {
	CmdletInput cmdletInput `json:"CmdletInput"`
}

type cmdletInput struct {
	CmdletName string         `json:"CmdletName"`
	Parameters map[string]any `json:"Parameters"`
}

// page is one InvokeCommand answer.
type page struct {
	Value    *[]any          `json:"value"`
	NextLink string          `json:"@odata.nextLink"`
	Warnings json.RawMessage `json:"@adminapi.warnings"`
}

// Invoke runs cmdlet with params (nil for none) and returns every row of every page, with the
// cmdlet's own (PascalCase) property names and OData annotations removed, and the number of
// pages. A page that fails fails the whole call: a short list would pass for a complete one.
// Errors are *graph.Error for answers other than 2xx (see NotAvailable and Message) and
// *graph.AuthError when no token could be had.
func (c *Client) Invoke(ctx context.Context, cmdlet string, params map[string]any) ([]map[string]any, int, error) {
	if params == nil {
		params = map[string]any{}
	}
	body, err := json.Marshal(request{CmdletInput: cmdletInput{CmdletName: cmdlet, Parameters: params}})
	if err != nil {
		return nil, 0, fmt.Errorf("invoke %s: %w", cmdlet, err)
	}
	ctx = graph.WithNote(ctx, cmdlet)
	h := make(map[string]string, len(c.header)+1)
	for k, v := range c.header {
		h[k] = v
	}
	h["X-CmdletName"] = cmdlet
	rows := []map[string]any{}
	n := 0
	svc := c.service()
	hops := 0
	for next := "/adminapi/beta/" + c.tenant + "/InvokeCommand"; next != ""; {
		// Every page is asked for by posting the same body to the page's link.
		data, err := svc.Post(ctx, next, h, body)
		var ge *graph.Error
		if errors.As(err, &ge) && ge.Status >= 300 && ge.Status <= 399 && ge.Location != "" && hops < maxHops {
			// The tenant is served from another host (Resolve did not learn it, or it
			// moved): post the same page there, with the token only if it is Exchange
			// Online's own host.
			hops++
			to, rerr := c.redirected(svc, ge.Location)
			if rerr != nil {
				return nil, n, &graph.Error{Method: http.MethodPost, Path: ge.Path, Status: ge.Status,
					Err: fmt.Errorf("%s: redirect not followed: %w", cmdlet, rerr)}
			}
			c.mu.Lock()
			c.svc = to
			c.mu.Unlock()
			svc = to
			if u, perr := url.Parse(next); perr == nil && u.IsAbs() {
				next = u.RequestURI()
			}
			continue
		}
		if err != nil {
			return nil, n, err
		}
		n++
		var p page
		if err := graph.Decode(data, &p); err != nil || p.Value == nil {
			return nil, n, &graph.Error{Method: http.MethodPost, Path: next, Status: http.StatusOK,
				Err: fmt.Errorf("%s: expected a page with a value array: %v", cmdlet, err)}
		}
		if w := strings.TrimSpace(string(p.Warnings)); w != "" && w != "null" && w != "[]" {
			svc.Logf("%s warnings: %s", cmdlet, oneLine(w))
		}
		for i, v := range *p.Value {
			row, ok := v.(map[string]any)
			if !ok {
				return nil, n, &graph.Error{Method: http.MethodPost, Path: next, Status: http.StatusOK,
					Err: fmt.Errorf("%s: row %d is not an object", cmdlet, i)}
			}
			rows = append(rows, clean(row))
		}
		hops = 0
		if p.NextLink != "" && p.NextLink == next {
			return nil, n, &graph.Error{Method: http.MethodPost, Path: next, Status: http.StatusOK,
				Err: fmt.Errorf("%s: @odata.nextLink points to the same page", cmdlet)}
		}
		next = p.NextLink
	}
	return rows, n, nil
}

// clean drops OData annotations from a row: "@odata.type" and the like, and annotations of a
// property ("Guid@odata.type"), so a snapshot holds the cmdlet's properties only and does not
// change with the service's metadata.
func clean(row map[string]any) map[string]any {
	for k := range row {
		if strings.HasPrefix(k, "@odata.") || strings.Contains(k, "@odata.") {
			delete(row, k)
		}
	}
	return row
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
