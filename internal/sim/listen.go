package sim

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/snapshot"
)

// Certificate is a self-signed TLS certificate for the simulator: ECDSA P-256, valid for
// 127.0.0.1, ::1 and localhost. It is its own CA, so a pool holding it verifies it.
type Certificate struct {
	TLS  tls.Certificate
	PEM  []byte         // the certificate (not the key), PEM-encoded, for --ca-file style options
	Pool *x509.CertPool // a pool that trusts the certificate
}

// NewCertificate generates a certificate valid from an hour ago for validFor (30 days when 0).
func NewCertificate(validFor time.Duration) (*Certificate, error) {
	if validFor <= 0 {
		validFor = 30 * 24 * time.Hour
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate certificate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generate certificate serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "posture tenant simulator", Organization: []string{"posture"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(validFor),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &Certificate{
		TLS:  tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		PEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Pool: pool,
	}, nil
}

// Listen listens on addr, which must be a loopback address (127.0.0.1:PORT, [::1]:PORT or
// localhost:PORT; port 0 picks a free one): the simulator serves fake data and tokens to anyone
// who can reach it, so it never listens on a network interface.
func Listen(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %q: expected HOST:PORT, e.g. 127.0.0.1:8443", addr)
	}
	switch {
	case strings.EqualFold(host, "localhost"):
		host = "127.0.0.1"
	case host == "":
		return nil, fmt.Errorf("listen on %q: expected a loopback host (127.0.0.1, ::1 or localhost); an empty host means every interface", addr)
	default:
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("listen on %q: %s is not a loopback address; the simulator listens on 127.0.0.1, ::1 or localhost only", addr, host)
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if ta, ok := ln.Addr().(*net.TCPAddr); !ok || !ta.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("listen on %s: bound to %s, which is not loopback", addr, ln.Addr())
	}
	return ln, nil
}

// URL returns the base URL of a listener: https when tls, with 127.0.0.1 or [::1].
func URL(ln net.Listener, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	return scheme + "://" + ln.Addr().String()
}

// Serve serves the simulator on ln, over TLS with cert when cert is not nil, until ctx is
// done; it then shuts down, letting requests in flight finish for up to five seconds. It
// returns nil after a shutdown caused by ctx.
func (s *Server) Serve(ctx context.Context, ln net.Listener, cert *Certificate) error {
	srv := s.httpServer(cert)
	errc := make(chan error, 1)
	go func() { errc <- serveOn(srv, ln, cert) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// ListenAndServe serves plain HTTP on the loopback addr until ctx is done.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := Listen(addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln, nil)
}

// ListenAndServeTLS serves HTTPS with cert on the loopback addr until ctx is done.
func (s *Server) ListenAndServeTLS(ctx context.Context, addr string, cert *Certificate) error {
	ln, err := Listen(addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln, cert)
}

// serveOn runs srv on ln; over TLS it also offers HTTP/2, as Graph does.
func serveOn(srv *http.Server, ln net.Listener, cert *Certificate) error {
	if cert != nil {
		return srv.ServeTLS(ln, "", "")
	}
	return srv.Serve(ln)
}

func (s *Server) httpServer(cert *Certificate) *http.Server {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// Quiet: TLS handshake errors from clients that do not trust the certificate are the
		// client's to report.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert.TLS}, MinVersion: tls.VersionTLS12}
	}
	return srv
}

// Running is a simulator serving on a loopback port, for tests and benchmarks.
type Running struct {
	// URL is the base URL without a trailing slash, e.g. https://127.0.0.1:41234. Graph is
	// URL+"/v1.0" and URL+"/beta"; the authority host for Azure Identity is URL+"/".
	URL    string
	Server *Server
	// Cert is the TLS certificate; nil for plain HTTP.
	Cert *Certificate
	// DNS is the HOST:PORT of the DNS server (UDP): the same address and port as URL's.
	DNS string

	srv *http.Server
	dns net.PacketConn
}

// Start serves snap over HTTPS on 127.0.0.1 with a new self-signed certificate, and DNS over
// UDP on the same port. Close it when done.
func Start(snap *snapshot.Snapshot, opts Options) (*Running, error) {
	cert, err := NewCertificate(0)
	if err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	return start(snap, opts, cert)
}

// StartHTTP serves snap over plain HTTP on 127.0.0.1 (set opts.NoAuth: clients send tokens
// over TLS only). Close it when done.
func StartHTTP(snap *snapshot.Snapshot, opts Options) (*Running, error) {
	return start(snap, opts, nil)
}

func start(snap *snapshot.Snapshot, opts Options, cert *Certificate) (*Running, error) {
	s, err := New(snap, opts)
	if err != nil {
		return nil, fmt.Errorf("start simulator: %w", err)
	}
	// The UDP port of the same number may be taken; try a few ports.
	var (
		ln net.Listener
		pc net.PacketConn
	)
	for try := 0; ; try++ {
		if ln, err = Listen("127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("start simulator: %w", err)
		}
		if pc, err = ListenDNS(ln); err == nil {
			break
		}
		ln.Close()
		if try == 4 {
			return nil, fmt.Errorf("start simulator: %w", err)
		}
	}
	srv := s.httpServer(cert)
	u := URL(ln, cert != nil)
	go func() { _ = serveOn(srv, ln, cert) }()
	go func() { _ = s.ServeDNS(context.Background(), pc) }()
	return &Running{URL: u, Server: s, Cert: cert, DNS: pc.LocalAddr().String(), srv: srv, dns: pc}, nil
}

// Authority returns the authority host to give Azure Identity (azcore/cloud
// Configuration.ActiveDirectoryAuthorityHost): the simulator's base URL with a trailing slash.
func (r *Running) Authority() string { return r.URL + "/" }

// Client returns an HTTP client that trusts the simulator's certificate (and only it).
func (r *Running) Client() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if r.Cert != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: r.Cert.Pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: time.Minute}
}

// Close stops the server and its DNS server at once.
func (r *Running) Close() error {
	r.dns.Close()
	return r.srv.Close()
}
