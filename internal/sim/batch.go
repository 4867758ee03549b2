package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// batchRequest is the body of POST /$batch (JSON batching).
type batchRequest struct {
	Requests []batchItem `json:"requests"`
}

type batchItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
	DependsOn []string          `json:"dependsOn,omitempty"`
}

type batchResponse struct {
	Responses []batchItemResponse `json:"responses"`
}

type batchItemResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// maxBatchBody bounds a $batch body: 20 GET requests need a few kilobytes.
const maxBatchBody = 1 << 20

// batch answers POST /$batch. Items are answered in order; each is throttled on its own (a
// 429 item carries Retry-After in its headers) and an item whose dependsOn names a failed item
// gets 424, as in Graph.
func (s *Server) batch(r *http.Request, c call) response {
	fail := func(e apiError) response { return s.errorResponse(e, c.requestID, c.clientRequestID) }
	if r.Method != http.MethodPost {
		return fail(apiError{status: http.StatusMethodNotAllowed, code: "Request_BadRequest",
			message: "$batch accepts POST only."})
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBatchBody+1))
	if err != nil {
		return fail(badRequest("Read batch request: " + err.Error()))
	}
	if len(data) > maxBatchBody {
		return fail(apiError{status: http.StatusRequestEntityTooLarge, code: "BadRequest", message: "The batch request is too large."})
	}
	var req batchRequest
	if err := json.Unmarshal(data, &req); err != nil {
		return fail(badRequest("Invalid batch payload format: " + err.Error()))
	}
	if len(req.Requests) == 0 {
		return fail(badRequest("Invalid batch payload format: no requests."))
	}
	if len(req.Requests) > MaxBatchRequests {
		return fail(badRequest(fmt.Sprintf("Number of batch requests %d exceeds the maximum of %d.", len(req.Requests), MaxBatchRequests)))
	}
	seen := map[string]bool{}
	for _, it := range req.Requests {
		switch {
		case it.ID == "":
			return fail(badRequest("Invalid batch payload format: a request has no id."))
		case seen[it.ID]:
			return fail(badRequest("Invalid batch payload format: duplicate request id '" + it.ID + "'."))
		case it.Method == "" || it.URL == "":
			return fail(badRequest("Invalid batch payload format: request '" + it.ID + "' needs a method and a url."))
		}
		for _, d := range it.DependsOn {
			if !seen[d] {
				return fail(badRequest("Invalid batch payload format: request '" + it.ID + "' depends on '" + d + "', which does not come before it."))
			}
		}
		seen[it.ID] = true
	}

	status := map[string]int{}
	out := batchResponse{Responses: make([]batchItemResponse, 0, len(req.Requests))}
	for _, it := range req.Requests {
		resp := s.batchItem(c, it, status)
		status[it.ID] = resp.status
		h := map[string]string{"Content-Type": graphContentType}
		for k, v := range resp.header {
			h[k] = v
		}
		out.Responses = append(out.Responses, batchItemResponse{ID: it.ID, Status: resp.status, Headers: h, Body: resp.body})
	}
	return response{status: http.StatusOK, header: map[string]string{}, body: out}
}

func (s *Server) batchItem(c call, it batchItem, status map[string]int) response {
	ic := c
	ic.method = strings.ToUpper(it.Method)
	ic.requestID = newID()
	ic.clientRequestID = it.Headers["client-request-id"]
	fail := func(e apiError) response { return s.errorResponse(e, ic.requestID, ic.clientRequestID) }
	s.count(func(st *Stats) { st.BatchItems++ })
	for _, d := range it.DependsOn {
		if status[d] >= 400 {
			return fail(apiError{status: http.StatusFailedDependency, code: "FailedDependency",
				message: "Request '" + it.ID + "' depends on '" + d + "', which failed."})
		}
	}
	u, err := url.Parse(it.URL)
	if err != nil || u.IsAbs() || u.Host != "" {
		return fail(badRequest("Invalid request URL '" + it.URL + "': a batch request's url is relative, e.g. /users?$select=id."))
	}
	ic.path = "/" + strings.TrimPrefix(u.Path, "/")
	ic.query = u.Query()
	s.count(func(st *Stats) { st.ByPath[ic.fullPath()]++ })
	if s.throttled(ic.throttleKey()) {
		return fail(s.throttledError())
	}
	if e, over := s.limited(ic.path, ic.query); over {
		return fail(e)
	}
	return s.answer(ic)
}
