// Package sim simulates a Microsoft 365 tenant: it serves a snapshot as the Microsoft Graph and OAuth 2.0 wire protocols.
package sim

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/m365posture/posture/internal/graphschema"
	"github.com/m365posture/posture/internal/snapshot"
)

// DefaultPageSize is the page size when Options.PageSize is zero: Graph's own default for most
// directory collections.
const DefaultPageSize = 100

// DefaultRetryAfter is the Retry-After of a throttled answer when Options.RetryAfter is zero.
const DefaultRetryAfter = time.Second

// MaxBatchRequests is the most requests one JSON $batch may carry, as in Graph.
const MaxBatchRequests = 20

// Options are the simulator's knobs. The zero value serves the snapshot without latency,
// throttling or failures, with Graph's default page size, and requires tokens it issued.
type Options struct {
	// PageSize is the most items a collection page holds (a smaller $top wins); 0 means
	// DefaultPageSize.
	PageSize int
	// Latency delays every Graph request (a $batch once, not per item) before it is answered.
	// The OAuth and discovery endpoints answer at once.
	Latency time.Duration
	// ThrottleRate is the fraction, 0 to 1, of Graph requests, and of the items inside $batch
	// requests, answered 429 with a Retry-After header. Which ones is decided from Seed and the
	// request, not from arrival order, so concurrent clients see the same throttling run after
	// run. Below 1, the same request is never throttled more than MaxConsecutiveThrottles times in
	// a row, so a client with bounded retries always gets through; 1 throttles everything.
	ThrottleRate float64
	// RetryAfter is the Retry-After of throttled answers, sent in whole seconds rounded up; 0
	// means DefaultRetryAfter and a negative value sends "Retry-After: 0" (for fast tests).
	RetryAfter time.Duration
	// Fail answers every Graph request whose path starts with a key (a whole-segment prefix such
	// as "/v1.0/identity/conditionalAccess/policies", or without the version, which then matches
	// /v1.0 and /beta) with the status code the key maps to and a Graph error body; the longest
	// matching key wins. 429 and 503 answers carry Retry-After. Codes must be 400 to 599.
	Fail map[string]int
	// Seed makes the throttling decisions reproducible.
	Seed int64
	// NoAuth serves Graph without asking for a bearer token (for plain-HTTP use: Azure
	// Identity sends tokens only over TLS).
	NoAuth bool
	// ClientID and ClientSecret, when set, are the only client credentials the token endpoint
	// accepts; when empty, any client id with a non-empty secret or client assertion gets a token.
	ClientID, ClientSecret string
	// ExchangeTenantHost, when set, serves the tenant's Exchange Online admin API from a
	// tenant-specific host, as Exchange Online does for some tenants: InvokeCommand and the
	// EXOModuleFile lookup addressed to any other host answer 302 Found with a Location on this
	// host (same path and query). It is a host name such as "localhost" (the simulator's own
	// listener under another loopback name; the port is the request's), or HOST:PORT (another
	// server: a redirect away from the simulator).
	ExchangeTenantHost string
	// Log, when set, receives one line per request: method, path and query, status, duration.
	// Never headers or bodies, so never a token or a secret.
	Log io.Writer
	// NoServiceLimits turns off the per-tenant request limits Microsoft documents for the
	// endpoints posture reads (limits.go: Conditional Access and Identity Protection one request
	// per second, the reports five per ten seconds, signInActivity ten per minute, the
	// directory's resource units, Intune's and Secure Score's), which are on by default and
	// answered with Graph's 429.
	NoServiceLimits bool
	// LimitScale multiplies the windows of those limits; 0 means 1 (Microsoft's figures). Above
	// 1 the service is stricter than documented, as when other apps spend the tenant's share of
	// a "per tenant for all apps" limit: a client that paces to the documented windows meets
	// 429s and must recover.
	LimitScale float64
	// Now is the clock of the service limits; nil is time.Now.
	Now func() time.Time
}

// MaxConsecutiveThrottles bounds how often in a row the same request is throttled when
// Options.ThrottleRate is below 1.
const MaxConsecutiveThrottles = 3

// Server serves one snapshot. It is safe for concurrent use; it never modifies the snapshot.
type Server struct {
	snap       *snapshot.Snapshot
	opts       Options
	pageSize   int
	retryAfter string // the Retry-After header value, in seconds
	fail       []failRule
	tokenKey   []byte // signs $skiptoken values

	usersOnce sync.Once
	users     map[string]map[string]any // lowercased user id -> user, for group members

	schemas map[string]*graphschema.Schema // by version: what each version may serve
	limits  []*limitState                  // nil with NoServiceLimits; guarded by mu
	now     func() time.Time

	logMu sync.Mutex // serializes Log lines: a test's bytes.Buffer is not safe for concurrent writes

	mu       sync.Mutex
	tokens   map[string]issued  // issued access token -> expiry and audience
	attempts map[string]attempt // throttling state per request key
	stats    Stats
}

// Stats counts what the server answered, for tests and benchmarks.
type Stats struct {
	// Requests counts HTTP requests to Graph paths; a $batch counts once.
	Requests int64
	// BatchItems counts the requests carried inside $batch requests.
	BatchItems int64
	// Throttled counts answers ThrottleRate turned into 429: whole requests and $batch items.
	Throttled int64
	// Limited counts answers a documented service limit turned into 429.
	Limited int64
	// Injected counts answers given by an Options.Fail rule (an injected 429 too).
	Injected int64
	// TokenRequests counts requests to the token endpoint (issued or refused).
	TokenRequests int64
	// DNSQueries counts the DNS queries answered.
	DNSQueries int64
	// ByPath counts Graph requests and $batch items by URL path (without the query); an item
	// whose url does not parse is not counted here.
	ByPath map[string]int64
}

type attempt struct {
	n           uint64 // attempts so far
	consecutive int    // throttled answers in a row
}

type failRule struct {
	prefix string // lowercased, no trailing slash; "" for a cmdlet rule
	cmdlet string // the InvokeCommand cmdlet it fails, or ""
	code   int
}

// New returns a server for snap. It checks opts and returns an error naming the bad option.
func New(snap *snapshot.Snapshot, opts Options) (*Server, error) {
	if snap == nil {
		return nil, errors.New("new simulator: no snapshot")
	}
	if opts.PageSize < 0 {
		return nil, fmt.Errorf("new simulator: page size %d; expected a positive number", opts.PageSize)
	}
	if opts.ThrottleRate < 0 || opts.ThrottleRate > 1 || math.IsNaN(opts.ThrottleRate) {
		return nil, fmt.Errorf("new simulator: throttle rate %v; expected a fraction from 0 to 1", opts.ThrottleRate)
	}
	if opts.Latency < 0 {
		return nil, fmt.Errorf("new simulator: latency %v; expected zero or more", opts.Latency)
	}
	if opts.LimitScale < 0 || math.IsNaN(opts.LimitScale) || math.IsInf(opts.LimitScale, 0) {
		return nil, fmt.Errorf("new simulator: limit scale %v; expected a positive factor (0 means 1)", opts.LimitScale)
	}
	s := &Server{
		snap:     snap,
		opts:     opts,
		pageSize: opts.PageSize,
		tokens:   map[string]issued{},
		attempts: map[string]attempt{},
		stats:    Stats{ByPath: map[string]int64{}},
	}
	if s.pageSize == 0 {
		s.pageSize = DefaultPageSize
	}
	s.schemas = map[string]*graphschema.Schema{}
	for _, v := range graphschema.Versions {
		schema, err := graphschema.For(v)
		if err != nil {
			return nil, fmt.Errorf("new simulator: %w", err)
		}
		s.schemas[v] = schema
	}
	s.now = time.Now
	if opts.Now != nil {
		s.now = opts.Now
	}
	if !opts.NoServiceLimits {
		scale := opts.LimitScale
		if scale == 0 {
			scale = 1
		}
		users, _ := snap.Entra["users"].([]any)
		s.limits = newLimits(serviceLimits(len(users), snap.Tenant.ID, opts.ClientID), scale)
	}
	switch ra := opts.RetryAfter; {
	case ra == 0:
		s.retryAfter = strconv.Itoa(int(DefaultRetryAfter / time.Second))
	case ra < 0:
		s.retryAfter = "0"
	default:
		s.retryAfter = strconv.FormatInt(int64((ra+time.Second-1)/time.Second), 10)
	}
	for path, code := range opts.Fail {
		rule, ok := parseFailKey(path, code)
		if !ok {
			return nil, fmt.Errorf("new simulator: fail path %q; expected a URL path such as /v1.0/users or %sGet-TransportConfig", path, FailCmdletPrefix)
		}
		if code < 400 || code > 599 {
			return nil, fmt.Errorf("new simulator: fail code %d for %s; expected an HTTP error status from 400 to 599", code, path)
		}
		s.fail = append(s.fail, rule)
	}
	// Longest prefix first, so the most specific rule wins.
	sort.Slice(s.fail, func(i, j int) bool { return len(s.fail[i].prefix) > len(s.fail[j].prefix) })
	s.tokenKey = make([]byte, 32)
	if _, err := rand.Read(s.tokenKey); err != nil {
		return nil, fmt.Errorf("new simulator: %w", err)
	}
	return s, nil
}

// Snapshot returns the snapshot the server serves. Do not modify it.
func (s *Server) Snapshot() *snapshot.Snapshot { return s.snap }

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.ByPath = make(map[string]int64, len(s.stats.ByPath))
	for k, v := range s.stats.ByPath {
		st.ByPath[k] = v
	}
	return st
}

// ResetStats sets the counters to zero (throttling state and issued tokens are kept).
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{ByPath: map[string]int64{}}
}

// Handler returns the handler for every route: Graph (/v1.0, /beta), the OAuth 2.0 token
// endpoint and the discovery documents Azure Identity (MSAL) reads.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.route(rec, r)
	if s.opts.Log != nil {
		// The query holds OData options only; tokens travel in headers and secrets in
		// POST bodies, neither of which is logged.
		target := r.URL.Path
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		s.logMu.Lock()
		defer s.logMu.Unlock()
		fmt.Fprintf(s.opts.Log, "%s %s %s %d %s\n", start.UTC().Format(time.RFC3339), r.Method, target, rec.status, time.Since(start).Round(time.Millisecond))
	}
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if !loopbackHost(r.Host) {
		// A browser page can send requests to a loopback port under its own host name (DNS
		// rebinding); nextLinks and discovery documents are built from Host, so refuse.
		writeGraphError(w, r, apiError{status: http.StatusMisdirectedRequest, code: "MisdirectedRequest",
			message: "The simulator answers only requests addressed to a loopback host."})
		return
	}
	path := r.URL.Path
	switch {
	case hasSegmentPrefix(path, "/v1.0") || hasSegmentPrefix(path, "/beta"):
		s.serveGraph(w, r)
	case hasSegmentPrefix(path, "/adminapi"):
		s.serveExchange(w, r)
	default:
		s.serveIdentity(w, r)
	}
}

// baseURL is the scheme and host the client used, so documents and nextLinks point back at
// the address the client reached (127.0.0.1, [::1] or localhost).
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// loopbackHost reports whether a Host header names a loopback address.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func hasSegmentPrefix(path, prefix string) bool {
	if len(path) < len(prefix) || !strings.EqualFold(path[:len(prefix)], prefix) {
		return false
	}
	return len(path) == len(prefix) || path[len(prefix)] == '/'
}

// newID returns a random GUID-shaped id for request-id headers and trace ids.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) count(f func(st *Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}
