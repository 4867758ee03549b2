package sim

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// outcomes sends each target attempts times, keys in the given order, and returns the status
// sequence per target.
func outcomes(t *testing.T, h http.Handler, targets []string, attempts int) map[string][]int {
	t.Helper()
	out := map[string][]int{}
	for n := 0; n < attempts; n++ {
		for _, target := range targets {
			a := get(t, h, target)
			if a.status != http.StatusOK && a.status != http.StatusTooManyRequests {
				t.Fatalf("GET %s: %d %s", target, a.status, a.raw)
			}
			out[target] = append(out[target], a.status)
		}
	}
	return out
}

func TestThrottlingIsDeterministic(t *testing.T) {
	snap := load(t, "weak.json")
	var targets []string
	for i := 1; i <= 40; i++ {
		targets = append(targets, fmt.Sprintf("/v1.0/users?$select=id&$top=%d", i))
	}
	reversed := make([]string, len(targets))
	for i, target := range targets {
		reversed[len(targets)-1-i] = target
	}
	opts := Options{ThrottleRate: 0.3, Seed: 7, NoAuth: true, RetryAfter: -1}
	a := outcomes(t, newServer(t, snap, opts).Handler(), targets, 5)
	b := outcomes(t, newServer(t, snap, opts).Handler(), reversed, 5)
	for _, target := range targets {
		if fmt.Sprint(a[target]) != fmt.Sprint(b[target]) {
			t.Errorf("same seed, other arrival order: %s throttled %v, then %v", target, a[target], b[target])
		}
	}
	opts.Seed = 8
	c := outcomes(t, newServer(t, snap, opts).Handler(), targets, 5)
	if fmt.Sprint(a) == fmt.Sprint(c) {
		t.Error("seeds 7 and 8 throttled exactly the same requests")
	}
}

func TestThrottleRateAndBound(t *testing.T) {
	snap := load(t, "weak.json")
	tests := []struct {
		rate            float64
		lo, hi          float64 // bounds of the fraction of first attempts throttled
		maxInARow       int
		alwaysThrottled bool
	}{
		{0, 0, 0, 0, false},
		{0.1, 0.07, 0.13, MaxConsecutiveThrottles, false},
		{0.5, 0.45, 0.55, MaxConsecutiveThrottles, false},
		{0.95, 0.92, 0.98, MaxConsecutiveThrottles, false},
		{1, 1, 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.rate), func(t *testing.T) {
			s := newServer(t, snap, Options{ThrottleRate: tt.rate, Seed: 1, NoAuth: true, RetryAfter: -1})
			h := s.Handler()
			throttled := 0
			const keys = 2000
			for i := 0; i < keys; i++ {
				if get(t, h, fmt.Sprintf("/v1.0/domains?$top=%d", i+1)).status == http.StatusTooManyRequests {
					throttled++
				}
			}
			if f := float64(throttled) / keys; f < tt.lo || f > tt.hi {
				t.Errorf("%.3f of requests throttled; want %.2f to %.2f", f, tt.lo, tt.hi)
			}
			total := int64(throttled)
			for i := 0; i < 50; i++ {
				run, longest := 0, 0
				for n := 0; n < 12; n++ {
					a := get(t, h, fmt.Sprintf("/v1.0/groups?$top=%d", i+1))
					if a.status == http.StatusTooManyRequests {
						total++
						run++
						longest = max(longest, run)
					} else {
						run = 0
					}
				}
				if tt.alwaysThrottled && longest != 12 {
					t.Errorf("rate 1: only %d of 12 attempts throttled", longest)
				}
				if !tt.alwaysThrottled && longest > tt.maxInARow {
					t.Errorf("the same request was throttled %d times in a row; want at most %d", longest, tt.maxInARow)
				}
			}
			if st := s.Stats(); st.Throttled != total {
				t.Errorf("Stats.Throttled = %d; counted %d", st.Throttled, total)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	snap := load(t, "weak.json")
	tests := []struct {
		retryAfter time.Duration
		want       string
	}{
		{0, "1"},
		{-1, "0"},
		{1500 * time.Millisecond, "2"},
		{3 * time.Second, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.retryAfter.String(), func(t *testing.T) {
			h := newServer(t, snap, Options{ThrottleRate: 1, RetryAfter: tt.retryAfter, NoAuth: true}).Handler()
			a := get(t, h, "/v1.0/users")
			if a.status != http.StatusTooManyRequests || errorCode(a) != "TooManyRequests" || a.header.Get("Retry-After") != tt.want {
				t.Errorf("%d %q Retry-After %q; want 429 TooManyRequests %q", a.status, errorCode(a), a.header.Get("Retry-After"), tt.want)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	snap := load(t, "weak.json")
	for _, opts := range []Options{{PageSize: -1}, {ThrottleRate: -0.1}, {ThrottleRate: 1.5}, {Latency: -time.Second}} {
		if _, err := New(snap, opts); err == nil {
			t.Errorf("New(%+v): no error", opts)
		}
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("New(nil): no error")
	}
}

func TestLatency(t *testing.T) {
	snap := load(t, "weak.json")
	h := newServer(t, snap, Options{Latency: 40 * time.Millisecond, NoAuth: true}).Handler()
	start := time.Now()
	get(t, h, "/v1.0/domains")
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("answered in %v; want at least the 40ms latency", d)
	}
	start = time.Now()
	get(t, h, "/common/discovery/instance?api-version=1.1")
	if d := time.Since(start); d >= 40*time.Millisecond {
		t.Errorf("discovery answered in %v; latency applies to Graph only", d)
	}
}
