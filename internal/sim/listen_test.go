package sim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCertificate(t *testing.T) {
	cert, err := NewCertificate(0)
	if err != nil {
		t.Fatal(err)
	}
	leaf := cert.TLS.Leaf
	key, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("key %T; want ECDSA P-256", leaf.PublicKey)
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost"} {
		if err := leaf.VerifyHostname(host); err != nil {
			t.Errorf("certificate not valid for %s: %v", host, err)
		}
	}
	if err := leaf.VerifyHostname("example.com"); err == nil {
		t.Error("certificate valid for example.com")
	}
	block, _ := pem.Decode(cert.PEM)
	if block == nil || block.Type != "CERTIFICATE" || !strings.Contains(string(cert.PEM), "BEGIN CERTIFICATE") {
		t.Fatalf("PEM %q: want one CERTIFICATE block", cert.PEM)
	}
	if strings.Contains(string(cert.PEM), "PRIVATE KEY") {
		t.Error("PEM holds the private key")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(cert.PEM) {
		t.Fatal("PEM does not load into a pool")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"}); err != nil {
		t.Errorf("certificate does not verify against its own PEM: %v", err)
	}
}

func TestTLSClientTrustsOnlyTheGeneratedCertificate(t *testing.T) {
	r, err := Start(load(t, "hardened.json"), Options{PageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !strings.HasPrefix(r.URL, "https://127.0.0.1:") || r.Authority() != r.URL+"/" {
		t.Fatalf("URL %q, authority %q", r.URL, r.Authority())
	}
	c := r.Client()
	resp, err := c.PostForm(r.URL+"/"+tenantID+"/oauth2/v2.0/token", credentials(nil))
	if err != nil {
		t.Fatalf("token over TLS: %v", err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token answer: %v", err)
	}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		u, _ := url.Parse(r.URL)
		req, _ := http.NewRequest(http.MethodGet, "https://"+host+":"+u.Port()+"/v1.0/users?$select=id", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET via %s: %v", host, err)
		}
		var page struct {
			NextLink string `json:"@odata.nextLink"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(page.NextLink, "https://"+host+":") {
			t.Errorf("GET via %s: %d, nextLink %q", host, resp.StatusCode, page.NextLink)
		}
	}
	// A client with the system roots refuses the self-signed certificate.
	plain := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}, Timeout: 5 * time.Second}
	_, err = plain.Get(r.URL + "/common/discovery/instance")
	var unknown x509.UnknownAuthorityError
	if err == nil || !errors.As(err, &unknown) {
		t.Errorf("untrusting client: %v; want an unknown authority error", err)
	}
}

func TestStartHTTP(t *testing.T) {
	r, err := StartHTTP(load(t, "weak.json"), Options{NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	resp, err := r.Client().Get(r.URL + "/v1.0/domains")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(r.URL, "http://127.0.0.1:") || resp.StatusCode != 200 || !strings.Contains(string(body), "northwindtraders.com") {
		t.Errorf("%s: %d %s", r.URL, resp.StatusCode, body)
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"localhost:0", true},
		{"[::1]:0", true}, // may be unavailable without IPv6; checked below
		{"127.0.0.2:0", true},
		{"0.0.0.0:0", false},
		{":0", false},
		{"[::]:0", false},
		{"192.0.2.10:8443", false},
		{"example.com:443", false},
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			ln, err := Listen(tt.addr)
			if !tt.ok {
				if err == nil {
					ln.Close()
					t.Fatalf("Listen(%q) succeeded; want a refusal", tt.addr)
				}
				if !strings.Contains(err.Error(), tt.addr) {
					t.Errorf("error %q does not name the address", err)
				}
				return
			}
			if err != nil {
				if strings.Contains(tt.addr, "::1") || strings.Contains(tt.addr, "127.0.0.2") {
					var opErr *net.OpError
					if errors.As(err, &opErr) {
						return // no IPv6 loopback / no 127/8 alias on this machine: nothing to check
					}
				}
				t.Fatalf("Listen(%q): %v", tt.addr, err)
			}
			defer ln.Close()
			if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
				t.Errorf("bound to %s", ip)
			}
		})
	}
}

func TestServeStopsWithTheContext(t *testing.T) {
	s := newServer(t, load(t, "weak.json"), Options{NoAuth: true})
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := NewCertificate(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	url := URL(ln, true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, cert) }()
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cert.Pool}}, Timeout: 5 * time.Second}
	resp, err := c.Get(url + "/v1.0/organization")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context was cancelled")
	}
	if _, err := c.Get(url + "/v1.0/organization"); err == nil {
		t.Error("still serving after shutdown")
	}
}
