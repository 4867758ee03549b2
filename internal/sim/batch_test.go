package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type batchAnswer struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    map[string]any    `json:"body"`
	} `json:"responses"`
}

func postBatch(t *testing.T, h http.Handler, version string, items []map[string]any) (answer, batchAnswer) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"requests": items})
	if err != nil {
		t.Fatal(err)
	}
	a := do(t, h, http.MethodPost, "/"+version+"/$batch", "", strings.NewReader(string(body)))
	var ba batchAnswer
	if a.status == http.StatusOK {
		if err := json.Unmarshal([]byte(a.raw), &ba); err != nil {
			t.Fatalf("batch answer: %v: %s", err, a.raw)
		}
	}
	return a, ba
}

func item(id, url string, dependsOn ...string) map[string]any {
	m := map[string]any{"id": id, "method": "GET", "url": url}
	if len(dependsOn) > 0 {
		m["dependsOn"] = dependsOn
	}
	return m
}

func TestBatchAnswersEachItem(t *testing.T) {
	snap := load(t, "e3-no-p2.json")
	s := newServer(t, snap, Options{PageSize: 4, NoAuth: true, Fail: map[string]int{"/v1.0/subscribedSkus": 429}, RetryAfter: -1})
	h := s.Handler()
	_, ba := postBatch(t, h, "v1.0", []map[string]any{
		item("1", "/users?$select=id,displayName"),
		item("2", "policies/authorizationPolicy"),
		item("3", "/identityProtection/riskyUsers"),
		item("4", "/subscribedSkus"),
		item("5", "/domains", "3"),
		item("6", "https://graph.microsoft.com/v1.0/domains"),
		item("7", "/organization", "1"),
	})
	want := []struct {
		status int
		code   string
	}{
		{200, ""}, {200, ""}, {403, "Forbidden"}, {429, "TooManyRequests"}, {424, "FailedDependency"}, {400, "BadRequest"}, {200, ""},
	}
	if len(ba.Responses) != len(want) {
		t.Fatalf("%d responses; want %d", len(ba.Responses), len(want))
	}
	for i, w := range want {
		r := ba.Responses[i]
		e, _ := r.Body["error"].(map[string]any)
		code, _ := e["code"].(string)
		if r.ID != fmt.Sprint(i+1) || r.Status != w.status || code != w.code {
			t.Errorf("item %s: %d %q; want item %d: %d %q", r.ID, r.Status, code, i+1, w.status, w.code)
		}
		if !strings.HasPrefix(r.Headers["Content-Type"], "application/json") {
			t.Errorf("item %s: Content-Type %q", r.ID, r.Headers["Content-Type"])
		}
	}
	if ra := ba.Responses[3].Headers["Retry-After"]; ra != "0" {
		t.Errorf("throttled item: Retry-After %q; want \"0\"", ra)
	}
	users := ba.Responses[0].Body
	if n := len(users["value"].([]any)); n != 4 {
		t.Errorf("users page in a batch: %d users; want a page of 4", n)
	}
	next, _ := users["@odata.nextLink"].(string)
	if !strings.HasPrefix(next, "http://127.0.0.1/v1.0/users?") {
		t.Errorf("nextLink inside a batch %q: want an absolute link to /v1.0/users", next)
	}
	got, _ := all(t, h, next)
	if len(got) != 12 {
		t.Errorf("following the batch item's nextLink gave %d more users; want 12", len(got))
	}
	st := s.Stats()
	if st.BatchItems != 7 || st.ByPath["/v1.0/$batch"] != 1 || st.ByPath["/v1.0/users"] != 4 {
		t.Errorf("stats %+v: want 7 batch items, one $batch, 1+3 /v1.0/users", st)
	}
}

func TestBatchItemsAreThrottledIndependently(t *testing.T) {
	snap := load(t, "hardened.json")
	var items []map[string]any
	for i := 1; i <= MaxBatchRequests; i++ {
		items = append(items, item(fmt.Sprint(i), fmt.Sprintf("/users?$select=id&$top=%d", i)))
	}
	statuses := func(seed int64) (string, int) {
		// The envelope is a request too; pick seeds whose envelope passes.
		s := newServer(t, snap, Options{ThrottleRate: 0.4, Seed: seed, NoAuth: true})
		a, ba := postBatch(t, s.Handler(), "beta", items)
		if a.status == http.StatusTooManyRequests {
			return "envelope throttled", 0
		}
		var b strings.Builder
		n := 0
		for _, r := range ba.Responses {
			fmt.Fprintf(&b, "%d ", r.Status)
			if r.Status == http.StatusTooManyRequests {
				n++
				if r.Headers["Retry-After"] != "1" {
					t.Errorf("throttled item without Retry-After 1: %v", r.Headers)
				}
			}
		}
		return b.String(), n
	}
	checked := 0
	for seed := int64(1); seed <= 10 && checked < 3; seed++ {
		first, n := statuses(seed)
		if first == "envelope throttled" {
			continue
		}
		checked++
		again, _ := statuses(seed)
		if first != again {
			t.Errorf("seed %d: items %s, then %s", seed, first, again)
		}
		if n == 0 || n == MaxBatchRequests {
			t.Errorf("seed %d: %d of %d items throttled at rate 0.4; want some, not all", seed, n, MaxBatchRequests)
		}
	}
	if checked == 0 {
		t.Fatal("every envelope was throttled")
	}
}

func TestBadBatches(t *testing.T) {
	snap := load(t, "weak.json")
	h := newServer(t, snap, Options{NoAuth: true}).Handler()
	var tooMany []map[string]any
	for i := 0; i <= MaxBatchRequests; i++ {
		tooMany = append(tooMany, item(fmt.Sprint(i), "/domains"))
	}
	tests := []struct {
		name  string
		items []map[string]any
	}{
		{"empty", []map[string]any{}},
		{"21 requests", tooMany},
		{"duplicate id", []map[string]any{item("1", "/users"), item("1", "/groups")}},
		{"no id", []map[string]any{item("", "/users")}},
		{"no url", []map[string]any{item("1", "")}},
		{"depends on a later request", []map[string]any{item("1", "/users", "2"), item("2", "/groups")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := postBatch(t, h, "v1.0", tt.items)
			if a.status != http.StatusBadRequest || errorCode(a) != "BadRequest" {
				t.Errorf("%d %s; want 400 BadRequest", a.status, a.raw)
			}
		})
	}
	a := do(t, h, http.MethodPost, "/v1.0/$batch", "", strings.NewReader("{not json"))
	if a.status != http.StatusBadRequest {
		t.Errorf("malformed JSON: %d", a.status)
	}
	_, ba := postBatch(t, h, "v1.0", []map[string]any{{"id": "1", "method": "PATCH", "url": "/users"}})
	if len(ba.Responses) != 1 || ba.Responses[0].Status != http.StatusMethodNotAllowed {
		t.Errorf("PATCH inside a batch: %+v; want 405 (read-only)", ba.Responses)
	}
	if a := do(t, h, http.MethodGet, "/v1.0/$batch", "", nil); a.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /$batch: %d; want 405", a.status)
	}
}
