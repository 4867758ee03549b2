package sim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const tenantID = "7e000000-0002-4000-8000-000000000000" // hardened.json

func tokenRequest(t *testing.T, h http.Handler, tenant string, form url.Values) answer {
	t.Helper()
	return do(t, h, http.MethodPost, "/"+tenant+"/oauth2/v2.0/token", "", strings.NewReader(form.Encode()))
}

func credentials(change func(url.Values)) url.Values {
	f := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {"11111111-2222-3333-4444-555555555555"},
		"client_secret": {"s3cret-value"},
		"scope":         {"https://graph.microsoft.com/.default"},
	}
	if change != nil {
		change(f)
	}
	return f
}

func TestTokenEndpoint(t *testing.T) {
	snap := load(t, "hardened.json")
	strict := Options{ClientID: "11111111-2222-3333-4444-555555555555", ClientSecret: "s3cret-value"}
	tests := []struct {
		name    string
		opts    Options
		tenant  string
		form    url.Values
		status  int
		errCode string
	}{
		{"secret, any accepted", Options{}, tenantID, credentials(nil), 200, ""},
		{"secret, configured", strict, tenantID, credentials(nil), 200, ""},
		{"tenant by default domain", strict, "tailspintoys.com", credentials(nil), 200, ""},
		{"tenant by onmicrosoft domain", strict, "TailspinToys.onmicrosoft.com", credentials(nil), 200, ""},
		{"client assertion", strict, tenantID, credentials(func(f url.Values) {
			f.Del("client_secret")
			f.Set("client_assertion_type", jwtBearer)
			f.Set("client_assertion", "eyJhbGciOiJQUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln")
		}), 200, ""},
		{"scope among OIDC scopes", Options{}, tenantID, credentials(func(f url.Values) {
			f.Set("scope", "https://graph.microsoft.com/.default openid profile offline_access")
		}), 200, ""},
		{"wrong secret", strict, tenantID, credentials(func(f url.Values) { f.Set("client_secret", "guess") }), 401, "invalid_client"},
		{"no credential", Options{}, tenantID, credentials(func(f url.Values) { f.Del("client_secret") }), 401, "invalid_client"},
		{"malformed assertion", Options{}, tenantID, credentials(func(f url.Values) {
			f.Del("client_secret")
			f.Set("client_assertion_type", jwtBearer)
			f.Set("client_assertion", "not-a-jwt")
		}), 401, "invalid_client"},
		{"unknown client", strict, tenantID, credentials(func(f url.Values) { f.Set("client_id", "99999999-0000-0000-0000-000000000000") }), 400, "unauthorized_client"},
		{"no client id", Options{}, tenantID, credentials(func(f url.Values) { f.Del("client_id") }), 400, "invalid_request"},
		{"other tenant", Options{}, "7e000000-0001-4000-8000-000000000000", credentials(nil), 400, "invalid_request"},
		{"common tenant", Options{}, "common", credentials(nil), 400, "invalid_request"},
		{"password grant", Options{}, tenantID, credentials(func(f url.Values) { f.Set("grant_type", "password") }), 400, "unsupported_grant_type"},
		{"scope without /.default", Options{}, tenantID, credentials(func(f url.Values) { f.Set("scope", "User.Read.All") }), 400, "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newServer(t, snap, tt.opts).Handler()
			a := tokenRequest(t, h, tt.tenant, tt.form)
			code, _ := a.body["error"].(string)
			if a.status != tt.status || code != tt.errCode {
				t.Fatalf("%d %q; want %d %q: %s", a.status, code, tt.status, tt.errCode, a.raw)
			}
			for _, secret := range []string{"s3cret-value", "guess", "eyJhbGciOiJQUzI1NiJ9"} {
				if strings.Contains(a.raw, secret) {
					t.Errorf("the answer repeats a credential: %s", a.raw)
				}
			}
			if a.status != 200 {
				if desc, _ := a.body["error_description"].(string); !strings.HasPrefix(desc, "AADSTS") {
					t.Errorf("error_description %q: want an AADSTS message", desc)
				}
				return
			}
			tok, _ := a.body["access_token"].(string)
			if len(tok) < 32 || a.body["token_type"] != "Bearer" || a.body["expires_in"] == nil {
				t.Fatalf("token answer %s: want token_type Bearer, expires_in and an opaque access_token", a.raw)
			}
			if g := do(t, h, http.MethodGet, "/v1.0/users?$select=id", tok, nil); g.status != 200 {
				t.Errorf("Graph with the issued token: %d %s", g.status, g.raw)
			}
		})
	}
}

func TestGraphRequiresAnIssuedToken(t *testing.T) {
	snap := load(t, "hardened.json")
	h := newServer(t, snap, Options{}).Handler()
	tok := tokenRequest(t, h, tenantID, credentials(nil)).body["access_token"].(string)
	other := tokenRequest(t, newServer(t, snap, Options{}).Handler(), tenantID, credentials(nil)).body["access_token"].(string)
	tests := []struct {
		name, header string
		status       int
		message      string
	}{
		{"issued", "Bearer " + tok, 200, ""},
		{"issued, lowercase scheme", "bearer " + tok, 200, ""},
		{"none", "", 401, "Access token is empty."},
		{"garbage", "Bearer abc.def.ghi", 401, "Access token validation failure. Invalid audience."},
		{"issued by another simulator", "Bearer " + other, 401, "Access token validation failure. Invalid audience."},
		{"basic scheme", "Basic " + tok, 401, "Access token validation failure. Invalid audience."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/v1.0/domains", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			a := serve(t, h, req)
			if a.status != tt.status {
				t.Fatalf("%d %s; want %d", a.status, a.raw, tt.status)
			}
			if tt.status != 200 {
				e := a.body["error"].(map[string]any)
				if e["code"] != "InvalidAuthenticationToken" || e["message"] != tt.message {
					t.Errorf("error %v; want InvalidAuthenticationToken %q", e, tt.message)
				}
				if !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer ") {
					t.Errorf("401 without a Bearer WWW-Authenticate challenge")
				}
				if strings.Contains(a.raw, tok) || strings.Contains(a.raw, other) {
					t.Errorf("the answer repeats the token")
				}
			}
		})
	}
	if a := get(t, newServer(t, snap, Options{NoAuth: true}).Handler(), "/v1.0/domains"); a.status != 200 {
		t.Errorf("NoAuth without a token: %d", a.status)
	}
}

func TestDiscoveryDocumentsPointAtTheSimulator(t *testing.T) {
	snap := load(t, "hardened.json")
	h := newServer(t, snap, Options{}).Handler()
	for _, host := range []string{"127.0.0.1:8443", "localhost:9000", "[::1]:443"} {
		base := "http://" + host
		inst := do(t, h, http.MethodGet, base+"/common/discovery/instance?api-version=1.1&authorization_endpoint="+
			url.QueryEscape("https://"+host+"/"+tenantID+"/oauth2/v2.0/authorize"), "", nil)
		if inst.status != 200 || inst.body["tenant_discovery_endpoint"] != base+"/"+tenantID+"/v2.0/.well-known/openid-configuration" {
			t.Errorf("%s instance discovery: %d %s", host, inst.status, inst.raw)
		}
		oidc := do(t, h, http.MethodGet, base+"/"+tenantID+"/v2.0/.well-known/openid-configuration", "", nil)
		want := map[string]string{
			"issuer":                 base + "/" + tenantID + "/v2.0",
			"token_endpoint":         base + "/" + tenantID + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/" + tenantID + "/oauth2/v2.0/authorize",
		}
		for k, v := range want {
			if oidc.body[k] != v {
				t.Errorf("%s openid-configuration %s = %v; want %s", host, k, oidc.body[k], v)
			}
		}
	}
	byDomain := get(t, h, "/tailspintoys.com/v2.0/.well-known/openid-configuration")
	if byDomain.body["issuer"] != "http://127.0.0.1/"+tenantID+"/v2.0" {
		t.Errorf("issuer for a domain authority: %v; want the tenant id", byDomain.body["issuer"])
	}
	if a := get(t, h, "/contoso.com/v2.0/.well-known/openid-configuration"); a.status != 400 || a.body["error"] != "invalid_tenant" {
		t.Errorf("unknown tenant: %d %s", a.status, a.raw)
	}
}

func TestMisdirectedHostIsRefused(t *testing.T) {
	snap := load(t, "hardened.json")
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	for _, target := range []string{"http://evil.example/v1.0/users", "http://10.0.0.1:8080/common/discovery/instance"} {
		if a := do(t, h, http.MethodGet, target, "", nil); a.status != http.StatusMisdirectedRequest {
			t.Errorf("%s: %d; want 421", target, a.status)
		}
	}
}

func TestLogAndStatsNeverHoldSecrets(t *testing.T) {
	var log strings.Builder
	s := newServer(t, load(t, "hardened.json"), Options{Log: &log, ClientSecret: "s3cret-value"})
	h := s.Handler()
	tok := tokenRequest(t, h, tenantID, credentials(nil)).body["access_token"].(string)
	tokenRequest(t, h, tenantID, credentials(func(f url.Values) { f.Set("client_secret", "guess") }))
	do(t, h, http.MethodGet, "/v1.0/users?$select=id", tok, nil)
	do(t, h, http.MethodGet, "/v1.0/users?$select=id", "forged-token", nil)
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	want := []string{
		"POST /" + tenantID + "/oauth2/v2.0/token 200",
		"POST /" + tenantID + "/oauth2/v2.0/token 401",
		"GET /v1.0/users?$select=id 200",
		"GET /v1.0/users?$select=id 401",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d log lines; want %d:\n%s", len(lines), len(want), log.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("log line %q; want %q", lines[i], w)
		}
	}
	for _, secret := range []string{tok, "s3cret-value", "guess", "forged-token"} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log holds a credential: %s", log.String())
		}
	}
	if st := s.Stats(); st.TokenRequests != 2 || st.Requests != 2 || st.ByPath["/v1.0/users"] != 2 {
		t.Errorf("stats %+v; want 2 token requests and 2 Graph requests to /v1.0/users", st)
	}
	s.ResetStats()
	if st := s.Stats(); st.Requests != 0 || len(st.ByPath) != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
}
