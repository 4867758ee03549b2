package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Service is another Microsoft 365 API (the Exchange Online admin API) reached with a
// Client's credential and HTTP pipeline: the same retries on 429, 503 and 504 honouring
// Retry-After, the same bounded retries, the same verbose log that never shows a token, and
// the same request counters. Only its host and token scope differ. It is safe for concurrent
// use.
type Service struct {
	c    *Client
	conn *conn
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
	return &Service{c: c, conn: cn}, nil
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
