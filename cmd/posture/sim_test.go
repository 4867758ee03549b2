package main

// End-to-end tests of posture sim serve: the real binary (built by TestMain in e2e_test.go)
// serving a test tenant, reached over HTTP and HTTPS as a client would.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serving is a running posture sim serve.
type serving struct {
	url            string
	cmd            *exec.Cmd
	stdout, stderr *bytes.Buffer
	done           chan error
}

// startServe runs posture sim serve with args and waits for its "listening on" line.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, postureBin, append([]string{"sim", "serve"}, args...)...)
	pr, pw := io.Pipe()
	s := &serving{cmd: cmd, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stdout = io.MultiWriter(pw, s.stdout)
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start posture sim serve: %v", err)
	}
	go func() {
		s.done <- cmd.Wait()
		pw.Close()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("posture sim serve printed nothing; stderr: %s", s.stderr)
	}
	first := lines.Text()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	const prefix = "posture sim: listening on "
	if !strings.HasPrefix(first, prefix) {
		t.Fatalf("first line %q; want %q URL", first, prefix)
	}
	s.url = strings.TrimPrefix(first, prefix)
	return s
}

// stop interrupts the server as Ctrl+C would and returns its exit code.
func (s *serving) stop(t *testing.T) int {
	t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatalf("interrupt posture sim serve: %v", err)
	}
	select {
	case err := <-s.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("posture sim serve: %v", err)
		}
		return 0
	case <-time.After(30 * time.Second):
		t.Fatal("posture sim serve did not stop after an interrupt")
	}
	return -1
}

func getJSON(t *testing.T, c *http.Client, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp.StatusCode, body
}

func TestSimServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile := filepath.Join(dir, "sim.pem")
	const secret = "e2e-client-secret-value"
	s := startServe(t, "--snapshot", filepath.Join("..", "..", "testdata", "snapshots", "weak.json"),
		"--addr", "127.0.0.1:0", "--tls", "--cert-out", certFile, "--page-size", "5", "--verbose")
	if !strings.HasPrefix(s.url, "https://127.0.0.1:") {
		t.Fatalf("URL %q; want https on 127.0.0.1", s.url)
	}
	pemData, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatalf("%s holds no PEM certificate", certFile)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 30 * time.Second}

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"e2e"}, "client_secret": {secret},
		"scope": {"https://graph.microsoft.com/.default"}}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/northwindtraders.com/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, tok := getJSON(t, c, req)
	token, _ := tok["access_token"].(string)
	if status != 200 || token == "" {
		t.Fatalf("token: %d %v", status, tok)
	}

	req, _ = http.NewRequest(http.MethodGet, s.url+"/v1.0/users?$select=id", nil)
	if status, body := getJSON(t, c, req); status != 401 {
		t.Errorf("Graph without a token: %d %v; want 401", status, body)
	}
	users := 0
	for next := s.url + "/v1.0/users?$select=id"; next != ""; {
		req, _ := http.NewRequest(http.MethodGet, next, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		status, body := getJSON(t, c, req)
		if status != 200 {
			t.Fatalf("GET %s: %d %v", next, status, body)
		}
		users += len(body["value"].([]any))
		next, _ = body["@odata.nextLink"].(string)
	}
	if users != 12 {
		t.Errorf("paged through %d users; weak.json has 12", users)
	}

	if code := s.stop(t); code != 0 {
		t.Errorf("exit code %d after an interrupt; want 0 (stderr: %s)", code, s.stderr)
	}
	for name, out := range map[string]string{"stdout": s.stdout.String(), "stderr": s.stderr.String()} {
		if strings.Contains(out, token) || strings.Contains(out, secret) {
			t.Errorf("%s holds the token or the client secret", name)
		}
	}
	if !strings.Contains(s.stderr.String(), "GET /v1.0/users?$select=id 200") {
		t.Errorf("--verbose did not log the requests: %s", s.stderr)
	}
}

func TestSimServePlainHTTPWithInjectedFailure(t *testing.T) {
	s := startServe(t, "-s", filepath.Join("..", "..", "testdata", "snapshots", "e3-no-p2.json"),
		"--fail", "/v1.0/identity/conditionalAccess/policies=403", "--throttle-rate", "0", "--latency", "1ms")
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Fatalf("URL %q; want plain http on 127.0.0.1 without --tls", s.url)
	}
	c := &http.Client{Timeout: 30 * time.Second}
	tests := []struct {
		path   string
		status int
		code   string
	}{
		{"/v1.0/domains", 200, ""},
		{"/v1.0/identity/conditionalAccess/policies", 403, "Authorization_RequestDenied"},
		{"/v1.0/roleManagement/directory/roleEligibilitySchedules", 400, "AadPremiumLicenseRequired"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodGet, s.url+tt.path, nil)
		status, body := getJSON(t, c, req)
		e, _ := body["error"].(map[string]any)
		code, _ := e["code"].(string)
		if status != tt.status || code != tt.code {
			t.Errorf("GET %s without a token: %d %q; want %d %q", tt.path, status, code, tt.status, tt.code)
		}
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit code %d; want 0", code)
	}
}

// TestSimServeRefusesWhatGraphRefuses: posture sim serve holds requests to Microsoft's schema
// and limits by default, with Graph's error bodies.
func TestSimServeRefusesWhatGraphRefuses(t *testing.T) {
	s := startServe(t, "--demo")
	c := &http.Client{Timeout: 30 * time.Second}
	tests := []struct {
		path, code, message string
		status              int
	}{
		{"/v1.0/servicePrincipals?$select=id,noSuchProperty", "BadRequest",
			"Could not find a property named 'noSuchProperty' on type 'microsoft.graph.servicePrincipal'.", 400},
		{"/v1.0/users?$top=5000", "Request_UnsupportedQuery", "Invalid page size specified: '5000'. Must be between 1 and 999 inclusive.", 400},
		{"/v1.0/groups?$expand=noSuchNavigation", "BadRequest", "Could not find a property named 'noSuchNavigation' on type 'microsoft.graph.group'.", 400},
		// One request per second per tenant: the second, at once, is throttled.
		{"/v1.0/identity/conditionalAccess/policies", "", "", 200},
		{"/v1.0/identity/conditionalAccess/namedLocations", "TooManyRequests", "Please retry again later.", 429},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodGet, s.url+tt.path, nil)
		status, body := getJSON(t, c, req)
		e, _ := body["error"].(map[string]any)
		code, _ := e["code"].(string)
		msg, _ := e["message"].(string)
		if status != tt.status || code != tt.code || !strings.Contains(msg, tt.message) {
			t.Errorf("GET %s: %d %q %q; want %d %q %q", tt.path, status, code, msg, tt.status, tt.code, tt.message)
		}
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit code %d; want 0", code)
	}
}

func TestSimServeUsageErrors(t *testing.T) {
	weak := filepath.Join("..", "..", "testdata", "snapshots", "weak.json")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sim"}, ""},
		{[]string{"sim", "start"}, `unknown sim command "start"`},
		{[]string{"sim", "serve"}, "--snapshot FILE (or --demo) is required"},
		{[]string{"sim", "serve", "--demo", "-s", weak}, "--snapshot and --demo are exclusive"},
		{[]string{"sim", "serve", "-s", weak, "--addr", "0.0.0.0:8080"}, "not a loopback address"},
		{[]string{"sim", "serve", "-s", weak, "--addr", ":8080"}, "expected a loopback host"},
		{[]string{"sim", "serve", "-s", weak, "--cert-out", "x.pem"}, "--cert-out needs --tls"},
		{[]string{"sim", "serve", "-s", weak, "--throttle-rate", "1.5"}, "--throttle-rate 1.5"},
		{[]string{"sim", "serve", "-s", weak, "--page-size", "0"}, "--page-size 0"},
		{[]string{"sim", "serve", "-s", weak, "--fail", "/v1.0/users"}, `--fail "/v1.0/users": expected PATH=CODE`},
		{[]string{"sim", "serve", "-s", weak, "--fail", "/v1.0/users=200"}, "expected PATH=CODE"},
		{[]string{"sim", "serve", "-s", weak, "extra"}, `unexpected argument "extra"`},
		{[]string{"sim", "serve", "--nope"}, "unknown flag: --nope"},
		{[]string{"sim", "serve", "-s", "missing.json"}, "missing.json"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runPosture(t, nil, tt.args...)
			if r.code != 2 {
				t.Fatalf("exit %d; want 2 (stderr %q)", r.code, r.stderr)
			}
			if tt.want == "" {
				if !strings.Contains(r.stdout, "posture sim serve") {
					t.Errorf("stdout %q: want the sim usage", r.stdout)
				}
				return
			}
			if lines := strings.Count(r.stderr, "\n"); lines != 1 || !strings.HasPrefix(r.stderr, "posture sim: ") || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q: want one line starting \"posture sim: \" with %q", r.stderr, tt.want)
			}
		})
	}
}

func TestSimServeDemo(t *testing.T) {
	s := startServe(t, "--demo", "--addr", "localhost:0")
	req, _ := http.NewRequest(http.MethodGet, s.url+"/v1.0/organization?$select=displayName", nil)
	status, body := getJSON(t, &http.Client{Timeout: 30 * time.Second}, req)
	vals, _ := body["value"].([]any)
	if status != 200 || len(vals) != 1 || vals[0].(map[string]any)["displayName"] != "Contoso" {
		t.Errorf("demo organization: %d %v", status, body)
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit code %d; want 0", code)
	}
	if want := "--config examples/demo/posture.yaml (the demo's org config"; !strings.Contains(s.stdout.String(), want) {
		t.Errorf("sim serve --demo does not name the demo's config:\n%s", s.stdout)
	}
}
