package collect_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/m365posture/posture/internal/collect"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/sim"
	"github.com/m365posture/posture/internal/snapshot"
)

// stallingURL returns the URL of a loopback listener that accepts connections and never
// answers on them.
func stallingURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
	)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
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
	return "http://" + l.Addr().String()
}

// closedURL returns the URL of a loopback port where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

// TestNothingRead: a run that read nothing from the tenant returns no snapshot but a
// *NothingReadError; when the service does not answer at all, the first such failure stops
// the run at once instead of every source waiting for its own.
func TestNothingRead(t *testing.T) {
	snap, err := snapshot.Load(filepath.Join("..", "..", "testdata", "snapshots", "weak.json"))
	if err != nil {
		t.Fatal(err)
	}
	run, err := sim.StartHTTP(snap, sim.Options{NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run.Close() })
	answer500 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"error":{"code":"generalException","message":"General exception while processing."}}`)
	}))
	t.Cleanup(answer500.Close)
	const requestTimeout = 300 * time.Millisecond

	tests := []struct {
		name    string
		url     string
		stopped bool   // stopped at the first failure
		wantMsg string // in the error
		maxTook time.Duration
	}{
		{"nothing listens", closedURL(t), true, "connect: connection refused", time.Second},
		// Without the stop, 53 sources in 4 workers would each wait the request timeout.
		{"accepts and never answers", stallingURL(t), true, "no answer within 300ms (the request timeout)", 5 * requestTimeout},
		{"every request answered 500", answer500.URL, false, "500 generalException", 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := graph.New(graph.Options{Auth: graph.AuthNone, Endpoint: tt.url, RequestTimeout: requestTimeout, TenantID: snap.Tenant.ID})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got, rep, err := collect.Run(context.Background(), c, collect.Options{DNS: collect.DNSOff})
			took := time.Since(start)
			var nr *collect.NothingReadError
			if !errors.As(err, &nr) || got != nil || rep != nil {
				t.Fatalf("Run() = %v, %v, %v; want only a *NothingReadError", got, rep, err)
			}
			if nr.Stopped != tt.stopped || !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "nothing could be read: ") {
				t.Errorf("error %q (stopped %v), want stopped %v and %q", err, nr.Stopped, tt.stopped, tt.wantMsg)
			}
			if !tt.stopped {
				if c := nr.Report.Counts(); c[snapshot.StatusError] == 0 || c[snapshot.StatusOK]+c[snapshot.StatusForbidden]+c[snapshot.StatusUnlicensed] != 0 {
					t.Errorf("counts %v, want errors and nothing read", c)
				}
			}
			if took > tt.maxTook {
				t.Errorf("took %s, want under %s", took, tt.maxTook)
			}
		})
	}

	// One source read is enough for a snapshot: the failures are recorded in it.
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1.0/organization" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		run.Server.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c, err := graph.New(graph.Options{Auth: graph.AuthNone, Endpoint: front.URL})
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := collect.Run(context.Background(), c, collect.Options{DNS: collect.DNSOff})
	if err != nil || got.Sources["entra.organization"].Status != snapshot.StatusOK || len(rep.Failed()) == 0 {
		t.Errorf("Run() = %v; want a snapshot with entra.organization ok and failed sources", err)
	}
}

// blockingCredential never returns a token before ctx ends.
type blockingCredential struct{}

func (blockingCredential) GetToken(ctx context.Context, _ policy.TokenRequestOptions) (azcore.AccessToken, error) {
	<-ctx.Done()
	return azcore.AccessToken{}, ctx.Err()
}

// TestTimeout: Options.Timeout ends the run, sign-in included, with a *TimeoutError that names
// the sources still running.
func TestTimeout(t *testing.T) {
	const timeout = 500 * time.Millisecond
	url := stallingURL(t)
	tests := []struct {
		name        string
		o           graph.Options
		wantRunning []string
		wantMsg     string
	}{
		{"stalled requests", graph.Options{Auth: graph.AuthNone, Endpoint: url},
			// The first four sources of the schedule, in key order.
			[]string{"entra.users", "entra.groups", "entra.userRegistrationDetails", "entra.servicePrincipals"},
			"timed out after 500ms with 4 source(s) still running: entra.users, entra.groups, entra.userRegistrationDetails, entra.servicePrincipals; 53 not started"},
		{"stalled sign-in", graph.Options{Endpoint: url, Credential: blockingCredential{}}, nil,
			"timed out after 500ms while signing in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := graph.New(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got, _, err := collect.Run(context.Background(), c, collect.Options{Timeout: timeout, DNS: collect.DNSOff})
			took := time.Since(start)
			var te *collect.TimeoutError
			if !errors.As(err, &te) || got != nil {
				t.Fatalf("Run() = %v, %v; want only a *TimeoutError", got, err)
			}
			if strings.Join(te.Running, ",") != strings.Join(tt.wantRunning, ",") || err.Error() != tt.wantMsg {
				t.Errorf("error %q, running %v; want %q", err, te.Running, tt.wantMsg)
			}
			if took < timeout || took > 4*timeout {
				t.Errorf("took %s, want about %s", took, timeout)
			}
		})
	}
}
