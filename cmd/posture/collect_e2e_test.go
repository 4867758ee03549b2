package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// endpoint is a server a test collects from, as the real binary sees it.
type endpoint struct {
	url      string
	requests *atomic.Int64 // requests that reached it
}

// simFront serves the weak tenant (plain HTTP, no tokens) with fail's injected answers, and
// goes away the way a killed server does (listener closed, connections dropped, this request
// unanswered) at the first request kill selects.
func simFront(t *testing.T, fail map[string]int, kill func(*http.Request) bool) endpoint {
	t.Helper()
	s, err := sim.New(loadTestSnapshot(t, "weak"), sim.Options{NoAuth: true, Fail: fail})
	if err != nil {
		t.Fatal(err)
	}
	var (
		n    atomic.Int64
		once sync.Once
		dead atomic.Bool
	)
	var front *httptest.Server
	front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if dead.Load() || (kill != nil && kill(r)) {
			once.Do(func() {
				dead.Store(true)
				front.Listener.Close()
				front.CloseClientConnections()
			})
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
				}
			}
			return
		}
		s.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return endpoint{url: front.URL, requests: &n}
}

// stalling accepts connections and never answers.
func stalling(t *testing.T) endpoint {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		n     atomic.Int64
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return endpoint{url: "http://" + l.Addr().String(), requests: &n}
}

// nothingListens is a loopback port without a listener.
func nothingListens(t *testing.T) endpoint {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	return endpoint{url: "http://" + l.Addr().String(), requests: new(atomic.Int64)}
}

var summaryLine = regexp.MustCompile(`(?m)^posture (?:collect|check): (\d+) ok, (\d+) forbidden, (\d+) unlicensed, (\d+) error, (\d+) skipped in [0-9.]+s \(\d+ requests, \d+ throttled, \d+ in \$batch\)$`)

// TestCollectTellsTheTruth runs the real binary against servers that answer, refuse, vanish
// and stall, and without credentials: the exit code, stderr and the file at --output must say
// what happened. A snapshot is written only when something was read; an earlier file stays
// byte for byte when nothing was.
func TestCollectTellsTheTruth(t *testing.T) {
	const previous = `{"previous": "snapshot, kept byte for byte"}` + "\n"
	emptyPath := t.TempDir()
	noCredentials := map[string]string{"AZURE_TOKEN_CREDENTIALS": "dev", "PATH": emptyPath,
		"AZURE_CLIENT_ID": "", "AZURE_TENANT_ID": "", "AZURE_CLIENT_SECRET": "", "AZURE_FEDERATED_TOKEN_FILE": ""}
	tests := []struct {
		name     string
		server   func(t *testing.T) endpoint
		args     []string          // besides --endpoint, --dns off and --output
		env      map[string]string // "" removes a variable
		output   string            // --output relative to the test's directory; "" is s.json
		code     int
		written  bool     // a snapshot replaced the previous file
		oneLine  bool     // stderr is exactly one line
		stderr   []string // in stderr
		statuses map[string]snapshot.Status
		maxTook  time.Duration
		noSend   bool // not one request may reach the server
	}{
		{name: "every source read", server: func(t *testing.T) endpoint { return simFront(t, nil, nil) }, args: []string{"--auth", "none"},
			code: 0, written: true, oneLine: true, stderr: []string{"posture collect: 56 ok, 0 forbidden, 0 unlicensed, 0 error, 1 skipped in "}},
		{name: "a forbidden source", server: func(t *testing.T) endpoint {
			return simFront(t, map[string]int{"/v1.0/identity/conditionalAccess/policies": 403}, nil)
		}, args: []string{"--auth", "none"}, code: 2, written: true,
			stderr: []string{"posture collect: warning: entra.conditionalAccessPolicies forbidden: needs Policy.Read.All (403 Authorization_RequestDenied",
				", 1 forbidden, 0 unlicensed, 0 error, 2 skipped in ",
				"posture collect: wrote s.json with 1 source(s) error or forbidden: rules that need them report error"},
			statuses: map[string]snapshot.Status{"entra.conditionalAccessPolicies": snapshot.StatusForbidden, "entra.users": snapshot.StatusOK}},
		{name: "nothing listens", server: nothingListens, args: []string{"--auth", "none"}, code: 2, oneLine: true,
			stderr: []string{"posture collect: nothing could be read: no answer to entra.", "connect: connection refused; nothing written to s.json"}},
		{name: "the server killed before it answered", server: func(t *testing.T) endpoint {
			return simFront(t, nil, func(*http.Request) bool { return true })
		}, args: []string{"--auth", "none"}, code: 2, oneLine: true,
			stderr: []string{"posture collect: nothing could be read: no answer to entra.", "; nothing written to s.json"}},
		{name: "the server killed mid-run", server: func(t *testing.T) endpoint {
			// Exchange Online is read after entra.organization: kill at its first request.
			return simFront(t, nil, func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/adminapi/") })
		}, args: []string{"--auth", "none"}, code: 2, written: true,
			stderr: []string{"exchange.organizationConfig", " error: ", "posture collect: wrote s.json with "},
			statuses: map[string]snapshot.Status{"entra.organization": snapshot.StatusOK, "exchange.organizationConfig": snapshot.StatusError,
				"exchange.transportRules": snapshot.StatusError}},
		{name: "a server that never answers", server: stalling, args: []string{"--auth", "none", "--timeout", "2s"}, code: 2, oneLine: true,
			stderr: []string{"posture collect: timed out after 2s (--timeout) with 4 source(s) still running: entra.users, entra.groups, " +
				"entra.userRegistrationDetails, entra.servicePrincipals; 53 not started; nothing written to s.json"},
			maxTook: 30 * time.Second},
		{name: "output in a missing directory", server: func(t *testing.T) endpoint { return simFront(t, nil, nil) },
			args: []string{"--auth", "none"}, output: filepath.Join("no", "such", "s.json"), code: 2, oneLine: true, noSend: true,
			stderr: []string{"posture collect: --output " + filepath.Join("no", "such", "s.json") + ": directory " + filepath.Join("no", "such") + " does not exist"}},
		{name: "output is a directory", server: func(t *testing.T) endpoint { return simFront(t, nil, nil) },
			args: []string{"--auth", "none"}, output: ".", code: 2, oneLine: true, noSend: true,
			stderr: []string{"posture collect: --output .: is a directory"}},
		{name: "no client secret", server: func(t *testing.T) endpoint { return simFront(t, nil, nil) },
			args: []string{"--auth", "secret", "--tenant", "t", "--client-id", "c"}, env: noCredentials, code: 2, oneLine: true, noSend: true,
			stderr: []string{"posture collect: cannot sign in (--auth secret): the client secret is read from AZURE_CLIENT_SECRET, which is not set; " +
				`--auth default|secret|certificate|device-code|cli|managed-identity chooses how to sign in: see "Registering the app" and "Signing in" in posture's README`}},
		{name: "the default chain finds nothing", server: func(t *testing.T) endpoint { return simFront(t, nil, nil) },
			env: noCredentials, code: 2, oneLine: true, noSend: true,
			stderr: []string{"posture collect: cannot sign in (--auth default): Azure Identity's default chain found no credential: ",
				`--auth default|secret|certificate|device-code|cli|managed-identity chooses how to sign in: see "Registering the app" and "Signing in" in posture's README`}},
		{name: "the default chain finds nothing, verbose", server: func(t *testing.T) endpoint { return simFront(t, nil, nil) },
			args: []string{"--verbose"}, env: noCredentials, code: 2, noSend: true,
			stderr: []string{"posture collect: sign-in: DefaultAzureCredential: failed to acquire a token.", "AzureCLICredential",
				"\nposture collect: cannot sign in (--auth default): Azure Identity's default chain found no credential: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.server(t)
			dir := t.TempDir()
			output := tt.output
			if output == "" {
				output = "s.json"
			}
			target := filepath.Join(dir, "s.json")
			if err := os.WriteFile(target, []byte(previous), 0o640); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"collect", "--endpoint", srv.url, "--dns", "off", "--output", output}, tt.args...)
			start := time.Now()
			res := runPostureIn(t, dir, tt.env, args...)
			took := time.Since(start)
			if res.code != tt.code || res.stdout != "" {
				t.Errorf("exit %d, stdout %q; want %d and nothing (stderr:\n%s)", res.code, res.stdout, tt.code, res.stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(res.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
				}
			}
			if tt.oneLine && strings.Count(res.stderr, "\n") != 1 {
				t.Errorf("stderr has %d lines, want one:\n%s", strings.Count(res.stderr, "\n"), res.stderr)
			}
			if strings.Contains(res.stderr, "Attempted credentials") && !strings.Contains(strings.Join(tt.args, " "), "--verbose") {
				t.Errorf("stderr carries the credential chain without --verbose:\n%s", res.stderr)
			}
			if tt.noSend && srv.requests.Load() != 0 {
				t.Errorf("%d requests reached the server, want none", srv.requests.Load())
			}
			if tt.maxTook > 0 && took > tt.maxTook {
				t.Errorf("took %s, want under %s", took, tt.maxTook)
			}
			data, err := os.ReadFile(target)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.written {
				if string(data) != previous {
					t.Errorf("%s was replaced:\n%.200s", target, data)
				}
				if entries, _ := os.ReadDir(dir); len(entries) != 1 {
					t.Errorf("%s holds %d entries, want only s.json", dir, len(entries))
				}
				return
			}
			snap, err := snapshot.Load(target)
			if err != nil {
				t.Fatalf("the written snapshot: %v", err)
			}
			for key, want := range tt.statuses {
				if got := snap.Sources[key]; got.Status != want {
					t.Errorf("%s: %s %q, want %s", key, got.Status, got.Message, want)
				}
			}
			// The summary counts the statuses of the snapshot it wrote.
			counts := map[snapshot.Status]int{}
			for _, src := range snap.Sources {
				counts[src.Status]++
			}
			m := summaryLine.FindStringSubmatch(res.stderr)
			want := []string{"", fmt.Sprint(counts[snapshot.StatusOK]), fmt.Sprint(counts[snapshot.StatusForbidden]), fmt.Sprint(counts[snapshot.StatusUnlicensed]),
				fmt.Sprint(counts[snapshot.StatusError]), fmt.Sprint(counts[snapshot.StatusSkipped])}
			if m == nil || strings.Join(m[1:], " ") != strings.Join(want[1:], " ") {
				t.Errorf("summary %q, want counts %v (ok forbidden unlicensed error skipped) of the snapshot:\n%s", m, want[1:], res.stderr)
			}
		})
	}
}

// TestLiveCheckTellsTheTruth: check without --snapshot collects as collect does: a summary
// line, nothing evaluated when nothing was read, and a report file it could not write refused
// before any request.
func TestLiveCheckTellsTheTruth(t *testing.T) {
	tests := []struct {
		name    string
		server  func(t *testing.T) endpoint
		args    []string
		code    int
		oneLine bool
		stderr  []string
		noSend  bool
	}{
		{name: "nothing listens", server: nothingListens, code: 2, oneLine: true,
			stderr: []string{"posture check: nothing could be read: no answer to entra.", "connection refused; nothing checked"}},
		{name: "a server that never answers", server: stalling, args: []string{"--timeout", "1s"}, code: 2, oneLine: true,
			stderr: []string{"posture check: timed out after 1s (--timeout) with 4 source(s) still running: entra.users, "}},
		{name: "report in a missing directory", server: func(t *testing.T) endpoint { return simFront(t, nil, nil) },
			args: []string{"--output", filepath.Join("no", "such", "r.json")}, code: 2, oneLine: true, noSend: true,
			stderr: []string{"posture check: --output " + filepath.Join("no", "such", "r.json") + ": directory " + filepath.Join("no", "such") + " does not exist"}},
		{name: "a forbidden source", server: func(t *testing.T) endpoint {
			return simFront(t, map[string]int{"/v1.0/identity/conditionalAccess/policies": 403}, nil)
		}, args: []string{"--format", "json", "--output", "r.json"}, code: 2,
			stderr: []string{"posture check: warning: entra.conditionalAccessPolicies forbidden: needs Policy.Read.All",
				", 1 forbidden, 0 unlicensed, 0 error, 2 skipped in ", "posture check: gate: "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.server(t)
			dir := t.TempDir()
			args := append([]string{"check", "--auth", "none", "--endpoint", srv.url, "--dns", "off"}, tt.args...)
			res := runPostureIn(t, dir, nil, args...)
			if res.code != tt.code || res.stdout != "" {
				t.Errorf("exit %d, stdout %.200q; want %d and nothing (stderr:\n%s)", res.code, res.stdout, tt.code, res.stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(res.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
				}
			}
			if tt.oneLine && strings.Count(res.stderr, "\n") != 1 {
				t.Errorf("stderr has %d lines, want one:\n%s", strings.Count(res.stderr, "\n"), res.stderr)
			}
			if tt.noSend && srv.requests.Load() != 0 {
				t.Errorf("%d requests reached the server, want none", srv.requests.Load())
			}
		})
	}
}

// TestCollectProgressOnATerminal: on a terminal (injected: tests have none) every source gets a
// line as it finishes and a status line is drawn and cleared; failures are not listed again,
// and the summary line follows.
func TestCollectProgressOnATerminal(t *testing.T) {
	srv := simFront(t, map[string]int{"/v1.0/identity/conditionalAccess/policies": 403}, nil)
	var stdout, stderr bytes.Buffer
	e := env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" },
		isTerminal: func(w io.Writer) bool { return w == &stderr }}
	code := run(t.Context(), []string{"collect", "--auth", "none", "--endpoint", srv.url, "--dns", "off", "--output", filepath.Join(t.TempDir(), "s.json")}, e)
	out := stderr.String()
	if code != 2 {
		t.Errorf("exit %d, want 2:\n%s", code, out)
	}
	for _, want := range []string{"sources done, ", "\r\x1b[Kentra.users ", "\r\x1b[Kentra.conditionalAccessPolicies      forbidden",
		"\r\x1b[K57/57 sources done\r\x1b[Kposture collect: ", ", 1 forbidden, 0 unlicensed, 0 error, 2 skipped in "} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%q", want, out)
		}
	}
	if strings.Contains(out, "warning:") {
		t.Errorf("failures listed again after the progress:\n%s", out)
	}
}
