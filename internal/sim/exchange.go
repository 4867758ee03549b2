package sim

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/m365posture/posture/internal/exo"
	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

// FailCmdletPrefix starts an Options.Fail key that targets one cmdlet of the Exchange Online
// admin API: "InvokeCommand:Get-TransportConfig" fails only InvokeCommand requests that run
// Get-TransportConfig (a path key such as "/adminapi" fails them all).
const FailCmdletPrefix = "InvokeCommand:"

// maxInvokeBody bounds an InvokeCommand body: a cmdlet name and a few parameters.
const maxInvokeBody = 64 << 10

// exchangeAudience reports whether a token audience is Exchange Online's in some cloud.
func exchangeAudience(aud string) bool {
	for _, c := range graph.Clouds() {
		if strings.EqualFold(aud, c.ExchangeURL) {
			return true
		}
	}
	return false
}

// invokeRequest is InvokeCommand's body.
type invokeRequest struct {
	CmdletInput struct {
		CmdletName string         `json:"CmdletName"`
		Parameters map[string]any `json:"Parameters"`
	} `json:"CmdletInput"`
}

// exoPage is an InvokeCommand answer; the field order is the admin API's.
type exoPage struct {
	Context  string `json:"@odata.context"`
	NextLink string `json:"@odata.nextLink,omitempty"`
	Value    []any  `json:"value"`
}

// exoError is the admin API's error body: an OData error whose details carry the cmdlet's
// error as "Code|ExceptionType|Message".
type exoError struct {
	status  int
	code    string
	message string
	detail  string // "Code|ExceptionType|Message", or ""
	header  map[string]string
}

func (e exoError) body() any {
	inner := map[string]any{"message": e.message, "type": "Microsoft.Exchange.Admin.OData.Core.ODataServiceException", "stacktrace": ""}
	errObj := map[string]any{"code": e.code, "message": e.message, "innererror": inner}
	if e.detail != "" {
		errObj["details"] = []any{map[string]any{"code": e.code, "target": "", "message": e.detail}}
	}
	return map[string]any{"error": errObj}
}

// The admin API's answers, by cause. The not-recognized text is PowerShell's
// CommandNotFoundException, which Exchange Online gives for a cmdlet the tenant's licences or
// the caller's roles do not include (as the ExchangeOnlineManagement module reports it for the
// Defender for Office 365 cmdlets in tenants without that licence); the body's exact codes are
// this simulator's choice.
func cmdletNotFound(cmdlet string) exoError {
	msg := "The term '" + cmdlet + "' is not recognized as a name of a cmdlet, function, script file, or executable program. " +
		"Check the spelling of the name, or if a path was included, verify that the path is correct and try again."
	return exoError{status: http.StatusBadRequest, code: "BadRequest", message: msg,
		detail: "CommandNotFound|System.Management.Automation.CommandNotFoundException|" + msg}
}

var (
	exoUnauthorized = exoError{status: http.StatusUnauthorized, code: "Unauthorized",
		message: "The access token is missing, expired or not issued for Exchange Online."}
	exoForbidden = exoError{status: http.StatusForbidden, code: "Forbidden",
		message: "The role assigned to application isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication."}
	exoServer = exoError{status: http.StatusInternalServerError, code: "InternalServerError",
		message: "An internal server error occurred. The operation failed."}
)

// exoStatusError is the answer an Options.Fail rule injects for code.
func (s *Server) exoStatusError(code int) exoError {
	switch code {
	case http.StatusUnauthorized:
		return exoUnauthorized
	case http.StatusForbidden:
		return exoForbidden
	case http.StatusInternalServerError:
		return exoServer
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return exoError{status: code, code: strings.ReplaceAll(http.StatusText(code), " ", ""),
			message: "Injected by the simulator. Please retry later.", header: map[string]string{"Retry-After": s.retryAfter}}
	}
	return exoError{status: code, code: strings.ReplaceAll(http.StatusText(code), " ", ""), message: "Injected by the simulator."}
}

// serveExchange answers the Exchange Online admin API:
//
//	POST /adminapi/beta/{tenantId}/InvokeCommand   {"CmdletInput":{"CmdletName":"Get-X","Parameters":{}}}
//
// from the snapshot's exchange section, with the cmdlets of exo.Cmdlets: rows in "value",
// pages of Options.PageSize rows linked by @odata.nextLink (the client posts the same body to
// the link), and the same authentication, latency, throttling and injected failures as Graph.
// A key the snapshot does not hold answers as Exchange Online would: a cmdlet not recognized
// when its source is unlicensed, 500 when it is error, 403 otherwise.
func (s *Server) serveExchange(w http.ResponseWriter, r *http.Request) {
	requestID := newID()
	s.count(func(st *Stats) {
		st.Requests++
		st.ByPath[r.URL.Path]++
	})
	write := func(status int, header map[string]string, body any) {
		if id := r.Header.Get("client-request-id"); id != "" {
			w.Header().Set("client-request-id", id)
		}
		writeJSON(w, status, header, requestID, body)
	}
	fail := func(e exoError) { write(e.status, e.header, e.body()) }
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	moduleFile := len(segs) == 4 && strings.EqualFold(segs[1], "v1.0") && strings.EqualFold(segs[3], "EXOModuleFile")
	if loc, ok := s.tenantRedirect(r); ok && (moduleFile || len(segs) == 4 && strings.EqualFold(segs[3], "InvokeCommand")) {
		// Exchange Online serves this tenant from another host: the front door says where.
		// The answer carries no token-related header; a client must decide itself whether
		// to send its token there.
		w.Header().Set("Location", loc)
		write(http.StatusFound, nil, map[string]any{})
		return
	}
	if moduleFile {
		s.serveModuleFile(w, r, segs[2], write, fail)
		return
	}
	if len(segs) != 4 || !strings.EqualFold(segs[1], "beta") || !strings.EqualFold(segs[3], "InvokeCommand") {
		fail(exoError{status: http.StatusNotFound, code: "NotFound",
			message: "The simulator serves the Exchange Online admin API at POST /adminapi/beta/{tenantId}/InvokeCommand only."})
		return
	}
	if _, ok := s.authorizeFor(r, exchangeAudience); !ok {
		w.Header().Set("WWW-Authenticate", `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="`+baseURL(r)+`/common/oauth2/authorize"`)
		fail(exoUnauthorized)
		return
	}
	if !s.delay(r.Context()) {
		return
	}
	if r.Method != http.MethodPost {
		fail(exoError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", message: "InvokeCommand accepts POST only."})
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxInvokeBody+1))
	var req invokeRequest
	if err != nil || len(data) > maxInvokeBody || json.Unmarshal(data, &req) != nil || req.CmdletInput.CmdletName == "" {
		fail(exoError{status: http.StatusBadRequest, code: "BadRequest",
			message: `Expected a body {"CmdletInput":{"CmdletName":"Get-X","Parameters":{}}}.`})
		return
	}
	name := req.CmdletInput.CmdletName
	skip := r.URL.Query().Get("$skiptoken")
	if s.throttled("POST " + strings.ToLower(r.URL.Path) + "?" + strings.ToLower(name) + "&" + skip) {
		e := s.throttledError()
		fail(exoError{status: e.status, code: e.code, message: e.message, header: e.header})
		return
	}
	if e, ok := s.injectedExchange(r.URL.Path, name); ok {
		fail(e)
		return
	}
	tenant := segs[2]
	if !s.knownTenant(tenant) {
		fail(exoError{status: http.StatusNotFound, code: "NotFound", message: "Tenant '" + tenant + "' was not found. The simulator serves tenant " + s.snap.Tenant.ID + "."})
		return
	}
	cmdlet, ok := exo.CmdletNamed(name)
	if !ok {
		fail(cmdletNotFound(name))
		return
	}
	if !s.snap.Known(cmdlet.Key) {
		switch src := s.snap.Sources[cmdlet.Key]; src.Status {
		case snapshot.StatusUnlicensed:
			fail(cmdletNotFound(cmdlet.Name))
		case snapshot.StatusError:
			fail(exoServer)
		default:
			fail(exoForbidden)
		}
		return
	}
	rows := s.elements(cmdlet.Key)
	path := strings.ToLower(r.URL.Path) + "#" + strings.ToLower(cmdlet.Name)
	offset := 0
	if skip != "" {
		n, ok := s.parseSkipToken(path, skip)
		if !ok {
			fail(exoError{status: http.StatusBadRequest, code: "BadRequest", message: "Invalid $skiptoken."})
			return
		}
		offset = n
	}
	end := min(offset+s.pageSize, len(rows))
	offset = min(offset, end)
	base := baseURL(r) + "/adminapi/beta/" + tenant
	p := exoPage{Context: base + "/$metadata#Collection(Exchange.GenericHashTable)", Value: make([]any, 0, end-offset)}
	for _, el := range rows[offset:end] {
		row := map[string]any{"@odata.type": "#Exchange.GenericHashTable"}
		if obj, ok := el.(map[string]any); ok {
			for k, v := range obj {
				row[k] = v
			}
		}
		p.Value = append(p.Value, row)
	}
	if end < len(rows) {
		p.NextLink = base + "/InvokeCommand?$skiptoken=" + s.skipToken(path, end)
	}
	write(http.StatusOK, nil, p)
}

// injectedExchange returns the error an Options.Fail rule sets for an InvokeCommand request
// running cmdlet on path, if any: a cmdlet rule first, then the longest path rule.
func (s *Server) injectedExchange(path, cmdlet string) (exoError, bool) {
	for _, f := range s.fail {
		if f.cmdlet != "" && strings.EqualFold(f.cmdlet, cmdlet) {
			s.count(func(st *Stats) { st.Injected++ })
			return s.exoStatusError(f.code), true
		}
	}
	lower := strings.ToLower(path)
	for _, f := range s.fail {
		if f.cmdlet == "" && hasSegmentPrefix(lower, f.prefix) {
			s.count(func(st *Stats) { st.Injected++ })
			return s.exoStatusError(f.code), true
		}
	}
	return exoError{}, false
}

// parseFailKey reads an Options.Fail key: a URL path, or FailCmdletPrefix and a cmdlet name.
func parseFailKey(key string, code int) (failRule, bool) {
	if c, ok := strings.CutPrefix(key, FailCmdletPrefix); ok {
		if !strings.HasPrefix(strings.ToLower(c), "get-") || strings.ContainsAny(c, " /") {
			return failRule{}, false
		}
		return failRule{cmdlet: c, code: code}, true
	}
	if !strings.HasPrefix(key, "/") {
		return failRule{}, false
	}
	return failRule{prefix: strings.ToLower(strings.TrimRight(key, "/")), code: code}, true
}

// tenantRedirect returns where a request for the admin API is redirected when
// Options.ExchangeTenantHost serves the tenant from another host and the request is not
// addressed to it.
func (s *Server) tenantRedirect(r *http.Request) (string, bool) {
	want := s.opts.ExchangeTenantHost
	if want == "" {
		return "", false
	}
	if !strings.Contains(want, ":") {
		_, port, err := net.SplitHostPort(r.Host)
		if err != nil {
			return "", false
		}
		want = net.JoinHostPort(want, port)
	}
	if strings.EqualFold(r.Host, want) {
		return "", false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := scheme + "://" + want + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u, true
}

// serveModuleFile answers GET /AdminApi/v1.0/{tenantId}/EXOModuleFile, which the
// ExchangeOnlineManagement module reads when it connects: the cmdlets the caller may run, as a
// comma-separated exportedCmdlets (the field peers read from it). The caller needs an Exchange
// Online token, as for InvokeCommand.
func (s *Server) serveModuleFile(w http.ResponseWriter, r *http.Request, tenant string, write func(int, map[string]string, any), fail func(exoError)) {
	if _, ok := s.authorizeFor(r, exchangeAudience); !ok {
		fail(exoUnauthorized)
		return
	}
	if !s.delay(r.Context()) {
		return
	}
	if r.Method != http.MethodGet {
		fail(exoError{status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", message: "EXOModuleFile accepts GET only."})
		return
	}
	if !s.knownTenant(tenant) {
		fail(exoError{status: http.StatusNotFound, code: "NotFound", message: "Tenant '" + tenant + "' was not found."})
		return
	}
	var names []string
	for _, c := range exo.Cmdlets() {
		if s.snap.Known(c.Key) || s.snap.Sources[c.Key].Status != snapshot.StatusUnlicensed {
			names = append(names, c.Name)
		}
	}
	write(http.StatusOK, nil, map[string]any{"value": []any{map[string]any{"exportedCmdlets": strings.Join(names, ",")}}})
}
