package sim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// TokenLifetime is how long an issued access token is accepted; expires_in says one second
// less, as Entra ID does.
const TokenLifetime = time.Hour

// The identity endpoints Azure Identity (MSAL Go) uses for client credentials, served under the
// simulator's own address so the authority host is the simulator:
//
//	GET  /common/discovery/instance                       instance discovery (MSAL asks the
//	     authority host only when it is a known Entra host; for any other host it asks
//	     login.microsoftonline.com, so clients must disable instance discovery)
//	GET  /{tenant}/v2.0/.well-known/openid-configuration  tenant discovery
//	POST /{tenant}/oauth2/v2.0/token                      client_credentials with client_secret
//	                                                      or client_assertion
//
// MSAL checks that the discovery document's issuer has the authority's scheme and host, so the
// documents are built from the Host the client used.
func (s *Server) serveIdentity(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case len(segs) == 3 && strings.EqualFold(segs[0], "common") && strings.EqualFold(segs[1], "discovery") && strings.EqualFold(segs[2], "instance"):
		s.instanceDiscovery(w, r)
	case len(segs) == 4 && strings.EqualFold(segs[1], "v2.0") && segs[2] == ".well-known" && segs[3] == "openid-configuration":
		s.openIDConfiguration(w, r, segs[0])
	case len(segs) == 4 && strings.EqualFold(segs[1], "oauth2") && strings.EqualFold(segs[2], "v2.0") && strings.EqualFold(segs[3], "token"):
		s.token(w, r, segs[0])
	default:
		writeOAuthError(w, http.StatusNotFound, "not_found", 0, "The simulator serves Graph under /v1.0 and /beta, and the token endpoint at /{tenant}/oauth2/v2.0/token.")
	}
}

// knownTenant reports whether t names the snapshot's tenant: its id, default domain or one of
// its domains.
func (s *Server) knownTenant(t string) bool {
	if t == "" {
		return false
	}
	if strings.EqualFold(t, s.snap.Tenant.ID) || strings.EqualFold(t, s.snap.Tenant.DefaultDomain) {
		return true
	}
	for _, el := range s.elements("entra.domains") {
		if d, ok := el.(map[string]any); ok {
			if id, _ := d["id"].(string); strings.EqualFold(id, t) {
				return true
			}
		}
	}
	return false
}

func (s *Server) instanceDiscovery(w http.ResponseWriter, r *http.Request) {
	base := baseURL(r)
	tenant := "common"
	if ae, err := url.Parse(r.URL.Query().Get("authorization_endpoint")); err == nil {
		if t, _, _ := strings.Cut(strings.TrimPrefix(ae.Path, "/"), "/"); t != "" {
			tenant = t
		}
	}
	writeOAuthJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": base + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []any{map[string]any{
			"preferred_network": r.Host,
			"preferred_cache":   r.Host,
			"aliases":           []string{r.Host},
		}},
	})
}

func (s *Server) openIDConfiguration(w http.ResponseWriter, r *http.Request, tenant string) {
	issuerTenant := "{tenantid}"
	switch {
	case s.knownTenant(tenant):
		issuerTenant = s.snap.Tenant.ID
	case strings.EqualFold(tenant, "common") || strings.EqualFold(tenant, "organizations"):
	default:
		writeOAuthError(w, http.StatusBadRequest, "invalid_tenant", 90002, "AADSTS90002: Tenant '"+tenant+"' not found. The simulator serves tenant "+s.snap.Tenant.ID+".")
		return
	}
	base := baseURL(r)
	t := base + "/" + tenant
	writeOAuthJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        t + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              t + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                base + "/" + issuerTenant + "/v2.0",
		"request_uri_parameter_supported":       false,
		"authorization_endpoint":                t + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         t + "/oauth2/v2.0/devicecode",
		"end_session_endpoint":                  t + "/oauth2/v2.0/logout",
		"tenant_region_scope":                   nil,
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          r.Host,
	})
}

const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// token is the client_credentials grant. It never logs or repeats the secret, the assertion or
// the token it issues (only the response body carries the token).
func (s *Server) token(w http.ResponseWriter, r *http.Request, tenant string) {
	s.count(func(st *Stats) { st.TokenRequests++ })
	if r.Method != http.MethodPost {
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", 900561, "AADSTS900561: The endpoint only accepts POST requests.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", 900144, "AADSTS900144: The request body must be application/x-www-form-urlencoded.")
		return
	}
	f := r.PostForm
	if !s.knownTenant(tenant) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", 90002, "AADSTS90002: Tenant '"+tenant+"' not found. The simulator serves tenant "+s.snap.Tenant.ID+".")
		return
	}
	if gt := f.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type '"+gt+"'. The simulator issues tokens for client_credentials only.")
		return
	}
	clientID := f.Get("client_id")
	if clientID == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", 900144, "AADSTS900144: The request body must contain the following parameter: 'client_id'.")
		return
	}
	if s.opts.ClientID != "" && !strings.EqualFold(clientID, s.opts.ClientID) {
		writeOAuthError(w, http.StatusBadRequest, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"+clientID+"' was not found in the directory '"+tenant+"'.")
		return
	}
	secret := f.Get("client_secret")
	assertion := f.Get("client_assertion")
	switch {
	case secret != "":
		if s.opts.ClientSecret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.ClientSecret)) != 1 {
			writeOAuthError(w, http.StatusUnauthorized, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
			return
		}
	case assertion != "":
		// A certificate credential's signed JWT; the simulator does not know the certificate,
		// so it checks the shape only.
		if f.Get("client_assertion_type") != jwtBearer || strings.Count(assertion, ".") != 2 {
			writeOAuthError(w, http.StatusUnauthorized, "invalid_client", 50027, "AADSTS50027: JWT token is invalid or malformed.")
			return
		}
	default:
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", 7000216, "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.")
		return
	}
	resource, ok := defaultScope(f.Get("scope"))
	if !ok {
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", 1002012, "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
		return
	}
	tok, err := s.issue(resource)
	if err != nil {
		writeOAuthError(w, http.StatusInternalServerError, "temporarily_unavailable", 0, "The simulator could not issue a token.")
		return
	}
	writeOAuthJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     int(TokenLifetime/time.Second) - 1,
		"ext_expires_in": int(TokenLifetime/time.Second) - 1,
		"access_token":   tok,
	})
}

// defaultScope returns the resource of a scope list's /.default scope, which the client
// credentials grant requires (MSAL may add openid, profile and offline_access): the token's
// audience, e.g. "https://outlook.office365.com".
func defaultScope(scope string) (resource string, ok bool) {
	for _, sc := range strings.Fields(scope) {
		if r, found := strings.CutSuffix(sc, "/.default"); found {
			return strings.ToLower(r), true
		}
	}
	return "", false
}

// issued is what the simulator remembers of a token it issued.
type issued struct {
	expires  time.Time
	audience string // the resource of the scope it was asked for, lowercased
}

// issue returns a new opaque access token for resource and remembers it until it expires.
func (s *Server) issue(resource string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, is := range s.tokens {
		if now.After(is.expires) {
			delete(s.tokens, t)
		}
	}
	s.tokens[tok] = issued{expires: now.Add(TokenLifetime), audience: resource}
	return tok, nil
}

func writeOAuthJSON(w http.ResponseWriter, status int, body any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	data, _ := json.Marshal(body)
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// writeOAuthError writes an Entra ID (AADSTS) error body.
func writeOAuthError(w http.ResponseWriter, status int, code string, aadsts int, description string) {
	id := newID()
	body := map[string]any{
		"error":             code,
		"error_description": description + "\r\nTrace ID: " + id + "\r\nCorrelation ID: " + id + "\r\nTimestamp: " + time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"timestamp":         time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id":          id,
		"correlation_id":    id,
	}
	if aadsts != 0 {
		body["error_codes"] = []int{aadsts}
	}
	writeOAuthJSON(w, status, body)
}
