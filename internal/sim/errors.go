package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/m365posture/posture/internal/snapshot"
)

// apiError is one Graph error answer: status, the error code and message of the body, and
// extra headers (Retry-After).
type apiError struct {
	status  int
	code    string
	message string
	header  map[string]string
}

// graphErrorBody is Graph's error body: {"error": {"code", "message", "innerError": {...}}}.
type graphErrorBody struct {
	Error graphErrorDetail `json:"error"`
}

type graphErrorDetail struct {
	Code       string          `json:"code"`
	Message    string          `json:"message"`
	InnerError graphInnerError `json:"innerError"`
}

type graphInnerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id,omitempty"`
}

func (e apiError) body(requestID, clientRequestID string) graphErrorBody {
	return graphErrorBody{Error: graphErrorDetail{
		Code:    e.code,
		Message: e.message,
		InnerError: graphInnerError{
			Date:            time.Now().UTC().Format("2006-01-02T15:04:05"),
			RequestID:       requestID,
			ClientRequestID: clientRequestID,
		},
	}}
}

// The error answers Graph gives, by cause.
var (
	errForbidden = apiError{status: http.StatusForbidden, code: "Authorization_RequestDenied",
		message: "Insufficient privileges to complete the operation."}
	errServer = apiError{status: http.StatusInternalServerError, code: "generalException",
		message: "General exception while processing."}
	errNoToken = apiError{status: http.StatusUnauthorized, code: "InvalidAuthenticationToken",
		message: "Access token is empty."}
	errBadToken = apiError{status: http.StatusUnauthorized, code: "InvalidAuthenticationToken",
		message: "Access token validation failure. Invalid audience."}
	errExpiredToken = apiError{status: http.StatusUnauthorized, code: "InvalidAuthenticationToken",
		message: "Lifetime validation failed, the token is expired."}
)

// Licence errors, as Graph answers a tenant that lacks the licence a feature needs. The
// collector maps each of these codes to the source status "unlicensed"; every other 401/403
// is "forbidden". Sources, found with the search tool (public issue threads and code of
// tools that call Graph against real tenants):
//   - PIM (roleEligibilitySchedules and the other roleManagement/directory schedule
//     endpoints) without Entra ID P2 / ID Governance: 400 AadPremiumLicenseRequired, "The
//     tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license."
//     (Galvnyz/M365-Assess#117; mondoohq/mql#8955 reports the same code for the PIM API.)
//     The simulator answers the PIM role settings (policies/roleManagementPolicyAssignments)
//     of a tenant without P2 alike; no recorded answer says otherwise.
//   - Identity Protection (identityProtection/riskyUsers, riskDetections) without P2: 403
//     Forbidden, "Your tenant is not licensed for this feature." (M365 tooling that records
//     the live body; riskyUsers and riskDetections answer alike.)
//   - reports/authenticationMethods/userRegistrationDetails, auditLogs/signIns and the
//     users' signInActivity without Entra ID P1: 403
//     Authentication_RequestFromNonPremiumTenantOrB2CTenant (MicrosoftDocs/azure-docs#77948).
//   - Intune (deviceManagement/*) in a tenant without Intune: 400 BadRequest, "Request not
//     applicable to target tenant." (Microsoft365DSC's Intune exports test for that text.)
//   - anything else (Conditional Access, Secure Score, ...): 403 AccessDenied, "Your tenant is
//     not licensed for this feature. Please upgrade your subscription to access it.", the body
//     Graph gives for Conditional Access in a Free tenant (recorded for creating a policy;
//     reading is assumed to answer alike).
var (
	errPIMUnlicensed = apiError{status: http.StatusBadRequest, code: "AadPremiumLicenseRequired",
		message: "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license."}
	errRiskUnlicensed = apiError{status: http.StatusForbidden, code: "Forbidden",
		message: "Your tenant is not licensed for this feature."}
	errPremiumUnlicensed = apiError{status: http.StatusForbidden, code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
		message: "Neither tenant is B2C or tenant doesn't have premium license"}
	errIntuneUnlicensed = apiError{status: http.StatusBadRequest, code: "BadRequest",
		message: "Request not applicable to target tenant."}
	errFeatureUnlicensed = apiError{status: http.StatusForbidden, code: "AccessDenied",
		message: "Your tenant is not licensed for this feature. Please upgrade your subscription to access it."}
)

// errMissingProvider is Graph's answer to a list of role management policies or their
// assignments without the $filter on scopeId and scopeType that Microsoft Learn ("List
// roleManagementPolicyAssignments") says the request requires: 400 with code UnknownError and
// PIM's own error as the message, recorded for both resources in
// microsoftgraph/microsoft-graph-docs#15910.
var errMissingProvider = apiError{status: http.StatusBadRequest, code: "UnknownError",
	message: `{"errorCode":"MissingProvider","message":"The provider is missing.","instanceAnnotations":[]}`}

// UnlicensedCodes lists the Graph error codes the simulator answers for a source whose status
// is "unlicensed" (see the licence errors above). A collector that maps exactly these codes
// to "unlicensed" round-trips every snapshot; errors with code "Forbidden" or "AccessDenied"
// are licence errors only when their message says "not licensed".
func UnlicensedCodes() []string {
	return []string{errPIMUnlicensed.code, errRiskUnlicensed.code, errPremiumUnlicensed.code,
		errIntuneUnlicensed.code, errFeatureUnlicensed.code}
}

// unlicensedError is the answer for a source key whose status is unlicensed.
func unlicensedError(key string) apiError {
	switch {
	case key == "entra.roleEligibilitySchedules", key == "entra.roleAssignmentScheduleInstances",
		key == "entra.roleManagementPolicyAssignments":
		return errPIMUnlicensed
	case key == "entra.riskyUsers":
		return errRiskUnlicensed
	case key == "entra.userRegistrationDetails":
		return errPremiumUnlicensed
	case strings.HasPrefix(key, snapshot.SectionIntune+"."):
		return errIntuneUnlicensed
	}
	return errFeatureUnlicensed
}

// sourceError is the answer for a source key the snapshot does not hold as ok, or nil when it
// does. forbidden, skipped and absent keys answer as a missing permission: a collector asked
// for a key it did not have would not have been given it.
func (s *Server) sourceError(key string) *apiError {
	if s.snap.Known(key) {
		return nil
	}
	src, ok := s.snap.Sources[key]
	e := errForbidden
	switch {
	case !ok:
	case src.Status == snapshot.StatusUnlicensed:
		e = unlicensedError(key)
	case src.Status == snapshot.StatusError:
		e = errServer
	}
	return &e
}

// statusError is the answer an Options.Fail rule injects for code.
func (s *Server) statusError(code int) apiError {
	e := apiError{status: code, code: http.StatusText(code), message: "Injected by the simulator."}
	switch code {
	case http.StatusBadRequest:
		e.code = "BadRequest"
	case http.StatusUnauthorized:
		e = errBadToken
	case http.StatusForbidden:
		e = errForbidden
	case http.StatusNotFound:
		e.code = "Request_ResourceNotFound"
	case http.StatusTooManyRequests:
		e = s.throttledError()
	case http.StatusInternalServerError:
		e = errServer
	case http.StatusServiceUnavailable:
		e.code = "serviceNotAvailable"
		e.message = "The service is temporarily unavailable. Please retry later."
		e.header = map[string]string{"Retry-After": s.retryAfter}
	case http.StatusGatewayTimeout:
		e.code = "gatewayTimeout"
	}
	if e.code == "" {
		e.code = "UnknownError"
	}
	return e
}

func (s *Server) throttledError() apiError {
	return apiError{status: http.StatusTooManyRequests, code: "TooManyRequests",
		message: "Please retry again later.", header: map[string]string{"Retry-After": s.retryAfter}}
}

func notFound(what string) apiError {
	return apiError{status: http.StatusNotFound, code: "Request_ResourceNotFound",
		message: "Resource '" + what + "' does not exist or one of its queried reference-property objects are not present."}
}

func badRequest(message string) apiError {
	return apiError{status: http.StatusBadRequest, code: "BadRequest", message: message}
}

// response is a Graph answer before it is written: to the wire, or into a $batch response.
type response struct {
	status int
	header map[string]string
	body   any
}

func (s *Server) errorResponse(e apiError, requestID, clientRequestID string) response {
	h := map[string]string{}
	for k, v := range e.header {
		h[k] = v
	}
	return response{status: e.status, header: h, body: e.body(requestID, clientRequestID)}
}

// writeGraphError writes e outside the Graph handler (misdirected requests).
func writeGraphError(w http.ResponseWriter, r *http.Request, e apiError) {
	id := newID()
	writeJSON(w, e.status, e.header, id, e.body(id, r.Header.Get("client-request-id")))
}

// graphContentType is the Content-Type Graph sends with JSON.
const graphContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, header map[string]string, requestID string, body any) {
	status, data := encodeBody(status, requestID, body)
	writeEncoded(w, status, header, requestID, data)
}

// encodeBody encodes an answer's body (before a latency wait, so the wait includes the work).
func encodeBody(status int, requestID string, body any) (int, []byte) {
	data, err := marshal(body)
	if err != nil {
		// Snapshot values are decoded JSON, so this does not happen; answer as Graph would.
		data, _ = marshal(errServer.body(requestID, ""))
		return http.StatusInternalServerError, data
	}
	return status, data
}

// writeEncoded writes an encoded answer with Graph's headers.
func writeEncoded(w http.ResponseWriter, status int, header map[string]string, requestID string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", graphContentType)
	h.Set("Cache-Control", "no-store")
	if requestID != "" {
		h.Set("request-id", requestID)
	}
	for k, v := range header {
		h.Set(k, v)
	}
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// marshal encodes v as JSON without HTML escaping, so nextLinks keep their '&'.
func marshal(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}
