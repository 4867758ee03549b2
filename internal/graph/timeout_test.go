package graph_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/m365posture/posture/internal/graph"
)

// TestRequestTimeout: each attempt is bounded, headers and body alike; a retry gets a fresh
// bound and the Retry-After wait is not counted; a failure without an answer says so once,
// without the URL twice.
func TestRequestTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	release := make(chan struct{})
	var throttled atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1.0/stalled":
			select { // never answers while the client waits
			case <-release:
			case <-r.Context().Done():
			}
		case "/v1.0/stalled-body":
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(`{"value":[`))
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/v1.0/slow":
			time.Sleep(timeout / 3)
			w.Write([]byte(`{"value":[{"id":"a"}]}`))
		case "/v1.0/throttled-once":
			if throttled.Add(1) == 1 {
				w.Header().Set("Retry-After", "1") // longer than the request timeout
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"Please retry again later."}}`))
				return
			}
			w.Write([]byte(`{"value":[{"id":"a"}]}`))
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: stalled handlers end, then srv closes
	closed := freePort(t)

	tests := []struct {
		name, base, path string
		wantErr          string // "" for success
		noAnswer         bool
	}{
		{"answer within the timeout", srv.URL, "/v1.0/slow", "", false},
		{"retry after a wait longer than the timeout", srv.URL, "/v1.0/throttled-once", "", false},
		{"no answer", srv.URL, "/v1.0/stalled", "GET /v1.0/stalled: no answer within 300ms (the request timeout)", true},
		{"body stalls", srv.URL, "/v1.0/stalled-body", "no answer within 300ms (the request timeout)", false},
		{"nothing listens", closed, "/v1.0/items", "GET /v1.0/items: dial tcp " + strings.TrimPrefix(closed, "http://") + ": connect: connection refused", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := graph.New(graph.Options{Auth: graph.AuthNone, Endpoint: tt.base, RequestTimeout: timeout})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			items, _, err := c.List(context.Background(), tt.path)
			took := time.Since(start)
			if tt.wantErr == "" {
				if err != nil || len(items) != 1 {
					t.Fatalf("List() = %v, %v; want one item", items, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Count(err.Error(), tt.path) != 1 {
				t.Fatalf("List() error = %v, want one naming the path once and containing %q", err, tt.wantErr)
			}
			if graph.NoAnswer(err) != tt.noAnswer {
				t.Errorf("NoAnswer() = %v, want %v", !tt.noAnswer, tt.noAnswer)
			}
			if took > 10*timeout {
				t.Errorf("took %s, want about the %s timeout", took, timeout)
			}
		})
	}
	if n := throttled.Load(); n != 2 {
		t.Errorf("the throttled request was sent %d times, want 2 (a retry after Retry-After)", n)
	}
	var ge *graph.Error
	c, _ := graph.New(graph.Options{Auth: graph.AuthNone, Endpoint: srv.URL, RequestTimeout: timeout})
	if _, err := c.Get(context.Background(), "/v1.0/stalled"); !errors.As(err, &ge) || ge.Status != 0 {
		t.Errorf("Get() = %v, want an *Error without a status", err)
	}
}

// freePort returns the URL of a loopback port where nothing listens.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}
