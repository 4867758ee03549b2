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

	"github.com/m365posture/posture/internal/graph"
)

// DefaultPageSize is the page size asked for (Prefer: odata.maxpagesize) when Options.PageSize
// is 0: the most the admin API sends per page.
const DefaultPageSize = 1000

// anchorMailbox is the system mailbox peers (and the ExchangeOnlineManagement module) name in
// X-AnchorMailbox so the request is routed to the tenant's mailbox server at once.
const anchorMailbox = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}"

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
	svc    *graph.Service
	path   string
	header map[string]string
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
	return &Client{svc: svc, path: "/adminapi/beta/" + url.PathEscape(o.TenantID) + "/InvokeCommand", header: h}, nil
}

// SignIn gets the Exchange Online token now. It returns a *graph.AuthError on failure.
func (c *Client) SignIn(ctx context.Context) error { return c.svc.SignIn(ctx) }

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
	for next := c.path; next != ""; {
		// Every page is asked for by posting the same body to the page's link.
		data, err := c.svc.Post(ctx, next, h, body)
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
			c.svc.Logf("%s warnings: %s", cmdlet, oneLine(w))
		}
		for i, v := range *p.Value {
			row, ok := v.(map[string]any)
			if !ok {
				return nil, n, &graph.Error{Method: http.MethodPost, Path: next, Status: http.StatusOK,
					Err: fmt.Errorf("%s: row %d is not an object", cmdlet, i)}
			}
			rows = append(rows, clean(row))
		}
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
