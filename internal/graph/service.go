package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Service is another Microsoft 365 API (the Exchange Online admin API) reached with a
// Client's credential and HTTP pipeline: the same retries on 429, 503 and 504 honouring
// Retry-After, the same bounded retries, the same verbose log that never shows a token, and
// the same request counters. Only its host and token scope differ. It is safe for concurrent
// use.
//
// A Service does not follow redirects: a 3xx answer is an *Error carrying the Location, and
// the caller decides whether the API's own host is named there (At); kiota's redirect handler
// would follow anywhere and drop the token on the way.
type Service struct {
	c     *Client
	conn  *conn
	scope string
}

// Service returns the API called name (it labels log lines, e.g. "exo") at baseURL (scheme and
// host, e.g. Cloud.ExchangeURL) whose tokens are for scope (e.g. Cloud.ExchangeScope()). With
// Options.Endpoint the requests go to the endpoint instead, as Graph's do: the simulator
// serves every API on one address. Tokens are still asked for scope.
func (c *Client) Service(name, baseURL, scope string) (*Service, error) {
	base, err := url.Parse(baseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("%s service: bad base URL %q", name, baseURL)
	}
	if c.endpoint {
		base = c.base
	}
	cn, err := c.newConn(name, base, scope)
	if err != nil {
		return nil, err
	}
	cn.noRedirects = true
	return &Service{c: c, conn: cn, scope: scope}, nil
}

// At returns the same API at another host of its own, e.g. Exchange Online's tenant-specific
// host, with the same token scope: tokens go to that host too. baseURL must be https on the
// API's host or one of its subdomains (nam12b.outlook.office365.com under
// outlook.office365.com), on the default port. With Options.Endpoint every API is the
// endpoint's listener, so baseURL must be a loopback host on the endpoint's port and scheme
// (the simulator names itself localhost for 127.0.0.1). Any other host is refused: the token
// is never sent there.
func (s *Service) At(baseURL string) (*Service, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("%s service: bad base URL %q", s.conn.name, baseURL)
	}
	u.Path = ""
	if !s.ownHost(u) {
		return nil, fmt.Errorf("%s is not a host of %s: its token is not sent there", u.Redacted(), s.conn.base)
	}
	cn, err := s.c.newConn(s.conn.name, u, s.scope)
	if err != nil {
		return nil, err
	}
	cn.noRedirects = true
	return &Service{c: s.c, conn: cn, scope: s.scope}, nil
}

// ownHost reports whether u is a host of the service (see At).
func (s *Service) ownHost(u *url.URL) bool {
	base := s.conn.base
	if s.c.endpoint {
		return strings.EqualFold(u.Scheme, s.c.base.Scheme) && isLoopback(u.Hostname()) && u.Port() == s.c.base.Port()
	}
	host, own := strings.ToLower(u.Hostname()), strings.ToLower(base.Hostname())
	return u.Scheme == "https" && (u.Port() == "" || u.Port() == "443") &&
		(host == own || strings.HasSuffix(host, "."+own) && validLabels(strings.TrimSuffix(host, "."+own)))
}

// validLabels reports whether s is one or more DNS labels (letters, digits, hyphens).
func validLabels(s string) bool {
	for _, l := range strings.Split(s, ".") {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// Get sends GET for path (absolute on the service's host, or a full URL there) with the extra
// headers and returns the body of a 2xx answer. Any other answer is an *Error.
func (s *Service) Get(ctx context.Context, path string, header map[string]string) ([]byte, error) {
	return s.conn.get(ctx, path, header)
}

// SignIn gets the service's token now, so a collector stops early (once) when it cannot. It
// returns an *AuthError on failure; without authentication it does nothing.
func (s *Service) SignIn(ctx context.Context) error { return s.conn.signIn(ctx, "/") }

// BaseURL returns the scheme and host requests go to.
func (s *Service) BaseURL() string { return s.conn.base.String() }

// Post sends body as JSON to path (absolute on the service's host, "/adminapi/beta/...", or a
// full URL on that host such as an @odata.nextLink) with the extra headers, and returns the
// body of a 2xx answer. Any other answer is an *Error whose Body holds the answer's body.
func (s *Service) Post(ctx context.Context, path string, header map[string]string, body []byte) ([]byte, error) {
	return s.conn.postJSON(ctx, path, header, body)
}

// Logf writes a verbose line labelled with the service's name (nothing without Options.Log).
func (s *Service) Logf(format string, args ...any) { s.c.log.printfAs(s.conn.name, format, args...) }

// WithNote returns a context whose requests' verbose log lines carry note after the path, e.g.
// the cmdlet an InvokeCommand request runs. Notes must not hold secrets.
func WithNote(ctx context.Context, note string) context.Context {
	return context.WithValue(ctx, noteKey{}, note)
}

// apiKey and noteKey carry a request's API name and note to the observer.
type (
	apiKey  struct{}
	noteKey struct{}
)

// describe is how the observer names a request in the log: its API and its target.
func describe(req *http.Request) (api, target string) {
	api, _ = req.Context().Value(apiKey{}).(string)
	if api == "" {
		api = "graph"
	}
	target = req.Method + " " + req.URL.RequestURI()
	if note, _ := req.Context().Value(noteKey{}).(string); note != "" {
		target += " " + note
	}
	return api, target
}
