package graph

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// observer is the innermost middleware: it sees every attempt the retry handler makes, counts
// it, logs it when verbose, and drains throttled answers. It never looks at headers other
// than Retry-Attempt and Retry-After, so it cannot leak the Authorization header.
type observer struct{ c *Client }

func (o observer) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	attempt := 1
	if n, err := strconv.Atoi(req.Header.Get("Retry-Attempt")); err == nil {
		attempt = n + 1
	}
	api, target := describe(req)
	start := time.Now()
	resp, err := p.Next(req, i)
	o.c.requests.Add(1)
	took := time.Since(start).Round(time.Millisecond)
	if err != nil {
		o.c.log.printfAs(api, "%s failed after %s (attempt %d): %v", target, took, attempt, oneLine(err.Error()))
		return resp, err
	}
	if drained(resp.StatusCode) {
		o.c.throttled.Add(1)
		// The retry handler drops this answer without closing it; read it now so the
		// connection goes back to the pool, and keep the bytes for a last attempt's caller.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		o.c.log.printfAs(api, "%s %d in %s (attempt %d, Retry-After %q)", target, resp.StatusCode, took, attempt, resp.Header.Get("Retry-After"))
		return resp, nil
	}
	o.c.log.printfAs(api, "%s %d in %s (attempt %d)", target, resp.StatusCode, took, attempt)
	return resp, nil
}

// drained reports whether the observer reads an answer with status whole before passing it
// on: the answers the retry handler retries (throttled or unavailable) and drops unread.
func drained(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
