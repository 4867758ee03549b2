package graph_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

const (
	fakeSecret = "posture-graph-test-secret-b41d-do-not-log"
	clientID   = "11111111-2222-4333-8444-555555555555"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func loadSnapshot(t *testing.T, name string) *snapshot.Snapshot {
	t.Helper()
	s, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// noAuth returns a client for a plain-HTTP simulator without authentication.
func noAuth(t *testing.T, url string, retries int) *graph.Client {
	t.Helper()
	c, err := graph.New(graph.Options{Auth: graph.AuthNone, Endpoint: url, MaxRetries: retries})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func startHTTP(t *testing.T, snap *snapshot.Snapshot, opts sim.Options) *sim.Running {
	t.Helper()
	opts.NoAuth = true
	run, err := sim.StartHTTP(snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	return run
}

func TestValidate(t *testing.T) {
	secretEnv := env(map[string]string{graph.EnvClientSecret: fakeSecret})
	tests := []struct {
		name    string
		o       graph.Options
		wantErr string // "" for valid
	}{
		{"default chain", graph.Options{}, ""},
		{"every cloud", graph.Options{Cloud: "usgovdod"}, ""},
		{"unknown cloud", graph.Options{Cloud: "germany"}, `--cloud: unknown cloud "germany"`},
		{"unknown auth", graph.Options{Auth: "password"}, `--auth: unknown method "password"`},
		{"none needs endpoint", graph.Options{Auth: graph.AuthNone}, "--auth none needs --endpoint on a loopback address"},
		{"none on loopback", graph.Options{Auth: graph.AuthNone, Endpoint: "http://127.0.0.1:8080"}, ""},
		{"none on localhost", graph.Options{Auth: graph.AuthNone, Endpoint: "http://localhost:8080/"}, ""},
		{"none on a network host", graph.Options{Auth: graph.AuthNone, Endpoint: "https://graph.example.com"}, "--auth none needs --endpoint on a loopback address"},
		{"plain http off loopback", graph.Options{Endpoint: "http://10.0.0.5:8080"}, "plain http is allowed only on a loopback address"},
		{"endpoint with a path", graph.Options{Endpoint: "https://127.0.0.1:8443/v1.0"}, "expected scheme://host[:port] only"},
		{"endpoint not http", graph.Options{Endpoint: "ftp://127.0.0.1"}, "expected an http or https URL"},
		{"secret complete", graph.Options{Auth: graph.AuthSecret, TenantID: "contoso.onmicrosoft.com", ClientID: clientID, Getenv: secretEnv}, ""},
		{"secret ids from env", graph.Options{Auth: graph.AuthSecret, Getenv: env(map[string]string{
			graph.EnvClientSecret: fakeSecret, graph.EnvTenantID: "t", graph.EnvClientID: "c"})}, ""},
		{"secret without tenant", graph.Options{Auth: graph.AuthSecret, ClientID: clientID, Getenv: secretEnv}, "--auth secret needs --tenant"},
		{"secret without client", graph.Options{Auth: graph.AuthSecret, TenantID: "t", Getenv: secretEnv}, "--auth secret needs --client-id"},
		{"secret not in env", graph.Options{Auth: graph.AuthSecret, TenantID: "t", ClientID: clientID, Getenv: env(nil)}, "AZURE_CLIENT_SECRET, which is not set"},
		{"certificate without file", graph.Options{Auth: graph.AuthCertificate, TenantID: "t", ClientID: clientID, Getenv: env(nil)}, "--auth certificate needs --certificate FILE"},
		{"certificate flag with secret", graph.Options{Auth: graph.AuthSecret, CertificatePath: "c.pem", TenantID: "t", ClientID: clientID, Getenv: secretEnv}, "--certificate needs --auth certificate"},
		{"client id with the default chain", graph.Options{ClientID: clientID}, "--client-id needs --auth secret"},
		{"client id with the cli", graph.Options{Auth: graph.AuthCLI, ClientID: clientID}, "--client-id does not apply to --auth cli"},
		{"managed identity, user-assigned", graph.Options{Auth: graph.AuthManagedIdentity, ClientID: clientID}, ""},
		{"device code", graph.Options{Auth: graph.AuthDeviceCode, TenantID: "t"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			case err != nil && (strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), fakeSecret)):
				t.Errorf("Validate() = %q: want one line without the secret", err)
			}
		})
	}
}

func TestClouds(t *testing.T) {
	tests := []struct{ name, authority, scope, exchange string }{
		{"global", "https://login.microsoftonline.com/", "https://graph.microsoft.com/.default", "https://outlook.office365.com/.default"},
		{"usgov", "https://login.microsoftonline.us/", "https://graph.microsoft.us/.default", "https://outlook.office365.us/.default"},
		{"usgovdod", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us/.default", "https://outlook-dod.office365.us/.default"},
		{"china", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn/.default", "https://partner.outlook.cn/.default"},
	}
	for _, tt := range tests {
		c, err := graph.CloudNamed(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if c.AuthorityHost != tt.authority || c.Scope() != tt.scope || c.ExchangeScope() != tt.exchange {
			t.Errorf("%s: authority %s scope %s exchange %s, want %s %s %s", tt.name, c.AuthorityHost, c.Scope(), c.ExchangeScope(), tt.authority, tt.scope, tt.exchange)
		}
	}
	if got := strings.Join(graph.CloudNames(), ","); got != "global,usgov,usgovdod,china" {
		t.Errorf("CloudNames() = %s", got)
	}
}

// TestClientSecretCredential runs azidentity's real ClientSecretCredential against the
// simulator's token endpoint over TLS.
func TestClientSecretCredential(t *testing.T) {
	snap := loadSnapshot(t, "hardened")
	run, err := sim.Start(snap, sim.Options{ClientID: clientID, ClientSecret: fakeSecret})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	tests := []struct {
		name, secret string
		wantErr      bool
	}{
		{"right secret", fakeSecret, false},
		{"wrong secret", "posture-wrong-secret-9e2c", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run.Server.ResetStats()
			c, err := graph.New(graph.Options{Auth: graph.AuthSecret, TenantID: snap.Tenant.ID, ClientID: clientID,
				Getenv: env(map[string]string{graph.EnvClientSecret: tt.secret}), Endpoint: run.URL, Transport: run.Client().Transport})
			if err != nil {
				t.Fatal(err)
			}
			err = c.SignIn(context.Background())
			if tt.wantErr {
				var ae *graph.AuthError
				if !errors.As(err, &ae) {
					t.Fatalf("SignIn() = %v, want an *AuthError", err)
				}
				if msg := err.Error(); strings.Contains(msg, "\n") || strings.Contains(msg, tt.secret) || strings.Contains(msg, fakeSecret) {
					t.Errorf("error %q: want one line without a secret", msg)
				}
				return
			}
			if err != nil {
				t.Fatalf("SignIn() = %v", err)
			}
			for range 3 {
				obj, err := c.Object(context.Background(), "/v1.0/policies/authorizationPolicy")
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := obj["@odata.context"]; ok || len(obj) != len(snap.Entra["authorizationPolicy"].(map[string]any)) {
					t.Errorf("authorizationPolicy has %d properties, want the snapshot's %d without @odata.context", len(obj), len(snap.Entra["authorizationPolicy"].(map[string]any)))
				}
			}
			if st := run.Server.Stats(); st.TokenRequests != 1 || st.Requests != 3 {
				t.Errorf("token requests %d, Graph requests %d; want 1 token (cached) for 3 requests", st.TokenRequests, st.Requests)
			}
		})
	}
}

func TestListFollowsEveryPage(t *testing.T) {
	snap := loadSnapshot(t, "hardened")
	want := len(snap.Entra["users"].([]any))
	tests := []struct {
		pageSize  int
		wantPages int
	}{{100, 1}, {3, (want + 2) / 3}, {1, want}}
	for _, tt := range tests {
		t.Run(fmt.Sprint("page size ", tt.pageSize), func(t *testing.T) {
			run := startHTTP(t, snap, sim.Options{PageSize: tt.pageSize})
			items, pages, err := noAuth(t, run.URL, 0).List(context.Background(), "/v1.0/users?$select=id,userPrincipalName")
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != want || pages != tt.wantPages {
				t.Errorf("got %d users in %d pages, want %d in %d", len(items), pages, want, tt.wantPages)
			}
			u := items[0].(map[string]any)
			if _, ok := u["userPrincipalName"].(string); !ok || len(u) != 2 {
				t.Errorf("first user %v: want id and userPrincipalName only", u)
			}
		})
	}
}

// pageServer answers /v1.0/items with pages built by page(n) and counts requests.
func pageServer(t *testing.T, page func(base string, n int) (int, string)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var count atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		count.Add(1)
		n := 0
		fmt.Sscan(r.URL.Query().Get("$skiptoken"), &n)
		status, body := page("http://"+r.Host, n)
		w.Header().Set("Content-Type", "application/json")
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

func TestListFailsWhole(t *testing.T) {
	tests := []struct {
		name       string
		page       func(base string, n int) (int, string)
		wantErr    string
		wantStatus int
	}{
		{"second page fails", func(base string, n int) (int, string) {
			if n == 1 {
				return 500, `{"error":{"code":"generalException","message":"General exception while processing."}}`
			}
			return 200, fmt.Sprintf(`{"@odata.nextLink":"%s/v1.0/items?$skiptoken=%d","value":[{"id":"a"}]}`, base, n+1)
		}, "500 generalException", 500},
		{"gateway page that is not JSON", func(base string, n int) (int, string) {
			if n == 1 {
				return 502, `<html>Bad Gateway</html>`
			}
			return 200, fmt.Sprintf(`{"@odata.nextLink":"%s/v1.0/items?$skiptoken=%d","value":[{"id":"a"}]}`, base, n+1)
		}, "status 502", 502},
		{"nextLink to another host", func(string, int) (int, string) {
			return 200, `{"@odata.nextLink":"https://elsewhere.example/v1.0/items?$skiptoken=1","value":[{"id":"a"}]}`
		}, "leaves", 0},
		{"page without value", func(string, int) (int, string) {
			return 200, `{"@odata.context":"x"}`
		}, "value array", 200},
		{"nextLink after value, twice", func(base string, n int) (int, string) {
			return 200, fmt.Sprintf(`{"@odata.nextLink":"%s/v1.0/items?$skiptoken=1","value":[],"@odata.nextLink":"%s/v1.0/items?$skiptoken=2"}`, base, base)
		}, "two @odata.nextLink", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := pageServer(t, tt.page)
			items, _, err := noAuth(t, srv.URL, 0).List(context.Background(), "/v1.0/items")
			var ge *graph.Error
			if items != nil || !errors.As(err, &ge) || !strings.Contains(err.Error(), tt.wantErr) || ge.Status != tt.wantStatus {
				t.Fatalf("List() = %d items, %v; want no items and a *graph.Error with status %d containing %q", len(items), err, tt.wantStatus, tt.wantErr)
			}
		})
	}
}

func TestListNextLinkAfterValue(t *testing.T) {
	srv, _ := pageServer(t, func(base string, n int) (int, string) {
		if n < 2 {
			return 200, fmt.Sprintf(`{"value":[{"id":"%d","n":1.50}],"@odata.nextLink":"%s/v1.0/items?$skiptoken=%d"}`, n, base, n+1)
		}
		return 200, `{"value":[{"id":"2","n":1.50}]}`
	})
	items, pages, err := noAuth(t, srv.URL, 0).List(context.Background(), "/v1.0/items")
	if err != nil || len(items) != 3 || pages != 3 {
		t.Fatalf("List() = %d items in %d pages, %v; want 3 in 3", len(items), pages, err)
	}
	if n, ok := items[0].(map[string]any)["n"].(json.Number); !ok || n.String() != "1.50" {
		t.Errorf("number decoded as %#v, want json.Number 1.50 as Graph wrote it", items[0].(map[string]any)["n"])
	}
}

func TestRetries(t *testing.T) {
	t.Run("honours Retry-After", func(t *testing.T) {
		var calls atomic.Int64
		srv, _ := pageServer(t, func(string, int) (int, string) {
			if calls.Add(1) == 1 {
				return http.StatusTooManyRequests, `{"error":{"code":"TooManyRequests","message":"Please retry again later."}}`
			}
			return 200, `{"value":[{"id":"a"}]}`
		})
		c := noAuth(t, srv.URL, 0)
		start := time.Now()
		items, _, err := c.List(context.Background(), "/v1.0/items")
		if err != nil || len(items) != 1 {
			t.Fatalf("List() = %v, %v", items, err)
		}
		if took := time.Since(start); took < time.Second {
			t.Errorf("retried after %s, want at least the 1s Retry-After", took)
		}
		if st := c.Stats(); st.Requests != 2 || st.Throttled != 1 {
			t.Errorf("stats %+v, want 2 requests, 1 throttled", st)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		run := startHTTP(t, loadSnapshot(t, "weak"), sim.Options{ThrottleRate: 1, RetryAfter: -1})
		c := noAuth(t, run.URL, 2)
		_, err := c.Object(context.Background(), "/v1.0/policies/authorizationPolicy")
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.Status != http.StatusTooManyRequests || ge.Code != "TooManyRequests" {
			t.Fatalf("Object() = %v, want a 429 TooManyRequests error", err)
		}
		if st := c.Stats(); st.Requests != 3 {
			t.Errorf("%d requests, want 3 (1 + MaxRetries 2)", st.Requests)
		}
	})
}

func TestBatch(t *testing.T) {
	snap := loadSnapshot(t, "hardened")
	var reqs []graph.BatchRequest
	for _, u := range snap.Entra["users"].([]any) {
		reqs = append(reqs, graph.BatchRequest{URL: "/users/" + u.(map[string]any)["id"].(string) + "?$select=id,userType"})
	}
	reqs = append(reqs, graph.BatchRequest{URL: "/users/00000000-0000-4000-8000-00000000dead"})
	for len(reqs) < 2*graph.MaxBatch+3 {
		reqs = append(reqs, reqs[len(reqs)%5])
	}
	tests := []struct {
		name     string
		opts     sim.Options
		throttle bool
	}{
		{"plain", sim.Options{}, false},
		// The $batch requests themselves are throttled too; each is retried whole.
		{"throttled items", sim.Options{ThrottleRate: 0.3, RetryAfter: -1, Seed: 7}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := startHTTP(t, snap, tt.opts)
			c := noAuth(t, run.URL, 0)
			resps, err := c.Batch(context.Background(), "v1.0", reqs)
			if err != nil {
				t.Fatal(err)
			}
			if len(resps) != len(reqs) {
				t.Fatalf("%d responses for %d requests", len(resps), len(reqs))
			}
			for i, r := range resps {
				dead := strings.Contains(reqs[i].URL, "dead")
				switch {
				case dead && (r.Err == nil || r.Status != http.StatusNotFound):
					t.Errorf("%s: status %d, err %v; want 404", reqs[i].URL, r.Status, r.Err)
				case !dead && r.Err != nil:
					t.Errorf("%s: %v", reqs[i].URL, r.Err)
				case !dead:
					var u map[string]any
					if err := json.Unmarshal(r.Body, &u); err != nil || !strings.Contains(reqs[i].URL, u["id"].(string)) {
						t.Errorf("%s: body %s is not that user", reqs[i].URL, r.Body)
					}
				}
			}
			st := c.Stats()
			if tt.throttle != (st.Throttled > 0) || (tt.throttle && st.BatchItems <= int64(len(reqs))) {
				t.Errorf("stats %+v; want throttled items retried: %v", st, tt.throttle)
			}
			if !tt.throttle && st.Requests != 3 {
				t.Errorf("%d requests for %d items, want 3 $batch requests", st.Requests, len(reqs))
			}
		})
	}
}

// TestVerboseLog checks that verbose lines name method, path, status and attempt, and never
// carry the Authorization header or a token.
func TestVerboseLog(t *testing.T) {
	snap := loadSnapshot(t, "weak")
	var (
		mu     sync.Mutex
		tokens []string
		seen   atomic.Int64
	)
	run, err := sim.Start(snap, sim.Options{ClientID: clientID, ClientSecret: fakeSecret, ThrottleRate: 0.5, RetryAfter: -1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	// A second server in front of the simulator records the tokens the client sends.
	front := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			mu.Lock()
			tokens = append(tokens, strings.TrimPrefix(a, "Bearer "))
			mu.Unlock()
			seen.Add(1)
		}
		run.Server.Handler().ServeHTTP(w, r)
	}))
	front.StartTLS()
	defer front.Close()
	var log strings.Builder
	c, err := graph.New(graph.Options{Auth: graph.AuthSecret, TenantID: snap.Tenant.ID, ClientID: clientID,
		Getenv: env(map[string]string{graph.EnvClientSecret: fakeSecret}), Endpoint: front.URL,
		Transport: front.Client().Transport, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1.0/users?$top=2", "/v1.0/domains"} {
		if _, _, err := c.List(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	out := log.String()
	if seen.Load() == 0 {
		t.Fatal("no request carried a token; the test tests nothing")
	}
	if !strings.Contains(out, "GET /v1.0/users?$top=2 200") || !strings.Contains(out, "(attempt 2") || !strings.Contains(out, " 429 ") {
		t.Errorf("log lacks requests, statuses or retries:\n%s", out)
	}
	for _, secret := range append(tokens, fakeSecret, "Bearer", "Authorization:") {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
}

// countingCredential issues tokens that expire after ttl and counts how often it is asked.
type countingCredential struct {
	ttl   time.Duration
	calls atomic.Int64
}

func (c *countingCredential) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	n := c.calls.Add(1)
	if len(opts.Scopes) != 1 || opts.Scopes[0] != "https://graph.microsoft.us/.default" {
		return azcore.AccessToken{}, fmt.Errorf("unexpected scopes %v", opts.Scopes)
	}
	return azcore.AccessToken{Token: fmt.Sprint("token-", n), ExpiresOn: time.Now().Add(c.ttl)}, nil
}

// TestTokenCache: tokens are reused until shortly before they expire, so a credential that
// does not cache (the Azure CLI's) is not asked once per request.
func TestTokenCache(t *testing.T) {
	run := startHTTP(t, loadSnapshot(t, "weak"), sim.Options{})
	tests := []struct {
		name      string
		ttl       time.Duration
		wantCalls int64
	}{
		{"an hour", time.Hour, 1},
		{"about to expire", 2 * time.Minute, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cred := &countingCredential{ttl: tt.ttl}
			c, err := graph.New(graph.Options{Cloud: "usgov", Credential: cred, Endpoint: run.URL})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.SignIn(context.Background()); err != nil {
				t.Fatal(err)
			}
			for range 4 {
				if _, err := c.Get(context.Background(), "/v1.0/domains"); err != nil {
					t.Fatal(err)
				}
			}
			if got := cred.calls.Load(); got != tt.wantCalls {
				t.Errorf("credential asked %d times for 5 uses, want %d", got, tt.wantCalls)
			}
		})
	}
}

// writeCertificate writes a self-signed RSA certificate and its key as one PEM file.
func writeCertificate(t *testing.T) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "posture test app"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.pem")
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk})...)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestClientCertificateCredential runs azidentity's ClientCertificateCredential (a signed
// client assertion) against the simulator's token endpoint over TLS.
func TestClientCertificateCredential(t *testing.T) {
	snap := loadSnapshot(t, "weak")
	run, err := sim.Start(snap, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, wantErr string
	}{
		{"pem with key", writeCertificate(t), ""},
		{"missing file", filepath.Join(t.TempDir(), "none.pem"), "read certificate"},
		{"not a certificate", garbage, "certificate " + garbage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := graph.New(graph.Options{Auth: graph.AuthCertificate, TenantID: snap.Tenant.ID, ClientID: clientID,
				CertificatePath: tt.path, Getenv: env(nil), Endpoint: run.URL, Transport: run.Client().Transport})
			if err == nil {
				err = c.SignIn(context.Background())
			}
			if err == nil && tt.wantErr == "" {
				_, err = c.Get(context.Background(), "/v1.0/organization")
			}
			if (tt.wantErr == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want error containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestServiceAt: a service reaches another host of its own API (Exchange Online's
// tenant-specific host) with its token, and refuses every other host.
func TestServiceAt(t *testing.T) {
	cloud, err := graph.New(graph.Options{Credential: fakeCredential{}})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := graph.New(graph.Options{Credential: fakeCredential{}, Endpoint: "https://127.0.0.1:8443"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		client *graph.Client
		base   string
		ok     bool
	}{
		{"the API's own host", cloud, "https://outlook.office365.com", true},
		{"a tenant-specific host under it", cloud, "https://nam12b.outlook.office365.com", true},
		{"port 443 spelled out", cloud, "https://nam12b.outlook.office365.com:443", true},
		{"another port", cloud, "https://nam12b.outlook.office365.com:446", false},
		{"plain http", cloud, "http://nam12b.outlook.office365.com", false},
		{"another domain", cloud, "https://outlook.office365.com.evil.example", false},
		{"a look-alike suffix", cloud, "https://evil-outlook.office365.com", false},
		{"another cloud's host", cloud, "https://outlook.office365.us", false},
		{"a path", cloud, "https://nam12b.outlook.office365.com/x", false},
		{"endpoint: the same listener under another loopback name", sim, "https://localhost:8443", true},
		{"endpoint: another port", sim, "https://localhost:9443", false},
		{"endpoint: not loopback", sim, "https://outlook.office365.com", false},
		{"endpoint: another scheme", sim, "http://127.0.0.1:8443", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, err := tt.client.Service("exo", "https://outlook.office365.com", "https://outlook.office365.com/.default")
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.At(tt.base)
			if (err == nil) != tt.ok {
				t.Fatalf("At(%s) = %v, want ok %v", tt.base, err, tt.ok)
			}
			if tt.ok && !strings.HasPrefix(tt.base, got.BaseURL()) {
				t.Errorf("At(%s).BaseURL() = %s", tt.base, got.BaseURL())
			}
		})
	}
}

// fakeCredential hands out a token without a network; tests that use it send no request.
type fakeCredential struct{}

func (fakeCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "fake", ExpiresOn: time.Now().Add(time.Hour)}, nil
}
