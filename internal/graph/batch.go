package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxBatch is the most requests one JSON $batch request carries (Graph's limit).
const MaxBatch = 20

// BatchRequest is one GET inside a $batch.
type BatchRequest struct {
	// URL is the path after the version, with its query: "/groups/{id}/members?$select=id".
	URL string
}

// BatchResponse is the answer to one BatchRequest.
type BatchResponse struct {
	Status int
	Body   json.RawMessage // the item's JSON body
	Err    *Error          // set when the item did not succeed (after its retries)
}

// batchItem and batchAnswer are the $batch wire format (Microsoft Learn, "Combine multiple
// HTTP requests using JSON batching").
type batchItem struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	URL    string `json:"url"`
}

type batchAnswer struct {
	Responses []struct {
		ID      string          `json:"id"`
		Status  int             `json:"status"`
		Headers map[string]any  `json:"headers"`
		Body    json.RawMessage `json:"body"`
	} `json:"responses"`
}

// Batch sends reqs as JSON $batch requests under /version/$batch, one after the other, and
// returns one response per request in the order of reqs. A $batch carries up to MaxBatch items,
// and no more of a family than its documented limit allows at once (five identity and access
// reports, one Conditional Access request): Graph counts the items one by one. Items answered
// 429, 503 or 504 are sent again in a later $batch after the longest Retry-After among them, up
// to the client's retry bound; an item still throttled then gets its error. The returned error
// is for a $batch request that failed as a whole.
func (c *Client) Batch(ctx context.Context, version string, reqs []BatchRequest) ([]BatchResponse, error) {
	out := make([]BatchResponse, len(reqs))
	urls := make([]string, len(reqs))
	for i, r := range reqs {
		urls[i] = r.URL
	}
	for _, idx := range c.pacer.split(urls, MaxBatch) {
		if err := c.batch(ctx, version, reqs, idx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Client) batch(ctx context.Context, version string, reqs []BatchRequest, pending []int, out []BatchResponse) error {
	path := "/" + version + "/$batch"
	for attempt := 1; len(pending) > 0; attempt++ {
		items := make([]batchItem, len(pending))
		for n, i := range pending {
			items[n] = batchItem{ID: strconv.Itoa(i), Method: http.MethodGet, URL: reqs[i].URL}
		}
		body, err := json.Marshal(map[string]any{"requests": items})
		if err != nil {
			return fmt.Errorf("encode $batch: %w", err)
		}
		c.items.Add(int64(len(items)))
		urls := make([]string, len(items))
		for n, it := range items {
			urls[n] = it.URL
		}
		// The pacing middleware paces the items, not the $batch envelope.
		answer, err := c.postJSON(context.WithValue(ctx, batchItemsKey{}, urls), path, nil, body)
		if err != nil {
			return err
		}
		var a batchAnswer
		if err := json.Unmarshal(answer, &a); err != nil {
			return &Error{Method: http.MethodPost, Path: path, Status: http.StatusOK, Err: fmt.Errorf("decode $batch answer: %w", err)}
		}
		seen := make(map[int]bool, len(pending))
		var retry []int
		var wait time.Duration
		for _, r := range a.Responses {
			i, err := strconv.Atoi(r.ID)
			if err != nil || i < 0 || i >= len(reqs) || seen[i] || !contains(pending, i) {
				return &Error{Method: http.MethodPost, Path: path, Status: http.StatusOK, Err: fmt.Errorf("$batch answer has unexpected id %q", r.ID)}
			}
			seen[i] = true
			itemPath := "/" + version + reqs[i].URL
			switch {
			case r.Status >= 200 && r.Status <= 299:
				out[i] = BatchResponse{Status: r.Status, Body: r.Body}
			case retriable(r.Status) && attempt <= c.maxRetries:
				c.throttled.Add(1)
				d := retryAfter(r.Headers, attempt)
				c.log.printf("$batch item GET %s %d (attempt %d, Retry-After %s)", itemPath, r.Status, attempt, d)
				wait = max(wait, d)
				retry = append(retry, i)
			default:
				if retriable(r.Status) {
					c.throttled.Add(1)
				}
				e := newError(http.MethodGet, itemPath, r.Status, r.Body)
				out[i] = BatchResponse{Status: r.Status, Body: r.Body, Err: e}
			}
		}
		for _, i := range pending {
			if !seen[i] {
				out[i] = BatchResponse{Err: &Error{Method: http.MethodGet, Path: "/" + version + reqs[i].URL,
					Err: errors.New("missing from the $batch answer")}}
			}
		}
		pending = retry
		if len(pending) > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	return nil
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func retriable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// retryAfter reads an item's Retry-After (seconds); without one it backs off exponentially
// (1, 2, 4 ... seconds, at most 60).
func retryAfter(h map[string]any, attempt int) time.Duration {
	for k, v := range h {
		if !strings.EqualFold(k, "Retry-After") {
			continue
		}
		if s, err := strconv.ParseFloat(strings.TrimSpace(fmt.Sprint(v)), 64); err == nil && s >= 0 {
			return time.Duration(math.Min(s, 180) * float64(time.Second))
		}
	}
	return time.Duration(math.Min(math.Pow(2, float64(attempt-1)), 60)) * time.Second
}
