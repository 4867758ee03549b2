// Package graph is posture's Microsoft Graph client: an azidentity credential, the Graph SDK's
// request adapter and middleware (retries that honour Retry-After), paging through every
// @odata.nextLink, and JSON $batch with per-item throttling retries.
//
// Responses are returned as Graph's JSON, never through the SDK's typed models, so a snapshot
// holds every property Graph sent under Graph's own names.
package graph

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	coreauth "github.com/microsoftgraph/msgraph-sdk-go-core/authentication"
)

// Client reads Microsoft Graph. It is safe for concurrent use.
type Client struct {
	conn       // Graph's
	cloud      Cloud
	maxRetries int
	log        *logger
	endpoint   bool   // Options.Endpoint replaced the cloud's hosts
	tenant     string // Options.TenantID (or AZURE_TENANT_ID), as given
	pacer      *pacer // keeps requests within Graph's documented per-family limits
	auth       string // the --auth method, for sign-in errors
	timeout    time.Duration

	// What Service needs to reach another API with the same credential and pipeline.
	cred  azcore.TokenCredential // nil without authentication
	hc    *http.Client
	parse absser.ParseNodeFactory
	write absser.SerializationWriterFactory

	requests  atomic.Int64 // HTTP attempts, retries included
	throttled atomic.Int64 // attempts answered 429, 503 or 504, and such $batch items
	items     atomic.Int64 // requests carried inside $batch
}

// Stats counts what a Client sent.
type Stats struct {
	Requests   int64 // HTTP requests, retries included ($batch counts once)
	Throttled  int64 // answers 429/503/504, whole requests and $batch items
	BatchItems int64 // requests carried inside $batch requests
}

// Stats returns the counts so far.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.requests.Load(), Throttled: c.throttled.Load(), BatchItems: c.items.Load()}
}

// Cloud returns the cloud the client talks to.
func (c *Client) Cloud() Cloud { return c.cloud }

// New builds a client. It validates o and builds the credential but does not sign in: the
// first request does.
func New(o Options) (*Client, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	cl, _ := CloudNamed(o.Cloud)
	base, _ := url.Parse(cl.GraphURL)
	authority := cl.AuthorityHost
	if o.Endpoint != "" {
		base, _ = parseEndpoint(o.Endpoint)
		if a := o.auth(); a == AuthSecret || a == AuthCertificate {
			authority = base.String() + "/"
		}
	}
	transport, err := baseTransport(o)
	if err != nil {
		return nil, err
	}
	// azidentity gets its own plain client: its pipeline has its own retries, and the
	// Graph middleware must not see sign-in traffic.
	cred, err := o.credential(cl, authority, &http.Client{Transport: transport, Timeout: o.requestTimeout()})
	if err != nil {
		return nil, err
	}
	c := &Client{cloud: cl, maxRetries: o.MaxRetries, endpoint: o.Endpoint != "", tenant: o.tenantID(),
		pacer: newPacer(), auth: o.auth(), timeout: o.requestTimeout()}
	if cred != nil {
		c.cred = &cachedCredential{cred: cred}
	}
	if c.maxRetries <= 0 {
		c.maxRetries = DefaultMaxRetries
	}
	if o.Log != nil {
		c.log = &logger{w: o.Log}
	}
	parse := absser.NewParseNodeFactoryRegistry()
	parse.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonParseNodeFactory()
	write := absser.NewSerializationWriterFactoryRegistry()
	write.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonSerializationWriterFactory()
	c.parse, c.write = parse, write
	c.hc = &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(transport, c.middleware()...),
		// Redirects are the redirect handler's business (it drops Authorization across hosts).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		// No Timeout: it would span every retry and Retry-After wait of a request (kiota also
		// turns it into a deadline for the whole request). attemptTimeout bounds each attempt.
	}
	gc, err := c.newConn("graph", base, cl.Scope())
	if err != nil {
		return nil, err
	}
	gc.adapter.SetBaseUrl(base.String() + "/v1.0")
	c.conn = *gc
	return c, nil
}

// newConn builds a request adapter for the API at base whose tokens are for scope, over the
// client's credential and HTTP pipeline. name labels its verbose log lines.
func (c *Client) newConn(name string, base *url.URL, scope string) (*conn, error) {
	var provider absauth.AuthenticationProvider = &absauth.AnonymousAuthenticationProvider{}
	var tokens absauth.AccessTokenProvider
	if c.cred != nil {
		// The token goes only to the API's host (or the endpoint's), over https or to loopback.
		tp, err := coreauth.NewAzureIdentityAccessTokenProviderWithScopesAndValidHosts(c.cred, []string{scope}, []string{base.Hostname()})
		if err != nil {
			return nil, fmt.Errorf("%s token provider: %w", name, err)
		}
		tokens = &authMarker{AccessTokenProvider: tp, method: c.auth}
		provider = absauth.NewBaseBearerTokenAuthenticationProvider(tokens)
	}
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		provider, clientOptions(), c.parse, c.write, c.hc)
	if err != nil {
		return nil, fmt.Errorf("%s request adapter: %w", name, err)
	}
	return &conn{name: name, adapter: adapter, base: base, tokens: tokens}, nil
}

// conn is one API reached through the client's pipeline: its adapter (with its own token
// scope), its scheme and host, and the name its log lines carry.
type conn struct {
	name    string
	adapter *msgraphcore.GraphRequestAdapterBase
	tokens  absauth.AccessTokenProvider // nil without authentication
	base    *url.URL                    // the API's scheme and host
	// noRedirects returns 3xx answers as errors with their Location instead of following
	// them (kiota's redirect handler would follow without the Authorization header).
	noRedirects bool
}

// middleware is the Graph SDK's pipeline in a fixed order (kiota's default list comes from a
// map, in random order), without request compression, plus pacing to Graph's documented limits
// and the observer innermost, so both see every attempt.
func (c *Client) middleware() []khttp.Middleware {
	opts := clientOptions()
	return []khttp.Middleware{
		msgraphcore.NewGraphTelemetryHandler(&opts),
		khttp.NewRetryHandlerWithOptions(khttp.RetryHandlerOptions{
			MaxRetries: c.maxRetries,
			ShouldRetry: func(time.Duration, int, *http.Request, *http.Response) bool {
				return true
			},
		}),
		khttp.NewRedirectHandler(),
		khttp.NewParametersNameDecodingHandler(),
		khttp.NewUserAgentHandler(),
		pacing{c},                 // before the timeout: waiting for a slot is not the service stalling
		attemptTimeout{c.timeout}, // each attempt, not the retries and their Retry-After waits
		observer{c},
	}
}

// clientOptions names the Graph SDK version in the SdkVersion header, as msgraph-sdk-go does.
func clientOptions() msgraphcore.GraphClientOptions {
	v := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/microsoftgraph/msgraph-sdk-go" {
				v = strings.TrimPrefix(d.Version, "v")
			}
		}
	}
	return msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: v}
}

func baseTransport(o Options) (http.RoundTripper, error) {
	if o.Transport != nil && o.CAFile == "" {
		return o.Transport, nil
	}
	t, ok := o.Transport.(*http.Transport)
	if o.Transport == nil || !ok {
		if o.Transport != nil {
			return nil, fmt.Errorf("--ca-file cannot be combined with a custom transport")
		}
		t = http.DefaultTransport.(*http.Transport)
	}
	t = t.Clone()
	// Collectors run several requests at once against one host.
	t.MaxIdleConnsPerHost = 16
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read --ca-file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-file %s: no PEM certificates found", o.CAFile)
		}
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		t.TLSClientConfig.RootCAs = pool
	}
	return t, nil
}

// authMarker marks token failures as *AuthError so callers can tell them from Graph answers.
type authMarker struct {
	absauth.AccessTokenProvider
	method string
}

func (m *authMarker) GetAuthorizationToken(ctx context.Context, u *url.URL, extra map[string]any) (string, error) {
	tok, err := m.AccessTokenProvider.GetAuthorizationToken(ctx, u, extra)
	if err != nil {
		return "", &AuthError{Method: m.method, Err: err}
	}
	return tok, nil
}

// SignIn gets a token now, so a collector that starts many requests at once signs in once
// (a device code prompt appears once) and stops early when it cannot. It returns an
// *AuthError on failure; without authentication (AuthNone) it does nothing.
func (c *Client) SignIn(ctx context.Context) error { return c.conn.signIn(ctx, "/v1.0/") }

func (c *conn) signIn(ctx context.Context, path string) error {
	if c.tokens == nil {
		return nil
	}
	u := *c.base
	u.Path = path
	_, err := c.tokens.GetAuthorizationToken(ctx, &u, nil)
	return err
}

// TenantID returns the tenant the client was given (Options.TenantID or AZURE_TENANT_ID), a
// tenant id or domain, or "" (also for the default chain, which may pick one itself).
func (c *Client) TenantID() string { return c.tenant }

// BaseURL returns Graph's scheme and host, or the endpoint's.
func (c *Client) BaseURL() string { return c.base.String() }

// Endpoint reports whether the client talks to Options.Endpoint rather than the cloud's hosts.
func (c *Client) Endpoint() bool { return c.endpoint }

// Get sends GET for path, which is either a Graph path with its version ("/v1.0/users?$top=5")
// or an absolute URL on Graph's host (an @odata.nextLink), and returns the body of a 2xx answer.
// Any other answer is an *Error.
func (c *Client) Get(ctx context.Context, path string) ([]byte, error) {
	u, err := c.resolve(path)
	if err != nil {
		return nil, &Error{Method: http.MethodGet, Path: path, Err: err}
	}
	ri := abs.NewRequestInformation()
	ri.Method = abs.GET
	ri.SetUri(*u)
	ri.Headers.Add("Accept", "application/json")
	return c.send(ctx, ri, u)
}

// postJSON sends body as JSON to path (a path on the API's host or a full URL there) with the
// extra headers, and returns the body of a 2xx answer. Any other answer is an *Error.
func (c *conn) postJSON(ctx context.Context, path string, header map[string]string, body []byte) ([]byte, error) {
	u, err := c.resolve(path)
	if err != nil {
		return nil, &Error{Method: http.MethodPost, Path: path, Err: err}
	}
	ri := abs.NewRequestInformation()
	ri.Method = abs.POST
	ri.SetUri(*u)
	ri.Headers.Add("Accept", "application/json")
	for k, v := range header {
		ri.Headers.Add(k, v)
	}
	// A known length keeps the body replayable for the retry handler and avoids chunking.
	ri.Headers.Add("Content-Length", fmt.Sprint(len(body)))
	ri.SetStreamContentAndContentType(body, "application/json")
	return c.send(ctx, ri, u)
}

func (c *conn) send(ctx context.Context, ri *abs.RequestInformation, u *url.URL) ([]byte, error) {
	ctx = context.WithValue(ctx, apiKey{}, c.name)
	var (
		status int
		body   []byte
		rerr   error
	)
	handler := abs.NewRequestHandlerOption()
	var location string
	handler.SetResponseHandler(func(response any, _ abs.ErrorMappings) (any, error) {
		resp, ok := response.(*http.Response)
		if !ok || resp == nil {
			return nil, errors.New("no response")
		}
		defer resp.Body.Close()
		status = resp.StatusCode
		location = resp.Header.Get("Location")
		body, rerr = io.ReadAll(resp.Body)
		return nil, nil
	})
	opts := []abs.RequestOption{handler}
	if c.noRedirects {
		opts = append(opts, &khttp.RedirectHandlerOptions{MaxRedirects: 1,
			ShouldRedirect: func(*http.Request, *http.Response) bool { return false }})
	}
	ri.AddRequestOptions(opts)
	if _, err := c.adapter.SendPrimitive(ctx, ri, "[]byte", nil); err != nil {
		var ae *AuthError
		if errors.As(err, &ae) {
			return nil, ae
		}
		return nil, &Error{Method: ri.Method.String(), Path: u.RequestURI(), Err: noAnswer(err)}
	}
	if rerr != nil {
		return nil, &Error{Method: ri.Method.String(), Path: u.RequestURI(), Status: status, Err: fmt.Errorf("read body: %w", rerr)}
	}
	if status < 200 || status > 299 {
		e := newError(ri.Method.String(), u.RequestURI(), status, body)
		if status >= 300 && status <= 399 {
			e.Location = location
		}
		return nil, e
	}
	return body, nil
}

// get sends GET for path (on the API's host, or a full URL there) with the extra headers and
// returns the body of a 2xx answer. Any other answer is an *Error.
func (c *conn) get(ctx context.Context, path string, header map[string]string) ([]byte, error) {
	u, err := c.resolve(path)
	if err != nil {
		return nil, &Error{Method: http.MethodGet, Path: path, Err: err}
	}
	ri := abs.NewRequestInformation()
	ri.Method = abs.GET
	ri.SetUri(*u)
	ri.Headers.Add("Accept", "application/json")
	for k, v := range header {
		ri.Headers.Add(k, v)
	}
	return c.send(ctx, ri, u)
}

// resolve turns a path ("/v1.0/users") or a nextLink into an absolute URL on the API's host. A
// link to any other host is refused: following it would leave the API (and the token stays
// behind anyway).
func (c *conn) resolve(path string) (*url.URL, error) {
	if strings.HasPrefix(path, "/") {
		return url.Parse(c.base.String() + path)
	}
	u, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("parse link %q: %w", path, err)
	}
	if !strings.EqualFold(u.Scheme, c.base.Scheme) || !strings.EqualFold(u.Host, c.base.Host) {
		return nil, fmt.Errorf("link %s leaves %s", u.Redacted(), c.base)
	}
	return u, nil
}

// Relative turns a link on Graph's host into the path after version ("/groups/..?$skiptoken=x"),
// as $batch items need.
func (c *Client) Relative(version, link string) (string, error) {
	u, err := c.resolve(link)
	if err != nil {
		return "", err
	}
	rest, ok := strings.CutPrefix(u.RequestURI(), "/"+version+"/")
	if !ok {
		return "", fmt.Errorf("link %s is not under /%s", u.Redacted(), version)
	}
	return "/" + rest, nil
}

// Object GETs path and returns the JSON object Graph answered, without its @odata.context.
func (c *Client) Object(ctx context.Context, path string) (map[string]any, error) {
	body, err := c.Get(ctx, path)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := Decode(body, &m); err != nil || m == nil {
		return nil, &Error{Method: "GET", Path: path, Status: http.StatusOK, Err: fmt.Errorf("expected a JSON object: %v", err)}
	}
	delete(m, "@odata.context")
	return m, nil
}

// List GETs the collection at path and every page after it (@odata.nextLink), and returns all
// elements and the number of pages. Any failed page fails the whole list: a short list would
// pass for a complete one. A page's elements are decoded while the next page is on its way.
func (c *Client) List(ctx context.Context, path string) ([]any, int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bodies := make(chan pageBody, 4)
	var (
		items   []any
		decErr  error
		decDone = make(chan struct{})
	)
	go func() {
		defer close(decDone)
		for b := range bodies {
			if decErr != nil {
				continue
			}
			v, err := b.elements()
			if err != nil {
				decErr = &Error{Method: http.MethodGet, Path: b.path, Status: http.StatusOK, Err: err}
				cancel()
				continue
			}
			items = append(items, v...)
		}
	}()
	pages, err := c.pages(ctx, path, func(b pageBody) { bodies <- b })
	close(bodies)
	<-decDone
	if decErr != nil {
		err = decErr
	}
	if err != nil {
		return nil, pages, err
	}
	if items == nil {
		items = []any{}
	}
	return items, pages, nil
}

// pages fetches path and its nextLinks, handing each page to each. Only the start of a page is
// read to find its nextLink when Graph puts it before "value" (as it does): the elements are
// left to each, so the next request goes out at once.
func (c *Client) pages(ctx context.Context, path string, each func(pageBody)) (int, error) {
	n := 0
	for next := path; next != ""; {
		body, err := c.Get(ctx, next)
		if err != nil {
			return n, err
		}
		link, rest, err := splitPage(body)
		if err != nil {
			return n, &Error{Method: http.MethodGet, Path: next, Status: http.StatusOK, Err: err}
		}
		n++
		each(pageBody{path: next, body: body, rest: rest})
		if link != "" && link == next {
			return n, &Error{Method: http.MethodGet, Path: next, Status: http.StatusOK, Err: errors.New("@odata.nextLink points to the same page")}
		}
		next = link
	}
	return n, nil
}

// pageBody is one page as fetched: rest is the page after its "value" key when splitPage
// found the nextLink before it, else nil (the whole body is still to be read).
type pageBody struct {
	path       string
	body, rest []byte
}

// elements decodes the page's value array (numbers as json.Number). For a page split early it
// also checks that no second nextLink follows the value.
func (b pageBody) elements() ([]any, error) {
	var p struct {
		Value    *[]any  `json:"value"`
		NextLink *string `json:"@odata.nextLink"`
	}
	if b.rest == nil {
		if err := Decode(b.body, &p); err != nil || p.Value == nil {
			return nil, fmt.Errorf("expected a collection page with a value array: %v", err)
		}
		return *p.Value, nil
	}
	if err := Decode(append([]byte(`{"value"`), b.rest...), &p); err != nil || p.Value == nil {
		return nil, fmt.Errorf("expected a collection page with a value array: %v", err)
	}
	if p.NextLink != nil {
		return nil, errors.New("the page has two @odata.nextLink properties")
	}
	return *p.Value, nil
}

// splitPage reads a collection page's top-level properties up to "value". When the nextLink
// came before it, it returns the link and the rest of the body after the "value" key; else it
// reads the whole page for its nextLink and returns a nil rest.
func splitPage(body []byte) (next string, rest []byte, err error) {
	d := json.NewDecoder(bytes.NewReader(body))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return "", nil, errors.New("expected a collection page (a JSON object)")
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return "", nil, fmt.Errorf("expected a collection page: %w", err)
		}
		switch key, _ := t.(string); key {
		case "value":
			if next != "" {
				return next, body[d.InputOffset():], nil
			}
			var p struct {
				Value    json.RawMessage `json:"value"`
				NextLink string          `json:"@odata.nextLink"`
			}
			if err := json.Unmarshal(body, &p); err != nil || p.Value == nil {
				return "", nil, errors.New("expected a collection page with a value array")
			}
			return p.NextLink, nil, nil
		case "@odata.nextLink":
			if err := d.Decode(&next); err != nil {
				return "", nil, fmt.Errorf("@odata.nextLink: %w", err)
			}
		default:
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				return "", nil, fmt.Errorf("expected a collection page: %w", err)
			}
		}
	}
	return "", nil, errors.New("expected a collection page with a value array")
}

// Decode parses one JSON value, keeping numbers as json.Number as snapshots hold them, and
// refuses trailing data.
func Decode(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// logger writes verbose lines; the mutex keeps concurrent lines whole.
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logger) printf(format string, args ...any) { l.printfAs("graph", format, args...) }

// printfAs writes a line labelled with the API it is about ("graph", "exo").
func (l *logger) printfAs(api, format string, args ...any) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, api+": "+format+"\n", args...)
}
